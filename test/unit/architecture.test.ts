// Dependencies point inward: domain and app import no chat SDK and no Prisma; only src/store
// touches the generated client; platforms never import each other.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../src');
function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === 'generated' ? [] : files(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}
const imports = (file: string) =>
  [...fs.readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
const rel = (f: string) => path.relative(root, f);

describe('architecture', () => {
  const all = files(root);
  it.each([
    ['domain', /^(@slack|@larksuiteoapi|@prisma|prisma|pg$|@electric-sql|pglite|node-cron|pino)/],
    ['app', /^(@slack|@larksuiteoapi|@prisma|prisma|pg$|@electric-sql|pglite|node-cron|pino)/],
    ['commands', /^(@slack|@larksuiteoapi|@prisma|prisma|pg$|@electric-sql|pglite)/],
  ])('src/%s imports no SDK, database or scheduler', (dir, banned) => {
    const offenders = all
      .filter((f) => rel(f).startsWith(`${dir}/`))
      .flatMap((f) =>
        imports(f)
          .filter((i) => banned.test(i))
          .map((i) => `${rel(f)} -> ${i}`),
      );
    expect(offenders).toEqual([]);
  });

  it('domain and app never import platforms, store or jobs', () => {
    const offenders = all
      .filter((f) => /^(domain|app|commands)\//.test(rel(f)))
      .flatMap((f) =>
        imports(f)
          .filter((i) => /\/(platforms|store|jobs)\//.test(i) || /^\.\.?\/(platforms|store|jobs)\//.test(i))
          .map((i) => `${rel(f)} -> ${i}`),
      );
    expect(offenders).toEqual([]);
  });

  it('only src/store touches the generated Prisma client', () => {
    const offenders = all
      .filter((f) => !rel(f).startsWith('store/'))
      .flatMap((f) =>
        imports(f)
          .filter((i) => /generated/.test(i))
          .map((i) => `${rel(f)} -> ${i}`),
      );
    expect(offenders).toEqual([]);
  });

  it('platform adapters do not import each other', () => {
    const offenders = all
      .filter((f) => rel(f).startsWith('platforms/'))
      .flatMap((f) => {
        const own = rel(f).split('/')[1];
        return imports(f)
          .filter(
            (i) =>
              /platforms\/|^\.\.\/(slack|lark|console)\//.test(i) && !i.includes(`/${own}/`) && !i.startsWith('./'),
          )
          .map((i) => `${rel(f)} -> ${i}`);
      });
    expect(offenders).toEqual([]);
  });
});
