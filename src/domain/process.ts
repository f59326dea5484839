// The sales process as data. Stages, their win probability, ENTRY requirements checked when a
// move is asked for, stall thresholds for digests, and playbook actions created on entry.
// Two processes ship (a B2B solution sale and a transactional sale, after the seed methods: one
// linear process does not fit every sale); a team writes its own as a file (process-file.ts).
// Deals carry a `process` key. Requirements come from a registry the code knows (a field set, a
// contact with a role, a verifiable outcome), so a file can name them and never holds code.

export type StageKey = string;
export type Locale = 'en' | 'zh';

/** What a gate looks at: the deal as it stands, the roles of its account's contacts, and the
 * verifiable outcomes recorded on it (their keys). */
export interface GateInput {
  amount: string | null;
  closeDate: string | null;
  nextContactOn: string | null;
  contactRoles: string[];
  nextStep?: string | null;
  competitors?: string[];
  industry?: string | null;
  region?: string | null;
  outcomes?: string[];
}

/** The fields a stage may require to be set. */
export const GATE_FIELDS = [
  'amount',
  'close',
  'next_contact',
  'next_step',
  'competitors',
  'industry',
  'region',
] as const;
export type GateField = (typeof GATE_FIELDS)[number];

/** The contact roles a stage may require (the roles `/deal contact … role:` accepts). */
export const CONTACT_ROLES = ['decision_maker', 'champion', 'influencer', 'user', 'procurement', 'blocker'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

/** What a requirement asks for, as data (what a process file writes). */
export type RequirementSpec =
  | { kind: 'field'; field: GateField }
  | { kind: 'contact'; role: ContactRole }
  | { kind: 'outcome'; outcome: string };

export interface Requirement {
  /** Unique per kind and target: `amount`, `decision_maker`, `outcome:proposal-accepted`. */
  key: string;
  spec: RequirementSpec;
  met(d: GateInput): boolean;
}

/** Who a playbook action is for: the deal's owner, the owner's manager, or whoever holds a role
 * in the deal's room (`presales`, `cs`…; the owner when nobody does). */
export type Assignee = { kind: 'owner' } | { kind: 'manager' } | { kind: 'room_role'; role: string };

export interface PlaybookAction {
  text: Record<Locale, string>;
  dueInDays: number;
  assignee: Assignee;
}

/** A customer-confirmed result a stage may require (`/deal outcome proposal-accepted 2026-12-02`). */
export interface OutcomeDef {
  key: string;
  names: Record<Locale, string>;
}

export interface Stage {
  key: StageKey;
  names: Record<Locale, string>;
  aliases: string[]; // extra words a user may type for it
  probability: number; // 0..1, for the weighted pipeline
  terminal?: 'won' | 'lost';
  requires: Requirement[]; // checked on ENTRY
  stallDays?: number; // no stage change for longer than this = stalled
  playbook: PlaybookAction[]; // created as actions for the owner on entry
}

export interface Process {
  key: string;
  names: Record<Locale, string>;
  stages: Stage[]; // in funnel order; terminal stages last
  outcomes: OutcomeDef[];
}

const has = (v: string | null | undefined) => v !== null && v !== undefined && v !== '';
const FIELD_SET: Record<GateField, (d: GateInput) => boolean> = {
  amount: (d) => has(d.amount),
  close: (d) => has(d.closeDate),
  next_contact: (d) => has(d.nextContactOn),
  next_step: (d) => has(d.nextStep),
  competitors: (d) => (d.competitors ?? []).length > 0,
  industry: (d) => has(d.industry),
  region: (d) => has(d.region),
};

/** The requirement registry: every requirement a process (code or file) can name. */
export function requirement(spec: RequirementSpec): Requirement {
  switch (spec.kind) {
    case 'field':
      return { key: spec.field, spec, met: FIELD_SET[spec.field] };
    case 'contact':
      return { key: spec.role, spec, met: (d) => d.contactRoles.includes(spec.role) };
    case 'outcome':
      return { key: `outcome:${spec.outcome}`, spec, met: (d) => (d.outcomes ?? []).includes(spec.outcome) };
  }
}

export const REQUIREMENTS = {
  // "With a deadline it is a plan, without one it is a dream": budget and deadline.
  amount: requirement({ kind: 'field', field: 'amount' }),
  close: requirement({ kind: 'field', field: 'close' }),
  decisionMaker: requirement({ kind: 'contact', role: 'decision_maker' }),
  nextContact: requirement({ kind: 'field', field: 'next_contact' }),
};
const OWNER: Assignee = { kind: 'owner' };

/** The two ends every shipped process shares. */
const CLOSED_STAGES: Stage[] = [
  {
    key: 'won',
    names: { en: 'Won', zh: '赢单' },
    aliases: ['win', 'closed won', '成交'],
    probability: 1,
    terminal: 'won',
    requires: [],
    playbook: [],
  },
  {
    key: 'lost',
    names: { en: 'Lost', zh: '输单' },
    aliases: ['lose', 'closed lost', '丢单'],
    probability: 0,
    terminal: 'lost',
    requires: [],
    playbook: [],
  },
];

export const SOLUTION_SALE: Process = {
  key: 'solution',
  names: { en: 'Solution sale', zh: '解决方案销售' },
  stages: [
    {
      key: 'lead',
      names: { en: 'Lead', zh: '潜在客户' },
      aliases: ['prospect', '潜客', '线索'],
      probability: 0.1,
      requires: [],
      stallDays: 14,
      playbook: [],
    },
    {
      key: 'qualified',
      names: { en: 'Qualified', zh: '准意向' },
      aliases: ['qualify', 'qual', '意向'],
      probability: 0.25,
      requires: [REQUIREMENTS.amount, REQUIREMENTS.close],
      stallDays: 21,
      playbook: [
        {
          text: {
            en: 'Map the decision chain: who decides, who champions, who blocks',
            zh: '梳理决策链：谁拍板、谁支持、谁反对',
          },
          dueInDays: 5,
          assignee: OWNER,
        },
      ],
    },
    {
      key: 'proposal',
      names: { en: 'Proposal', zh: '方案' },
      aliases: ['propose', 'quote', '报价', '方案阶段'],
      probability: 0.5,
      requires: [REQUIREMENTS.decisionMaker],
      stallDays: 21,
      playbook: [
        {
          text: {
            en: 'Send the formal proposal and agree a review date with the customer',
            zh: '发送正式方案，并与客户约定评审日期',
          },
          dueInDays: 5,
          assignee: OWNER,
        },
      ],
    },
    {
      key: 'negotiation',
      names: { en: 'Negotiation', zh: '商务谈判' },
      aliases: ['negotiate', 'contract', '谈判', '合同'],
      probability: 0.75,
      requires: [REQUIREMENTS.nextContact],
      stallDays: 14,
      playbook: [
        {
          text: {
            en: 'Agree the contract start and payment dates with the customer',
            zh: '与客户确认合同启动与付款时间',
          },
          dueInDays: 7,
          assignee: OWNER,
        },
      ],
    },
    ...CLOSED_STAGES,
  ],
  outcomes: [],
};

/** A product sale: short, few gates, the price decides. The customer's signed order is the
 * verifiable outcome that closes the quote stage. */
export const TRANSACTIONAL_SALE: Process = {
  key: 'transactional',
  names: { en: 'Transactional sale', zh: '产品交易型销售' },
  stages: [
    {
      key: 'lead',
      names: { en: 'Lead', zh: '潜在客户' },
      aliases: ['prospect', '潜客', '线索'],
      probability: 0.2,
      requires: [],
      stallDays: 7,
      playbook: [],
    },
    {
      key: 'quote',
      names: { en: 'Quote', zh: '报价' },
      aliases: ['quoted', 'offer', '报价单'],
      probability: 0.6,
      requires: [REQUIREMENTS.amount],
      stallDays: 10,
      playbook: [
        {
          text: { en: 'Follow up on the quote with the buyer', zh: '跟进报价，联系采购方' },
          dueInDays: 3,
          assignee: OWNER,
        },
      ],
    },
    ...CLOSED_STAGES,
  ],
  outcomes: [],
};

/** The processes a workspace has when it has written none of its own. */
export const DEFAULT_PROCESSES: readonly Process[] = [SOLUTION_SALE, TRANSACTIONAL_SALE];
export const DEFAULT_PROCESS = SOLUTION_SALE.key;

/** One workspace's processes (its own file, the config file, or the shipped ones): looked up by
 * key, never through global state, so two workspaces can follow different processes. */
export interface ProcessSet {
  /** In file order. */
  readonly list: readonly Process[];
  /** The process new deals get when none is named: `solution` if there is one, else the first. */
  readonly defaultKey: string;
  has(key: string): boolean;
  /** The process with this key; an unknown key is an error, never a silent fallback (a deal read
   * with the wrong process would show wrong stages and pass wrong gates). */
  get(key: string): Process;
}

export function processSet(list: readonly Process[]): ProcessSet {
  const byKey = new Map(list.map((p) => [p.key, p]));
  if (!byKey.size) throw new Error('A process set needs at least one process');
  return {
    list: [...byKey.values()],
    defaultKey: byKey.has(DEFAULT_PROCESS) ? DEFAULT_PROCESS : [...byKey.keys()][0],
    has: (key) => byKey.has(key),
    get(key) {
      const p = byKey.get(key);
      if (!p) throw new Error(`Unknown sales process "${key}" (known: ${[...byKey.keys()].join(', ')})`);
      return p;
    },
  };
}

/** The shipped processes, for workspaces that loaded none and when no config file is set. */
export const BUILT_IN_PROCESSES: ProcessSet = processSet(DEFAULT_PROCESSES);

/** Deals a set of processes would orphan: their process is gone, or their stage is not in it.
 * A process file that orphans any deal is refused with this list (history keeps stage keys, so a
 * renamed stage must keep its key or the deals be moved first). */
export function orphanedDeals<D extends { process: string; stage: string }>(
  processes: readonly Process[],
  deals: D[],
): D[] {
  const stages = new Map(processes.map((p) => [p.key, new Set(p.stages.map((s) => s.key))]));
  return deals.filter((d) => !stages.get(d.process)?.has(d.stage));
}

/** The process's won stage and lost stage, found by their flag (a file names them as it likes). */
export function terminalStage(process: Process, kind: 'won' | 'lost'): Stage {
  const s = process.stages.find((x) => x.terminal === kind);
  if (!s) throw new Error(`Process ${process.key} has no ${kind} stage`);
  return s;
}

export function stageOf(process: Process, key: StageKey): Stage {
  const s = process.stages.find((x) => x.key === key);
  if (!s) throw new Error(`Stage ${key} is not in process ${process.key}`);
  return s;
}

export function stageIndex(process: Process, key: StageKey): number {
  return process.stages.findIndex((s) => s.key === key);
}

export function openStages(process: Process): Stage[] {
  return process.stages.filter((s) => !s.terminal);
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[\s_-]+/g, '');

/** Fuzzy stage match on keys, English and Chinese names and aliases: exact first, then a unique
 * prefix, then a unique substring. Returns the candidates when ambiguous. */
export function matchStage(process: Process, input: string): { stage?: Stage; candidates: Stage[] } {
  const q = norm(input);
  if (!q) return { candidates: [] };
  const words = (s: Stage) => [s.key, s.names.en, s.names.zh, ...s.aliases].map(norm);
  const exact = process.stages.filter((s) => words(s).includes(q));
  if (exact.length === 1) return { stage: exact[0], candidates: exact };
  for (const test of [
    (w: string) => w.startsWith(q),
    (w: string) => w.includes(q) || (q.length >= 3 && q.includes(w)),
  ]) {
    const found = process.stages.filter((s) => words(s).some(test));
    if (found.length === 1) return { stage: found[0], candidates: found };
    if (found.length > 1) return { candidates: found };
  }
  return { candidates: [] };
}

/** Requirements not met for moving from `from` to `to`. Moving forward checks the entry
 * requirements of every stage passed through (skipping a stage does not skip its gate);
 * moving back, or to a terminal stage, checks nothing. */
export function missingRequirements(process: Process, from: StageKey, to: StageKey, deal: GateInput): Requirement[] {
  const target = stageOf(process, to);
  if (target.terminal) return [];
  const a = stageIndex(process, from);
  const b = stageIndex(process, to);
  if (b <= a) return [];
  const seen = new Set<string>();
  const missing: Requirement[] = [];
  for (const stage of process.stages.slice(a + 1, b + 1)) {
    for (const r of stage.requires) {
      if (!seen.has(r.key) && !r.met(deal)) missing.push(r);
      seen.add(r.key);
    }
  }
  return missing;
}

/** Stage moves for funnel analytics: an advance is a move to a later open stage or to won. */
export function isAdvance(process: Process, from: StageKey, to: StageKey): boolean {
  if (process.stages.find((s) => s.key === to)?.terminal === 'lost') return false;
  return stageIndex(process, to) > stageIndex(process, from);
}
