// The building blocks of the catalogs: params, the `r` template, and the two parts sentences use.
import { command, type Inline, partsOf, type Rich, r, strong, type Text } from '../app/message.ts';

/** A param: literal text or a number, or text made of parts (a mention, a nested sentence). */
export type Param = string | number | Inline | Rich;
export type Params = Record<string, Param>;
export type Catalog = Record<string, (p: Params) => Text>;

/** A command the reader can type, shown with the platform's own prefix. `usage` lines from the
 * grammar may still start with a slash command: that prefix is the platform's business, so it
 * is dropped here and added back by the renderer. */
export const cmd = (text: Param): Inline => command(literal(text).replace(/^\/\S+\s*/, ''));

/** Emphasis of a literal word or a name (the stage a deal moved to). */
export const em = (text: Param): Inline => strong(literal(text));

/** A user's phrase used as a sentence: ends with `stop` unless it already ends a sentence. */
export const sentence = (text: Param, stop: string): Rich => {
  const s = literal(text).trimEnd();
  return r`${text}${/[.!?。！？…]$/.test(s) ? '' : stop}`;
};

/** A param as literal text (a part shows its own text, a person their id). */
function literal(x: Param): string {
  if (typeof x === 'string' || typeof x === 'number') return String(x);
  return partsOf(Array.isArray(x) ? (x as Rich) : [x as Inline])
    .map((p) => (typeof p === 'string' ? p : 'text' in p ? p.text : 'id' in p ? p.id : p.url))
    .join('');
}

export { partsOf, type Rich, r };
