// A stage name nobody recognised: the refusal names the stage one slip away, when there is one
// (`propsal` → Proposal, `negociation` → Negotiation), and the command to type instead.
import { UserError } from '../domain/errors.ts';
import { closestTypo } from '../domain/fuzzy.ts';
import type { Locale, Process, Stage } from '../domain/process.ts';

/** The refusal for `input` that matched no stage; `retry(stage)` is the command that would have worked. */
export function unknownStage(process: Process, input: string, L: Locale, retry: (s: Stage) => string): UserError {
  const words = new Map<string, Stage>();
  for (const s of process.stages) for (const w of [s.key, s.names.en, s.names.zh, ...s.aliases]) words.set(w, s);
  const near = closestTypo(input.trim(), words.keys());
  const stages = process.stages.map((s) => `${s.key} (${s.names[L]})`).join(', ');
  if (!near) return new UserError('stage.unknown', { input, stages });
  const stage = words.get(near)!;
  return new UserError('stage.did_you_mean', { input, stage: stage.names[L], retry: retry(stage), stages });
}
