// The funnel picture: rendered for real (Vega to SVG, resvg to PNG with the shipped CJK font); the
// SVG carries every stage label, Chinese included, and the PNG is a real, non-blank image.
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { funnelPicture, rasterise, resvgOptions } from '../../src/app/funnel-chart.ts';
import { pipelineRows } from '../../src/domain/pipeline.ts';
import { BUILT_IN_PROCESSES, openStages } from '../../src/domain/process.ts';
import { exampleFunnel } from '../fixtures/funnel-example.ts';

/** Width and height from a PNG's IHDR chunk (right after the 8-byte signature). */
function pngSize(png: Buffer) {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Share of pixels that are not white, after rendering the SVG with the same options. */
function ink(svg: string) {
  const img = new Resvg(svg, resvgOptions()).render();
  const px = img.pixels;
  let inked = 0;
  for (let i = 0; i < px.length; i += 4) if (px[i] < 250 || px[i + 1] < 250 || px[i + 2] < 250) inked++;
  return inked / (px.length / 4);
}

describe('funnel picture', () => {
  it.each(['en', 'zh'] as const)('%s: every stage label is in the SVG, and the PNG is a real image', async (locale) => {
    const input = exampleFunnel(locale);
    const { svg, png } = await funnelPicture(input);
    for (const s of openStages(BUILT_IN_PROCESSES.get('solution'))) expect(svg).toContain(s.names[locale]);
    if (locale === 'zh')
      for (const w of ['潜在客户', '准意向', '方案', '商务谈判', '销售漏斗', '转化率 42%']) expect(svg).toContain(w);
    else for (const w of ['Lead', 'Negotiation', 'Pipeline', 'converted 42%', '$245,000']) expect(svg).toContain(w);
    const { width, height } = pngSize(png);
    expect(width).toBeGreaterThan(1200); // twice the SVG's size
    expect(height).toBeGreaterThan(500);
    expect(png.length).toBeGreaterThan(20_000);
    const share = ink(svg);
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.6);
  });

  it('Chinese text renders as glyphs with the shipped font (not as nothing)', () => {
    const text = (s: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="4" y="30" font-family="Noto Sans Hans" font-size="24">${s}</text></svg>`;
    expect(ink(text('准意向商务谈判'))).toBeGreaterThan(0.02);
    expect(ink(text(''))).toBe(0);
    expect(pngSize(rasterise(text('赢单')))).toEqual({ width: 400, height: 80 });
  });

  it('rows count every deal, sum amounts exactly in one currency, weight by probability', () => {
    const rows = pipelineRows(
      BUILT_IN_PROCESSES.get('solution'),
      [
        { stage: 'qualified', amount: '99999999999999.99', currency: 'USD' },
        { stage: 'qualified', amount: '99999999999999.99', currency: 'USD' },
        { stage: 'qualified', amount: '5', currency: 'EUR' },
        { stage: 'won', amount: '7', currency: 'USD' },
      ],
      'USD',
      'zh',
      { qualified: 0.5 },
    );
    expect(rows.map((r) => r.key)).toEqual(['lead', 'qualified', 'proposal', 'negotiation']);
    expect(rows[1]).toMatchObject({
      label: '准意向',
      count: 3,
      amount: '199999999999999.98',
      weighted: '50000000000000.00', // 25% of it, to the cent (half up)
      conversion: 0.5,
    });
    expect(rows[0]).toMatchObject({ count: 0, amount: '0.00', conversion: null });
  });

  it('a pipeline with no amounts is drawn by count, and an empty one still renders', async () => {
    const input = exampleFunnel('en');
    const byCount = { ...input, rows: input.rows.map((r) => ({ ...r, amount: '0.00', weighted: '0.00' })) };
    expect(ink((await funnelPicture(byCount)).svg)).toBeGreaterThan(0.03);
    const empty = { ...input, rows: input.rows.map((r) => ({ ...r, count: 0, amount: '0.00', weighted: '0.00' })) };
    const { png } = await funnelPicture(empty);
    expect(pngSize(png).width).toBeGreaterThan(1000);
  });
});
