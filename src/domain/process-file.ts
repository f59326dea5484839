// A team's sales processes as a file (YAML, or JSON, which is YAML too), checked with zod at load.
// Every error names the line and the field, so an admin can fix the file without reading code.
// The file is data only: requirements name entries of the registry in process.ts, never code.
// `yaml` (eemeli/yaml) keeps each node's source range, which is how a zod path becomes a line.
import { isMap, isNode, isSeq, LineCounter, type Node, parseDocument, stringify } from 'yaml';
import { z } from 'zod';
import {
  type Assignee,
  CONTACT_ROLES,
  GATE_FIELDS,
  type Process,
  type RequirementSpec,
  requirement,
  type Stage,
} from './process.ts';

const KEY = /^[a-z][a-z0-9_-]{0,39}$/;
const keyOf = (what: string) =>
  z
    .string({ error: `${what} must be text` })
    .regex(KEY, `${what} must be lower-case letters, digits, "-" or "_", starting with a letter (at most 40)`);
const text = (what: string, max: number) =>
  z
    .string({ error: `${what} must be text` })
    .trim()
    .min(1, `${what} must not be empty`)
    .max(max, `${what} is longer than ${max} characters`);
const names = (what: string, max = 100) =>
  z.strictObject(
    { en: text(`the English ${what}`, max), zh: text(`the Chinese ${what}`, max) },
    {
      error: (i) =>
        i.code === 'unrecognized_keys' ? `only "en" and "zh" are allowed here` : `${what} must have "en" and "zh"`,
    },
  );

// One requirement per list item: exactly one of field / contact / outcome.
const RequirementFile = z
  .strictObject({
    field: z.enum(GATE_FIELDS, { error: `field must be one of ${GATE_FIELDS.join(', ')}` }).optional(),
    contact: z.enum(CONTACT_ROLES, { error: `contact must be one of ${CONTACT_ROLES.join(', ')}` }).optional(),
    outcome: keyOf('outcome').optional(),
  })
  .refine(
    (r) => [r.field, r.contact, r.outcome].filter((x) => x !== undefined).length === 1,
    'a requirement is one of "field: <field>", "contact: <role>" or "outcome: <outcome key>" (one per line)',
  );

const ASSIGNEE = /^(owner|manager|role:[a-z][a-z0-9_-]{0,39})$/;
const PlaybookFile = z.strictObject({
  text: names('action text', 1000),
  assignee: z
    .string()
    .regex(ASSIGNEE, 'assignee must be "owner", "manager" or "role:<room role>" (e.g. role:presales)')
    .default('owner'),
  due_in_days: z
    .number({ error: 'due_in_days must be a whole number of days' })
    .int('due_in_days must be a whole number of days')
    .min(0, 'due_in_days must be 0 or more')
    .max(365, 'due_in_days must be at most 365'),
});

const StageFile = z.strictObject({
  key: keyOf('the stage key'),
  names: names('stage name'),
  aliases: z.array(text('an alias', 100)).max(20, 'at most 20 aliases').default([]),
  probability: z
    .number({ error: 'probability must be a number from 0 to 1 (e.g. 0.25)' })
    .min(0, 'probability must be from 0 to 1')
    .max(1, 'probability must be from 0 to 1 (write 0.25, not 25)'),
  stalled_after_days: z
    .number({ error: 'stalled_after_days must be a whole number of days' })
    .int('stalled_after_days must be a whole number of days')
    .min(1, 'stalled_after_days must be 1 or more')
    .max(3650, 'stalled_after_days must be at most 3650')
    .optional(),
  terminal: z.enum(['won', 'lost'], { error: 'terminal must be "won" or "lost"' }).optional(),
  requires: z.array(RequirementFile).max(20, 'at most 20 requirements').default([]),
  playbook: z.array(PlaybookFile).max(20, 'at most 20 playbook actions').default([]),
});

const ProcessFile = z
  .strictObject({
    key: keyOf('the process key'),
    names: names('process name'),
    outcomes: z.array(z.strictObject({ key: keyOf('the outcome key'), names: names('outcome name', 200) })).default([]),
    stages: z.array(StageFile).min(2, 'a process needs at least a won and a lost stage').max(30, 'at most 30 stages'),
  })
  .superRefine((p, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    for (const kind of ['won', 'lost'] as const) {
      const at = p.stages.flatMap((s, i) => (s.terminal === kind ? [i] : []));
      if (at.length === 0) issue(['stages'], `exactly one stage needs "terminal: ${kind}"; none has it`);
      for (const i of at.slice(1))
        issue(['stages', i, 'terminal'], `a second "terminal: ${kind}" stage; only one is allowed`);
    }
    const firstTerminal = p.stages.findIndex((s) => s.terminal);
    p.stages.forEach((s, i) => {
      if (!s.terminal && firstTerminal >= 0 && i > firstTerminal)
        issue(['stages', i], `open stage "${s.key}" comes after a terminal stage; terminal stages go last`);
      if (!s.terminal && s.stalled_after_days === undefined)
        issue(
          ['stages', i],
          `stage "${s.key}" needs stalled_after_days (days without a move before it counts as stalled)`,
        );
    });
    // Keys first, then names, then aliases: a clash is reported on the weaker word.
    const seen = new Map<string, string>();
    const words: [string, string, (string | number)[]][] = [
      ...p.stages.map((s, i): [string, string, (string | number)[]] => [s.key, s.key, ['stages', i, 'key']]),
      ...p.stages.flatMap((s, i): [string, string, (string | number)[]][] => [
        [s.key, s.names.en, ['stages', i, 'names', 'en']],
        [s.key, s.names.zh, ['stages', i, 'names', 'zh']],
      ]),
      ...p.stages.flatMap((s, i) =>
        s.aliases.map((a, j): [string, string, (string | number)[]] => [s.key, a, ['stages', i, 'aliases', j]]),
      ),
    ];
    for (const [key, w, path] of words) {
      const n = w
        .toLowerCase()
        .normalize('NFKC')
        .replace(/[\s_-]+/g, '');
      const owner = seen.get(n);
      if (owner !== undefined && owner !== key)
        issue(path, `"${w}" already names stage "${owner}"; each name or alias must point to one stage`);
      else if (owner === undefined) seen.set(n, key);
    }
    const stageKeys = new Set<string>();
    p.stages.forEach((s, i) => {
      if (stageKeys.has(s.key)) issue(['stages', i, 'key'], `stage key "${s.key}" is used twice`);
      stageKeys.add(s.key);
    });
    const outcomes = new Set<string>();
    p.outcomes.forEach((o, i) => {
      if (outcomes.has(o.key)) issue(['outcomes', i, 'key'], `outcome key "${o.key}" is used twice`);
      outcomes.add(o.key);
    });
    p.stages.forEach((s, i) => {
      s.requires.forEach((r, j) => {
        if (r.outcome !== undefined && !outcomes.has(r.outcome))
          issue(
            ['stages', i, 'requires', j, 'outcome'],
            `outcome "${r.outcome}" is not declared; add it under this process's "outcomes:"`,
          );
      });
    });
  });

const File = z
  .strictObject({
    processes: z
      .array(ProcessFile, { error: '"processes" must be a list of processes' })
      .min(1, 'list at least one process'),
  })
  .superRefine((f, ctx) => {
    const keys = new Set<string>();
    f.processes.forEach((p, i) => {
      if (keys.has(p.key))
        ctx.addIssue({
          code: 'custom',
          path: ['processes', i, 'key'],
          message: `process key "${p.key}" is used twice`,
        });
      keys.add(p.key);
    });
  });

/** One problem in a process file: where (1-based line, dotted field path) and what. */
export interface ProcessFileIssue {
  line: number;
  field: string;
  message: string;
}

export class ProcessFileError extends Error {
  constructor(
    readonly source: string,
    readonly issues: ProcessFileIssue[],
  ) {
    super(
      `${source}: not a valid process file; fix these and load it again:\n${issues.map((i) => `  line ${i.line}, ${i.field || '(top)'}: ${i.message}`).join('\n')}`,
    );
    this.name = 'ProcessFileError';
  }
}

const fieldName = (path: readonly PropertyKey[]) =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');

/** The line of the deepest node of `path` the document has (a missing field points at its parent). */
function lineOf(root: Node | null, path: readonly PropertyKey[], lines: LineCounter): number {
  let node: unknown = root;
  let line = node && isNode(node) && node.range ? lines.linePos(node.range[0]).line : 1;
  for (const p of path) {
    if (isMap(node)) {
      const pair = node.items.find((it) => isNode(it.key) && (it.key as { value?: unknown }).value === p);
      if (!pair) break;
      // A field points at its key's line (a list or map value may start on the next line).
      if (isNode(pair.key) && pair.key.range) line = lines.linePos(pair.key.range[0]).line;
      node = pair.value;
    } else if (isSeq(node) && typeof p === 'number') {
      node = node.items[p];
      if (isNode(node) && node.range) line = lines.linePos(node.range[0]).line;
    } else break;
  }
  return line;
}

function toAssignee(s: string): Assignee {
  if (s === 'owner' || s === 'manager') return { kind: s };
  return { kind: 'room_role', role: s.slice('role:'.length) };
}

function toRequirement(r: z.infer<typeof RequirementFile>): RequirementSpec {
  if (r.field) return { kind: 'field', field: r.field };
  if (r.contact) return { kind: 'contact', role: r.contact };
  return { kind: 'outcome', outcome: r.outcome ?? '' };
}

function toProcess(p: z.infer<typeof ProcessFile>): Process {
  return {
    key: p.key,
    names: p.names,
    outcomes: p.outcomes,
    stages: p.stages.map(
      (s): Stage => ({
        key: s.key,
        names: s.names,
        aliases: s.aliases,
        probability: s.probability,
        ...(s.terminal ? { terminal: s.terminal } : {}),
        ...(s.stalled_after_days !== undefined ? { stallDays: s.stalled_after_days } : {}),
        requires: s.requires.map((r) => requirement(toRequirement(r))),
        playbook: s.playbook.map((a) => ({ text: a.text, dueInDays: a.due_in_days, assignee: toAssignee(a.assignee) })),
      }),
    ),
  };
}

/** Parses and checks a process file's text. Throws ProcessFileError listing every problem. */
export function parseProcessFile(content: string, source = 'process file'): Process[] {
  const lines = new LineCounter();
  const doc = parseDocument(content, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    throw new ProcessFileError(
      source,
      doc.errors.map((e) => ({
        line: lines.linePos(e.pos[0]).line,
        field: '',
        message: e.message.split('\n')[0] ?? e.message,
      })),
    );
  }
  const r = File.safeParse(doc.toJS());
  if (!r.success) {
    throw new ProcessFileError(
      source,
      r.error.issues
        .flatMap((i) => {
          // An unknown key is reported at its parent; point at the key itself.
          if (i.code === 'unrecognized_keys')
            return i.keys.map((k) => ({ path: [...i.path, k], message: `unknown field "${k}" (check its spelling)` }));
          return [{ path: i.path, message: i.message }];
        })
        .map(({ path, message }) => ({ line: lineOf(doc.contents, path, lines), field: fieldName(path), message }))
        .sort((a, b) => a.line - b.line),
    );
  }
  return r.data.processes.map(toProcess);
}

/** A process file's text (YAML) for processes in force: what `/deal process export` gives an admin
 * to edit. `parseProcessFile` reads it back to the same processes. */
export function processFileText(processes: readonly Process[]): string {
  const file = {
    processes: processes.map((p) => ({
      key: p.key,
      names: p.names,
      ...(p.outcomes.length ? { outcomes: p.outcomes.map((o) => ({ key: o.key, names: o.names })) } : {}),
      stages: p.stages.map((s) => ({
        key: s.key,
        names: s.names,
        ...(s.aliases.length ? { aliases: s.aliases } : {}),
        probability: s.probability,
        ...(s.stallDays !== undefined ? { stalled_after_days: s.stallDays } : {}),
        ...(s.terminal ? { terminal: s.terminal } : {}),
        ...(s.requires.length
          ? {
              requires: s.requires.map(({ spec }) =>
                spec.kind === 'field'
                  ? { field: spec.field }
                  : spec.kind === 'contact'
                    ? { contact: spec.role }
                    : { outcome: spec.outcome },
              ),
            }
          : {}),
        ...(s.playbook.length
          ? {
              playbook: s.playbook.map((a) => ({
                text: a.text,
                assignee: a.assignee.kind === 'room_role' ? `role:${a.assignee.role}` : a.assignee.kind,
                due_in_days: a.dueInDays,
              })),
            }
          : {}),
      })),
    })),
  };
  return stringify(file, { lineWidth: 0 });
}
