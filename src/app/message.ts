// The platform-neutral message model. Use cases build these; every chat platform renders them in
// its own syntax (Slack mrkdwn and Block Kit in src/platforms/slack/block-kit.ts, Lark card
// markdown and `<at id=…>` in src/platforms/lark/, plain text in src/platforms/console/render-text.ts).
//
// Nothing here is platform syntax. Text is a list of inline parts; a plain string part is
// LITERAL text: a renderer escapes whatever its platform would read as markup (`<`, `&`, `*` …),
// so a name or a note typed by a user can never become a mention, a link or formatting. Only the
// structured parts below turn into platform syntax, and only through the renderer:
//
//   'Deal #12 is now in ', strong('Proposal'), '. Owner: ', user('U123'), ' — ', command('info')
//
// Renderers must also keep every platform limit (lengths, counts) themselves: they cut AFTER
// escaping, on a character boundary, and keep the "…and N more" line of a list inside the limit.
//
// Command text (what handleCommand receives) has ONE notation of its own, Dealroom's neutral
// command-text notation: a mention of a platform user is written `<@ID>` or `<@ID|label>` (the
// label is a display hint and is ignored). Slack's slash commands already arrive in that form;
// every other adapter converts its platform's mention syntax into it before calling
// handleCommand (Lark: `@_user_1` placeholders → `<@ou_…>`), and turns a literal `<` the user
// typed into something that cannot start one (e.g. `‹`), so nobody can forge a mention by typing
// it. The grammar (src/commands/tokenize.ts) reads mentions in that notation; free text that is
// stored (an action, a note) keeps it, and `userText` turns it back into parts for display.

/** Emphasis (bold on platforms that have it) of literal text. */
export interface Strong {
  type: 'strong';
  /** Literal text; never parsed for markup. */
  text: string;
}
/** A live mention of one person: the platform notifies them and shows their current name. Never a
 * group (`@channel`, `@here`, `@all`/`@everyone` are not expressible in this model). */
export interface UserMention {
  type: 'user';
  /** The platform's user id (Slack `U…`/`W…`, Lark open_id `ou_…`, the console's user name). A
   * renderer shows an id that is not valid on its platform as plain text, never as syntax. */
  id: string;
}
/** A link to a chat room (a deal's channel or group chat). */
export interface RoomLink {
  type: 'room';
  /** The platform's room id (Slack channel id `C…`, Lark chat id `oc_…`, the console's room name). */
  id: string;
}
/** A web link. Renderers show only http(s) URLs as links; anything else as its literal text. */
export interface WebLink {
  type: 'link';
  /** Absolute http(s) URL. */
  url: string;
  /** Literal text shown instead of the URL (the URL itself when absent). Never parsed. */
  label?: string;
}
/** A Dealroom command the reader can type, e.g. `stage proposal`. Each platform shows it with its
 * own way of addressing the bot: `/deal stage proposal` on Slack, `@Dealroom stage proposal` (or
 * `/deal …`) on Lark, `stage proposal` in the console. */
export interface CommandRef {
  type: 'command';
  /** The command without any prefix, in the grammar's words (`done #12 3`). Literal text. */
  text: string;
}
/** One inline piece of text: a string is literal plain text. */
export type Inline = string | Strong | UserMention | RoomLink | WebLink | CommandRef;
/** Text made of parts, in reading order. */
export type Rich = readonly Inline[];
/** Either literal text or parts: what every text slot of a message accepts. */
export type Text = string | Rich;

export const strong = (text: string): Strong => ({ type: 'strong', text });
export const mention = (id: string): UserMention => ({ type: 'user', id });
export const roomLink = (id: string): RoomLink => ({ type: 'room', id });
export const webLink = (url: string, label?: string): WebLink =>
  label === undefined ? { type: 'link', url } : { type: 'link', url, label };
export const command = (text: string): CommandRef => ({ type: 'command', text });

/** A value that can be put into text: numbers are written as they are. */
export type Piece = Text | Inline | number | null | undefined | false;

/** Flattens pieces into parts (adjacent strings merged; null, undefined, false and '' dropped). */
export function rich(...pieces: Piece[]): Rich {
  const out: Inline[] = [];
  const add = (p: Inline) => {
    if (typeof p === 'string') {
      if (!p) return;
      if (typeof out.at(-1) === 'string') out[out.length - 1] = `${out.at(-1)}${p}`;
      else out.push(p);
    } else out.push(p);
  };
  for (const p of pieces) {
    if (p === null || p === undefined || p === false) continue;
    if (typeof p === 'number') add(String(p));
    else if (Array.isArray(p)) for (const x of p as Rich) add(x);
    else add(p as Inline);
  }
  return out;
}

/** Tagged template for parts: `` r`${mention(id)} moved #${n} to ${strong(stage)}.` `` — the
 * template's own text and every string value are literal text, parts stay parts. */
export function r(strings: TemplateStringsArray, ...values: Piece[]): Rich {
  const pieces: Piece[] = [];
  strings.forEach((s, i) => {
    pieces.push(s);
    if (i < values.length) pieces.push(values[i]);
  });
  return rich(...pieces);
}

/** Joins texts with a literal separator (`', '`, `'\n'`). */
export function join(texts: readonly Piece[], separator: string): Rich {
  return rich(...texts.flatMap((t, i) => (i ? [separator, t] : [t])));
}

/** The parts of a text. */
export const partsOf = (t: Text): Rich => (typeof t === 'string' ? (t ? [t] : []) : t);

/** True when the text shows nothing. */
export const isEmpty = (t: Text): boolean => partsOf(t).every((p) => p === '');

/** The neutral command-text notation for a mention (see the top of this file). */
const MENTION_NOTATION = /<@([^<>|\s]+)(?:\|[^<>]*)?>/g;

/** Free text as a user typed it (an action, a note): mentions in the command-text notation become
 * live mentions of that person (their label dropped); everything else is literal text. Decision:
 * a user's own `@person` stays a live mention, because naming a colleague in an action is meant to
 * reach them; it can only ever name one person, never a group, and never carry a label. */
export function userText(s: string): Rich {
  const out: Piece[] = [];
  let last = 0;
  for (const m of s.matchAll(MENTION_NOTATION)) {
    out.push(s.slice(last, m.index), mention(m[1]));
    last = m.index + m[0].length;
  }
  out.push(s.slice(last));
  return rich(...out);
}

/** A section of a message. Every text slot is literal unless it is typed `Text` (then it may
 * hold parts); labels of controls are always literal plain text. */
export type Block =
  /** A title line. Plain text only (no mentions or emphasis on most platforms). */
  | { type: 'header'; text: string }
  /** A paragraph; may span lines (`\n`). */
  | { type: 'text'; text: Text }
  /** Label/value pairs shown side by side (the card's facts). At most 10 are shown. */
  | { type: 'fields'; fields: { label: string; value: Text }[] }
  /** The stages of the sales process with where the deal stands. */
  | { type: 'progress'; steps: { label: string; state: 'done' | 'current' | 'todo' | 'lost' }[] }
  /** Lines, each with an optional button (open actions with their Done button). */
  | { type: 'items'; items: { text: Text; button?: Button }[] }
  /** A titled bullet list, already shortened by the app to what is worth reading; `more` says
   * how many were left out ("…and 3 more"). Renderers that must shorten further cut items, never
   * `title` or `more`, so the reader always learns that there is more. */
  | { type: 'list'; title?: string; items: Text[]; more?: Text }
  /** A row of buttons. */
  | { type: 'buttons'; buttons: Button[] }
  /** A menu of choices (the stage picker). */
  | {
      type: 'select';
      /** What a choice means to the app (see Button.actionId). */
      actionId: string;
      placeholder: string;
      options: { label: string; value: string }[];
      /** The option shown as chosen: a `value`, or its part after the last `:`. */
      selected?: string;
    }
  /** Small print under a section. */
  | { type: 'context'; text: Text }
  /** A separator line. */
  | { type: 'divider' };

/** A clickable button. A click comes back to the app as the command its value describes. */
export interface Button {
  /** What the click means to the app, e.g. 'action_done' (see src/app/card.ts). */
  actionId: string;
  /** Literal label text. */
  label: string;
  /** Opaque to the platform, parsed back by the app (e.g. `12:3` = deal 12, action 3). */
  value: string;
  /** Visual weight, where the platform has it. */
  style?: 'primary' | 'danger';
}

export interface Message {
  /** Fallback text: notifications, screen readers, and platforms or places without rich layout. */
  text: Text;
  blocks: Block[];
}

/** A message of one paragraph. */
export const plain = (text: Text): Message => ({ text, blocks: [{ type: 'text', text }] });
