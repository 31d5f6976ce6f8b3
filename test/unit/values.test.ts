import { describe, expect, it } from 'vitest';
import {
  parseAmount,
  parseCurrency,
  parseDate,
  parseQuantity,
} from '../../src/imports/values.js';

describe('parseAmount', () => {
  it.each([
    ['1000.50', '1000.50', undefined],
    ['  1,000.50  ', '1000.50', undefined],
    ['-1,390.11', '-1390.11', undefined],
    ['0.5', '0.5', undefined],
    ['.5', '0.5', undefined],
    ['007', '7', undefined],
    ['1,000', '1000', undefined],
    ['1,00', '1.00', undefined],
    ['12,5', '12.5', undefined],
    ['1.234,56', '1234.56', undefined],
    ['1.234.567', '1234567', undefined],
    ['1 234 567,89', '1234567.89', undefined],
    ['1\u00a0234,5', '1234.5', undefined],
    ["1'000.25", '1000.25', undefined],
    ['1,00,000', '100000', undefined],
    ['1.123456', '1.123456', undefined],
    ['£1,000.50', '1000.50', 'GBP'],
    ['GBP 1,000.00', '1000.00', 'GBP'],
    ['1000 EUR', '1000', 'EUR'],
    ['1000eur', '1000', 'EUR'],
    ['10 €', '10', 'EUR'],
    ['$5', '5', 'USD'],
    ['CAD $5', '5', 'CAD'],
    ['¥500', '500', 'JPY'],
    ['(1,000.50)', '-1000.50', undefined],
    ['(£1,000.50)', '-1000.50', 'GBP'],
    ['1,000.50-', '-1000.50', undefined],
    ['1,000.50 CR', '-1000.50', undefined],
    ['- £10', '-10', 'GBP'],
    ['£-10', '-10', 'GBP'],
    ['+10', '10', undefined],
    ['\u221210', '-10', undefined],
    ['-0.00', '0.00', undefined],
  ])('%j → %j %s', (input, amount, currency) => {
    expect(parseAmount(input)).toEqual({ ok: true, value: currency === undefined ? { amount } : { amount, currency } });
  });

  it.each([
    ['', 'missing amount'],
    ['   ', 'missing amount'],
    ['abc', '"abc" is not an amount'],
    ['£', '"£" is not an amount'],
    ['1e5', '"1e5" is not an amount'],
    ['10 pcs', '"10 pcs" is not an amount'],
    ['10 - 20', '"10 - 20" contains more than one number'],
    ['10 20', '"10 20" contains more than one number'],
    ['1,00,0.5', '"1,00,0.5" has misplaced thousands or decimal separators'],
    ['1,0000', '"1,0000" has misplaced thousands or decimal separators'],
    ['1.234.5', '"1.234.5" has misplaced thousands or decimal separators'],
    ['1,234.56.7', '"1,234.56.7" has misplaced thousands or decimal separators'],
    ['0,123', '"0,123" is ambiguous: write decimals with a dot, or thousands without a leading 0'],
    ['1.1234567', '"1.1234567" has more than 6 decimal places'],
    ['(10', '"(10" has an unmatched parenthesis'],
    ['-(10)', '"-(10)" has more than one sign'],
    ['-10 CR', '"-10 CR" has more than one sign'],
    ['£10 EUR', '"£10 EUR" names two currencies, £ and EUR'],
    ['GBP 10 USD', '"GBP 10 USD" names more than one currency'],
  ])('rejects %j: %s', (input, reason) => {
    expect(parseAmount(input)).toEqual({ ok: false, reason });
  });
});

describe('parseQuantity', () => {
  it.each([
    ['3', '3'],
    ['1,500', '1500'],
    ['2.5', '2.5'],
    ['-2', '-2'],
  ])('%j → %j', (input, value) => {
    expect(parseQuantity(input)).toEqual({ ok: true, value });
  });

  it('rejects a missing quantity, text and a currency', () => {
    expect(parseQuantity('')).toEqual({ ok: false, reason: 'missing quantity' });
    expect(parseQuantity('lots')).toEqual({ ok: false, reason: '"lots" is not a quantity' });
    expect(parseQuantity('£3')).toEqual({ ok: false, reason: '"£3" has a currency, but a quantity is a plain number' });
  });
});

describe('parseCurrency', () => {
  it.each([
    ['GBP', 'GBP'],
    [' usd ', 'USD'],
    ['Eur', 'EUR'],
    ['£', 'GBP'],
    ['$', 'USD'],
    ['€', 'EUR'],
    ['¥', 'JPY'],
  ])('%j → %j', (input, value) => {
    expect(parseCurrency(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['', 'missing currency'],
    ['XYZ', '"XYZ" is not a currency code'],
    ['pounds', '"pounds" is not a currency code'],
    ['constructor', '"constructor" is not a currency code'],
  ])('rejects %j', (input, reason) => {
    expect(parseCurrency(input)).toEqual({ ok: false, reason });
  });
});

describe('parseDate', () => {
  it.each([
    ['2024-01-05', '2024-01-05'],
    ['2024-01-05T13:45:00Z', '2024-01-05'],
    ['2024-01-05 12:00:00', '2024-01-05'],
    ['2024/1/5', '2024-01-05'],
    ['05/01/2024', '2024-01-05'],
    ['5/1/2024', '2024-01-05'],
    ['05.01.2024', '2024-01-05'],
    ['05-01-2024', '2024-01-05'],
    ['05/01/2024 09:30', '2024-01-05'],
    ['05/01/24', '2024-01-05'],
    ['05/01/69', '2069-01-05'],
    ['05/01/70', '1970-01-05'],
    ['05-Jan-24', '2024-01-05'],
    ['5-Jan-2024', '2024-01-05'],
    ['05 Jan 2024', '2024-01-05'],
    ['5 January 2024', '2024-01-05'],
    ['5th JANUARY 2024', '2024-01-05'],
    ['05JAN2024', '2024-01-05'],
    ['Jan 5, 2024', '2024-01-05'],
    ['January 5 2024', '2024-01-05'],
    ['Sept 30, 2024', '2024-09-30'],
    ['29 Feb 2024', '2024-02-29'],
  ])('%j → %j', (input, value) => {
    expect(parseDate(input)).toEqual({ ok: true, value });
  });

  it('reads numeric dates month-first with mdy', () => {
    expect(parseDate('01/05/2024', 'mdy')).toEqual({ ok: true, value: '2024-01-05' });
    expect(parseDate('1/5/24', 'mdy')).toEqual({ ok: true, value: '2024-01-05' });
    expect(parseDate('2024-01-05', 'mdy')).toEqual({ ok: true, value: '2024-01-05' });
  });

  it.each([
    ['', 'missing date'],
    ['2024-02-30', '2024-02-30 is not a real date'],
    ['29/02/2023', '2023-02-29 is not a real date'],
    ['2024-13-01', '2024-13-01 is not a real date'],
    ['31/04/2024', '2024-04-31 is not a real date'],
    ['01/01/1850', '1850-01-01: the year is outside 1900–2100'],
    ['5 Foo 2024', '"5 Foo 2024" is not a date ("Foo" is not a month)'],
    ['Jan 2024', '"Jan 2024" is not a date'],
    ['tomorrow', '"tomorrow" is not a date'],
    ['45296', '"45296" looks like a spreadsheet serial number; format the column as a date before exporting'],
  ])('rejects %j: %s', (input, reason) => {
    expect(parseDate(input)).toEqual({ ok: false, reason });
  });

  it('suggests the other date order when the month would be over 12', () => {
    expect(parseDate('12/25/2024')).toEqual({
      ok: false,
      reason: `"12/25/2024" has no month 25; if this file's dates are month-first, use --date-order mdy`,
    });
    expect(parseDate('25/12/2024', 'mdy')).toEqual({
      ok: false,
      reason: `"25/12/2024" has no month 25; if this file's dates are day-first, use --date-order dmy`,
    });
    expect(parseDate('13/13/2024')).toEqual({ ok: false, reason: '2024-13-13 is not a real date' });
  });
});
