// The typed commands every platform's text is parsed into (src/commands/parse.ts).
// zod schemas are the single definition: the parser validates with them, use cases receive their types.
import { z } from 'zod';

/**
 * One limit per field, in characters, the same for every command that sets it; `help` states
 * them (src/i18n/parse-messages.ts `help.limits`) and a refusal names the field and its limit.
 */
export const LIMITS = {
  /** The whole command text, checked before anything else reads it. */
  input: 8000,
  account: 200,
  title: 200,
  stage: 100,
  override: 500,
  /** `set` of any other text field (next-step, competitor, industry, region, address). */
  field: 500,
  contact: 200,
  contactTitle: 200,
  email: 254,
  phone: 50,
  role: 40,
  note: 4000,
  action: 1000,
  reason: 2000,
  /** People named in one command. */
  mentions: 50,
} as const;

/** A user named in a command: a platform id (Slack `<@U123|bob>`, Lark mention) or a plain `@bob`. */
export const Mention = z.union([
  z.object({ kind: z.literal('id'), id: z.string().min(1), name: z.string().optional() }),
  z.object({ kind: z.literal('name'), name: z.string().min(1) }),
]);
export type Mention = z.infer<typeof Mention>;

/** A calendar date in the speaker's time zone, `YYYY-MM-DD`. */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** An amount as an exact decimal string (never a float) and, when written, its currency. */
export const Money = z.object({
  value: z.string().regex(/^\d+(\.\d{1,2})?$/),
  currency: z.string().length(3).optional(),
});
export type Money = z.infer<typeof Money>;

export const CONTACT_ROLES = ['decision_maker', 'champion', 'influencer', 'user', 'procurement', 'blocker'] as const;
export const ContactRole = z.enum(CONTACT_ROLES);
export type ContactRole = z.infer<typeof ContactRole>;

export const SET_FIELDS = [
  'amount',
  'currency',
  'close',
  'next-contact',
  'next-step',
  'competitor',
  'competitors',
  'title',
  'account',
  'industry',
  'region',
  'address',
  'process',
  'owner',
] as const;
export const SetField = z.enum(SET_FIELDS);
export type SetField = z.infer<typeof SetField>;

export const PROCESS_ACTIONS = ['show', 'check', 'load', 'export', 'reset'] as const;
export type ProcessAction = (typeof PROCESS_ACTIONS)[number];

/** `#12` before or after the verb: the deal the command acts on when not typed inside its room. */
const dealRef = { deal: z.number().int().positive().optional() };

export const Command = z.discriminatedUnion('name', [
  z.object({
    name: z.literal('new'),
    account: z.string().min(1).max(LIMITS.account),
    title: z.string().min(1).max(LIMITS.title),
    amount: Money.optional(),
    close: IsoDate.optional(),
    process: z.string().min(1).max(LIMITS.stage).optional(),
    mentions: z.array(Mention).max(LIMITS.mentions),
  }),
  z.object({
    name: z.literal('stage'),
    ...dealRef,
    stage: z.string().min(1).max(LIMITS.stage),
    override: z.string().min(1).max(LIMITS.override).optional(),
  }),
  z.object({
    name: z.literal('set'),
    ...dealRef,
    field: SetField,
    value: z.string().min(1).max(LIMITS.field),
    /** parsed value for amount/close/next-contact (the raw text stays in `value`) */
    money: Money.optional(),
    date: IsoDate.optional(),
    /** `set process <key> [map:]<from>=<to> …`: the process, and how stages map into it */
    process: z.string().min(1).max(LIMITS.stage).optional(),
    mapping: z
      .array(z.tuple([z.string().min(1), z.string().min(1)]))
      .max(30)
      .optional(),
    /** `set owner @x`: the new owner. */
    owner: Mention.optional(),
  }),
  z.object({
    name: z.literal('contact'),
    ...dealRef,
    contact: z.string().min(1).max(LIMITS.contact),
    role: ContactRole.optional(),
    title: z.string().max(LIMITS.contactTitle).optional(),
    email: z.string().max(LIMITS.email).email().optional(),
    phone: z.string().max(LIMITS.phone).optional(),
  }),
  z.object({ name: z.literal('log'), ...dealRef, note: z.string().min(1).max(LIMITS.note), next: IsoDate.optional() }),
  z.object({
    name: z.literal('outcome'),
    ...dealRef,
    outcome: z.string().min(1).max(LIMITS.stage),
    on: IsoDate,
    by: z.string().min(1).max(LIMITS.contact).optional(),
  }),
  z.object({
    name: z.literal('action'),
    ...dealRef,
    assignee: Mention,
    text: z.string().min(1).max(LIMITS.action),
    due: IsoDate.optional(),
  }),
  z.object({ name: z.literal('done'), ...dealRef, number: z.number().int().positive() }),
  z.object({ name: z.literal('undo'), ...dealRef, number: z.number().int().positive() }),
  /** `edit <n> [new text] [due:<date>]`: correct an action (at least one of the two). */
  z.object({
    name: z.literal('edit'),
    ...dealRef,
    number: z.number().int().positive(),
    text: z.string().min(1).max(LIMITS.action).optional(),
    due: IsoDate.optional(),
  }),
  z.object({ name: z.literal('reassign'), ...dealRef, number: z.number().int().positive(), assignee: Mention }),
  /** `cancel <n>`: the action no longer applies; kept (and shown in history), hidden from open lists. */
  z.object({ name: z.literal('cancel'), ...dealRef, number: z.number().int().positive() }),
  /** `remove @x …`: take people out of the deal's room. */
  z.object({ name: z.literal('remove'), ...dealRef, mentions: z.array(Mention).min(1).max(LIMITS.mentions) }),
  z.object({
    name: z.literal('invite'),
    ...dealRef,
    mentions: z.array(Mention).min(1).max(LIMITS.mentions),
    role: z.string().min(1).max(LIMITS.role).optional(),
  }),
  z.object({ name: z.literal('won'), ...dealRef, note: z.string().max(LIMITS.reason).optional() }),
  z.object({ name: z.literal('lost'), ...dealRef, reason: z.string().min(1).max(LIMITS.reason) }),
  z.object({ name: z.literal('reopen'), ...dealRef }),
  /** `room`: recreate the deal's room, or complete it (invitations, card, pin). */
  z.object({ name: z.literal('room'), ...dealRef }),
  z.object({ name: z.literal('info'), ...dealRef }),
  /** `page`: 1 is the newest changes. */
  z.object({ name: z.literal('history'), ...dealRef, page: z.number().int().positive().optional() }),
  z.object({ name: z.literal('actions'), ...dealRef, mine: z.boolean() }),
  /** `list [mine] [won|lost|closed|all] [@owner] [stage:<stage>] [account:<name>]` (open deals by default). */
  z.object({
    name: z.literal('list'),
    mine: z.boolean(),
    stage: z.string().min(1).max(LIMITS.stage).optional(),
    status: z.enum(['open', 'won', 'lost', 'closed', 'all']).optional(),
    owner: Mention.optional(),
    account: z.string().min(1).max(LIMITS.account).optional(),
  }),
  /** `find <text>`: deals whose account, title or contacts contain the text, among those the reader may see. */
  z.object({ name: z.literal('find'), text: z.string().min(1).max(LIMITS.account) }),
  z.object({ name: z.literal('pipeline') }),
  z.object({ name: z.literal('mine') }),
  z.object({ name: z.literal('team'), manager: Mention.optional(), reps: z.array(Mention).max(LIMITS.mentions) }),
  z.object({ name: z.literal('help'), topic: z.string().optional() }),
  /** `lang zh|en|auto`: the language Dealroom speaks to this person (auto: the platform profile's). */
  z.object({ name: z.literal('lang'), language: z.enum(['zh', 'en', 'auto']).optional() }),
  /** `import confirm [rooms]`: imports the CSV file the admin last sent the bot (its dry run came
   * back in their DM); `rooms` also creates the rooms of the open deals. */
  z.object({ name: z.literal('import'), rooms: z.boolean() }),
  /** `digest` (mine now), `digest @rep` (their nudge), `digest time 07:45 [team]`, `digest weekends on|off`, `digest nudges on|off` */
  z.object({
    name: z.literal('digest'),
    target: Mention.optional(),
    time: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
      .optional(),
    scope: z.enum(['me', 'workspace']).optional(),
    weekends: z.boolean().optional(),
    nudges: z.boolean().optional(),
  }),
  /** `process [show|check|load|export|reset] [<file text>]` (admins): the workspace's processes. */
  z.object({
    name: z.literal('process'),
    action: z.enum(PROCESS_ACTIONS),
    /** check/load: the process file's text as typed, newlines kept. */
    text: z.string().min(1).optional(),
  }),
]);
export type Command = z.infer<typeof Command>;
export type CommandName = Command['name'];
export type CommandOf<N extends CommandName> = Extract<Command, { name: N }>;

/** Commands that act on one deal: in its room, or with `#n` elsewhere. */
export const DEAL_COMMANDS = [
  'stage',
  'set',
  'contact',
  'log',
  'outcome',
  'action',
  'done',
  'undo',
  'edit',
  'reassign',
  'cancel',
  'remove',
  'invite',
  'won',
  'lost',
  'reopen',
  'room',
  'info',
  'history',
  'actions',
] as const satisfies readonly CommandName[];

/** What the parser needs to know about the speaker to read relative dates and bare amounts. */
export interface ParseContext {
  now: Date;
  timezone: string; // IANA zone of the speaker, e.g. Asia/Shanghai
}

export type ParseResult =
  | { ok: true; command: Command; warnings: Warning[] }
  | { ok: false; error: { key: string; params: Record<string, string | number> } };

/** A warning that does not stop the command (e.g. a due date in the past: teams backfill). */
export interface Warning {
  key: string;
  params: Record<string, string | number>;
}
