// The sales process as data. Stages, their win probability, ENTRY requirements checked when a
// move is asked for, stall thresholds for digests, and playbook actions created on entry.
// One default process today (a B2B solution sale, after the seed methods); deals carry a
// `process` key so configurable processes can be added without touching deals.

export type StageKey = string;
export type Locale = 'en' | 'zh';

/** What a gate looks at: the deal as it stands, plus the roles of its account's contacts. */
export interface GateInput {
  amount: string | null;
  closeDate: string | null;
  nextContactOn: string | null;
  contactRoles: string[];
}

export interface Requirement {
  key: 'amount' | 'close' | 'decision_maker' | 'next_contact';
  met(d: GateInput): boolean;
}

export interface PlaybookAction {
  text: Record<Locale, string>;
  dueInDays: number;
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
}

const has = (v: string | null) => v !== null && v !== '';
export const REQUIREMENTS = {
  // "With a deadline it is a plan, without one it is a dream": budget and deadline.
  amount: { key: 'amount', met: (d) => has(d.amount) },
  close: { key: 'close', met: (d) => has(d.closeDate) },
  decisionMaker: { key: 'decision_maker', met: (d) => d.contactRoles.includes('decision_maker') },
  nextContact: { key: 'next_contact', met: (d) => has(d.nextContactOn) },
} satisfies Record<string, Requirement>;

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
        },
      ],
    },
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
  ],
};

const PROCESSES: Record<string, Process> = { [SOLUTION_SALE.key]: SOLUTION_SALE };
export const DEFAULT_PROCESS = SOLUTION_SALE.key;

export function getProcess(key: string): Process {
  return PROCESSES[key] ?? SOLUTION_SALE;
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
  if (to === 'lost') return false;
  return stageIndex(process, to) > stageIndex(process, from);
}
