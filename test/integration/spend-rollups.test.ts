// The spend rollups equal the raw lines to the penny after every kind of change (imports by either load path,
// re-imports, credit notes, undo), and spend_summary / spend_trend answer from them exactly what the lines give.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { spendSummary, spendTrend, type SpendFilters, type SpendGroupBy } from '../../src/db/queries/spend.js';
import { undoSpendBatch } from '../../src/db/spend.js';
import { runImport } from '../../src/imports/run.js';
import { testDatabases } from '../helpers/databases.js';

const SUPPLIERS = ['Acme Ltd', 'Bolt & Nut plc', 'Café Crème SARL', 'Delta Services', 'Echo Consulting', 'Foxtrot Ltd'];
const CATEGORIES = ['IT hardware', 'Consultancy', 'Catering', '', 'Travel'];
const DEPARTMENTS = ['Finance', 'IT', '', 'Operations'];
const CURRENCIES = ['GBP', 'GBP', 'GBP', 'EUR', 'USD'];

/** A spend CSV of `n` rows over 2023-2024 with credit notes, repeats and a few bad rows mixed in. */
function spendFile(n: number, seed: number): string {
  let s = seed;
  const rand = () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const lines = ['Date,Supplier,Amount,Currency,Expense Type,Department,Description'];
  let previous = '';
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.02) {
      lines.push('not a date,Acme Ltd,12.00,GBP,IT hardware,IT,bad row');
      continue;
    }
    if (r < 0.04 && previous) {
      lines.push(previous); // an identical row: both must land
      continue;
    }
    const day = new Date(Date.UTC(2023, 0, 1) + Math.floor(rand() * 730) * 86_400_000).toISOString().slice(0, 10);
    const pence = Math.floor(rand() * 2_000_000) * (rand() < 0.1 ? -1 : 1); // credit notes are negative lines
    const amount = `${pence < 0 ? '-' : ''}${Math.floor(Math.abs(pence) / 100)}.${String(Math.abs(pence) % 100).padStart(2, '0')}`;
    previous = `${day},"${pick(SUPPLIERS)}",${amount},${pick(CURRENCIES)},${pick(CATEGORIES)},${pick(DEPARTMENTS)},"Item ${i}"`;
    lines.push(previous);
  }
  return `${lines.join('\n')}\n`;
}

// Each rollup with its key columns, as computed from a line; the nullable ones are compared as not distinct.
const ROLLUPS: { table: string; keys: Record<string, string> }[] = [
  {
    table: 'spend_month_rollup',
    keys: { currency: 'currency', month: "date_trunc('month', date)::date", category: '', category_code: '', department: '' },
  },
  { table: 'spend_day_rollup', keys: { date: 'date', currency: 'currency', category: '', category_code: '', department: '' } },
  {
    table: 'spend_supplier_month_rollup',
    keys: { supplier_id: 'supplier_id', month: "date_trunc('month', date)::date", currency: 'currency', category: '', category_code: '' },
  },
  { table: 'spend_supplier_rollup', keys: { supplier_id: 'supplier_id', currency: 'currency' } },
  {
    table: 'spend_supplier_quarter_rollup',
    keys: { supplier_id: 'supplier_id', quarter: "date_trunc('quarter', date)::date", currency: 'currency' },
  },
  {
    table: 'spend_supplier_year_rollup',
    keys: { supplier_id: 'supplier_id', year: "date_trunc('year', date)::date", currency: 'currency', category: '', category_code: '' },
  },
];

/** Keys of the rollups that differ from the lines: empty when they agree exactly. */
async function rollupDrift(database: Database): Promise<unknown[]> {
  const parts = ROLLUPS.map(({ table, keys }) => {
    const columns = Object.keys(keys);
    const lineKey = columns.map((c) => `${keys[c] || c} as ${c}`).join(', ');
    const on = columns.map((c) => (keys[c] ? `r.${c} = l.${c}` : `r.${c} is not distinct from l.${c}`)).join(' and ');
    return `(select '${table}' as rollup, concat_ws(' ', ${columns.map((c) => `coalesce(l.${c}, r.${c})`).join(', ')}) as key,
              l.total::text as lines_total, r.total::text as rollup_total
         from (select ${lineKey}, sum(amount) as total, count(*)::int as lines
                 from spend_lines group by ${columns.map((_, i) => i + 1).join(', ')}) l
         full join ${table} r on ${on}
        where l.total is distinct from r.total or l.lines is distinct from r.lines)`;
  });
  return database.query(parts.join(' union all '));
}

const GROUPINGS: SpendGroupBy[] = ['month', 'quarter', 'year', 'supplier', 'category', 'department'];

/** Filter sets: none, ranges that cut months, one supplier, a category, a currency. */
async function filterSets(database: Database): Promise<SpendFilters[]> {
  const [acme] = await database.query<{ id: string }>(`select id from suppliers where name = 'Acme Ltd'`);
  return [
    {},
    { dateFrom: '2023-03-15', dateTo: '2024-02-10' },
    { dateFrom: '2023-06-01', dateTo: '2023-06-30' },
    { dateFrom: '2023-06-10', dateTo: '2023-06-20' },
    { dateFrom: '2024-01-31' },
    { dateTo: '2023-11-05' },
    { supplierId: acme!.id },
    { supplierId: acme!.id, dateFrom: '2023-02-02', dateTo: '2024-10-30' },
    { category: 'it' },
    { category: 'cons', dateFrom: '2023-05-17' },
    { category: 'it', dateFrom: '2023-02-11', dateTo: '2024-05-20' },
    { supplierId: acme!.id, category: 'cons', dateFrom: '2023-04-04' },
    { currency: 'EUR', dateFrom: '2023-01-09', dateTo: '2024-12-30' },
    // Whole years with days and months around them, and open ends.
    { dateFrom: '2022-12-20', dateTo: '2024-12-31' },
    { dateFrom: '2023-01-01', dateTo: '2024-03-04' },
    { dateFrom: '2023-11-30' },
    { dateTo: '2024-01-01' },
    { supplierId: acme!.id, dateFrom: '2022-10-02', dateTo: '2024-02-29' },
  ];
}

describe.each(testDatabases)('spend rollups on $name', ({ open }) => {
  let database: Database;
  let dir: string;
  beforeAll(async () => {
    database = await open();
    dir = await mkdtemp(join(tmpdir(), 'qm-rollups-'));
  });
  afterAll(async () => {
    await database?.close();
  });

  /** Every grouping under every filter set, answered from the rollups and from the lines alone. */
  async function expectAnswersFromLines(): Promise<void> {
    for (const filters of await filterSets(database)) {
      for (const groupBy of GROUPINGS) {
        const fast = await spendSummary(database, { groupBy, filters, limit: 1000, offset: 0 });
        // An always-true filter no rollup can apply makes the query read the lines.
        const slow = await spendSummary(database, { groupBy, filters: { ...filters, ...linesOnly }, limit: 1000, offset: 0 });
        expect(fast, `${groupBy} ${JSON.stringify(filters)}`).toEqual(slow);
      }
      for (const period of ['month', 'quarter', 'year'] as const) {
        const fast = await spendTrend(database, { period, filters });
        const slow = await spendTrend(database, { period, filters: { ...filters, ...linesOnly } });
        expect(fast, `trend ${period} ${JSON.stringify(filters)}`).toEqual(slow);
      }
    }
  }
  // Not a SpendFilters key: spendWhere ignores it, and the rollup choice treats any unknown filter as needing lines.
  const linesOnly = { readLines: true } as SpendFilters;

  it('equal the lines after imports by both load paths, re-imports, credit notes and undo', async () => {
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    await writeFile(a, spendFile(1500, 3));
    await writeFile(b, spendFile(1200, 5));

    const first = await runImport({ database }, 'spend', a, { bulkLoad: 'always' });
    expect(first.rejected.length).toBeGreaterThan(0);
    expect(first.imported).toBe(first.read - first.rejected.length);
    expect(await rollupDrift(database)).toEqual([]);

    const again = await runImport({ database }, 'spend', a, { bulkLoad: 'never' });
    expect(again.imported).toBe(0);
    expect(await rollupDrift(database)).toEqual([]);

    const second = await runImport({ database }, 'spend', b, { bulkLoad: 'never' });
    expect(second.imported).toBeGreaterThan(0);
    expect(await rollupDrift(database)).toEqual([]);
    await expectAnswersFromLines();

    const undone = await undoSpendBatch(database, first.batchId);
    expect(undone).toEqual({ ok: true, removed: first.imported, sourceFile: a });
    expect(await rollupDrift(database)).toEqual([]);
    expect(await undoSpendBatch(database, first.batchId)).toEqual({ ok: false, reason: 'not-completed', status: 'undone' });

    // Undone rows are new again.
    const back = await runImport({ database }, 'spend', a, {});
    expect(back.imported).toBe(first.imported);
    expect(await rollupDrift(database)).toEqual([]);
    await expectAnswersFromLines();

    const [sum] = await database.query<{ lines: string; rollup: string }>(
      `select (select sum(amount) from spend_lines where currency = 'GBP')::text as lines,
              (select sum(total) from spend_month_rollup where currency = 'GBP')::text as rollup`,
    );
    expect(sum!.rollup).toBe(sum!.lines);

    // The answers above did come from the rollups: a penny moved in one shows in the summary and in the check.
    await database.query(
      `update spend_month_rollup set total = total + 0.01 where (currency, month) = (select currency, min(month) from spend_month_rollup group by currency limit 1)`,
    );
    expect(await rollupDrift(database)).not.toEqual([]);
    const tampered = await spendSummary(database, { groupBy: 'month', filters: {}, limit: 1000, offset: 0 });
    const truth = await spendSummary(database, { groupBy: 'month', filters: linesOnly, limit: 1000, offset: 0 });
    expect(tampered).not.toEqual(truth);

    // Likewise the end days of a range that cuts months, and supplier rankings over whole years.
    const cut = { dateFrom: '2023-03-15', dateTo: '2023-05-10' };
    const cutBefore = await spendSummary(database, { groupBy: 'category', filters: cut, limit: 1000, offset: 0 });
    await database.query(
      `update spend_day_rollup set total = total + 0.01 where ctid = (select ctid from spend_day_rollup where date = '2023-03-20' limit 1)`,
    );
    expect(await spendSummary(database, { groupBy: 'category', filters: cut, limit: 1000, offset: 0 })).not.toEqual(cutBefore);
    const ranking = { dateFrom: '2023-01-01', dateTo: '2024-12-31' };
    const rankingBefore = await spendSummary(database, { groupBy: 'supplier', filters: ranking, limit: 1000, offset: 0 });
    await database.query(
      `update spend_supplier_year_rollup set total = total + 0.01 where ctid = (select ctid from spend_supplier_year_rollup limit 1)`,
    );
    expect(await spendSummary(database, { groupBy: 'supplier', filters: ranking, limit: 1000, offset: 0 })).not.toEqual(rankingBefore);
    // Over all time, supplier rankings read the all-time supplier rollup.
    const allTimeBefore = await spendSummary(database, { groupBy: 'supplier', filters: {}, limit: 1000, offset: 0 });
    await database.query(
      `update spend_supplier_rollup set total = total + 0.01 where ctid = (select ctid from spend_supplier_rollup limit 1)`,
    );
    expect(await spendSummary(database, { groupBy: 'supplier', filters: {}, limit: 1000, offset: 0 })).not.toEqual(allTimeBefore);
    // Supplier rankings over whole quarters read the quarter rollup, and one supplier's quarterly figures too.
    const quarters = { dateFrom: '2023-03-15', dateTo: '2023-12-31' };
    const quartersBefore = await spendSummary(database, { groupBy: 'supplier', filters: quarters, limit: 1000, offset: 0 });
    const [moved] = await database.query<{ supplier_id: string }>(
      `update spend_supplier_quarter_rollup set total = total + 0.01
        where ctid = (select ctid from spend_supplier_quarter_rollup where quarter = '2023-07-01' limit 1) returning supplier_id::text`,
    );
    expect(await spendSummary(database, { groupBy: 'supplier', filters: quarters, limit: 1000, offset: 0 })).not.toEqual(quartersBefore);
    const oneSupplier = { ...quarters, supplierId: moved!.supplier_id };
    expect(await spendTrend(database, { period: 'quarter', filters: oneSupplier })).not.toEqual(
      await spendTrend(database, { period: 'quarter', filters: { ...oneSupplier, ...linesOnly } }),
    );
    // And supplier rankings under a category filter (the supplier rollups carry the category).
    const itRanking = { category: 'it', dateFrom: '2023-01-01', dateTo: '2024-12-31' };
    const itBefore = await spendSummary(database, { groupBy: 'supplier', filters: itRanking, limit: 1000, offset: 0 });
    await database.query(
      `update spend_supplier_year_rollup set total = total + 0.01
        where ctid = (select ctid from spend_supplier_year_rollup where category ilike '%it%' limit 1)`,
    );
    expect(await spendSummary(database, { groupBy: 'supplier', filters: itRanking, limit: 1000, offset: 0 })).not.toEqual(itBefore);
  });

  it('loads the same lines whether the indexes are kept or rebuilt', async () => {
    const other = await open();
    try {
      const file = join(dir, 'c.csv');
      await writeFile(file, spendFile(800, 9));
      const bulk = await runImport({ database: other }, 'spend', file, { bulkLoad: 'always' });
      const kept = await runImport({ database: other }, 'spend', file, { bulkLoad: 'never' });
      expect(kept.imported).toBe(0);
      const fresh = await open();
      try {
        const incremental = await runImport({ database: fresh }, 'spend', file, { bulkLoad: 'never' });
        expect(incremental.imported).toBe(bulk.imported);
        expect(incremental.rejected).toEqual(bulk.rejected);
        const lines = (d: Database) =>
          d.query(
            `select dedup_hash::text, dedup_seq, source_line, supplier_name, date::text, amount::text, currency, category, department, description
               from spend_lines order by source_line`,
          );
        expect(await lines(fresh)).toEqual(await lines(other));
        const indexes = (d: Database) =>
          d.query(`select indexname, indexdef from pg_indexes where tablename = 'spend_lines' order by indexname`);
        expect(await indexes(other)).toEqual(await indexes(fresh));
      } finally {
        await fresh.close();
      }
    } finally {
      await other.close();
    }
  });

  it('stores the same lines however the file is chunked and however many rows the repeat filter marks', async () => {
    const file = join(dir, 'd.csv');
    await writeFile(file, spendFile(900, 11));
    const lines = (d: Database) =>
      d.query(`select dedup_hash::text, dedup_seq, source_line, supplier_name, amount::text from spend_lines order by source_line`);
    // One chunk and a filter that marks only true repeats here, against chunks of 97 rows (repeats straddle
    // them) with a one-bit filter that marks every row after the first, by both load paths.
    const variants = [
      { bulkLoad: 'never', chunkRows: 97, repeatFilterBits: 1 },
      // Chunks moved three at a time, sorted together in one statement.
      { bulkLoad: 'never', chunkRows: 97, groupChunks: 3 },
      { bulkLoad: 'always', chunkRows: 97, repeatFilterBits: 1 },
      { bulkLoad: 'always', chunkRows: 250 },
    ] as const;
    const reference = await open();
    const other = await open();
    try {
      const one = await runImport({ database: reference }, 'spend', file, {});
      const stored = await lines(reference);
      expect(stored.some((l) => (l as { dedup_seq: number }).dedup_seq > 1)).toBe(true);
      for (const options of variants) {
        await other.query('truncate spend_lines');
        const report = await runImport({ database: other }, 'spend', file, options);
        expect(report.imported, JSON.stringify(options)).toBe(one.imported);
        expect(report.rejected).toEqual(one.rejected);
        expect(await lines(other), JSON.stringify(options)).toEqual(stored);
        expect(await rollupDrift(other)).toEqual([]);
        // And each way recognises what the other stored.
        expect((await runImport({ database: other }, 'spend', file, {})).imported).toBe(0);
        expect((await runImport({ database: reference }, 'spend', file, options)).imported).toBe(0);
      }
    } finally {
      await reference.close();
      await other.close();
    }
  }, 180_000);

  it('removes lines already stored when a large file goes in with its indexes rebuilt', async () => {
    const first = join(dir, 'e.csv');
    const both = join(dir, 'f.csv');
    const rows = spendFile(700, 13).split('\n');
    await writeFile(first, `${rows.slice(0, 300).join('\n')}\n`);
    await writeFile(both, spendFile(700, 13));
    const other = await open();
    try {
      const before = await runImport({ database: other }, 'spend', first, { bulkLoad: 'never' });
      const after = await runImport({ database: other }, 'spend', both, { bulkLoad: 'always', chunkRows: 128 });
      const [n] = await other.query<{ n: number }>('select count(*)::int as n from spend_lines');
      expect(Number(n!.n)).toBe(before.imported + after.imported);
      expect(after.duplicates).toBe(before.imported);
      expect(await rollupDrift(other)).toEqual([]);
      await other.query('truncate spend_lines');
      const once = await runImport({ database: other }, 'spend', both, {});
      expect(once.imported).toBe(Number(n!.n));
    } finally {
      await other.close();
    }
  }, 120_000);

  it('refuses to undo what is not a completed spend import', async () => {
    expect(await undoSpendBatch(database, 999_999)).toEqual({ ok: false, reason: 'not-found' });
    const path = join(dir, 'suppliers.csv');
    await writeFile(path, 'Name\nZulu Ltd\n');
    const batch = await runImport({ database }, 'suppliers', path, {});
    expect(await undoSpendBatch(database, batch.batchId)).toEqual({ ok: false, reason: 'not-spend', kind: 'suppliers' });
  });
});
