// Three app instances (separate processes built as `qm serve` builds them: test/helpers/slack-instance.ts) on one
// PostgreSQL server behind a round-robin dispatcher, under signed Slack events; one instance is killed with SIGKILL in
// the middle and restarted later. The load generator plays Slack: N senders each send an app_mention event and wait
// for its acknowledgement; a delivery that fails (connection refused or reset, non-200) is retried, as Slack does,
// with X-Slack-Retry-Num, through the dispatcher (so to another instance); one event in ten is also delivered again
// at once as a retry, to another instance. Afterwards: every event must be answered exactly once (answers counted at
// a fake Slack Web API by thread). Reports, per phase (before, during, after the kill), events acknowledged per
// second, acknowledgement latency p50/p99 and failed deliveries. Prints one JSON line.
// Needs a server: BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres. BENCH_PHASE_SECONDS (10),
// BENCH_SENDERS (4). The chat lease is 3 s here (QM_CHAT_LEASE_SECONDS), so takeovers show within the run.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import postgres from 'postgres';
import { openDatabase } from '../src/db/client.js';
import { projectPath } from '../src/paths.js';
import { eventEnvelope, slackHeaders, startFakeSlackApi } from '../test/fakes/slack-api.js';

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const phaseMs = Number(process.env.BENCH_PHASE_SECONDS ?? 10) * 1000;
const senders = Number(process.env.BENCH_SENDERS ?? 4);
const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench';
const CHANNEL = 'C0BENCH000';
const USER = 'U0BENCH001';
const LEASE_SECONDS = 3;

const name = `qm_bench_inst_${process.pid}`;
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;
const dbUrl = url.toString();
const database = await openDatabase({ url: dbUrl, poolSize: 2 }); // migrated before the instances start
const fake = await startFakeSlackApi({ token: TOKEN, users: [{ id: USER, name: 'Bench User', email: 'bench@elsewhere.example' }] });

type Instance = { child: ChildProcess; port: number | undefined };
const instances: Instance[] = [];
const start = (slot: number) =>
  new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', projectPath('test', 'helpers', 'slack-instance.ts')], {
      env: {
        ...process.env,
        INSTANCE_DATABASE_URL: dbUrl,
        INSTANCE_SLACK_TOKEN: TOKEN,
        INSTANCE_SLACK_SECRET: SECRET,
        INSTANCE_SLACK_API_URL: fake.url,
        INSTANCE_LEASE_SECONDS: String(LEASE_SECONDS),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    instances[slot] = { child, port: undefined };
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => {
      err = (err + d).slice(-4000);
    });
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        instances[slot]!.port = Number(m[1]);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`instance ${slot} exited (${code}): ${err}`)));
  });
await Promise.all([0, 1, 2].map(start));

// The dispatcher: round robin over the instances, as a load balancer without retries (the sender retries).
let next = 0;
const dispatcher = createServer((req, res) => {
  const target = instances[next++ % instances.length]!;
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const fail = () => {
      if (!res.headersSent) res.writeHead(502).end();
    };
    if (!target.port) return fail();
    const up = httpRequest({ host: '127.0.0.1', port: target.port, path: req.url, method: req.method, headers: { ...req.headers, connection: 'close' } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', fail);
    up.end(Buffer.concat(chunks));
  });
});
await new Promise<void>((resolve) => dispatcher.listen(0, '127.0.0.1', resolve));
const dispatch = `http://127.0.0.1:${(dispatcher.address() as AddressInfo).port}/slack/events`;

type Phase = 'before' | 'during' | 'after';
const stats: Record<Phase, { acked: number; failed: number; ms: number[] }> = {
  before: { acked: 0, failed: 0, ms: [] },
  during: { acked: 0, failed: 0, ms: [] },
  after: { acked: 0, failed: 0, ms: [] },
};
let phase: Phase = 'before';
const sent: string[] = [];
/** Events some instance acknowledged (Slack would stop retrying them), and the phase each was first sent in. */
const acked = new Set<string>();
const sentIn = new Map<string, Phase>();
let seq = 0;

/** One delivery; true when Slack would count it delivered (a 200). */
const deliver = async (body: string, retryNum?: number): Promise<boolean> => {
  const t0 = performance.now();
  const p = phase;
  try {
    const res = await fetch(dispatch, { method: 'POST', headers: { ...slackHeaders(SECRET, body, retryNum ? { retryNum } : {}), connection: 'close' }, body });
    await res.arrayBuffer();
    if (res.status === 200) {
      stats[p].acked++;
      stats[p].ms.push(performance.now() - t0);
      return true;
    }
  } catch {
    // refused or reset: counted as failed below
  }
  stats[p].failed++;
  return false;
};

let running = true;
const sender = async () => {
  while (running) {
    const ts = `${1_800_000_000 + ++seq}.000100`;
    sent.push(ts);
    sentIn.set(ts, phase);
    const body = JSON.stringify(eventEnvelope({ type: 'app_mention', user: USER, text: `<@${fake.botUserId}> What did we spend in total?`, ts, channel: CHANNEL }, fake, `EvB${seq}`));
    let ok = await deliver(body);
    if (seq % 10 === 0) void deliver(body, 1).then((k) => k && acked.add(ts)); // a retry of an event that was delivered fine
    for (let retry = 1; !ok && retry <= 3; retry++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      ok = await deliver(body, retry);
    }
    if (ok) acked.add(ts);
  }
};

const load = Promise.all(Array.from({ length: senders }, sender));
await new Promise((resolve) => setTimeout(resolve, phaseMs));
phase = 'during';
instances[1]!.child.kill('SIGKILL');
instances[1]!.port = undefined;
await new Promise((resolve) => setTimeout(resolve, phaseMs));
await start(1);
phase = 'after';
await new Promise((resolve) => setTimeout(resolve, phaseMs));
running = false;
await load;

// Every event answered exactly once, once takeovers have had their lease and a poll.
const answers = () => {
  const byThread = new Map<string, number>();
  for (const m of fake.messages.values()) if (m.channel === CHANNEL && m.threadTs) byThread.set(m.threadTs, (byThread.get(m.threadTs) ?? 0) + 1);
  return byThread;
};
const deadline = Date.now() + 60_000;
while (Date.now() < deadline && sent.some((ts) => (answers().get(ts) ?? 0) === 0)) await new Promise((resolve) => setTimeout(resolve, 500));
await new Promise((resolve) => setTimeout(resolve, (LEASE_SECONDS + 3) * 1000));
const counted = answers();
const unansweredTs = sent.filter((ts) => acked.has(ts) && (counted.get(ts) ?? 0) === 0);
const twiceTs = sent.filter((ts) => (counted.get(ts) ?? 0) > 1);
const unanswered = unansweredTs.length;
const twice = twiceTs.length;
const neverAcked = sent.filter((ts) => !acked.has(ts));
const [takeovers] = await database.query<{ n: number }>("select count(*)::int as n from request_claims where kind = 'slack:event' and done_at is not null");

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10;
};
const summary = (p: Phase) => ({
  events_per_s: Math.round((stats[p].acked / (phaseMs / 1000)) * 10) / 10,
  ack_p50_ms: pct(stats[p].ms, 50),
  ack_p99_ms: pct(stats[p].ms, 99),
  failed_deliveries: stats[p].failed,
});
process.stdout.write(
  `${JSON.stringify({
    bench: 'instances',
    instances: 3,
    senders,
    phase_seconds: phaseMs / 1000,
    events: sent.length,
    acknowledged: acked.size,
    answered_once: sent.filter((ts) => counted.get(ts) === 1).length,
    acknowledged_unanswered: unanswered,
    answered_twice: twice,
    twice_sent_in: twiceTs.map((ts) => sentIn.get(ts)),
    // Every delivery failed (the killed instance's connections, restarts): Slack would deliver these again later.
    never_acknowledged: neverAcked.length,
    never_acknowledged_answered: neverAcked.filter((ts) => (counted.get(ts) ?? 0) > 0).length,
    claims_done: Number(takeovers?.n ?? 0),
    before: summary('before'),
    during_kill: summary('during'),
    after_restart: summary('after'),
  })}\n`,
);

for (const i of instances) i.child.kill('SIGKILL');
dispatcher.close();
await fake.close();
await database.close();
await admin.unsafe(`drop database if exists ${name} with (force)`);
await admin.end();
process.exitCode = unanswered === 0 && twice === 0 ? 0 : 1;
