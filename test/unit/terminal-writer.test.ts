// The console prompt survives asynchronous messages: printed above the line being typed, then the
// prompt and the typed text drawn again.
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Deps } from '../../src/app/context.ts';
import { runRepl, TerminalWriter } from '../../src/platforms/console/repl.ts';

const tick = () => new Promise((r) => setTimeout(r, 20));

function terminal() {
  let text = '';
  const out = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { out, text: () => text };
}

describe('TerminalWriter', () => {
  it('prints a message that arrives while someone types above their line, and redraws it', async () => {
    const input = new PassThrough();
    const t = terminal();
    const tw = new TerminalWriter(t.out);
    const done = runRepl({} as Deps, {
      input,
      output: t.out,
      write: tw.write,
      terminal: tw,
      interactive: true,
      as: 'alice',
      findRoom: async () => null,
      listRooms: async () => [],
    });
    await tick();
    input.write('lis'); // typed, not yet sent
    await tick();
    const before = t.text().length;
    tw.write('[DM → @alice] Your morning digest');
    const after = t.text().slice(before);
    input.write('\x15:quit\n'); // Ctrl-U clears the typed text, then leave
    await done;
    const clear = after.indexOf('\x1b[2K'); // the typed line is cleared first
    const dm = after.indexOf('[DM → @alice] Your morning digest\n');
    const redrawn = after.lastIndexOf('alice> lis'); // then the prompt with what was typed
    expect(clear).toBeGreaterThanOrEqual(0);
    expect(dm).toBeGreaterThan(clear);
    expect(redrawn).toBeGreaterThan(dm);
  });

  it('writes plainly when nobody is at the prompt (a pipe, or while a command runs)', () => {
    const t = terminal();
    const tw = new TerminalWriter(t.out);
    tw.write('hello');
    expect(t.text()).toBe('hello\n');
  });
});
