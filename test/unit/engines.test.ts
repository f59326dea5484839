// The engines package.json declares are true for everything Dealroom runs. `npm install` on Node 20
// warns EBADENGINE for @prisma/streams-local (node >= 22), which prisma's CLI pulls in through
// @prisma/dev. It is loaded only by `prisma dev` (a local Prisma Postgres server, which Dealroom
// never runs): @prisma/dev imports it lazily, and nothing in src imports the CLI or @prisma/dev.
// If a Prisma upgrade ever loads it eagerly, this test fails and the engines need a new look.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const read = (p: string) => fs.readFileSync(path.join(root, p), 'utf8');
function files(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === 'generated' ? [] : files(p);
    return /\.(ts|js|cjs|mjs)$/.test(p) ? [p] : [];
  });
}

describe('declared engines', () => {
  it('package.json declares node >= 20.19 (what Prisma 7 needs)', () => {
    expect(JSON.parse(read('package.json')).engines).toEqual({ node: '>=20.19' });
  });

  it('@prisma/streams-local (node >= 22) is only ever imported lazily, by `prisma dev`', () => {
    const dist = 'node_modules/@prisma/dev/dist';
    const users = files(dist).filter((f) => read(f).includes('@prisma/streams-local'));
    expect(users.length).toBeGreaterThan(0);
    for (const f of users) {
      const text = read(f);
      const all = text.split('@prisma/streams-local').length - 1;
      const lazy = text.split('import("@prisma/streams-local")').length - 1;
      expect(lazy, f).toBe(all);
    }
  });

  it('the app never imports the Prisma CLI or @prisma/dev', () => {
    const offenders = files('src').filter((f) => /from ['"](prisma|@prisma\/dev)(\/[^'"]*)?['"]/.test(read(f)));
    expect(offenders).toEqual([]);
  });
});
