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

const CLOSERS: Record<string, string> = { '"': '"', '“': '”', '「': '」', '『': '』' };
const isSpace = (ch: string) => /\s/.test(ch);

/** Slack user mentions `<@U123>` / `<@U123|bob>`; Lark adapters hand us the same form. */
const SLACK_MENTION = /^<@([^>|\s]+)(?:\|([^>]*))?>/;

export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    if (isSpace(input[i])) {
      i++;
      continue;
    }
    const start = i;
    const m = SLACK_MENTION.exec(input.slice(i));
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
    let text = '';
    let quoted = false;
    let hasQuotes = false;
    while (i < input.length && !isSpace(input[i])) {
      const ch = input[i];
      if (ch === '<' && input[i + 1] === '@' && SLACK_MENTION.test(input.slice(i))) break;
      const closer = CLOSERS[ch];
      // Quotes only group at a word start or right after `key:`, so `27"` or `it's` stay literal.
      const canOpen = closer !== undefined && (i === start || /[:：]$/.test(text));
      if (canOpen) {
        const close = input.indexOf(closer, i + 1);
        if (close !== -1) {
          if (i === start) quoted = true;
          hasQuotes = true;
          text += input.slice(i + 1, close);
          i = close + 1;
          // `"a b"c` is not a whole-token quote: the value continues past the closer.
          if (i < input.length && !isSpace(input[i])) quoted = false;
          continue;
        }
      }
      if (ch === '<') {
        // Slack wraps links as `<https://x.y|x.y>`; keep the whole link in one token.
        const close = input.indexOf('>', i + 1);
        if (close !== -1 && !input.slice(i, close).includes('\n')) {
          text += input.slice(i, close + 1);
          i = close + 1;
          continue;
        }
      }
      text += ch;
      i++;
    }
    const token: Token = { text, raw: input.slice(start, i), start, end: i, quoted, hasQuotes };
    // `@bob,` in a list: the comma is punctuation, not part of the name.
    const plain = !quoted && /^[@＠]([^\s@＠<>]+?)[,，、;；.。]*$/.exec(text);
    if (plain) token.mention = { kind: 'name', name: plain[1] };
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
  let out = tokens[0].raw;
  for (let k = 1; k < tokens.length; k++) {
    const prev = tokens[k - 1];
    const cur = tokens[k];
    const adjacent = all.indexOf(cur) === all.indexOf(prev) + 1 && all.indexOf(prev) !== -1;
    out += adjacent ? source.slice(prev.end, cur.start) : ' ';
    out += cur.raw;
  }
  return out.trim();
}
