// Typo tolerance for words a person types from memory (verbs, option keys, stage names).
// Edit distance comes from fastest-levenshtein; what counts as "close enough" is ours.
import { distance } from 'fastest-levenshtein';

/** Levenshtein distance, except that two neighbouring characters typed the wrong way round
 * (`nwe` for `new`) count as one slip, as a person sees it, not two edits. */
export function typoDistance(a: string, b: string): number {
  const d = distance(a, b);
  if (d !== 2 || a.length !== b.length) return d;
  const i = [...a].findIndex((c, k) => c !== b[k]);
  const swapped = a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  return swapped ? 1 : d;
}

/** How many slips a word of this length may carry and still be recognised: one for short words,
 * two from eight characters on (`negociation`). */
export const slipsAllowed = (word: string) => (word.length >= 8 ? 2 : 1);

/** The candidate closest to `input` (case-insensitive) within the slips allowed, or undefined;
 * an exact match is not a typo and is not returned. On a tie the earlier candidate wins. */
export function closestTypo(input: string, candidates: Iterable<string>): string | undefined {
  const w = input.toLowerCase();
  // A long text is no typo of a short word (and would cost a lot to compare).
  if (!w || w.length > 40) return undefined;
  let best: string | undefined;
  let bestD = slipsAllowed(w) + 1;
  for (const c of candidates) {
    const d = typoDistance(w, c.toLowerCase());
    if (d > 0 && d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}
