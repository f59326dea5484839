// The funnel as a picture: a Vega spec rendered to SVG on the server (no browser, no canvas), then
// rasterised to PNG with resvg. Chat platforms show a PNG inline; the text funnel stays the
// fallback. Labels are in the reader's language; Chinese needs a font with CJK glyphs, and a server
// usually has none, so the font ships as an npm package: @embedpdf/fonts-sc (Noto Sans CJK SC,
// "Noto Sans Hans" Regular, OFL-1.1), which also covers Latin. resvg loads only that file
// (system fonts off), so the picture is the same on every machine.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { Exact } from '../domain/funnel.ts';
import type { FunnelStageRow } from '../domain/pipeline.ts';
import type { Locale } from '../domain/process.ts';
import { formatMoney } from './format.ts';

export const CHART_FONT_FAMILY = 'Noto Sans Hans';

/** The CJK font file, found by its package's folder (the package exports only its JS entry). */
export function chartFontFile(): string {
  const entry = fileURLToPath(import.meta.resolve('@embedpdf/fonts-sc'));
  return path.join(path.dirname(entry), '..', 'fonts', 'NotoSansHans-Regular.otf');
}

export interface FunnelChartInput {
  title: string;
  subtitle: string;
  currency: string;
  locale: Locale;
  rows: FunnelStageRow[];
  /** Words around the numbers, in the reader's language (from the i18n catalogue). */
  words: { deals: string; weighted: string; conversion: string };
}

const BAND = 64;
const WIDTH = 760;

/** The Vega spec: one centred bar per stage, as wide as its amount (its count when no deal has an
 * amount), stage name and probability on the left, numbers on the right, conversion between bars. */
export function funnelSpec(input: FunnelChartInput): object {
  const L = input.locale;
  const money = (a: string) => formatMoney(a, input.currency, L);
  const byAmount = input.rows.some((r) => new Exact(r.amount).gt(0));
  const size = (r: FunnelStageRow) => (byAmount ? Number(r.amount) : r.count);
  const max = Math.max(1, ...input.rows.map(size));
  const values = input.rows.map((r, i) => ({
    i,
    stage: `${r.label} · ${Math.round(r.probability * 100)}%`,
    x0: (max - size(r)) / 2,
    x1: (max + size(r)) / 2,
    numbers: `${r.count} ${input.words.deals} · ${money(r.amount)} · ${input.words.weighted} ${money(r.weighted)}`,
    conversion:
      i < input.rows.length - 1 && r.conversion !== null
        ? `↓ ${input.words.conversion} ${Math.round(r.conversion * 100)}%`
        : '',
  }));
  const font = CHART_FONT_FAMILY;
  return {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    width: WIDTH,
    height: BAND * values.length,
    padding: { left: 16, right: 16, top: 12, bottom: 12 },
    background: 'white',
    title: {
      text: input.title,
      subtitle: input.subtitle,
      font,
      subtitleFont: font,
      fontSize: 20,
      subtitleFontSize: 13,
      anchor: 'start',
      offset: 14,
    },
    data: [{ name: 'stages', values }],
    scales: [
      { name: 'y', type: 'band', domain: { data: 'stages', field: 'stage' }, range: 'height', padding: 0.35 },
      { name: 'x', type: 'linear', domain: [0, max], range: [200, 470], nice: false, zero: true },
    ],
    marks: [
      {
        type: 'rect',
        from: { data: 'stages' },
        encode: {
          enter: {
            y: { scale: 'y', field: 'stage' },
            height: { scale: 'y', band: 1 },
            x: { scale: 'x', field: 'x0' },
            x2: { scale: 'x', field: 'x1', offset: 2 },
            fill: { value: '#2f6db3' },
            fillOpacity: { signal: '1 - datum.i * 0.12' },
            cornerRadius: { value: 3 },
          },
        },
      },
      {
        type: 'text',
        from: { data: 'stages' },
        encode: {
          enter: {
            x: { value: 0 },
            y: { scale: 'y', field: 'stage', band: 0.5 },
            text: { field: 'stage' },
            font: { value: font },
            fontSize: { value: 15 },
            baseline: { value: 'middle' },
            fill: { value: '#1b1b1b' },
          },
        },
      },
      {
        type: 'text',
        from: { data: 'stages' },
        encode: {
          enter: {
            x: { value: 490 },
            y: { scale: 'y', field: 'stage', band: 0.5 },
            text: { field: 'numbers' },
            font: { value: font },
            fontSize: { value: 13 },
            baseline: { value: 'middle' },
            fill: { value: '#333333' },
          },
        },
      },
      {
        type: 'text',
        from: { data: 'stages' },
        encode: {
          enter: {
            x: { value: 335 },
            y: { signal: `scale('y', datum.stage) + bandwidth('y') + ${BAND * 0.35 * 0.5}` },
            text: { field: 'conversion' },
            font: { value: font },
            fontSize: { value: 12 },
            align: { value: 'center' },
            baseline: { value: 'middle' },
            fill: { value: '#555555' },
          },
        },
      },
    ],
  };
}

/** The funnel as SVG text (labels as text, so a test can read them). */
export async function renderFunnelSvg(input: FunnelChartInput): Promise<string> {
  const view = new View(parse(funnelSpec(input) as never), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** resvg's options: the shipped CJK font only, twice the size (sharp on high-density screens). */
export const resvgOptions = () => ({
  font: { fontFiles: [chartFontFile()], loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY },
  fitTo: { mode: 'zoom' as const, value: 2 },
  background: 'white',
});

export function rasterise(svg: string): Buffer {
  return new Resvg(svg, resvgOptions()).render().asPng();
}

/** The funnel picture of a process's open deals: SVG for checking, PNG for posting. */
export async function funnelPicture(input: FunnelChartInput): Promise<{ svg: string; png: Buffer }> {
  const svg = await renderFunnelSvg(input);
  return { svg, png: rasterise(svg) };
}
