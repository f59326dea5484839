// Files sent to the bot in its DM (an admin's CSV or process file): Events API `message` with
// subtype `file_share` in an `im` channel (event `message.im`, scopes `im:history` and `files:read`;
// https://docs.slack.dev/reference/events/message/file_share).
//
// Bolt acknowledges an Events API request BEFORE any listener runs (App.processEvent calls ack()
// first), so a listener cannot keep "write, then ack". The delivery is therefore written to the
// durable inbox in front of Bolt's processing, after the receiver checked the signature: if the
// write fails, the request fails (HTTP 400 from the receiver's error handler; a Socket Mode envelope
// is not acked) and Slack delivers it again (https://docs.slack.dev/apis/events-api/#retries). The
// download happens in the inbox worker (src/app/use-cases/uploads.ts).
import type { App } from '@slack/bolt';
import type { Deps } from '../../../app/context.ts';
import { type InboxPool, receive } from '../../../app/inbox.ts';
import type { SharedFile } from '../../../app/ports.ts';
import type { InboundFile } from '../../../app/use-cases/uploads.ts';

interface SlackFile {
  id?: string;
  name?: string;
  size?: number;
  url_private_download?: string;
  url_private?: string;
}
interface FileShareBody {
  type?: string;
  team_id?: string;
  event_id?: string;
  event?: {
    type?: string;
    subtype?: string;
    channel_type?: string;
    user?: string;
    bot_id?: string;
    files?: SlackFile[];
  };
}

/** The file delivery in an Events API body, or null for anything else (the bot's own uploads, such
 * as the funnel picture it sends into the same DM, included). */
export function fileShareOf(body: unknown): InboundFile | null {
  const b = (body ?? {}) as FileShareBody;
  const e = b.event;
  if (b.type !== 'event_callback' || e?.type !== 'message' || e.subtype !== 'file_share') return null;
  if (e.channel_type !== 'im' || !e.user || e.bot_id || !b.team_id || !Array.isArray(e.files)) return null;
  const files: SharedFile[] = e.files.map((f) => ({
    name: String(f.name ?? f.id ?? 'file'),
    ...(typeof f.size === 'number' ? { size: f.size } : {}),
    ref: String(f.url_private_download ?? f.url_private ?? ''),
  }));
  // A retry of the same event carries the same event_id (the first file's id when there is none).
  const id = b.event_id ?? e.files[0]?.id;
  if (!id || !files.length) return null;
  return {
    kind: 'file',
    ws: { platform: 'slack', externalId: b.team_id },
    userId: e.user,
    requestKey: `file:${id}`,
    files,
  };
}

export function registerFiles(app: App, deps: Deps, inbox: InboxPool) {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = async (event) => {
    const file = fileShareOf(event.body);
    if (file && (await receive(deps, file))) inbox.wake();
    return processEvent(event);
  };
}
