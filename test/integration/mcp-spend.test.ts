// The spend MCP server end to end: a real MCP client over the SDK's in-memory transport, a real database with the
// demo organisation and the GLA spend file loaded, and figures checked against the source files.
import { readFile } from 'node:fs/promises';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { loadDemo } from '../../src/demo/load.js';
import { buildDemoOrganisation, PLANTED } from '../../src/demo/organisation.js';
import { addDecimal, compareDecimal } from '../../src/domain/money.js';
import { projectPath } from '../../src/paths.js';
import { testDatabases } from '../helpers/databases.js';
import { callTool, connectInMemory } from '../helpers/mcp.js';
import { expectLimitError, expectPages } from '../helpers/paging.js';

const TODAY = new Date('2026-11-27T12:00:00Z');

/** The GLA file's payments in one year, summed independently of the importer: Amount and Date are the last fields but one and two. */
async function glaYear(year: string): Promise<{ total: string; count: number }> {
  const lines = (await readFile(projectPath('data', 'spend', 'gla_spend_2008-2013.csv'), 'utf8'))
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '');
  let total = '0';
  let count = 0;
  for (const l of lines) {
    const fields = l.split(',');
    if (!fields.at(-2)!.startsWith(`${year}-`)) continue;
    total = addDecimal(total, fields.at(-3)!);
    count++;
  }
  return { total, count };
}

// Structured results are read loosely and checked by assertions; the server validated them against its schemas.
// biome-ignore lint/suspicious/noExplicitAny: see above
type Json = Record<string, any>;

function data(r: CallToolResult): Json {
  expect(r.isError, textOf(r)).toBeFalsy();
  return r.structuredContent as Json;
}

function textOf(r: CallToolResult): string {
  return r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

describe.each(testDatabases)('spend MCP server on $name', ({ open }) => {
  let database: Database;
  let client: Client;
  let close: () => Promise<void>;

  beforeAll(async () => {
    database = await open();
    await loadDemo({ database, today: new Date('2026-11-27') });
    ({ client, close } = await connectInMemory('spend', database, () => TODAY));
  }, 240_000);

  afterAll(async () => {
    await close?.();
    await database?.close();
  });

  it('lists its tools, read-only, each with input and output schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'classify_spend',
      'find_spend_terms',
      'invoice_status',
      'purchase_order_status',
      'spend_anomalies',
      'spend_summary',
      'spend_trend',
    ]);
    for (const t of tools) {
      expect(t.title).toBeTruthy();
      expect(t.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: false });
      expect(t.outputSchema?.type).toBe('object');
      expect(t.inputSchema.type).toBe('object');
    }
    const classify = tools.find((t) => t.name === 'classify_spend')!;
    expect(classify.description).toMatch(/lexical/i);
  });

  it('totals 2012 exactly as the GLA file does', async () => {
    const expected = await glaYear('2012');
    const out = data(await callTool(client, 'spend_summary', { group_by: 'year', date_from: '2012-01-01', date_to: '2012-12-31' }));
    expect(out.groups).toHaveLength(1);
    expect(out.groups[0]).toMatchObject({ key: '2012', label: '2012', currency: 'GBP', count: expected.count });
    expect(compareDecimal(out.groups[0].total, expected.total)).toBe(0);
    expect(out.totals).toEqual([{ currency: 'GBP', total: out.groups[0].total, count: expected.count }]);

    const all = await callTool(client, 'spend_summary', { group_by: 'year' });
    const years = data(all).groups.map((g: Json) => g.key);
    expect(years).toEqual(['2008', '2009', '2010', '2011', '2012', '2013', '2025', '2026']);
    const y2012 = data(all).groups.find((g: Json) => g.key === '2012');
    expect(compareDecimal(y2012.total, expected.total)).toBe(0);
    expect(textOf(all)).toMatch(/^Total £[\d,]+\.\d\d across [\d,]+ payments/);
  });

  it("shows Refinitiv's monthly payments, found by name or alias", async () => {
    const refinitiv = buildDemoOrganisation(new Date('2026-11-27')).spend.rows.filter((r) => r[1] === 'Refinitiv Ltd');
    const expectedTotal = refinitiv.reduce((sum, r) => addDecimal(sum, String(r[2])), '0');
    const r = await callTool(client, 'spend_summary', { group_by: 'month', supplier: 'Refinitiv' });
    const out = data(r);
    expect(out.filters.supplier).toMatchObject({ name: 'Refinitiv Ltd' });
    expect(out.groups).toHaveLength(refinitiv.length);
    expect(out.groups[0].key).toBe(String(refinitiv[0]![0]).slice(0, 7)); // chronological
    for (const g of out.groups) {
      expect(compareDecimal(g.total, '15500')).toBe(0);
      expect(g.count).toBe(1);
    }
    expect(out.totals).toHaveLength(1);
    expect(compareDecimal(out.totals[0].total, expectedTotal)).toBe(0);
    expect(out.truncated).toBe(false);
    expect(textOf(r)).toContain('Total £279,000.00 across 18 payments to Refinitiv Ltd');

    const viaAlias = data(await callTool(client, 'spend_summary', { group_by: 'year', supplier: 'LSEG Data & Analytics' }));
    expect(viaAlias.filters.supplier).toMatchObject({ name: 'Refinitiv Ltd', matched_by: 'alias' });
    expect(compareDecimal(viaAlias.totals[0].total, expectedTotal)).toBe(0);
  });

  it('pages through suppliers largest first, without losing or repeating one', async () => {
    const first = data(await callTool(client, 'spend_summary', { group_by: 'supplier', limit: 5 }));
    expect(first.groups).toHaveLength(5);
    expect(first.truncated).toBe(true);
    expect(first.next_offset).toBe(5);
    for (let i = 1; i < 5; i++) expect(compareDecimal(first.groups[i - 1].total, first.groups[i].total)).toBeGreaterThanOrEqual(0);
    const second = data(await callTool(client, 'spend_summary', { group_by: 'supplier', limit: 5, offset: 5 }));
    expect(second.groups.map((g: Json) => g.key)).not.toContain(first.groups[0].key);
    expect(compareDecimal(first.groups[4].total, second.groups[0].total)).toBeGreaterThanOrEqual(0);
    expect(second.group_count).toBe(first.group_count);
    const last = data(await callTool(client, 'spend_summary', { group_by: 'supplier', limit: 500, offset: first.group_count - 3 }));
    expect(last.groups).toHaveLength(3);
    expect(last.next_offset).toBeNull();
  });

  it('filters by category text and by currency', async () => {
    // The old substring match stays reachable: every category containing the words, reported as such.
    const agency = data(
      await callTool(client, 'spend_summary', { group_by: 'category', category: 'agency staff', category_match: 'contains', limit: 50 }),
    );
    expect(agency.groups.length).toBeGreaterThan(1);
    for (const g of agency.groups) expect(g.label.toLowerCase()).toContain('agency staff');
    expect(agency.filters.category_matched_by).toBe('contains');
    const usd = await callTool(client, 'spend_summary', { group_by: 'year', currency: 'usd' });
    expect(data(usd).totals).toEqual([]);
    expect(textOf(usd)).toMatch(/^No payments found/);
  });

  it('matches a category exactly first and names the related ones; filters a department by name or initials', async () => {
    const exact = data(await callTool(client, 'spend_summary', { group_by: 'year', category: 'AGENCY staff', date_from: '2010-01-01', date_to: '2010-12-31' }));
    const [row] = await database.query<{ total: string; n: number }>(
      `select sum(amount)::text as total, count(*)::int as n from spend_lines
        where lower(btrim(category)) = 'agency staff' and date between '2010-01-01' and '2010-12-31'`,
    );
    expect(exact.totals).toEqual([{ currency: 'GBP', total: row!.total, count: row!.n }]);
    expect(exact.filters).toMatchObject({ category_matched_by: 'exact', related_categories: [{ label: 'Temporary Agency Staff Costs', payments: expect.any(Number) }] });
    const none = await callTool(client, 'spend_summary', { group_by: 'year', category: 'window', category_match: 'exact' });
    expect(none.isError).toBe(true);
    expect(textOf(none)).toMatch(/^No category is called exactly "window"\. Categories containing it: /);
    const it = data(await callTool(client, 'spend_summary', { group_by: 'year', department: 'it' }));
    const [dept] = await database.query<{ n: number }>(`select count(*)::int as n from spend_lines where department = 'IT'`);
    expect(it.totals[0].count).toBe(dept!.n);
    expect(it.filters.department).toEqual({ name: 'IT', matched_by: 'exact' });
    const unknown = await callTool(client, 'spend_summary', { group_by: 'year', department: 'Procurement' });
    expect(textOf(unknown)).toMatch(/^No department is called "Procurement"\. Departments in the spend data: .*Finance/);
    const terms = data(await callTool(client, 'find_spend_terms', { query: 'cleaning', kind: 'category' }));
    expect(terms.matched_by).toBe('contains');
    expect(terms.matches.length).toBeGreaterThan(1);
    // Matches and related values page together; here the matches are the longer list.
    expect(terms.related.length).toBeLessThanOrEqual(terms.matches.length);
    const label = (t: { label: string }) => t.label;
    const args = { query: 'cleaning', kind: 'category' };
    await expectPages(client, 'find_spend_terms', args, { limit: 1, max: 100, rows: (out) => out.matches as unknown[], key: label });
    await expectLimitError(client, 'find_spend_terms', args, 100);
  });

  it('trends quarters with changes that add up to the totals', async () => {
    const r = await callTool(client, 'spend_trend', { period: 'quarter', date_from: '2012-01-01', date_to: '2012-12-31' });
    const out = data(r);
    expect(out.series).toHaveLength(1);
    const points = out.series[0].points;
    expect(points.map((p: Json) => p.key)).toEqual(['2012-Q1', '2012-Q2', '2012-Q3', '2012-Q4']);
    // Pages run back in time, each shown oldest first: the months of 2012, five at a time, latest page first.
    const months = await expectPages(client, 'spend_trend', { period: 'month', date_from: '2012-01-01', date_to: '2012-12-31' }, {
      limit: 5,
      max: 500,
      rows: (o) => [...(o.series as { points: unknown[] }[])[0]!.points].reverse(),
      key: (p: { key: string }) => p.key,
    });
    expect(months).toEqual(Array.from({ length: 12 }, (_, i) => `2012-${String(12 - i).padStart(2, '0')}`));
    const quarters = data(await callTool(client, 'spend_summary', { group_by: 'quarter', date_from: '2011-10-01', date_to: '2012-12-31' }));
    const totals = quarters.groups.map((g: Json) => g.total);
    expect(totals).toHaveLength(5);
    points.forEach((p: Json, i: number) => {
      expect(compareDecimal(p.total, totals[i + 1])).toBe(0);
      expect(compareDecimal(addDecimal(totals[i], p.change), p.total)).toBe(0);
      expect(p.change_pct).toMatch(/^-?\d+\.\d$/);
    });
    const year = (await glaYear('2012')).total;
    expect(compareDecimal(points.reduce((s: string, p: Json) => addDecimal(s, p.total), '0'), year)).toBe(0);
    expect(textOf(r)).toMatch(/^GBP spend by quarter .*: latest Q4 2012 £[\d,]+\.\d\d in [\d,]+ payments \((up|down) [\d.]+%/);
  });

  it('fills months without payments with zero', async () => {
    const out = data(await callTool(client, 'spend_trend', { supplier: 'Brightline Consulting LLP', date_from: '2026-08-01', date_to: '2026-11-30' }));
    const points = out.series[0].points;
    expect(points.map((p: Json) => p.key)).toEqual(['2026-08', '2026-09', '2026-10', '2026-11']);
    expect(points.map((p: Json) => p.count)).toEqual([0, 2, 0, 0]);
    expect(points[2].change_pct).toBe('-100.0');
    expect(points[1].change_pct).toBeNull(); // nothing the month before: no percentage
  });

  it('finds every planted anomaly, with its evidence', async () => {
    const r = await callTool(client, 'spend_anomalies', {});
    const out = data(r);
    const byKind = (k: string) => out.findings.filter((f: Json) => f.kind === k);

    const dup = byKind('duplicate_payment').find((f: Json) => f.supplier.name === PLANTED.duplicateInvoice.supplier);
    expect(dup).toBeDefined();
    expect(compareDecimal(dup.amount_at_stake, PLANTED.duplicateInvoice.amount)).toBe(0);
    expect(dup.evidence.map((e: Json) => e.invoice_number)).toEqual(
      expect.arrayContaining([...PLANTED.duplicateInvoice.invoices]),
    );
    const paid = dup.evidence.find((e: Json) => e.source === 'spend_line');
    expect(paid).toMatchObject({ invoice_number: 'APX-7781A', source_file: 'spend.csv' });
    expect(paid.source_line).toBeGreaterThan(1);
    expect(dup.explanation).toContain('APX-7781A');

    const split = byKind('split_purchase').find((f: Json) => f.supplier.name === PLANTED.splitPurchase.supplier);
    expect(split).toBeDefined();
    expect(split.evidence.map((e: Json) => Number(e.amount)).sort()).toEqual(
      PLANTED.splitPurchase.amounts.map(Number).sort(),
    );
    expect(compareDecimal(split.amount_at_stake, '19850')).toBe(0);
    expect(split.explanation).toMatch(/under the £10,000\.00 approval threshold/);

    const variance = byKind('price_variance').find((f: Json) => f.supplier.name === 'Dell Technologies Ltd');
    expect(variance).toBeDefined();
    expect(variance.explanation).toContain(PLANTED.priceVariance.invoice);
    expect(variance.explanation).toContain('10.0% over');
    expect(variance.evidence.map((e: Json) => e.amount)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^1150(\.0+)?$/)]),
    );
    expect(compareDecimal(variance.amount_at_stake, '1150')).toBe(0); // (1265 - 1150) x 10

    const off = byKind('off_contract');
    const kestrel = off.find((f: Json) => f.supplier.name === 'Kestrel Security Services Ltd');
    expect(kestrel?.explanation).toMatch(/after its contract C-2023-009/);
    const staples = off.find((f: Json) => f.supplier.name === 'Staples UK Ltd');
    expect(staples?.explanation).toMatch(/C-2024-003 .* Northbridge Office Supplies Ltd/);

    // The default window is the year up to "today": the 2008-2013 file is not scanned.
    expect(out.filters.date_from).toBe('2025-11-27');
    expect(textOf(r)).toMatch(/^\d+ possible anomalies from 2025-11-27, £[\d,]+\.\d\d at stake/);
  });

  it('narrows anomalies by kind and supplier, and honours a higher threshold', async () => {
    const apex = data(await callTool(client, 'spend_anomalies', { kinds: ['duplicate_payment'], supplier: 'Apex FM' }));
    expect(apex.findings.length).toBeGreaterThan(0);
    expect(apex.findings.every((f: Json) => f.kind === 'duplicate_payment' && f.supplier.name === PLANTED.duplicateInvoice.supplier)).toBe(true);
    const high = data(await callTool(client, 'spend_anomalies', { kinds: ['split_purchase'], threshold: '20000' }));
    expect(high.findings.find((f: Json) => f.supplier.name === PLANTED.splitPurchase.supplier)).toBeUndefined();
    const history = data(
      await callTool(client, 'spend_anomalies', {
        kinds: ['split_purchase', 'duplicate_payment'],
        date_from: '2012-01-01',
        date_to: '2012-12-31',
        limit: 3,
      }),
    );
    expect(history.findings.filter((f: Json) => f.kind === 'split_purchase')).toHaveLength(3);
    const dups = history.findings.filter((f: Json) => f.kind === 'duplicate_payment');
    expect(dups).toHaveLength(3);
    expect(history.found.duplicate_payment).toBeGreaterThan(3);
    expect(history.truncated).toBe(true);
    expect(history.next_offset).toBe(3);
    // Each kind pages by the same offset: duplicates and splits of 2012, two of each per page.
    const finding = (f: Json) => `${f.kind}:${f.evidence.map((e: Json) => e.id).join(',')}`;
    const year = { kinds: ['split_purchase', 'duplicate_payment'], date_from: '2012-01-01', date_to: '2012-12-31' };
    for (const kind of year.kinds) {
      await expectPages(client, 'spend_anomalies', { ...year, kinds: [kind] }, { limit: 2, max: 100, rows: (out) => out.findings as unknown[], key: finding });
    }
    for (const f of dups) {
      const [a, b] = f.evidence;
      expect(a.date <= b.date).toBe(true);
      expect(Math.abs(Number(a.amount) - Number(b.amount))).toBeLessThanOrEqual(Math.max(1, Number(a.amount) * 0.005));
      expect(f.score).toBeGreaterThanOrEqual(0.5);
    }
    for (const f of history.findings) {
      for (const e of f.evidence) {
        expect(e.date >= '2012-01-01' && e.date <= '2012-12-31').toBe(true);
        expect(e.source_file).toBe('gla_spend_2008-2013.csv');
      }
    }
  });

  it('classifies a description lexically against the UNSPSC titles', async () => {
    const r = await callTool(client, 'classify_spend', { description: 'Latitude 5440 notebook computers', top: 3 });
    const out = data(r);
    expect(out.method).toBe('lexical');
    expect(out.matches[0]).toMatchObject({ code: '43211503', title: 'Notebook computers', level: 'commodity' });
    expect(out.matches[0].path.map((p: Json) => p.level)).toEqual(['segment', 'family', 'class']);
    expect(out.matches[0].matched_terms.map((t: Json) => t.term)).toEqual(expect.arrayContaining(['notebook', 'computer']));
    expect(out.unknown_terms).toContain('latitude');
    expect(textOf(r)).toMatch(/^Best lexical match: 43211503 Notebook computers/);
    const none = data(await callTool(client, 'classify_spend', { description: 'zqxv wvutz' }));
    expect(none.matches).toEqual([]);
  });

  it('answers an unknown or ambiguous supplier with an error listing the closest matches', async () => {
    const r = await callTool(client, 'spend_summary', { group_by: 'month', supplier: 'Refinitv Analytics Group' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/No supplier is called exactly "Refinitv Analytics Group".*Refinitiv Ltd/);
    expect((r._meta?.['quartermaster/error'] as Json | undefined)?.candidates[0]).toMatchObject({ name: 'Refinitiv Ltd' });
    const ambiguous = await callTool(client, 'spend_trend', { supplier: 'Northbridge' });
    expect(ambiguous.isError).toBe(true);
    expect(textOf(ambiguous)).toContain('Northbridge Office Supplies Ltd');
    expect(textOf(ambiguous)).toContain('North Bridge Office Supplies Limited');
    const anomalies = await callTool(client, 'spend_anomalies', { supplier: 'Nobody Whatsoever Plc' });
    expect(anomalies.isError).toBe(true);
  });

  it('turns bad input into a readable error result, quickly', async () => {
    const huge = 'x'.repeat(1024 * 1024);
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['spend_summary', { group_by: 5 }, /group_by/],
      ['spend_summary', {}, /group_by/],
      ['spend_summary', { group_by: 'week' }, /group_by/],
      ['spend_summary', { group_by: 'year', date_from: '2013-01-01', date_to: '2012-01-01' }, /date_from \(2013-01-01\) is after date_to \(2012-01-01\)/],
      ['spend_summary', { group_by: 'year', date_from: '2012-02-30' }, /date_from must be a real date/],
      ['spend_summary', { group_by: 'year', date_from: '01/02/2012' }, /YYYY-MM-DD/],
      ['spend_summary', { group_by: 'year', limit: 1e9 }, /limit is at most 500/],
      ['spend_summary', { group_by: 'year', limit: -1 }, /limit/],
      ['spend_summary', { group_by: 'year', supplier: huge }, /supplier must be at most 200 characters/],
      ['spend_summary', { group_by: 'year', category: huge }, /category must be at most 200 characters/],
      ['spend_summary', { group_by: 'year', currency: 'pounds' }, /3-letter ISO 4217/],
      ['spend_trend', { period: 'decade' }, /period/],
      ['spend_trend', { date_from: '2012-12-31', date_to: '2012-01-01' }, /after date_to/],
      ['spend_anomalies', { kinds: ['fraud'] }, /kinds/],
      ['spend_anomalies', { limit: 1e9 }, /limit is at most 100/],
      ['spend_anomalies', { threshold: 'ten thousand' }, /threshold/],
      ['spend_anomalies', { date_from: '2013-01-01', date_to: '2012-01-01' }, /after date_to/],
      ['classify_spend', { description: huge }, /description must be at most 500 characters/],
      ['classify_spend', {}, /description/],
      ['classify_spend', { description: 'paper', top: 1e9 }, /top is at most 20/],
    ];
    for (const [tool, args, message] of cases) {
      const r = await callTool(client, tool, args);
      expect(r.isError, `${tool} ${JSON.stringify(args).slice(0, 80)}`).toBe(true);
      const text = textOf(r);
      expect(text, `${tool} ${JSON.stringify(args).slice(0, 80)}`).toMatch(message);
      expect(text.length).toBeLessThan(2000); // the offending 1 MB value is not echoed back
    }
  });
});
