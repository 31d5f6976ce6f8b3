// Spend import throughput: generates N spend rows as CSV, times `psql \copy` of the file into a bare table,
// then times `runImport` of the same file into a fresh database on the same server (in a child process, so its
// peak RSS is the importer's alone). Prints one JSON line. Needs a PostgreSQL server: BENCH_DATABASE_URL, else
// postgres://postgres@127.0.0.1:5432/postgres. Rows: BENCH_ROWS (default 1,000,000).
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);

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
  for (let i = 0; i < n; i++) {
    const d = new Date(Date.UTC(2020, 0, 1) + Math.floor(rand() * 1500) * 86_400_000).toISOString().slice(0, 10);
    const supplier = `Supplier ${Math.floor(rand() * 5000)} ${rand() < 0.5 ? 'Ltd' : 'Limited'}`;
    const pence = Math.floor(rand() * 5_000_000) - 100_000;
    const amount = `${pence < 0 ? '-' : ''}${Math.floor(Math.abs(pence) / 100)}.${String(Math.abs(pence) % 100).padStart(2, '0')}`;
    await write(
      `${d},"${supplier}",${amount},GBP,${cats[i % cats.length]},${depts[i % depts.length]},"Line ${i}, item ${Math.floor(rand() * 900)}",INV-${i}\n`,
    );
  }
  await new Promise<void>((r) => out.end(r));
}

const dir = await mkdtemp(join(tmpdir(), 'qm-bench-'));
const file = join(dir, 'spend.csv');
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
const dbName = `qm_bench_${process.pid}`;
try {
  await generate(file, rows);
  const bytes = (await stat(file)).size;
  await admin.unsafe(`create database ${dbName}`);
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;

  const psqlArgs = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url.toString()];
  execFileSync('psql', [
    ...psqlArgs,
    '-c',
    'create table bare (date text, supplier text, amount text, currency text, category text, department text, description text, invoice_number text)',
  ]);
  let t = performance.now();
  execFileSync('psql', [...psqlArgs, '-c', `\\copy bare from '${file}' with (format csv, header true)`]);
  const psqlMs = performance.now() - t;

  t = performance.now();
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'import-worker.ts'), url.toString(), file], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`import worker failed: ${child.stderr}`);
  const worker = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { imported: number; ms: number; maxRssKb: number };
  const psqlRate = rows / (psqlMs / 1000);
  const importRate = rows / (worker.ms / 1000);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'import-spend',
      rows,
      fileMB: Math.round(bytes / 1e5) / 10,
      psqlCopyMs: Math.round(psqlMs),
      psqlCopyRowsPerSec: Math.round(psqlRate),
      importMs: Math.round(worker.ms),
      importRowsPerSec: Math.round(importRate),
      ratioToPsqlCopy: Math.round((importRate / psqlRate) * 1000) / 1000,
      imported: worker.imported,
      peakRssMB: Math.round(worker.maxRssKb / 1024),
      wallMs: Math.round(performance.now() - t),
    })}\n`,
  );
} finally {
  await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
  await admin.end();
  await rm(dir, { recursive: true, force: true });
}
