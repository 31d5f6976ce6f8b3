// Approval decisions on a real PostgreSQL server with the demo organisation: decisions per second and latency
// (a decision includes its SoD checks, the ledger events and, on final approval, the purchase order raised
// through the outbox), first uncontended (one click per approval, 8 approvals decided at once), then under
// contention (16 concurrent clicks per approval from two app instances, of which exactly one may win).
// Prints one JSON line. Needs a server: BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
// BENCH_APPROVALS (default 200).
import postgres from 'postgres';
import type { ApprovalService } from '../src/approvals/service.js';
import { verifyLedger } from '../src/audit/verify.js';
import { openDatabase } from '../src/db/client.js';
import { loadDemo } from '../src/demo/load.js';
import { silentLogger } from '../src/log.js';
import { loadConfig } from '../src/config.js';
import { type App, createApp } from '../src/runtime.js';

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const n = Number(process.env.BENCH_APPROVALS ?? 200);
const CLICKS = 16;
const D = 'demo.quartermaster.dev';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
const round1 = (x: number) => Math.round(x * 10) / 10;
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50Ms: round1(percentile(s, 50)), p99Ms: round1(percentile(s, 99)), maxMs: round1(s.at(-1) ?? 0) };
};

const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
const dbName = `qm_bench_appr_${process.pid}`;
await admin.unsafe(`create database ${dbName}`);
const url = new URL(serverUrl);
url.pathname = `/${dbName}`;
const a = await openDatabase({ url: url.toString(), poolSize: 10 });
const b = await openDatabase({ url: url.toString(), poolSize: 10 });
let apps: App[] = [];
try {
  await loadDemo({ database: a, log: silentLogger });
  // Two app instances on one database, as two servers behind a load balancer.
  apps = await Promise.all([a, b].map((database) => createApp(loadConfig({}), { purpose: 'bench approvals', database, log: silentLogger, jobs: 'off' })));
  const [sa, sb] = (await Promise.all(apps.map((app) => app.approvals()))) as [ApprovalService, ApprovalService];
  const [dell] = await a.query<{ id: string }>(`select id::text from suppliers where name = 'Dell Technologies Ltd'`);
  const submit = async (i: number) => {
    const r = await sa.submit({
      action: {
        kind: 'create_purchase_order',
        summary: `Bench PO ${i}`,
        proposedBy: 'spend',
        rationale: 'bench',
        params: { supplierId: dell!.id, quantity: 1, item: 'laptop' },
        amount: { value: `${1000 + i}.00`, currency: 'GBP' },
      },
      requester: `alice.moreno@${D}`,
    });
    return r.approval!.id;
  };

  // Uncontended: each approval gets one click; 8 approvals are decided at a time.
  const ids = [];
  for (let i = 0; i < n; i++) ids.push(await submit(i));
  const lat: number[] = [];
  let t0 = performance.now();
  for (let i = 0; i < ids.length; i += 8) {
    await Promise.all(
      ids.slice(i, i + 8).map(async (id, j) => {
        const s = performance.now();
        const r = await (j % 2 ? sa : sb).decide({ approval: id, user: `mia.santos@${D}`, decision: 'approve' });
        if (r.status !== 'recorded') throw new Error(`unexpected ${r.status}: ${r.message}`);
        lat.push(performance.now() - s);
      }),
    );
  }
  const uncontendedSeconds = (performance.now() - t0) / 1000;

  // Contended: 16 clicks per approval from two instances and two approvers at once.
  const contendedIds = [];
  const m = Math.max(10, Math.floor(n / 4));
  for (let i = 0; i < m; i++) contendedIds.push(await submit(n + i));
  const clickLat: number[] = [];
  let wins = 0;
  let told = 0;
  t0 = performance.now();
  for (const id of contendedIds) {
    const results = await Promise.all(
      Array.from({ length: CLICKS }, async (_, k) => {
        const s = performance.now();
        const r = await (k % 2 ? sa : sb).decide({ approval: id, user: k % 3 ? `mia.santos@${D}` : `daniel.reyes@${D}`, decision: 'approve' });
        clickLat.push(performance.now() - s);
        return r;
      }),
    );
    wins += results.filter((r) => r.status === 'recorded').length;
    told += results.filter((r) => r.status === 'already_decided').length;
  }
  const contendedSeconds = (performance.now() - t0) / 1000;
  const [pos] = await a.query<{ n: number }>(`select count(*)::int as n from purchase_orders where po_number like 'QM-PO-%'`);
  const verified = await verifyLedger(a);

  process.stdout.write(
    `${JSON.stringify({
      bench: 'approvals',
      database: 'postgres',
      uncontended: { approvals: n, concurrency: 8, decisionsPerSecond: round1(n / uncontendedSeconds), ...stats(lat) },
      contended: {
        approvals: m,
        clicksPerApproval: CLICKS,
        instances: 2,
        decisionsPerSecond: round1(m / contendedSeconds),
        clicksPerSecond: round1((m * CLICKS) / contendedSeconds),
        exactlyOneWinner: wins === m,
        othersToldWhoDecided: told === m * (CLICKS - 1),
        ...stats(clickLat),
      },
      purchaseOrdersRaised: pos!.n,
      expectedPurchaseOrders: n + m,
      ledgerVerified: verified.ok,
    })}\n`,
  );
} finally {
  await Promise.all(apps.map((app) => app.close()));
  await a.close();
  await b.close();
  await admin.unsafe(`drop database if exists ${dbName} with (force)`);
  await admin.end();
}
