// Spend import throughput against what PostgreSQL itself can load, in one run on one server:
//  (a) `psql \copy` of the generated CSV into a bare table of text columns (the cost of reading the file);
//  (b) `psql \copy` of the same rows, already typed, into a copy of spend_lines as it stood before the import,
//      with its indexes and a supplier foreign key in place (what the database needs to store them; spend_lines
//      itself checks that link per statement by trigger, migration 0025, but the anchor keeps the key);
//  and `runImport` of the file in a child process, timed from its start to its exit (so the figure includes
//  starting Node, and its peak RSS is the importer's alone). BENCH_EXISTING lines (generated in SQL) are stored
//  first to measure an import into a database that already holds data. Prints one JSON line.
// Needs a PostgreSQL server: BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
// Rows: BENCH_ROWS (default 1,000,000); BENCH_EXISTING (default 0).
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { openDatabase } from '../src/db/client.js';

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const existing = Number(process.env.BENCH_EXISTING ?? 0);
const SUPPLIERS = 5000;

async function generate(path: string, n: number): Promise<void> {
  const out = createWriteStream(path);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', r)));
  await write('Date,Supplier,Amount,Currency,Expense Type,Department,Description,Invoice Number\n');
  const cats = ['IT hardware', 'Consultancy', 'Facilities management', 'Catering', 'Travel', 'Legal fees', 'Office supplies'];
  const depts = ['IT', 'Finance', 'Facilities', 'Marketing', 'Operations'];
  let seed = 42;
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  let buffer = '';
  for (let i = 0; i < n; i++) {
    const d = new Date(Date.UTC(2020, 0, 1) + Math.floor(rand() * 1500) * 86_400_000).toISOString().slice(0, 10);
    const supplier = `Supplier ${Math.floor(rand() * SUPPLIERS)} ${rand() < 0.5 ? 'Ltd' : 'Limited'}`;
    const pence = Math.floor(rand() * 5_000_000) - 100_000;
    const amount = `${pence < 0 ? '-' : ''}${Math.floor(Math.abs(pence) / 100)}.${String(Math.abs(pence) % 100).padStart(2, '0')}`;
    buffer += `${d},"${supplier}",${amount},GBP,${cats[i % cats.length]},${depts[i % depts.length]},"Line ${i}, item ${Math.floor(rand() * 900)}",INV-${i}\n`;
    if (buffer.length > 1 << 20) {
      await write(buffer);
      buffer = '';
    }
  }
  await write(buffer);
  await new Promise<void>((r) => out.end(r));
}

/** Runs the import in a child process; resolves with its report, its own timing and its wall time from spawn to exit. */
type WorkerResult = { imported: number; rejected: number; ms: number; maxRssKb: number; processMs: number; timings: string };
function runWorker(url: string, file: string): Promise<WorkerResult> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'import-worker.ts'), url, file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`import worker failed: ${err}`));
      // The importer's debug line: staging and commit times, and whether indexes were rebuilt.
      const timings = /spend import timings (.*)/.exec(err)?.[1] ?? '';
      resolve({ ...JSON.parse(out.trim().split('\n').at(-1)!), processMs: performance.now() - started, timings });
    });
  });
}

const SPEND_COLUMNS =
  'dedup_hash, dedup_seq, batch_id, source_file, source_line, supplier_id, supplier_name, date, amount, currency, category, department, cost_centre, description, invoice_number, po_number, external_id';

const dir = await mkdtemp(join(tmpdir(), 'qm-bench-'));
const file = join(dir, 'spend.csv');
const typed = join(dir, 'typed.csv');
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
const dbName = `qm_bench_${process.pid}`;
try {
  await generate(file, rows);
  const bytes = (await stat(file)).size;
  await admin.unsafe(`create database ${dbName}`);
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  const psql = (command: string) =>
    execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url.toString(), '-c', command], { encoding: 'utf8' });
  const timed = (command: string) => {
    const t = performance.now();
    psql(command);
    return performance.now() - t;
  };

  // The schema, and the lines already stored (generated in SQL, spread like the file's, over the same suppliers).
  const database = await openDatabase({ url: url.toString(), poolSize: 2 });
  if (existing > 0) {
    await database.query(
      `insert into suppliers (name, normalized_name)
       select 'Supplier ' || g || ' Ltd', 'supplier ' || g || ' ltd' from generate_series(0, ${SUPPLIERS - 1}) g`,
    );
    await database.query(
      `insert into spend_lines (dedup_hash, dedup_seq, supplier_id, supplier_name, date, amount, currency, category, department, description)
       select md5('existing' || g)::uuid, 1, s.id, s.name, date '2019-01-01' + (g % 1800), ((g::bigint * 7919) % 5000000) / 100.0 - 1000,
              'GBP', (array['IT hardware','Consultancy','Catering','Travel'])[1 + g % 4], (array['IT','Finance','Operations'])[1 + g % 3],
              'Existing line ' || g
       from generate_series(1, $1::int) g join (select id, name, row_number() over () - 1 as n from suppliers) s on s.n = g % ${SUPPLIERS}`,
      [existing],
    );
    await database.query('vacuum (analyze) spend_lines');
  }
  await database.close();

  // (b)'s table: a copy of spend_lines as it stands (its lines copied first, then the same indexes), with a foreign key.
  psql(`create table spend_copy (like spend_lines including defaults including constraints)`);
  if (existing > 0) psql('insert into spend_copy select * from spend_lines');
  const indexes = psql(`select indexdef from pg_indexes where tablename = 'spend_lines'`)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('CREATE'));
  for (const def of indexes) {
    psql(def.replace(/INDEX (\S+) ON (\S*)spend_lines /, 'INDEX copy_$1 ON $2spend_copy '));
  }
  psql(`alter table spend_copy add foreign key (supplier_id) references suppliers (id)`);
  if (existing > 0) psql('vacuum (analyze) spend_copy');

  // (a)
  psql('create table bare (date text, supplier text, amount text, currency text, category text, department text, description text, invoice_number text)');
  const bareMs = timed(`\\copy bare from '${file}' with (format csv, header true)`);
  psql('drop table bare');

  const load = loadavg()[0] ?? 0;
  const worker = await runWorker(url.toString(), file);

  // (b): the rows the import stored, typed, loaded by the database alone.
  const batch = psql(`select max(batch_id) from spend_lines`).trim().split('\n').at(-2)!.trim();
  psql(`\\copy (select ${SPEND_COLUMNS} from spend_lines where batch_id = ${batch}) to '${typed}' with (format csv)`);
  psql('checkpoint');
  const typedMs = timed(`\\copy spend_copy (${SPEND_COLUMNS}) from '${typed}' with (format csv)`);

  const rate = (ms: number) => Math.round(rows / (ms / 1000));
  const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;
  process.stdout.write(
    `${JSON.stringify({
      bench: 'import-spend',
      rows,
      existing,
      fileMB: Math.round(bytes / 1e5) / 10,
      loadAverage: Math.round(load * 10) / 10,
      bareCopyRowsPerSec: rate(bareMs),
      typedCopyRowsPerSec: rate(typedMs),
      importProcessMs: Math.round(worker.processMs),
      importInProcessMs: Math.round(worker.ms),
      importRowsPerSec: rate(worker.processMs),
      ratioToBareCopy: ratio(rate(worker.processMs), rate(bareMs)),
      ratioToTypedCopy: ratio(rate(worker.processMs), rate(typedMs)),
      imported: worker.imported,
      rejected: worker.rejected,
      peakRssMB: Math.round(worker.maxRssKb / 1024),
      importerTimings: worker.timings,
    })}\n`,
  );
} finally {
  await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
  await admin.end();
  await rm(dir, { recursive: true, force: true });
}
