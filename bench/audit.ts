// Audit ledger: appends/s through the hash chain (group-committed `ledger.append`, each writer awaiting its own
// append) with 1 and 8 concurrent writers, next to plain single-row INSERTs into an unchained copy of the table
// (no triggers, no indexes, a sequence for seq) with the same writers, in the same run and database; the ratio
// chained/plain for each (target ≥ 0.5); and how fast `verifyLedger` re-checks what was written. One JSON line.
// Needs a server: BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres. BENCH_SECONDS per run (5).
import postgres from 'postgres';
import { ledgerOf } from '../src/audit/ledger.js';
import type { AuditEventInput } from '../src/audit/types.js';
import { verifyLedger } from '../src/audit/verify.js';
import { type Database, openDatabase } from '../src/db/client.js';

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const seconds = Number(process.env.BENCH_SECONDS ?? 5);

const payload = (w: number, i: number): AuditEventInput => ({
  actorType: 'system',
  actor: 'governance',
  action: 'policy_decision',
  subjectType: 'proposal',
  subjectId: `p-${w}-${i}`,
  rationale: 'Within the autonomy envelope for IT hardware under £5,000 with an approved supplier.',
  data: { outcome: 'auto', ruleId: 'it-hardware-small', actionKind: 'purchase', proposedBy: 'spend', amount: '4200.00', currency: 'GBP' },
  policyVersion: 'v12',
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** `writers` loops, each awaiting `op` back to back for `seconds`; after a one-second warm-up. */
async function load(writers: number, op: (w: number, i: number) => Promise<unknown>, onStart: () => void = () => {}) {
  const warmEnd = performance.now() + 1000;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; performance.now() < warmEnd; i++) await op(w, -1 - i);
    }),
  );
  const latencies: number[] = [];
  onStart();
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; performance.now() < end; i++) {
        const t = performance.now();
        await op(w, i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSec: Math.round(latencies.length / elapsed),
    p50Ms: Math.round(percentile(latencies, 50) * 100) / 100,
    p99Ms: Math.round(percentile(latencies, 99) * 100) / 100,
    count: latencies.length,
  };
}

const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
const dbName = `qm_bench_audit_${process.pid}`;
await admin.unsafe(`create database ${dbName}`);
const url = new URL(serverUrl);
url.pathname = `/${dbName}`;
const database = await openDatabase({ url: url.toString(), poolSize: 10 });
try {
  await database.query('create table audit_events_plain (like audit_events including defaults)');
  await database.query('create sequence audit_events_plain_seq owned by audit_events_plain.seq');
  await database.query(`alter table audit_events_plain alter column seq set default nextval('audit_events_plain_seq')`);

  // Counts the ledger's transactions, to report how many events each group commit carried.
  let transactions = 0;
  const counted: Database = {
    ...database,
    transaction: (fn) => {
      transactions++;
      return database.transaction(fn);
    },
  };
  const ledger = ledgerOf(counted);
  const chained = async (writers: number) => {
    let before = 0;
    const r = await load(
      writers,
      (w, i) => ledger.append(payload(w, i)),
      () => {
        before = transactions;
      },
    );
    return { appendsPerSec: r.perSec, p50Ms: r.p50Ms, p99Ms: r.p99Ms, eventsPerCommit: Math.round((r.count / Math.max(1, transactions - before)) * 10) / 10 };
  };
  const plain = async (writers: number) => {
    const r = await load(writers, (w, i) => {
      const e = payload(w, i);
      return database.query(
        `insert into audit_events_plain (at, actor_type, actor, action, subject_type, subject_id, rationale, data, policy_version, prev_hash, hash)
         values ($1::timestamptz, $2, $3, $4, $5, $6, $7, $8::text::jsonb, $9, $10, $11)`,
        [new Date().toISOString(), e.actorType, e.actor, e.action, e.subjectType, e.subjectId, e.rationale, JSON.stringify(e.data), e.policyVersion, '', ''],
      );
    });
    return { insertsPerSec: r.perSec, p50Ms: r.p50Ms, p99Ms: r.p99Ms };
  };

  // Interleaved, so neither side gets the emptier table or the quieter minute.
  const plain1 = await plain(1);
  const chained1 = await chained(1);
  const plain8 = await plain(8);
  const chained8 = await chained(8);

  const t = performance.now();
  const verified = await verifyLedger(database);
  const verifySec = (performance.now() - t) / 1000;
  if (!verified.ok) throw new Error(`the chain written by the benchmark does not verify: ${JSON.stringify(verified.broken)}`);

  process.stdout.write(
    `${JSON.stringify({
      bench: 'audit-ledger',
      secondsPerRun: seconds,
      writers1: { chained: chained1, plain: plain1, ratio: Math.round((chained1.appendsPerSec / plain1.insertsPerSec) * 100) / 100 },
      writers8: { chained: chained8, plain: plain8, ratio: Math.round((chained8.appendsPerSec / plain8.insertsPerSec) * 100) / 100 },
      verify: { events: verified.events, eventsPerSec: Math.round(verified.events / verifySec) },
    })}\n`,
  );
} finally {
  await database.close();
  await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
  await admin.end();
}
