// Splits command text into tokens once, remembering where each came from so free text can be
// rebuilt with the writer's own spacing (and URLs, times, punctuation) intact.
import type { Mention } from './types.ts';

export interface Token {
  /** The token's value: quotes removed, everything else as written. */
  text: string;
  /** The exact source slice, quotes included. */
  raw: string;
  start: number;
  end: number;
  /** The whole token was quoted: never read as an option, a mention or a deal number. */
  quoted: boolean;
  /** Some part was quoted (e.g. `key:"two words"`). */
  hasQuotes: boolean;
  mention?: Mention;
}

const CLOSERS: ReadonlyMap<string, string> = new Map([
  ['"', '"'],
  ['“', '”'],
  ['「', '」'],
  ['『', '』'],
]);
const isSpace = (ch: string) => /\s/.test(ch);

/** Slack user mentions `<@U123>` / `<@U123|bob>`; Lark adapters hand us the same form. Sticky
 * (`y`) and bounded: it is tried at one position without copying the rest of the input, and a
 * run of `<@<@<@…` costs a bounded amount per position, so tokenizing stays linear. */
const SLACK_MENTION = /<@([^<>|\s]{1,64})(?:\|([^<>]{0,200}))?>/y;
function mentionAt(input: string, i: number): RegExpExecArray | null {
  if (input[i] !== '<' || input[i + 1] !== '@') return null;
  SLACK_MENTION.lastIndex = i;
  return SLACK_MENTION.exec(input);
}

/** `input.indexOf(ch, from)` remembered per character: the scan position only moves forward,
 * so a text full of unclosed quotes or `<` is searched once, not once per opener. */
function nextIndexOf(input: string) {
  const found = new Map<string, number>();
  return (ch: string, from: number): number => {
    const known = found.get(ch);
    if (known !== undefined && (known === -1 || known >= from)) return known;
    const at = input.indexOf(ch, from);
    found.set(ch, at);
    return at;
  };
}

const LIST_PUNCT = new Set([',', '，', '、', ';', '；', '.', '。']);
/** `@bob,` → `bob`: a plain-name mention without trailing list punctuation (written as a loop,
 * not a regex with a lazy group, which backtracks quadratically on long punctuation runs). */
function plainMentionName(text: string): string | undefined {
  if (text[0] !== '@' && text[0] !== '＠') return undefined;
  let end = text.length;
  while (end > 1 && LIST_PUNCT.has(text[end - 1])) end--;
  const name = text.slice(1, end);
  return name && /^[^\s@＠<>]+$/.test(name) ? name : undefined;
}

export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  const next = nextIndexOf(input);
  let i = 0;
  while (i < input.length) {
    if (isSpace(input[i])) {
      i++;
      continue;
    }
    const start = i;
    const m = mentionAt(input, i);
    if (m) {
      // A mention is always its own token, even when glued to its neighbours (`<@U1><@U2>`).
      i += m[0].length;
      const name = m[2]?.trim();
      tokens.push({
        text: m[0],
        raw: m[0],
        start,
        end: i,
        quoted: false,
        hasQuotes: false,
        mention: name ? { kind: 'id', id: m[1], name } : { kind: 'id', id: m[1] },
      });
      continue;
    }
    // Pieces joined once at the end, and the last character kept aside: asking a growing string
    // for its end flattens it every time, which made long tokens quadratic.
    const pieces: string[] = [];
    let last = '';
    const add = (piece: string) => {
      pieces.push(piece);
      if (piece) last = piece[piece.length - 1];
    };
    let quoted = false;
    let hasQuotes = false;
    while (i < input.length && !isSpace(input[i])) {
      const ch = input[i];
      if (mentionAt(input, i)) break;
      const closer = CLOSERS.get(ch);
      // Quotes only group at a word start or right after `key:`, so `27"` or `it's` stay literal.
      const canOpen = closer !== undefined && (i === start || last === ':' || last === '：');
      if (canOpen) {
        const close = next(closer, i + 1);
        if (close !== -1) {
          if (i === start) quoted = true;
          hasQuotes = true;
          add(input.slice(i + 1, close));
          i = close + 1;
          // `"a b"c` is not a whole-token quote: the value continues past the closer.
          if (i < input.length && !isSpace(input[i])) quoted = false;
          continue;
        }
      }
      if (ch === '<') {
        // Slack wraps links as `<https://x.y|x.y>`; keep the whole link in one token.
        const close = next('>', i + 1);
        const newline = next('\n', i + 1);
        if (close !== -1 && (newline === -1 || newline > close)) {
          add(input.slice(i, close + 1));
          i = close + 1;
          continue;
        }
      }
      add(ch);
      i++;
    }
    const text = pieces.join('');
    const token: Token = { text, raw: input.slice(start, i), start, end: i, quoted, hasQuotes };
    // `@bob,` in a list: the comma is punctuation, not part of the name.
    const plain = quoted ? undefined : plainMentionName(text);
    if (plain) token.mention = { kind: 'name', name: plain };
    tokens.push(token);
  }
  return tokens;
}

/** `#12` (also full-width `＃12`) as a deal number; `undefined` when the token is something else. */
export function dealNumber(token: Token | undefined): number | undefined {
  if (!token || token.quoted) return undefined;
  const m = /^[#＃](\d+)$/.exec(token.text);
  return m ? Number(m[1]) : undefined;
}

/**
 * Rebuilds free text from tokens. Neighbours that were adjacent in the source keep the source
 * text between them (original spacing); a gap where tokens were taken out becomes one space.
 * A lone fully-quoted token yields its unquoted value; otherwise inner quotes are kept as written.
 */
export function joinTokens(source: string, tokens: Token[], all: Token[]): string {
  if (tokens.length === 0) return '';
  if (tokens.length === 1 && tokens[0].quoted) return tokens[0].text;
  // Positions looked up once (a Map), not with indexOf per token: joining stays linear.
  const position = new Map(all.map((tok, k) => [tok, k]));
  const parts = [tokens[0].raw];
  for (let k = 1; k < tokens.length; k++) {
    const prev = position.get(tokens[k - 1]);
    const cur = tokens[k];
    const adjacent = prev !== undefined && position.get(cur) === prev + 1;
    parts.push(adjacent ? source.slice(tokens[k - 1].end, cur.start) : ' ', cur.raw);
  }
  return parts.join('').trim();
}
