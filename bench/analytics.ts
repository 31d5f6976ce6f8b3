// Spend analytics at scale: BENCH_ROWS spend lines (default 10,000,000) over 5 years and BENCH_SUPPLIERS suppliers
// (default 20,000), generated in SQL in 1M-line statements (the rollup triggers fire as they would for imports).
// Then, for BENCH_SECONDS per phase, a mix of spend_summary (every grouping) and spend_trend calls with random
// supplier, category, currency and period filters (ranges that cut months included), with 1 and with 16 concurrent
// clients; once answered from the rollups (as the tools do) and once from spend_lines alone for comparison. Calls
// go through the analytics lane as the product's do (QM_ANALYTICS_CONCURRENCY statements at once, default 3).
// Prints one JSON line. Needs a PostgreSQL server: BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
// Generating 10M lines takes 10-25 minutes: with BENCH_KEEP=1 the database (qm_bench_analytics_<rows>_<suppliers>)
// is kept, and reused by the next such run when it holds the generated lines (migrations still run on open).
import { loadavg } from 'node:os';
import postgres from 'postgres';
import { loadConfig } from '../src/config.js';
import { type Database, openDatabase } from '../src/db/client.js';
import { analyticsLane } from '../src/db/lane.js';
import { type SpendFilters, type SpendGroupBy, spendSummary, spendTrend } from '../src/db/queries/spend.js';

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const rows = Number(process.env.BENCH_ROWS ?? 10_000_000);
const supplierCount = Number(process.env.BENCH_SUPPLIERS ?? 20_000);
// 20 s: a 1-client p99 from 10 s phases is the second-slowest of 100-200 calls and moved 2x from run to run.
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const keep = process.env.BENCH_KEEP === '1';
const concurrency = loadConfig().database.analyticsConcurrency;
const CHUNK = 1_000_000;

const GROUPINGS: SpendGroupBy[] = ['month', 'quarter', 'year', 'supplier', 'category', 'department'];
const CATEGORIES = ['IT hardware', 'Consultancy', 'Facilities management', 'Catering', 'Travel', 'Legal fees', 'Office supplies',
  'Agency staff', 'Utilities', 'Construction'];
const DEPARTMENTS = ['IT', 'Finance', 'Facilities', 'Marketing', 'Operations', 'HR', 'Legal'];

let seed = 7;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
const day = (offset: number) => new Date(Date.UTC(2021, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);

/** One question: a grouping or a trend, with a random mix of filters. */
function question(supplierIds: readonly string[]): (database: Database, lines: boolean) => Promise<unknown> {
  const f: SpendFilters = {};
  const r = rand();
  if (r < 0.4) {
    const from = Math.floor(rand() * 1500);
    f.dateFrom = day(from);
    f.dateTo = day(from + 30 + Math.floor(rand() * 400));
  }
  if (rand() < 0.15) f.supplierId = pick(supplierIds);
  else if (rand() < 0.2) f.category = pick(CATEGORIES).slice(0, 5).toLowerCase();
  if (rand() < 0.1) f.currency = 'EUR';
  const trend = rand() < 0.3;
  const groupBy = pick(GROUPINGS);
  const period = pick(['month', 'quarter', 'year'] as const);
  // An always-true filter no rollup applies: the same question answered from spend_lines alone.
  const withLines = (lines: boolean) => (lines ? ({ ...f, readLines: true } as SpendFilters) : f);
  return (database, lines) =>
    trend
      ? spendTrend(database, { period, filters: withLines(lines) })
      : spendSummary(database, { groupBy, filters: withLines(lines), limit: 25, offset: 0 });
}

async function load(database: Database, clients: number, supplierIds: readonly string[], lines: boolean) {
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const ask = question(supplierIds);
        const t = performance.now();
        await ask(database, lines);
        latencies.push(performance.now() - t);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]! * 10) / 10;
  return { calls: latencies.length, p50: at(0.5), p99: at(0.99) };
}

/** Stores the suppliers and lines (one statement per CHUNK lines), then vacuums and analyzes. */
async function generate(database: Database): Promise<void> {
  await database.query(
    `insert into suppliers (name, normalized_name) select 'Supplier ' || g || ' Ltd', 'supplier ' || g || ' ltd' from generate_series(1, $1::int) g`,
    [supplierCount],
  );
  // Suppliers are skewed (a few large ones, a long tail) and each mostly sells one category to one department.
  for (let from = 0; from < rows; from += CHUNK) {
    await database.query(
      `insert into spend_lines (dedup_hash, dedup_seq, supplier_id, supplier_name, date, amount, currency, category, department)
       select md5(g::text)::uuid, 1, s.id, s.name, date '2021-01-01' + (g * 7 % 1826),
              ((g::bigint * 7919) % 5000000) / 100.0 - case when g % 23 = 0 then 60000 else 0 end,
              case when g % 10 = 0 then 'EUR' else 'GBP' end,
              (array[${CATEGORIES.map((c) => `'${c}'`).join(',')}])[1 + (s.n + (g % 5 = 0)::int) % ${CATEGORIES.length}],
              (array[${DEPARTMENTS.map((d) => `'${d}'`).join(',')}])[1 + (s.n + (g % 7 = 0)::int) % ${DEPARTMENTS.length}]
         from generate_series($1::int + 1, $2::int) g
         join (select id, name, row_number() over (order by id) as n from suppliers) s
           on s.n = 1 + floor(${supplierCount} * power(((g::bigint * 2654435761) % 1000003) / 1000003.0, 2))::int`,
      [from, Math.min(rows, from + CHUNK)],
    );
  }
  await database.query('vacuum (analyze)');
}

const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
const dbName = keep ? `qm_bench_analytics_${rows}_${supplierCount}` : `qm_bench_analytics_${process.pid}`;
const [known] = await admin<{ n: number }[]>`select count(*)::int as n from pg_database where datname = ${dbName}`;
if (!known!.n) await admin.unsafe(`create database ${dbName}`);
const url = new URL(serverUrl);
url.pathname = `/${dbName}`;
const database = await openDatabase({ url: url.toString(), poolSize: 17 });
try {
  const started = performance.now();
  const [held] = await database.query<{ suppliers: number; lines: number }>(
    'select (select count(*) from suppliers)::int as suppliers, (select count(*) from spend_lines)::int as lines',
  );
  const reused = Boolean(known!.n) && held!.suppliers === supplierCount && held!.lines === rows;
  if (!reused) {
    if (held!.suppliers > 0) throw new Error(`${dbName} holds a partial generation: drop it and run again`);
    await generate(database);
  }
  const generateMs = performance.now() - started;
  const [sizes] = await database.query<{ lines: number; month_rollup: number; supplier_rollup: number }>(
    `select (select count(*) from spend_lines)::int as lines, (select count(*) from spend_month_rollup)::int as month_rollup,
            (select count(*) from spend_supplier_month_rollup)::int as supplier_rollup`,
  );
  const supplierIds = (await database.query<{ id: string }>('select id from suppliers')).map((s) => s.id);

  const load1 = loadavg()[0] ?? 0;
  const lane = analyticsLane(database, concurrency);
  const rollup1 = await load(lane, 1, supplierIds, false);
  const rollup16 = await load(lane, 16, supplierIds, false);
  const lines1 = await load(lane, 1, supplierIds, true);
  const lines16 = await load(lane, 16, supplierIds, true);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'spend-analytics',
      lines: sizes!.lines,
      suppliers: supplierCount,
      monthRollupRows: sizes!.month_rollup,
      supplierRollupRows: sizes!.supplier_rollup,
      generateSeconds: reused ? null : Math.round(generateMs / 1000),
      loadAverage: Math.round(load1 * 10) / 10,
      secondsPerPhase: seconds,
      analyticsConcurrency: concurrency,
      rollups: { clients1: rollup1, clients16: rollup16 },
      linesOnly: { clients1: lines1, clients16: lines16 },
    })}\n`,
  );
} finally {
  await database.close();
  if (!keep) await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
  await admin.end();
}
