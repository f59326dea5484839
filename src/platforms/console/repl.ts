// The console session: reads commands from the terminal or a pipe, speaks as one user in one room.
//   :as <name>       speak as someone else        :room #<n>   step into deal n's room
//   :room            leave rooms (lobby)          :rooms       list deal rooms
//   :quit            exit
import { randomUUID } from 'node:crypto';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import type { Deps } from '../../app/context.ts';
import { handleCommand } from '../../app/dispatch.ts';
import { postPictures } from '../../app/pictures.ts';
import { renderText } from './render-text.ts';

/** The terminal's output, shared by the session and the platform. Something printed while a person
 * is typing at the prompt (a scheduled DM, a digest, an outbox retry) would land inside the line
 * being typed: instead the line is cleared, the message printed above it, and the prompt redrawn
 * with what was typed so far (readline keeps it). */
export class TerminalWriter {
  private rl: readline.Interface | undefined;
  /** True while the prompt waits for a line (not while a command runs: its output comes first). */
  waiting = false;
  constructor(private readonly out: NodeJS.WritableStream) {}
  attach(rl: readline.Interface | undefined) {
    this.rl = rl;
  }
  readonly write = (line: string) => {
    if (!this.rl || !this.waiting) {
      this.out.write(`${line}\n`);
      return;
    }
    readline.clearLine(this.out, 0);
    readline.cursorTo(this.out, 0);
    this.out.write(`${line}\n`);
    this.rl.prompt(true);
  };
}

export const CONSOLE_WORKSPACE = { platform: 'console' as const, externalId: 'local', name: 'Local console' };

export interface ReplOptions {
  input: Readable;
  /** The terminal, for the prompt and the echo of what is typed (interactive sessions only). */
  output?: NodeJS.WritableStream;
  write: (line: string) => void;
  as: string;
  interactive: boolean;
  /** Deal number -> room id, and the list of rooms, for `:room` / `:rooms`. */
  findRoom: (dealNumber: number) => Promise<string | null>;
  listRooms: () => Promise<{ number: number; roomId: string; title: string }[]>;
  /** The shared terminal output (interactive sessions), so asynchronous messages redraw the prompt. */
  terminal?: TerminalWriter;
}

export async function runRepl(deps: Deps, o: ReplOptions): Promise<void> {
  let user = o.as.toLowerCase();
  let room: string | undefined;
  const rl = readline.createInterface({
    input: o.input,
    output: o.interactive ? o.output : undefined,
    terminal: o.interactive,
  });
  if (o.interactive) o.terminal?.attach(rl);
  const prompt = () => {
    if (o.interactive) {
      rl.setPrompt(`${user}${room ? ` @ #${room}` : ''}> `);
      rl.prompt();
      if (o.terminal) o.terminal.waiting = true;
    }
  };
  o.write(
    `Dealroom console — you are @${user}. Type "help" for commands, ":room #<n>" to enter a deal room, ":as <name>" to switch user, ":quit" to leave.`,
  );
  prompt();
  for await (const raw of rl) {
    if (o.terminal) o.terminal.waiting = false;
    const line = raw.trim();
    if (!line || /^#(\s|$)/.test(line)) {
      prompt();
      continue;
    }
    if (!o.interactive) o.write(`\n${user}${room ? ` @ #${room}` : ''}> ${line}`);
    try {
      if (line.startsWith(':')) {
        const [cmd, arg = ''] = line.slice(1).split(/\s+/, 2);
        if (cmd === 'quit' || cmd === 'exit') break;
        else if (cmd === 'as' && arg) {
          user = arg.replace(/^@/, '').toLowerCase();
          o.write(`(you are now @${user})`);
        } else if (cmd === 'room') {
          if (!arg) {
            room = undefined;
            o.write('(you left the room)');
          } else {
            const n = Number(arg.replace(/^#/, ''));
            const found =
              Number.isInteger(n) && n > 0
                ? await o.findRoom(n)
                : ((await o.listRooms()).find((r) => r.roomId === arg.replace(/^#/, ''))?.roomId ?? null);
            if (found) {
              room = found;
              o.write(`(you are in #${room})`);
            } else o.write(`No room for "${arg}". :rooms lists them.`);
          }
        } else if (cmd === 'rooms') {
          const rooms = await o.listRooms();
          o.write(
            rooms.length ? rooms.map((r) => `#${r.number}  #${r.roomId}  ${r.title}`).join('\n') : 'No deal rooms yet.',
          );
        } else o.write('Console commands: :as <name>, :room #<n>, :room, :rooms, :quit');
      } else {
        const reply = await handleCommand(deps, {
          ws: CONSOLE_WORKSPACE,
          userId: user,
          roomId: room,
          text: line,
          requestKey: randomUUID(),
        });
        if (reply.message)
          o.write(
            `(only @${user} sees this)\n${renderText(reply.message)
              .split('\n')
              .map((l) => `  ${l}`)
              .join('\n')}`,
          );
        await postPictures(deps, CONSOLE_WORKSPACE, room ? { roomId: room } : { userId: user }, reply.pictures);
        if (reply.ok && reply.roomId && reply.command === 'new') {
          room = reply.roomId;
          o.write(`(you are in #${room})`);
        }
      }
    } catch (e) {
      // handleCommand never throws for user input; this is a last guard so the session survives.
      deps.log.error({ err: e }, 'console command failed');
      o.write('Something went wrong; nothing was changed.');
    }
    prompt();
  }
  o.terminal?.attach(undefined);
  rl.close();
}
