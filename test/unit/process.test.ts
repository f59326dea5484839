// The sales process as a table: every gate, fuzzy stage names in both languages.
import { describe, expect, it } from 'vitest';
import { type GateInput, matchStage, missingRequirements, SOLUTION_SALE } from '../../src/domain/process.ts';

const empty: GateInput = { amount: null, closeDate: null, nextContactOn: null, contactRoles: [] };
const full: GateInput = {
  amount: '1000.00',
  closeDate: '2026-12-31',
  nextContactOn: '2026-12-01',
  contactRoles: ['champion', 'decision_maker'],
};

describe('stage gates', () => {
  it.each([
    // from, to, deal, missing
    ['lead', 'qualified', empty, ['amount', 'close']],
    ['lead', 'qualified', { ...empty, amount: '5' }, ['close']],
    ['lead', 'qualified', { ...empty, closeDate: '2026-12-31' }, ['amount']],
    ['lead', 'qualified', full, []],
    ['qualified', 'proposal', { ...full, contactRoles: ['champion'] }, ['decision_maker']],
    ['qualified', 'proposal', full, []],
    ['proposal', 'negotiation', { ...full, nextContactOn: null }, ['next_contact']],
    ['proposal', 'negotiation', full, []],
    // skipping stages does not skip their gates
    ['lead', 'negotiation', empty, ['amount', 'close', 'decision_maker', 'next_contact']],
    ['lead', 'proposal', { ...empty, amount: '1' }, ['close', 'decision_maker']],
    // moving back and closing check nothing
    ['negotiation', 'lead', empty, []],
    ['proposal', 'qualified', empty, []],
    ['lead', 'won', empty, []],
    ['lead', 'lost', empty, []],
  ] as const)('%s -> %s', (from, to, deal, missing) => {
    expect(missingRequirements(SOLUTION_SALE, from, to, deal as GateInput).map((r) => r.key)).toEqual(missing);
  });
});

describe('stage names', () => {
  it.each([
    ['qualified', 'qualified'],
    ['Qualified', 'qualified'],
    ['qual', 'qualified'],
    ['准意向', 'qualified'],
    ['prop', 'proposal'],
    ['方案', 'proposal'],
    ['报价', 'proposal'],
    ['商务谈判', 'negotiation'],
    ['谈判', 'negotiation'],
    ['negotiate', 'negotiation'],
    ['lead', 'lead'],
    ['潜在客户', 'lead'],
    ['won', 'won'],
    ['赢单', 'won'],
    ['输单', 'lost'],
  ])('%s is %s', (input, key) => {
    expect(matchStage(SOLUTION_SALE, input).stage?.key).toBe(key);
  });

  it.each(['', 'xyz', 'banana'])('“%s” matches nothing', (input) => {
    expect(matchStage(SOLUTION_SALE, input).stage).toBeUndefined();
  });
});
