// Processes as a file: the shipped defaults and a team's own file load; every invalid shape gets
// an error that names its line and field.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_PROCESSES,
  DEFAULT_PROCESSES,
  type GateInput,
  isAdvance,
  missingRequirements,
  type Process,
  terminalStage,
} from '../../src/domain/process.ts';
import { type ProcessFileError, parseProcessFile, processFileText } from '../../src/domain/process-file.ts';

const examples = path.resolve(import.meta.dirname, '../../examples');
const read = (f: string) => fs.readFileSync(path.join(examples, f), 'utf8');

/** A process without its closures, for comparing a file's result with the code's. */
const data = (p: Process) => ({
  ...p,
  stages: p.stages.map((s) => ({ ...s, requires: s.requires.map((r) => ({ key: r.key, spec: r.spec })) })),
});

describe('loading process files', () => {
  it('examples/processes.yaml is exactly the shipped default processes', () => {
    expect(parseProcessFile(read('processes.yaml')).map(data)).toEqual(DEFAULT_PROCESSES.map(data));
    expect(DEFAULT_PROCESSES.map((p) => p.key)).toEqual(['solution', 'transactional']);
  });

  it('the same processes load from JSON', () => {
    const json = JSON.stringify({ processes: DEFAULT_PROCESSES.map(toFile) });
    expect(parseProcessFile(json).map(data)).toEqual(DEFAULT_PROCESSES.map(data));
  });

  it('a custom file loads with outcomes, contact roles, manager and room-role playbooks, custom terminal names', () => {
    const [p] = parseProcessFile(read('processes.custom.yaml'));
    if (!p) throw new Error('no process');
    expect(p.key).toBe('enterprise');
    expect(terminalStage(p, 'won').key).toBe('signed');
    expect(terminalStage(p, 'lost').key).toBe('dropped');
    expect(isAdvance(p, 'commit', 'dropped')).toBe(false);
    expect(isAdvance(p, 'commit', 'signed')).toBe(true);
    const fit = p.stages[1];
    expect(fit?.playbook.map((a) => a.assignee)).toEqual([
      { kind: 'room_role', role: 'presales' },
      { kind: 'manager' },
    ]);
    expect(fit?.playbook[0]?.text.zh).toBe('进行技术演示');
    const deal: GateInput = { amount: '10', closeDate: '2026-12-31', nextContactOn: null, contactRoles: ['champion'] };
    expect(missingRequirements(p, 'discovery', 'solution-fit', deal).map((r) => r.key)).toEqual([]);
    expect(missingRequirements(p, 'discovery', 'commit', deal).map((r) => r.key)).toEqual([
      'outcome:proposal-accepted',
      'decision_maker',
    ]);
    const confirmed = { ...deal, contactRoles: ['champion', 'decision_maker'], outcomes: ['proposal-accepted'] };
    expect(missingRequirements(p, 'discovery', 'commit', confirmed)).toEqual([]);
  });

  it('every requirement in the registry can be named and checked', () => {
    const file = `processes:
  - key: p
    names: { en: P, zh: 甲 }
    stages:
      - key: a
        names: { en: A, zh: 甲 }
        probability: 0.5
        stalled_after_days: 3
        requires: [{field: next_step}, {field: competitors}, {field: industry}, {field: region}, {contact: procurement}]
      - { key: w, names: { en: W, zh: 赢 }, probability: 1, terminal: won }
      - { key: l, names: { en: L, zh: 输 }, probability: 0, terminal: lost }
`;
    const [p] = parseProcessFile(file);
    if (!p) throw new Error('no process');
    const none: GateInput = { amount: null, closeDate: null, nextContactOn: null, contactRoles: [] };
    expect(missingRequirements(p, 'a', 'a', none)).toEqual([]);
    const stage = p.stages[0];
    expect(stage?.requires.filter((r) => !r.met(none)).map((r) => r.key)).toEqual([
      'next_step',
      'competitors',
      'industry',
      'region',
      'procurement',
    ]);
    const all: GateInput = {
      ...none,
      nextStep: 'call',
      competitors: ['X'],
      industry: 'steel',
      region: 'east',
      contactRoles: ['procurement'],
    };
    expect(stage?.requires.filter((r) => !r.met(all))).toEqual([]);
  });

  it("a workspace's process set refuses an unknown key instead of falling back", () => {
    expect(BUILT_IN_PROCESSES.get('transactional').key).toBe('transactional');
    expect(() => BUILT_IN_PROCESSES.get('nope')).toThrow(/Unknown sales process "nope"/);
    expect(BUILT_IN_PROCESSES.defaultKey).toBe('solution');
  });

  it('processes in force export as a file that reads back to the same processes', () => {
    const custom = parseProcessFile(read('processes.custom.yaml'));
    for (const list of [DEFAULT_PROCESSES, custom]) {
      const text = processFileText(list);
      expect(text).toMatch(/^processes:\n {2}- key: /);
      expect(parseProcessFile(text, 'export.yaml').map(data)).toEqual(list.map(data));
    }
  });
});

function toFile(p: Process) {
  return {
    key: p.key,
    names: p.names,
    stages: p.stages.map((s) => ({
      key: s.key,
      names: s.names,
      aliases: s.aliases,
      probability: s.probability,
      ...(s.terminal ? { terminal: s.terminal } : {}),
      ...(s.stallDays ? { stalled_after_days: s.stallDays } : {}),
      requires: s.requires.map((r) =>
        r.spec.kind === 'field'
          ? { field: r.spec.field }
          : r.spec.kind === 'contact'
            ? { contact: r.spec.role }
            : { outcome: r.spec.outcome },
      ),
      playbook: s.playbook.map((a) => ({ text: a.text, assignee: 'owner', due_in_days: a.dueInDays })),
    })),
  };
}

// A valid file; each case below replaces one line of it (or appends lines) to break one thing.
const VALID = `processes:
  - key: mini
    names: { en: Mini sale, zh: 小单 }
    outcomes:
      - key: po-received
        names: { en: PO received, zh: 已收到订单 }
    stages:
      - key: lead
        names: { en: Lead, zh: 线索 }
        probability: 0.1
        stalled_after_days: 7
      - key: quote
        names: { en: Quote, zh: 报价 }
        probability: 0.5
        stalled_after_days: 10
        requires:
          - field: amount
          - outcome: po-received
        playbook:
          - text: { en: Call the buyer, zh: 致电采购 }
            assignee: owner
            due_in_days: 2
      - key: won
        names: { en: Won, zh: 赢单 }
        probability: 1
        terminal: won
      - key: lost
        names: { en: Lost, zh: 输单 }
        probability: 0
        terminal: lost
`;
/** VALID with line `n` (1-based) replaced by `text` (several lines allowed). */
const withLine = (n: number, text: string) => {
  const lines = VALID.split('\n');
  lines.splice(n - 1, 1, text);
  return lines.join('\n');
};

describe('invalid process files', () => {
  it('the base file is valid', () => {
    expect(parseProcessFile(VALID)[0]?.stages.map((s) => s.key)).toEqual(['lead', 'quote', 'won', 'lost']);
  });

  it.each([
    // what, file, line, field, message
    // the parser reports a missing brace where it notices it: the next line
    ['YAML syntax', withLine(9, '        names: { en: Lead, zh: 线索'), 10, '', /end with a \}/],
    ['not a list of processes', 'processes: hello\n', 1, 'processes', /must be a list of processes/],
    ['empty list', 'processes: []\n', 1, 'processes', /at least one process/],
    ['unknown top-level field', `${VALID}extra: 1\n`, 31, 'extra', /unknown field "extra"/],
    [
      'misspelt field',
      withLine(10, '        probabilty: 0.1'),
      10,
      'processes[0].stages[0].probabilty',
      /unknown field/,
    ],
    ['missing probability', withLine(10, ''), 8, 'processes[0].stages[0].probability', /probability must be a number/],
    [
      'probability as percent',
      withLine(10, '        probability: 25'),
      10,
      'processes[0].stages[0].probability',
      /0\.25, not 25/,
    ],
    [
      'probability as text',
      withLine(10, '        probability: high'),
      10,
      'processes[0].stages[0].probability',
      /number from 0 to 1/,
    ],
    ['bad stage key', withLine(8, '      - key: Lead Stage'), 8, 'processes[0].stages[0].key', /lower-case/],
    [
      'missing Chinese name',
      withLine(9, '        names: { en: Lead }'),
      9,
      'processes[0].stages[0].names.zh',
      /Chinese stage name must be text/,
    ],
    [
      'extra language',
      withLine(9, '        names: { en: Lead, zh: 线索, fr: Piste }'),
      9,
      'processes[0].stages[0].names.fr',
      /unknown field "fr"/,
    ],
    [
      'empty name',
      withLine(9, '        names: { en: "  ", zh: 线索 }'),
      9,
      'processes[0].stages[0].names.en',
      /must not be empty/,
    ],
    ['no stall threshold on an open stage', withLine(11, ''), 8, 'processes[0].stages[0]', /needs stalled_after_days/],
    [
      'stall threshold zero',
      withLine(11, '        stalled_after_days: 0'),
      11,
      'processes[0].stages[0].stalled_after_days',
      /1 or more/,
    ],
    [
      'stall threshold fractional',
      withLine(11, '        stalled_after_days: 1.5'),
      11,
      'processes[0].stages[0].stalled_after_days',
      /whole number/,
    ],
    [
      'unknown field requirement',
      withLine(17, '          - field: budget'),
      17,
      'processes[0].stages[1].requires[0].field',
      /field must be one of amount, close/,
    ],
    [
      'unknown contact role',
      withLine(17, '          - contact: ceo'),
      17,
      'processes[0].stages[1].requires[0].contact',
      /contact must be one of decision_maker/,
    ],
    [
      'requirement of an unknown kind',
      withLine(17, '          - person: bob'),
      17,
      'processes[0].stages[1].requires[0]',
      /one of "field: <field>"/,
    ],
    [
      'two requirements in one item',
      withLine(17, '          - { field: amount, contact: champion }'),
      17,
      'processes[0].stages[1].requires[0]',
      /one per line/,
    ],
    [
      'undeclared outcome',
      withLine(18, '          - outcome: contract-signed'),
      18,
      'processes[0].stages[1].requires[1].outcome',
      /"contract-signed" is not declared/,
    ],
    [
      'bad assignee',
      withLine(21, '            assignee: boss'),
      21,
      'processes[0].stages[1].playbook[0].assignee',
      /"owner", "manager" or "role:<room role>"/,
    ],
    [
      'negative due offset',
      withLine(22, '            due_in_days: -1'),
      22,
      'processes[0].stages[1].playbook[0].due_in_days',
      /0 or more/,
    ],
    [
      'playbook text in one language',
      withLine(20, '          - text: Call the buyer'),
      20,
      'processes[0].stages[1].playbook[0].text',
      /action text must have "en" and "zh"/,
    ],
    ['no won stage', withLine(26, '        terminal: lost'), 7, 'processes[0].stages', /terminal: won"; none has it/],
    [
      'two lost stages',
      withLine(26, '        terminal: lost'),
      30,
      'processes[0].stages[3].terminal',
      /second "terminal: lost"/,
    ],
    [
      'unknown terminal kind',
      withLine(26, '        terminal: done'),
      26,
      'processes[0].stages[2].terminal',
      /"won" or "lost"/,
    ],
    [
      'duplicate stage key',
      withLine(12, '      - key: lead'),
      12,
      'processes[0].stages[1].key',
      /"lead" is used twice/,
    ],
    [
      'alias naming another stage',
      withLine(10, '        aliases: [quote]\n        probability: 0.1'),
      10,
      'processes[0].stages[0].aliases[0]',
      /"quote" already names stage "quote"/,
    ],
    [
      'open stage after a terminal one',
      `${VALID.replace('      - key: lost', '      - key: later\n        names: { en: Later, zh: 以后 }\n        probability: 0.2\n        stalled_after_days: 3\n      - key: lost')}`,
      27,
      'processes[0].stages[3]',
      /terminal stages go last/,
    ],
    [
      'duplicate outcome key',
      withLine(
        6,
        '        names: { en: PO received, zh: 已收到订单 }\n      - key: po-received\n        names: { en: again, zh: 再次 }',
      ),
      7,
      'processes[0].outcomes[1].key',
      /"po-received" is used twice/,
    ],
    [
      'duplicate YAML key',
      withLine(10, '        probability: 0.1\n        probability: 0.2'),
      11,
      '',
      /unique|duplicate/i,
    ],
  ] as const)('%s', (_what, file, line, field, message) => {
    let error: ProcessFileError | undefined;
    try {
      parseProcessFile(file, 'processes.yaml');
    } catch (e) {
      error = e as ProcessFileError;
    }
    expect(error?.name).toBe('ProcessFileError');
    const issue = error?.issues.find((i) => i.field === field && message.test(i.message));
    expect(issue, JSON.stringify(error?.issues)).toBeDefined();
    expect(issue?.line).toBe(line);
    expect(error?.message).toContain(`processes.yaml: not a valid process file`);
    expect(error?.message).toContain(`line ${line}, ${field || '(top)'}: `);
  });
});
