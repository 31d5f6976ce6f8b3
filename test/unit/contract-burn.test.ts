// The burn projection: the running total of paid, committed and forecast spend against a contract's value.
import { describe, expect, it } from 'vitest';
import { projectBurn } from '../../src/forecast/burn.js';
import type { ContractBurn } from '../../src/forecast/contract-burn.js';
import { burnAlarm, burnProposal } from '../../src/monitors/contract-burn.js';

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

  it('asks for a sourcing event when a contract that does not renew runs dry before its end, else a renewal review', () => {
    const projection = projectBurn({ value: 12_000, spentBefore: 10_000, spentThisMonth: 0, committed: 0, history: steady(10, 1000), historyStart: '2026-01', currentMonth: '2026-11', endMonth: '2027-12' });
    const burn = (autoRenew: boolean): ContractBurn => ({
      contract: { id: '00000000-0000-4000-8000-000000000001', contractNumber: 'C-1', title: 'Paper', supplierId: '00000000-0000-4000-8000-000000000002', supplierName: 'Acme', startDate: '2026-01-01', endDate: '2027-12-31', value: '12000.00', currency: 'GBP', noticePeriodDays: 30, autoRenew, categoryCode: '14111507', ownerEmail: null },
      spent: '10000.00', committed: '0', committedOrders: 0, remaining: '2000.00', noticeDeadline: '2027-12-01', projection,
    });
    expect(projection.runsOut).toBe('2027-01'); // 11,000 in November, 12,000 in December, 13,000 in January
    expect(burnAlarm(burn(false), '2026-11-27', 6)).toEqual({ kind: 'runs_out', month: '2027-01', severity: 'high' });
    expect(burnProposal(burn(false), 'C-1', 'why', false)).toMatchObject({ kind: 'start_sourcing_event', params: { categoryCode: '14111507', supplierId: '00000000-0000-4000-8000-000000000002' } });
    expect(burnProposal(burn(true), 'C-1', 'why', false)).toMatchObject({ kind: 'review_contract_renewal', params: { contractId: '00000000-0000-4000-8000-000000000001', deadline: '2027-12-01' } });
    expect(burnProposal(burn(false), 'C-1', 'why', true).kind).toBe('review_contract_renewal');
    // Projected to run out beyond the window and the notice period: no finding yet.
    const later = { ...burn(true), projection: { ...projection, runsOut: '2027-10' } };
    expect(burnAlarm(later, '2026-11-27', 6)).toBeUndefined();
  });
});
