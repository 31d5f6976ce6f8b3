// Each spend question shape timed alone (second of two runs) on the database bench/analytics.ts keeps with
// BENCH_KEEP=1: every spend_summary grouping and spend_trend period under no filter, ranges that cut months (half a
// year, two and a half years), the largest and the smallest supplier (alone and with a range), a category fragment
// (alone and with a range) and a currency. Prints one JSON line, slowest shapes first.
// BENCH_DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/postgres); BENCH_ROWS and
// BENCH_SUPPLIERS pick the kept database as bench/analytics.ts names it.
import { loadavg } from 'node:os';
import { openDatabase } from '../src/db/client.js';
import { type SpendFilters, spendSummary, spendTrend } from '../src/db/queries/spend.js';

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const rows = Number(process.env.BENCH_ROWS ?? 10_000_000);
const supplierCount = Number(process.env.BENCH_SUPPLIERS ?? 20_000);
const url = new URL(serverUrl);
url.pathname = `/qm_bench_analytics_${rows}_${supplierCount}`;
const db = await openDatabase({ url: url.toString(), poolSize: 2 });
try {
  const bySize = (order: 'asc' | 'desc') =>
    db.query<{ id: string }>(
      `select supplier_id as id from spend_supplier_year_rollup group by 1 order by sum(lines) ${order} limit 1`,
    );
  const [big] = await bySize('desc');
  const [small] = await bySize('asc');
  if (!big || !small) throw new Error(`${url.pathname.slice(1)} holds no spend: run BENCH_KEEP=1 bench/analytics.ts first`);
  const cut = { dateFrom: '2022-03-17', dateTo: '2022-09-11' };
  const filters: Record<string, SpendFilters> = {
    none: {},
    cut,
    long: { dateFrom: '2021-05-09', dateTo: '2023-08-20' },
    bigSupplier: { supplierId: big.id },
    bigSupplierCut: { supplierId: big.id, ...cut },
    smallSupplier: { supplierId: small.id },
    category: { category: 'consu' },
    categoryCut: { category: 'consu', ...cut },
    eur: { currency: 'EUR' },
  };
  const shapes: { shape: string; ms: number }[] = [];
  for (const [name, f] of Object.entries(filters)) {
    for (const g of ['month', 'quarter', 'year', 'supplier', 'category', 'department', 'trend-month', 'trend-year'] as const) {
      const run = () =>
        g === 'trend-month' || g === 'trend-year'
          ? spendTrend(db, { period: g === 'trend-month' ? 'month' : 'year', filters: f })
          : spendSummary(db, { groupBy: g, filters: f, limit: 25, offset: 0 });
      await run();
      const t = performance.now();
      await run();
      shapes.push({ shape: `${g} ${name}`, ms: Math.round(performance.now() - t) });
    }
  }
  shapes.sort((a, b) => b.ms - a.ms);
  const sorted = shapes.map((s) => s.ms).sort((a, b) => a - b);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'spend-analytics-shapes',
      database: url.pathname.slice(1),
      loadAverage: Math.round((loadavg()[0] ?? 0) * 10) / 10,
      shapes: shapes.length,
      medianMs: sorted[Math.floor(sorted.length / 2)],
      p90Ms: sorted[Math.floor(sorted.length * 0.9)],
      slowest: shapes.slice(0, 10),
    })}\n`,
  );
} finally {
  await db.close();
}
