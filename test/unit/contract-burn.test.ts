// The burn projection: the running total of paid, committed and forecast spend against a contract's value.
import { describe, expect, it } from 'vitest';
import { projectBurn } from '../../src/forecast/burn.js';

const steady = (months: number, amount: number) => Array.from({ length: months }, () => amount);

describe('contract burn projection', () => {
  it('finds the month a steady spend passes the value', () => {
    // 10 × 1,000 paid, value 15,000: months 11-15 reach 15,000 exactly, month 16 passes it.
    const p = projectBurn({ value: 15_000, spentBefore: 10_000, spentThisMonth: 0, committed: 0, history: steady(10, 1000), historyStart: '2026-01', currentMonth: '2026-11', endMonth: '2027-12' });
    expect(p.exceeded).toBe(false);
    expect(p.points[0]).toMatchObject({ month: '2026-11', cumulative: 11_000 });
    expect(p.runsOut).toBe('2027-04');
    expect(p.truncated).toBe(false);
    expect(p.points.at(-1)!.month).toBe('2027-12');
  });

  it('counts open orders and what is already paid this month', () => {
    const p = projectBurn({ value: 12_000, spentBefore: 10_000, spentThisMonth: 2500, committed: 100, history: steady(10, 1000), historyStart: '2026-01', currentMonth: '2026-11', endMonth: '2027-06' });
    expect(p.exceeded).toBe(true);
    expect(p.points[0]!.cumulative).toBe(10_000 + 100 + 2500);
  });

  it('stays within value when the contract ends first, and says when the horizon stops short of the end', () => {
    const p = projectBurn({ value: 100_000, spentBefore: 1000, spentThisMonth: 0, committed: 0, history: steady(12, 100), historyStart: '2025-11', currentMonth: '2026-11', endMonth: '2029-01' });
    expect(p.runsOut).toBeNull();
    expect(p.points).toHaveLength(24);
    expect(p.truncated).toBe(true);
    const none = projectBurn({ value: 10, spentBefore: 0, spentThisMonth: 0, committed: 5, history: [], historyStart: '2026-11', currentMonth: '2026-11', endMonth: '2026-12' });
    expect(none).toMatchObject({ method: 'none', runsOut: null, exceeded: false });
  });
});
