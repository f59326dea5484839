import { describe, expect, it } from 'vitest';
import { parseAmount } from '../../src/commands/amounts.ts';

describe('parseAmount: accepted', () => {
  it.each([
    ['120000', { value: '120000' }],
    ['120,000', { value: '120000' }],
    ['1,234,567.89', { value: '1234567.89' }],
    ['120.5', { value: '120.5' }],
    ['120.50', { value: '120.5' }],
    ['001', { value: '1' }],
    ['0', { value: '0' }],
    ['0.00', { value: '0' }],
    ['120k', { value: '120000' }],
    ['120K', { value: '120000' }],
    ['1.2m', { value: '1200000' }],
    ['1.5M', { value: '1500000' }],
    ['2b', { value: '2000000000' }],
    ['2bn', { value: '2000000000' }],
    ['0.1k', { value: '100' }],
    ['.5k', { value: '500' }],
    ['1.005k', { value: '1005' }],
    ['1.234k', { value: '1234' }],
    ['0.0001m', { value: '100' }],
    ['0.0001k', { value: '0.1' }],
    ['1.23456m', { value: '1234560' }],
    ['12万', { value: '120000' }],
    ['12 万', { value: '120000' }],
    ['1.5亿', { value: '150000000' }],
    ['12w', { value: '120000' }],
    ['12W', { value: '120000' }],
    ['３千', { value: '3000' }],
    ['１２０ｋ', { value: '120000' }],
    ['99999999999999', { value: '99999999999999' }],
    ['$120k', { value: '120000', currency: 'USD' }],
    ['US$5', { value: '5', currency: 'USD' }],
    ['€50k', { value: '50000', currency: 'EUR' }],
    ['£1.2m', { value: '1200000', currency: 'GBP' }],
    ['¥12万', { value: '120000', currency: 'CNY' }],
    ['￥12万', { value: '120000', currency: 'CNY' }],
    ['120k EUR', { value: '120000', currency: 'EUR' }],
    ['EUR120k', { value: '120000', currency: 'EUR' }],
    ['eur 120k', { value: '120000', currency: 'EUR' }],
    ['120kEUR', { value: '120000', currency: 'EUR' }],
    ['120 usd', { value: '120', currency: 'USD' }],
    ['120mxn', { value: '120', currency: 'MXN' }],
    ['$120k USD', { value: '120000', currency: 'USD' }],
    ['12万元', { value: '120000', currency: 'CNY' }],
    ['12万人民币', { value: '120000', currency: 'CNY' }],
    ['100块', { value: '100', currency: 'CNY' }],
    ['rmb 100', { value: '100', currency: 'CNY' }],
    ['100美元', { value: '100', currency: 'USD' }],
  ])('%s', (text, expected) => {
    expect(parseAmount(text)).toEqual(expected);
  });
});

describe('parseAmount: rejected', () => {
  it.each([
    [''],
    ['k'],
    ['abc'],
    ['-5'],
    ['-120k'],
    ['1e5'],
    ['12,00'],
    ['1,2345'],
    ['1.2345'],
    ['1.234'],
    ['0.000001k'],
    ['999999999999999'], // more than Decimal(16,2) holds
    ['120 xyz'],
    ['$120k EUR'],
    ['120k dollars'],
    ['1.2.3'],
    ['12万万'],
    ['NaN'],
  ])('%s', (text) => {
    expect(parseAmount(text)).toBeNull();
  });
});
