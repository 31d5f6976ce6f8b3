// Audit ledger: appends/s through the hash chain (group-committed `ledger.append`, each writer awaiting its own
// append) with 1 and 8 concurrent writers, next to plain single-row INSERTs into an unchained copy of the table
// (no triggers, no indexes, a sequence for seq) with the same writers, in the same run and database; the ratio
// chained/plain for each (target ≥ 0.5); and how fast `verifyLedger` re-checks what was written. One JSON line.
// The two sides alternate in one-second rounds, so a busy moment on the machine hits both alike.
// Needs a server: BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres. BENCH_SECONDS per side (6).
import postgres from 'postgres';
import { createLedger } from '../src/audit/ledger.js';
import type { AuditEventInput } from '../src/audit/types.js';
import { verifyLedger } from '../src/audit/verify.js';
import { type Database, openDatabase } from '../src/db/client.js';

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const seconds = Math.max(1, Math.round(Number(process.env.BENCH_SECONDS ?? 6)));

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

type Side = { latencies: number[]; ms: number };

/** `writers` loops, each awaiting `op` back to back for `ms`; latencies and elapsed time are added to `side`. */
async function round(side: Side, writers: number, ms: number, op: (w: number, i: number) => Promise<unknown>): Promise<void> {
  const started = performance.now();
  const end = started + ms;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; performance.now() < end; i++) {
        const t = performance.now();
        await op(w, i);
        side.latencies.push(performance.now() - t);
      }
    }),
  );
  side.ms += performance.now() - started;
}

function summary(side: Side) {
  const sorted = [...side.latencies].sort((a, b) => a - b);
  return {
    perSec: Math.round(sorted.length / (side.ms / 1000)),
    p50Ms: Math.round(percentile(sorted, 50) * 100) / 100,
    p99Ms: Math.round(percentile(sorted, 99) * 100) / 100,
    count: sorted.length,
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

  // Counts the ledger's transactions (its own, or on a held connection), to report how many events each carried.
  let transactions = 0;
  const counted: Database = {
    ...database,
    transaction: (fn) => {
      transactions++;
      return database.transaction(fn);
    },
    withConnection: (fn) => {
      transactions++;
      return database.withConnection(fn);
    },
  };
  const ledger = createLedger(counted);
  let serial = 0;
  const chainedOp = (w: number) => ledger.append(payload(w, serial++));
  const plainOp = (w: number) => {
    const e = payload(w, serial++);
    return database.query(
      `insert into audit_events_plain (at, actor_type, actor, action, subject_type, subject_id, rationale, data, policy_version, prev_hash, hash)
       values ($1::timestamptz, $2, $3, $4, $5, $6, $7, $8::text::jsonb, $9, $10, $11)`,
      [new Date().toISOString(), e.actorType, e.actor, e.action, e.subjectType, e.subjectId, e.rationale, JSON.stringify(e.data), e.policyVersion, '', ''],
    );
  };

  const compare = async (writers: number) => {
    const warm: Side = { latencies: [], ms: 0 };
    await round(warm, writers, 500, plainOp);
    await round(warm, writers, 500, chainedOp);
    const plain: Side = { latencies: [], ms: 0 };
    const chained: Side = { latencies: [], ms: 0 };
    const before = transactions;
    for (let r = 0; r < seconds; r++) {
      await round(plain, writers, 1000, plainOp);
      await round(chained, writers, 1000, chainedOp);
    }
    const c = summary(chained);
    const p = summary(plain);
    return {
      chained: { appendsPerSec: c.perSec, p50Ms: c.p50Ms, p99Ms: c.p99Ms, eventsPerTransaction: Math.round((c.count / Math.max(1, transactions - before)) * 10) / 10 },
      plain: { insertsPerSec: p.perSec, p50Ms: p.p50Ms, p99Ms: p.p99Ms },
      ratio: Math.round((c.perSec / p.perSec) * 100) / 100,
    };
  };

  const writers1 = await compare(1);
  const writers8 = await compare(8);

  const t = performance.now();
  const verified = await verifyLedger(database);
  const verifySec = (performance.now() - t) / 1000;
  if (!verified.ok) throw new Error(`the chain written by the benchmark does not verify: ${JSON.stringify(verified.broken)}`);

  process.stdout.write(
    `${JSON.stringify({
      bench: 'audit-ledger',
      secondsPerSide: seconds,
      writers1,
      writers8,
      verify: { events: verified.events, eventsPerSec: Math.round(verified.events / verifySec) },
    })}\n`,
  );
} finally {
  await database.close();
  await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
  await admin.end();
}
