// How the rule planner reads plain questions: periods (half-years, financial years), counting and ranking,
// terse name-first phrasing, departments, and the subjects it resolves (supplier, department, category) with
// resolvers over a small master, so each decision is visible without a database.
import { describe, expect, it } from 'vitest';
import { readIntent } from '../../src/orchestrator/plan/intents.js';
import { parsePeriod, previousPeriod } from '../../src/orchestrator/plan/periods.js';
import { planByRules, type SupplierMatch, type TermLookup } from '../../src/orchestrator/plan/rule.js';
import { foldTerm, initialsOf } from '../../src/domain/term-match.js';
import { loadConfig } from '../../src/config.js';

const today = new Date('2026-11-27T12:00:00Z');

describe('periods', () => {
  it.each([
    ['What did we spend in the first half of 2012?', '2012-01-01', '2012-06-30', 'H1 2012'],
    ['spend in the second half of 2011', '2011-07-01', '2011-12-31', 'H2 2011'],
    ['H1 2025 spend', '2025-01-01', '2025-06-30', 'H1 2025'],
    ['2024 H2 totals', '2024-07-01', '2024-12-31', 'H2 2024'],
    ['the first half of last year', '2025-01-01', '2025-06-30', 'H1 2025'],
    // A lone year names the financial year that ends in it, as "FY2024" does.
    ['spend in financial year 2024', '2023-04-01', '2024-03-31', 'FY2023-24'],
    ['spend in financial year 2024-25', '2024-04-01', '2025-03-31', 'FY2024-25'],
  ])('%s', (text, from, to, label) => {
    const p = parsePeriod(text, today);
    expect(p && { from: p.from, to: p.to, label: p.label }).toEqual({ from, to, label });
  });

  it('a financial year follows the configured start month', () => {
    expect(parsePeriod('FY2025', today, 7)).toMatchObject({ from: '2024-07-01', to: '2025-06-30' });
    expect(parsePeriod('FY2025', today, 1)).toMatchObject({ from: '2025-01-01', to: '2025-12-31', label: 'FY2025' });
  });

  it('the half-year before H1 is H2 of the year before', () => {
    expect(previousPeriod(parsePeriod('H1 2012', today)!)).toMatchObject({ from: '2011-07-01', to: '2011-12-31', label: 'H2 2011' });
  });
});

describe('what is asked', () => {
  it.each([
    ['How many suppliers did we pay in March 2012?', 'suppliers'],
    ['Number of payments in 2012', 'payments'],
    ['how many different categories did we spend in?', 'categories'],
    ['How many departments recorded spend?', 'departments'],
    ['What was the average payment in 2012?', 'average'],
  ])('%s counts %s, not a total', (text, measure) => {
    expect(readIntent(text)).toMatchObject({ intent: 'spend_count', measure });
  });

  it.each([
    ['Top 5 spend categories in 2012', 'category', 5, undefined],
    ['top 3 departments by spend', 'department', 3, undefined],
    ['Top 10 suppliers in 2012', 'supplier', 10, undefined],
    ['Bottom 3 suppliers in 2012', 'supplier', 3, true],
    ['smallest 5 categories', 'category', 5, true],
  ])('%s ranks %s', (text, groupBy, topN, smallestFirst) => {
    const r = readIntent(text);
    expect(r).toMatchObject({ intent: 'spend_top', groupBy, topN });
    expect(r.smallestFirst).toBe(smallestFirst);
    expect(r.supplierPhrases).toEqual([]);
  });

  it.each([
    ['Refinitiv spend March 2026', ['Refinitiv']],
    ['Refinitiv Ltd spend between 1 Jan 2026 and 30 Jun 2026', ['Refinitiv Ltd']],
    ['IBM payments in 2012', ['IBM']],
    ['Total spend 2012', []],
    ['What did we spend in 2012?', []],
  ])('terse phrasing: "%s" names %j', (text, phrases) => {
    expect(readIntent(text).supplierPhrases).toEqual(phrases);
  });

  it.each([
    ['What did IT spend in 2026?', 'IT'],
    ['How much did the Finance department spend last year?', 'Finance'],
    ['spend of the Human Resources directorate in 2026', 'Human Resources'],
    ['what did the finance team spend?', 'finance'],
    ['Spend by the Department of Culture and Media in 2012', 'Culture and Media'],
    ['What did we spend in 2026?', undefined],
  ])('departments: "%s" → %s', (text, department) => {
    expect(readIntent(text).department).toBe(department);
  });
});

// A small master: suppliers, departments and categories as the resolvers would return them.
const SUPPLIERS: Record<string, SupplierMatch[]> = {
  refinitiv: [{ id: 's1', name: 'Refinitiv Ltd', score: 1 }],
  'refinitiv ltd': [{ id: 's1', name: 'Refinitiv Ltd', score: 1 }],
  hp: [
    { id: 's2', name: 'HAVAS PEOPLE LIMITED', score: 0.85 },
    { id: 's3', name: 'HEWLETT-PACKARD LTD', score: 0.85 },
  ],
  ibm: [{ id: 's4', name: 'IBM UNITED KINGDOM LIMITED', score: 0.88 }],
  it: [{ id: 's5', name: 'IT SOLUTIONS LTD', score: 0.88 }],
  acme: [{ id: 's6', name: 'ACM TRAINING', score: 0.5 }],
};
const DEPARTMENTS = ['IT', 'Finance', 'Human Resources'];
const CATEGORIES = ['Cleaning', 'Window Cleaning Equipment', 'Agency Staff'];

const resolve = async (phrase: string) => SUPPLIERS[phrase.toLowerCase()] ?? [];
const resolveTerm = async (phrase: string, kind: 'department' | 'category'): Promise<TermLookup> => {
  const values = kind === 'department' ? DEPARTMENTS : CATEGORIES;
  const q = foldTerm(phrase);
  const exact = values.filter((v) => foldTerm(v) === q);
  if (exact.length > 0) return { matchedBy: 'exact', matches: exact };
  const initials = kind === 'department' ? values.filter((v) => initialsOf(v) === q) : [];
  if (initials.length > 0) return { matchedBy: 'initials', matches: initials };
  const contains = values.filter((v) => ` ${foldTerm(v)} `.includes(` ${q} `));
  return contains.length > 0 ? { matchedBy: 'contains', matches: contains } : { matchedBy: null, matches: [] };
};
const plan = (text: string) => planByRules(text, { today, resolve, resolveTerm });

describe('resolving the subjects of a spend question', () => {
  it('a supplier named exactly is the supplier, in any order of words', async () => {
    const p = await plan('Refinitiv spend March 2026');
    expect(p.suppliers).toEqual([{ id: 's1', name: 'Refinitiv Ltd' }]);
    expect(p.period).toMatchObject({ from: '2026-03-01', to: '2026-03-31' });
    expect(p.agents).toEqual(['spend']);
  });

  it('a department beats a supplier whose name merely starts with the same word', async () => {
    const p = await plan('IT spend in 2026');
    expect(p.suppliers).toEqual([]);
    expect(p.reading.department).toBe('IT');
  });

  it('initials of a department are the department', async () => {
    const p = await plan('How much did we spend for HR in 2026?');
    expect(p.reading.department).toBe('HR');
    expect(p.suppliers).toEqual([]);
  });

  it('a short name that is one supplier is that supplier, marked as read loosely', async () => {
    const p = await plan('IBM spend in 2012');
    expect(p.suppliers).toEqual([{ id: 's4', name: 'IBM UNITED KINGDOM LIMITED', readAs: 'IBM' }]);
  });

  it('a short name shared by several suppliers is ambiguous: no agent runs, no category is guessed', async () => {
    const p = await plan('How much did we spend with HP in 2012?');
    expect(p.suppliers).toEqual([]);
    expect(p.unresolved).toEqual([{ phrase: 'HP', closest: ['HAVAS PEOPLE LIMITED', 'HEWLETT-PACKARD LTD'], ambiguous: true }]);
    expect(p.reading.category).toBeUndefined();
    expect(p.agents).toEqual([]);
  });

  it('an unknown department asked as one stays the department asked for (the tools say it does not exist)', async () => {
    const p = await plan('What did Procurement spend in 2026?');
    expect(p.reading.department).toBe('Procurement');
    expect(p.suppliers).toEqual([]);
  });

  it('an unknown name is unresolved with its closest names, and stands in for a category only as a last resort', async () => {
    const p = await plan('How much did we spend with Acme in 2012?');
    expect(p.unresolved).toEqual([{ phrase: 'Acme', closest: ['ACM TRAINING'] }]);
    expect(p.reading.category).toBe('Acme');
  });

  it('a category named exactly is a category', async () => {
    const p = await plan('What did we pay for agency staff in 2012?');
    expect(p.reading.category).toBe('agency staff');
    expect(p.unresolved).toEqual([]);
  });

  it('counting questions run the spend agent', async () => {
    const p = await plan('How many suppliers did we pay in March 2012?');
    expect(p.reading).toMatchObject({ intent: 'spend_count', measure: 'suppliers' });
    expect(p.agents).toEqual(['spend']);
  });
});

describe('questions about where things stand', () => {
  it.each([
    ['What is waiting for my approval?', 'approvals_list', { approvalScope: 'waiting_for_me' }],
    ['anything I need to approve?', 'approvals_list', { approvalScope: 'waiting_for_me' }],
    ['Which approvals did I request?', 'approvals_list', { approvalScope: 'requested_by_me' }],
    ['Which approvals are pending?', 'approvals_list', { approvalScope: 'all', approvalStatus: 'pending' }],
    ['show rejected approvals', 'approvals_list', { approvalScope: 'all', approvalStatus: 'rejected' }],
    ['What is the status of approval #12?', 'approval_status', { approvalNumber: 12 }],
    ['approval 7?', 'approval_status', { approvalNumber: 7 }],
    ['What are the open invoice exceptions?', 'findings_list', { monitor: 'three-way-match' }],
    ['What did the monitors find?', 'findings_list', {}],
    ['any renewal alerts?', 'findings_list', { monitor: 'renewal-deadlines' }],
    ['Has invoice DL-90377 been paid?', 'invoice_status', { document: 'DL-90377' }],
    ['is invoice no. INV/2026/004 paid', 'invoice_status', { document: 'INV/2026/004' }],
    ["What's the status of PO-1003?", 'po_status', { document: 'PO-1003' }],
    ['where is purchase order 4500012345?', 'po_status', { document: '4500012345' }],
    ['Which suppliers are on hold?', 'suppliers_by_status', { supplierStatus: 'on_hold' }],
    ['list blocked vendors', 'suppliers_by_status', { supplierStatus: 'blocked' }],
  ])('%s', (text, intent, ask) => {
    const r = readIntent(text);
    expect(r.intent).toBe(intent);
    expect(r.ask).toEqual(ask);
    expect(r.category).toBeUndefined();
    expect(r.supplierPhrases).toEqual([]);
  });

  it('a purchase request that mentions approval is still a purchase request', () => {
    expect(readIntent('Can we buy 20 laptops from Dell for £25k?').intent).toBe('purchase_request');
    expect(readIntent('How much did we spend on invoices in 2012?').intent).toBe('spend_total');
  });
});

describe('period comparisons', () => {
  it.each([
    ['How much did we spend in March 2012 vs February 2012?', ['2012-03-01', '2012-03-31'], ['2012-02-01', '2012-02-29']],
    ['What did we spend in March 2012 compared with February?', ['2012-03-01', '2012-03-31'], ['2012-02-01', '2012-02-29']],
    ['Spend in 2012 vs 2011', ['2012-01-01', '2012-12-31'], ['2011-01-01', '2011-12-31']],
    ['Spend in Q1 2012 year on year', ['2012-01-01', '2012-03-31'], ['2011-01-01', '2011-03-31']],
    ['Refinitiv spend this year vs last year', ['2026-01-01', '2026-12-31'], ['2025-01-01', '2025-12-31']],
  ])('%s', async (text, [from, to], [cFrom, cTo]) => {
    const p = await plan(text);
    expect(p.reading.intent).toBe('spend_total');
    expect(p.period).toMatchObject({ from, to });
    expect(p.comparePeriod).toMatchObject({ from: cFrom, to: cTo });
    expect(p.unresolved).toEqual([]);
  });

  it('two suppliers compared are still two suppliers', async () => {
    const p = await plan('Compare Refinitiv vs IBM in 2012');
    expect(p.comparePeriod).toBeUndefined();
    expect(p.suppliers.map((s) => s.id)).toEqual(['s1', 's4']);
  });
});

describe('the financial year', () => {
  it('starts in the configured month (QM_FISCAL_YEAR_START_MONTH, default April)', async () => {
    expect(loadConfig({}).fiscalYearStartMonth).toBe(4);
    expect(loadConfig({ QM_FISCAL_YEAR_START_MONTH: '7' }).fiscalYearStartMonth).toBe(7);
    expect(() => loadConfig({ QM_FISCAL_YEAR_START_MONTH: '13' })).toThrow(/QM_FISCAL_YEAR_START_MONTH/);
    const july = await planByRules('Total spend in FY2025', { today, resolve, resolveTerm, fiscalYearStartMonth: 7 });
    expect(july.period).toMatchObject({ from: '2024-07-01', to: '2025-06-30' });
    const april = await plan('Total spend in FY2025');
    expect(april.period).toMatchObject({ from: '2024-04-01', to: '2025-03-31' });
  });
});
