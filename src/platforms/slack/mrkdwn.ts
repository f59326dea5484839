// Neutral text parts -> Slack mrkdwn, and cutting mrkdwn to a limit without breaking it.
// https://docs.slack.dev/messaging/formatting-message-text
import type { Inline, Text } from '../../app/message.ts';
import { partsOf } from '../../app/message.ts';
import { SLASH_COMMAND } from './scopes.ts';

/** Ids Slack accepts inside `<@…>` and `<#…>`; anything else is shown as literal text, so a
 * malformed id can never become other syntax (`<!channel>` is a special mention, not a user). */
const USER_ID = /^[UW][A-Z0-9]+$/;
const CHANNEL_ID = /^[CGD][A-Z0-9]+$/;
/** A URL that can sit inside `<url|label>`: no spaces, no `<`, `>` or `|`. */
const SAFE_URL = /^https?:\/\/[^\s<>|]+$/i;

/** Escapes the three characters Slack reads as control characters: literal text can never become
 * a mention (`<!channel>`, `<@U1>`), a channel link or a masked link (`<https://evil|click>`).
 * https://docs.slack.dev/messaging/formatting-message-text#escaping */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Emphasis needs its `*` next to non-space characters; surrounding spaces stay outside. Text with
 * a `*` of its own cannot be emphasised without breaking, so it stays plain. */
function bold(text: string): string {
  const m = /^(\s*)(.*?)(\s*)$/s.exec(text)!;
  if (!m[2] || m[2].includes('*')) return escapeMrkdwn(text);
  return `${m[1]}*${escapeMrkdwn(m[2])}*${m[3]}`;
}

function inline(p: Inline): string {
  if (typeof p === 'string') return escapeMrkdwn(p);
  switch (p.type) {
    case 'strong':
      return bold(p.text);
    case 'user':
      return USER_ID.test(p.id) ? `<@${p.id}>` : escapeMrkdwn(`@${p.id}`);
    case 'room':
      return CHANNEL_ID.test(p.id) ? `<#${p.id}>` : escapeMrkdwn(`#${p.id}`);
    case 'link':
      if (!SAFE_URL.test(p.url)) return escapeMrkdwn(p.label ?? p.url);
      return p.label ? `<${p.url}|${escapeMrkdwn(p.label)}>` : `<${p.url}>`;
    case 'command': {
      const shown = escapeMrkdwn(`${SLASH_COMMAND} ${p.text}`.trim());
      return shown.includes('`') ? shown : `\`${shown}\``;
    }
  }
}

/** Neutral text as mrkdwn. */
export const toMrkdwn = (t: Text): string => partsOf(t).map(inline).join('');

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;

/** The end of a cut at or before `end` that splits no surrogate pair (a lone half is invalid
 * Unicode that Slack shows as garbage or refuses). */
function codePointEnd(s: string, end: number): number {
  return end > 0 && isHigh(s.charCodeAt(end - 1)) ? end - 1 : end;
}

/** Cuts plain text to `max` UTF-16 units (Slack counts characters; units are never fewer), ending
 * with `…` when cut. */
export function cutPlain(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, codePointEnd(s, max - 1))}…`;
}

/** Cuts ESCAPED mrkdwn to `max`, ending with `…` when cut: never inside an entity (`&amp;`), a
 * `<…>` token (mention, channel, link) or a surrogate pair. Escaping first and cutting after is
 * what keeps the result within the limit: `&` becomes 5 characters. */
export function cutMrkdwn(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - 1;
  const amp = s.lastIndexOf('&', end - 1);
  if (amp !== -1 && end - amp < 5) {
    const semi = s.indexOf(';', amp);
    if (semi !== -1 && semi >= end) end = amp;
  }
  const lt = s.lastIndexOf('<', end - 1);
  if (lt !== -1 && s.lastIndexOf('>', end - 1) < lt) end = lt;
  return `${s.slice(0, codePointEnd(s, end))}…`;
}

/** A titled bullet list as one mrkdwn text of at most `max` characters. When the items do not fit,
 * each is cut to a fair share of the room left by the title and the "…and N more" line, which are
 * never cut away: the reader always learns that something was left out. */
export function listMrkdwn(title: string | undefined, items: Text[], more: Text | undefined, max: number): string {
  const head = title ? bold(title) : '';
  const foot = more ? toMrkdwn(more) : '';
  const lines = items.map((i) => `• ${toMrkdwn(i)}`);
  const fixed = [head, foot].filter(Boolean);
  const separators = fixed.length + lines.length - 1;
  let room = max - fixed.reduce((n, s) => n + s.length, 0) - Math.max(0, separators);
  const total = lines.reduce((n, s) => n + s.length, 0);
  let shown = lines;
  if (total > room) {
    // Fair shares: short lines keep their length, long ones split what is left equally.
    const allowance = new Map<number, number>();
    const order = lines.map((l, i) => ({ i, n: l.length })).sort((a, b) => a.n - b.n);
    order.forEach(({ i, n }, k) => {
      const share = Math.max(2, Math.floor(room / (order.length - k)));
      allowance.set(i, Math.min(n, share));
      room -= Math.min(n, share);
    });
    shown = lines.map((l, i) => cutMrkdwn(l, allowance.get(i)!));
  }
  const out = [head, ...shown, foot].filter(Boolean).join('\n');
  // Only a title or footer longer than the limit itself gets here; still never above the limit.
  return cutMrkdwn(out, max);
}
