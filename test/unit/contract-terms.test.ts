import { describe, expect, it } from 'vitest';
import { firstPeriod, periodDays, periodText } from '../../src/contracts/periods.js';
import { documentTitle } from '../../src/contracts/title.js';

describe('documentTitle', () => {
  it('takes the first heading-like line, skipping filing legends', () => {
    expect(documentTitle('# Supply Agreement\n\nThis agreement is made between A and B.', 'a.md')).toBe('Supply Agreement');
    expect(
      documentTitle('EXHIBIT 10.1\nEXECUTION COPY\n\nMaster Services Agreement\n\nThis Agreement is entered into...', 'b.txt'),
    ).toBe('Master Services Agreement');
  });

  it('falls back to an all-caps agreement heading inside the preamble, then to the file name', () => {
    expect(documentTitle('This FIRST AMENDMENT TO SUPPLY AGREEMENT is made between Alpha Inc. and Beta LLC.', 'c.txt')).toBe(
      'FIRST AMENDMENT TO SUPPLY AGREEMENT',
    );
    expect(documentTitle('This is dated 1 May 2020 and made between us.', '/x/supply_contract__2020.txt')).toBe(
      'supply contract 2020',
    );
  });
});

describe('periods', () => {
  it.each([
    ['ninety (90) days', 90, '90 days'],
    ['three-year', 1095, '3 years'],
    ['12 months', 360, '12 months'],
    ['2 weeks', 14, '2 weeks'],
    ['one hundred and twenty days', 120, '120 days'],
  ])('reads "%s" as %i days', (text, days, worded) => {
    const p = firstPeriod(text);
    expect(p).toBeDefined();
    expect(periodDays(p!)).toBe(days);
    expect(periodText(p!)).toBe(worded);
  });

  it('finds no period where there is none', () => {
    expect(firstPeriod('no period')).toBeUndefined();
  });
});
