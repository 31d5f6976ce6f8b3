import { describe, expect, it } from 'vitest';
import { parsePeriod, previousPeriod } from '../../src/orchestrator/plan/periods.js';

const today = new Date('2026-11-27T12:00:00Z');
const p = (text: string) => {
  const r = parsePeriod(text, today);
  return r && { from: r.from, to: r.to, label: r.label };
};

describe('period parsing', () => {
  it.each([
    ['what did we spend with Refinitiv in March 2025?', '2025-03-01', '2025-03-31', 'March 2025'],
    ['spend in Q1 2025', '2025-01-01', '2025-03-31', 'Q1 2025'],
    ['spend last quarter', '2026-07-01', '2026-09-30', 'Q3 2026'],
    ['spend this month', '2026-11-01', '2026-11-30', 'November 2026'],
    ['spend in FY2024-25', '2024-04-01', '2025-03-31', 'FY2024-25'],
    ['FY24/25 totals', '2024-04-01', '2025-03-31', 'FY2024-25'],
    ['since January', '2026-01-01', '2026-11-27', 'since 1 Jan 2026'],
    ['between 3 Feb and 10 Mar', '2026-02-03', '2026-03-10', '3 Feb 2026 – 10 Mar 2026'],
    ['between 3 Feb 2025 and 10 Mar 2025', '2025-02-03', '2025-03-10', '3 Feb 2025 – 10 Mar 2025'],
    ['total spend in 2012', '2012-01-01', '2012-12-31', '2012'],
    ['what did we spend with Refinitiv in March?', '2026-03-01', '2026-03-31', 'March 2026'],
    ['and in December?', '2025-12-01', '2025-12-31', 'December 2025'],
    ['last 90 days', '2026-08-30', '2026-11-27', 'the last 90 days'],
    ['spend year to date', '2026-01-01', '2026-11-27', '2026 to date'],
  ])('%s', (text, from, to, label) => {
    expect(p(text)).toEqual({ from, to, label });
  });

  it('finds no period where there is none, and does not read "may" as a month', () => {
    expect(parsePeriod('who are our top suppliers?', today)).toBeUndefined();
    expect(parsePeriod('may we buy 200 laptops from Dell?', today)).toBeUndefined();
  });

  it('steps back one period of the same kind', () => {
    expect(previousPeriod(parsePeriod('January 2025', today)!).label).toBe('December 2024');
    expect(previousPeriod(parsePeriod('Q1 2025', today)!).label).toBe('Q4 2024');
    expect(previousPeriod(parsePeriod('in 2012', today)!).label).toBe('2011');
  });
});
