// Writes docs/funnel.en.png and docs/funnel.zh.png: the funnel picture of the README's example
// pipeline (npm run funnel:sample). The same data is rendered and checked in test/unit/funnel-chart.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { funnelPicture } from '../src/app/funnel-chart.ts';
import { exampleFunnel } from '../test/fixtures/funnel-example.ts';

const out = path.resolve(import.meta.dirname, '../docs');
fs.mkdirSync(out, { recursive: true });
for (const locale of ['en', 'zh'] as const) {
  const { png } = await funnelPicture(exampleFunnel(locale));
  fs.writeFileSync(path.join(out, `funnel.${locale}.png`), png);
  console.log(`docs/funnel.${locale}.png: ${png.length} bytes`);
}
