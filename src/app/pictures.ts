// Pictures that go with a text answer (the funnel of `pipeline` and of the weekly digest). The text
// is always sent and always complete; the picture is an addition for platforms that can show one
// (`ChatPlatform.postImage`). Rendering happens here, after the answer, outside any transaction,
// and only when the platform can take the picture. A failed render or upload is logged and leaves
// the text as the answer, followed by one short line saying the picture could not be sent and why
// (a missing permission, a rate limit that outlasted the adapter's one retry), so nobody waits for
// a picture that will not come; that line is best effort too. Not durable on purpose: `pipeline`
// and the digest are reads, so a lost picture is re-made by asking again, and nothing a retry
// would have to undo was written.

import type { FunnelStageRow } from '../domain/pipeline.ts';
import type { Locale, Process } from '../domain/process.ts';
import { t, tLabel } from '../i18n/index.ts';
import type { Deps } from './context.ts';
import { type FunnelChartInput, funnelPicture } from './funnel-chart.ts';
import { plain } from './message.ts';
import type { ImageTarget, WorkspaceRef } from './ports.ts';
import { describePlatformError } from './rooms.ts';

/** "Attach this funnel picture": what to draw and the words around it. */
export interface FunnelPictureRequest {
  chart: FunnelChartInput;
  filename: string;
  title: string;
  altText: string;
}

/** Renders and uploads each picture; true when every one reached the platform. Never throws. */
export async function postPictures(
  deps: Pick<Deps, 'platforms' | 'log'>,
  ws: WorkspaceRef,
  target: ImageTarget,
  pictures: readonly FunnelPictureRequest[] | undefined,
): Promise<boolean> {
  if (!pictures?.length) return true;
  const platform = deps.platforms.get(ws.platform);
  if (!platform.capabilities.pictures || !platform.postImage) return false; // the text answer is all it shows
  let failure: { err: unknown } | undefined;
  for (const p of pictures) {
    try {
      const { png } = await funnelPicture(p.chart);
      await platform.postImage(ws, target, { png, filename: p.filename, title: p.title, altText: p.altText });
    } catch (err) {
      failure ??= { err };
      deps.log.warn({ err, platform: ws.platform, filename: p.filename }, 'funnel picture not posted; text only');
    }
  }
  if (!failure) return true;
  // One line for however many pictures failed, in the reader's language (the pictures carry it).
  const L = pictures[0]!.chart.locale;
  const note = plain(t(L, 'pipeline.picture_failed', { reason: describePlatformError(failure.err, L) }));
  try {
    if ('roomId' in target) await platform.post(ws, target.roomId, note);
    else await platform.dm(ws, target.userId, note);
  } catch (err) {
    deps.log.warn({ err, platform: ws.platform }, 'picture failure note not sent');
  }
  return false;
}

/** The funnel picture of one process's open deals, with its words in the reader's language. */
export function funnelPictureOf(o: {
  locale: Locale;
  process: Process;
  rows: FunnelStageRow[];
  currency: string;
  /** Open deals in the picture (its title). */
  count: number;
}): FunnelPictureRequest {
  const L = o.locale;
  // The three short labels around the numbers, kept as one catalogue entry: "deals|weighted|converted".
  const [deals = '', weighted = '', conversion = ''] = tLabel(L, 'pipeline.picture_words').split('|');
  const title = tLabel(L, 'pipeline.title', { count: o.count });
  return {
    chart: {
      title,
      subtitle: o.process.names[L],
      currency: o.currency,
      locale: L,
      rows: o.rows,
      words: { deals, weighted, conversion },
    },
    filename: `funnel-${o.process.key}.png`,
    title: `${title} · ${o.process.names[L]}`,
    altText: tLabel(L, 'pipeline.picture_alt', { process: o.process.names[L] }),
  };
}
