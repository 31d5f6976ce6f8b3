import { describe, expect, it } from 'vitest';
import {
  addDecimal,
  addMoney,
  compareDecimal,
  compareMoney,
  currencyOfSymbol,
  fixDecimal,
  formatAmount,
  formatMoney,
  minorUnits,
  multiplyDecimal,
  normaliseDecimal,
  parseMoney,
  roundDecimal,
  roundMoney,
  subtractDecimal,
  sumMoney,
} from '../../src/domain/money.js';

describe('money arithmetic is exact', () => {
  it('adds 0.1 and 0.2 to exactly 0.3, and ten pence ten times to exactly one pound', () => {
    expect(compareDecimal(addDecimal('0.1', '0.2'), '0.3')).toBe(0);
    const pence = Array.from({ length: 10 }, () => parseMoney('0.10', 'GBP'));
    expect(sumMoney(pence, 'GBP')).toEqual({ value: '1.00', currency: 'GBP' });
  });

  it('keeps the larger number of places and handles negative amounts', () => {
    expect(addDecimal('-5.25', '2.25')).toBe('-3.00');
    expect(subtractDecimal('2', '5.5')).toBe('-3.5');
    expect(addMoney({ value: '-100', currency: 'EUR' }, { value: '100', currency: 'EUR' })).toEqual({ value: '0', currency: 'EUR' });
  });

  it.each([
    ['99999.9999', '100000', -1],
    ['100000.0000', '100000', 0],
    ['0.1', '0.10', 0],
    ['-1', '0', -1],
    ['-0.01', '0', -1],
    ['10000.00000001', '10000', 1],
  ] as [string, string, number][])('compareDecimal(%s, %s) = %i', (a, b, expected) => {
    expect(compareDecimal(a, b)).toBe(expected);
  });

  it('refuses to combine two currencies without a rate', () => {
    expect(() => addMoney({ value: '1', currency: 'GBP' }, { value: '1', currency: 'USD' })).toThrow(/GBP with USD/);
    expect(() => compareMoney({ value: '1', currency: 'GBP' }, { value: '1', currency: 'EUR' })).toThrow(RangeError);
  });

  it('multiplies exactly, then rounds once', () => {
    expect(multiplyDecimal('15000', '0.79')).toBe('11850.00');
    expect(multiplyDecimal('12658.2278', '0.79')).toBe('10000.0000');
    expect(multiplyDecimal('1.1', '1.1', 2)).toBe('1.21');
  });

  it('normalises without losing value', () => {
    expect(normaliseDecimal('010.500')).toBe('10.5');
    expect(normaliseDecimal('-0.000')).toBe('0');
  });
});

describe('rounding is half-up (ties away from zero)', () => {
  it.each([
    ['0.125', 2, '0.13'],
    ['0.135', 2, '0.14'],
    ['-0.125', 2, '-0.13'],
    ['0.1249', 2, '0.12'],
    ['2.5', 0, '3'],
    ['-2.5', 0, '-3'],
    ['1.5', 3, '1.5'],
    ['1.00005', 4, '1.0001'],
    ['1.00004999', 4, '1.0000'],
    ['-1.00005', 4, '-1.0001'],
  ])('%s to %i places is %s', (value, places, expected) => {
    expect(roundDecimal(value, places)).toBe(expected);
  });

  it('pads to a fixed number of places', () => {
    expect(fixDecimal('7', 2)).toBe('7.00');
    expect(fixDecimal('-0.004', 2)).toBe('0.00');
  });
});

describe('currencies and their minor units', () => {
  it('knows that the yen has no minor unit and the dinar three', () => {
    expect(minorUnits('GBP')).toBe(2);
    expect(minorUnits('JPY')).toBe(0);
    expect(minorUnits('KWD')).toBe(3);
    expect(roundMoney({ value: '1234.5', currency: 'JPY' })).toEqual({ value: '1235', currency: 'JPY' });
    expect(roundMoney({ value: '1.2345', currency: 'KWD' })).toEqual({ value: '1.235', currency: 'KWD' });
  });

  it('parses decimal strings and ISO codes, and names what is wrong', () => {
    expect(parseMoney(' 1234.50 ', 'gbp')).toEqual({ value: '1234.50', currency: 'GBP' });
    expect(() => parseMoney('1,234.50', 'GBP')).toThrow(/not a decimal amount/);
    expect(() => parseMoney('1e3', 'GBP')).toThrow(RangeError);
    expect(() => parseMoney('10', '£')).toThrow(/ISO 4217/);
  });

  it('maps the common symbols back to their currency', () => {
    expect(currencyOfSymbol('£')).toBe('GBP');
    expect(currencyOfSymbol('€')).toBe('EUR');
    expect(currencyOfSymbol('¥')).toBe('JPY');
    expect(currencyOfSymbol('¤')).toBeUndefined();
  });
});

describe('formatting for people', () => {
  it.each([
    ['24210088.95', 'GBP', '£24,210,088.95'],
    ['-5', 'GBP', '-£5.00'],
    ['1000', 'CHF', 'CHF 1,000.00'],
    ['0.125', 'USD', '$0.13'],
    ['1234.5678', 'EUR', '€1,234.57'],
    ['1234.5', 'JPY', 'JPY 1,235'],
    ['-0.001', 'GBP', '£0.00'],
  ])('%s %s is %s', (value, currency, expected) => {
    expect(formatMoney(value, currency)).toBe(expected);
  });

  it.each([
    ['10000', 'GBP', '10,000.00 GBP'],
    ['99999.9999', 'GBP', '99,999.9999 GBP'],
    ['1234567.5', 'USD', '1,234,567.50 USD'],
    ['-0.5', 'EUR', '-0.50 EUR'],
    ['007.10', 'GBP', '7.10 GBP'],
    ['5000', 'JPY', '5,000 JPY'],
  ])('policy sentences write %s %s as %s: the code after, every place that matters', (value, currency, expected) => {
    expect(formatAmount(value, currency)).toBe(expected);
  });

  it('follows the locale for separators and the side of the symbol', () => {
    expect(formatMoney('1234.5', 'EUR', { locale: 'de-DE' })).toBe('1.234,50 €');
    expect(formatMoney('-1234567.891', 'GBP', { locale: 'en-GB' })).toBe('-£1,234,567.89');
  });
});

describe('decimal arithmetic', () => {
  it('adds to the penny where floats would not', () => {
    expect(addDecimal('0.1', '0.2')).toBe('0.3');
    expect(addDecimal('1.50', '2')).toBe('3.50');
    expect(addDecimal('-1390.11', '1000.50')).toBe('-389.61');
    expect(addDecimal('-0.5', '0.25')).toBe('-0.25');
    expect(addDecimal('0.5', '-0.5')).toBe('0.0');
    expect(addDecimal('99999999999999999999.99', '0.01')).toBe('100000000000000000000.00');
  });

  it('compares exactly across scales', () => {
    expect(compareDecimal('1.50', '1.5')).toBe(0);
    expect(compareDecimal('-2', '1')).toBe(-1);
    expect(compareDecimal('10.000001', '10')).toBe(1);
  });

  it('refuses strings that are not plain decimals', () => {
    expect(() => addDecimal('1e3', '1')).toThrow(RangeError);
    expect(() => compareDecimal('1,000', '1')).toThrow(RangeError);
  });
});
