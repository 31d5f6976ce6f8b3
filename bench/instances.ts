// Three app instances (separate processes built as `qm serve` builds them: test/helpers/slack-instance.ts) on one
// PostgreSQL server with the demo organisation, behind a round-robin dispatcher that relays as a load balancer does
// (Host rewritten to the public name, X-Forwarded-For set: nothing reaches an instance as loopback), under mixed load;
// one instance is killed with SIGKILL in the middle and restarted later. The clients (bench/instances-clients.ts):
// - Slack: N senders each send an app_mention event and wait for its acknowledgement; a delivery that fails
//   (connection refused or reset, non-200) is retried, as Slack does, with X-Slack-Retry-Num, through the dispatcher
//   (so to another instance); one event in ten is also delivered again at once as a retry, to another instance.
// - Approval decisions: pending approvals (filed before the run) are approved by their approver from two places at
//   once, so two instances race on one approval: a Slack button click and a Teams Action.Execute, a Teams one and the
//   approvals API (personal token), or the API and Slack. A failed request is sent again (a person clicks again).
// - Teams: Action.Execute refresh invokes on approval cards, with the channel's JWT from a local Bot Framework signer.
// - MCP: spend_summary over streamable HTTP with a personal token.
// - Monitors: every instance runs three monitors on a short timer (a scheduled run skips while another holds the
//   monitor), and `qm monitor run` is started once per phase as a process of its own (it waits for its turn).
// Afterwards: every Slack event answered exactly once (answers counted at a fake Slack Web API by thread); every
// approval decided exactly once (approvals, approval_decisions and the ledger's approval_decision events) with its
// action executed once (action_outbox, the ledger's action_executed events, purchase orders raised); the ledger
// verifies; no two runs of one monitor overlapped (the ledger's monitor_run events: each ends at its time and lasted
// its ms). Reports, per phase (before, during, after the kill) and per request kind, answered requests per second,
// latency p50/p99 and errors (requests that got no answer the client accepts, before any retry, by reason: the
// dispatcher could not relay to the killed instance, an instance answered an error...), and how long each instance took
// from spawn to listening (the restart included). Prints one JSON line; exits 1 when a check fails.
// Needs a server: BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres. BENCH_PHASE_SECONDS (10),
// BENCH_SENDERS (3), BENCH_APPROVALS (300), BENCH_INSTANCE_LOGS (a folder for the instances' logs). The chat lease is
// 3 s here (QM_CHAT_LEASE_SECONDS), so takeovers show within the run.
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { createToken } from '../src/access/tokens.js';
import { verifyLedger } from '../src/audit/verify.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { loadDemo } from '../src/demo/load.js';
import { silentLogger } from '../src/log.js';
import { projectPath } from '../src/paths.js';
import { createApp } from '../src/runtime.js';
import { startFakeBotConnector, type TeamsMember } from '../test/fakes/bot-connector.js';
import { startFakeTokenSigner } from '../test/fakes/bot-framework-tokens.js';
import { eventEnvelope, slackHeaders, startFakeSlackApi } from '../test/fakes/slack-api.js';
import { requestDellPurchase } from '../test/helpers/purchases.js';
import { approvalOutcomes, monitorOverlaps } from './instances-checks.js';
import { apiApprove, type Clients, createStats, type Kind, mcpClient, type Phase, PHASES, reasonOf, send, slackApprove, teamsInvoke } from './instances-clients.js';

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const phaseMs = Number(process.env.BENCH_PHASE_SECONDS ?? 10) * 1000;
const senders = Number(process.env.BENCH_SENDERS ?? 3);
const approvalCount = Number(process.env.BENCH_APPROVALS ?? 300);
const logDir = process.env.BENCH_INSTANCE_LOGS; // a folder to keep each instance's log in (warnings and errors)
const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench';
const CHANNEL = 'C0BENCH000';
const USER = 'U0BENCH001';
const LEASE_SECONDS = 3;
const PUBLIC_HOST = 'qm.bench.example';
const TEAMS_APP_ID = '00000000-0000-4000-8000-0000000be0c4';
const MONITORS = ['renewal-deadlines', 'spend-anomalies', 'contract-burn'];
const D = 'demo.quartermaster.dev';
// Mia Santos approves the bench's purchase orders; in Slack and Teams she is the demo organisation's identities.
const MIA_SLACK = 'U0DEMO0011';
const MIA: TeamsMember = { id: '29:1mia-teams-user', name: 'Mia Santos', aadObjectId: '6f1c2a10-0000-4000-8000-000000000011', email: `mia.santos@${D}` };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const name = `qm_bench_inst_${process.pid}`;
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;
const dbUrl = url.toString();
const database = await openDatabase({ url: dbUrl, poolSize: 4 }); // migrated before the instances start
await loadDemo({ database, log: silentLogger });

// Before the run: personal tokens (as `qm tokens create` issues them) and the approvals to decide.
const miaToken = (await createToken(database, { user: `mia.santos@${D}`, name: 'bench decisions', createdBy: 'bench' })).token;
const benToken = (await createToken(database, { user: `ben.okafor@${D}`, name: 'bench MCP host', createdBy: 'bench' })).token;
const pending: { id: string; number: number }[] = [];
{
  const filer = await createApp(loadConfig({}), { purpose: 'bench instances', database, log: silentLogger, jobs: 'off' });
  const approvals = await filer.approvals();
  const numbers: number[] = [];
  for (let i = 0; i < approvalCount; i++) numbers.push(await requestDellPurchase(database, approvals, 1, 'laptop', `${1000 + i}.00`));
  pending.push(...(await database.query<{ id: string; number: number }>('select id::text, number from approvals where number = any($1::int[]) order by number', [numbers])));
  await filer.close();
}

const fake = await startFakeSlackApi({
  token: TOKEN,
  users: [
    { id: USER, name: 'Bench User', email: 'bench@elsewhere.example' },
    { id: MIA_SLACK, name: 'Mia Santos', email: `mia.santos@${D}` },
  ],
});
const connector = await startFakeBotConnector({ members: [MIA] });
const signer = await startFakeTokenSigner();

type Instance = { child: ChildProcess; port: number | undefined };
const instances: Instance[] = [];
/** Seconds from spawning each instance to its listening, in the order they started. */
const startSeconds: number[] = [];
const start = (slot: number) =>
  new Promise<void>((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', projectPath('test', 'helpers', 'slack-instance.ts')], {
      env: {
        ...process.env,
        INSTANCE_DATABASE_URL: dbUrl,
        INSTANCE_SLACK_TOKEN: TOKEN,
        INSTANCE_SLACK_SECRET: SECRET,
        INSTANCE_SLACK_API_URL: fake.url,
        INSTANCE_LEASE_SECONDS: String(LEASE_SECONDS),
        INSTANCE_ALLOWED_HOSTS: PUBLIC_HOST,
        INSTANCE_TEAMS_APP_ID: TEAMS_APP_ID,
        INSTANCE_TEAMS_OPENID_URL: signer.metadataUrl,
        INSTANCE_MONITORS: MONITORS.join(','),
        INSTANCE_MONITOR_EVERY_MS: '1000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    instances[slot] = { child, port: undefined };
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => {
      err = (err + d).slice(-4000);
      if (logDir) appendFileSync(join(logDir, `instance-${slot}.log`), d);
    });
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        instances[slot]!.port = Number(m[1]);
        startSeconds.push(Math.round((performance.now() - t0) / 100) / 10);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`instance ${slot} exited (${code}): ${err}`)));
  });
await Promise.all([0, 1, 2].map(start));

// The dispatcher: round robin over the instances, as a load balancer without retries (the clients retry). It relays
// under the public host name and says who the client was, so no request reaches an instance as a loopback caller.
let next = 0;
const dispatcher = createServer((req, res) => {
  const slot = next++ % instances.length;
  const target = instances[slot]!;
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const fail = (why: string) => {
      if (!res.headersSent) res.writeHead(502, { 'x-bench-failure': why }).end();
    };
    if (!target.port) return fail('instance down');
    const headers = { ...req.headers, host: PUBLIC_HOST, 'x-forwarded-for': '198.51.100.23', 'x-forwarded-proto': 'https', connection: 'close' };
    const up = httpRequest({ host: '127.0.0.1', port: target.port, path: req.url, method: req.method, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, { ...r.headers, 'x-bench-instance': String(slot) });
      r.on('error', () => res.destroy()); // the instance died while answering: the client sees the connection reset
      r.pipe(res);
    });
    up.on('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
    up.end(Buffer.concat(chunks));
  });
});
await new Promise<void>((resolve) => dispatcher.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(dispatcher.address() as AddressInfo).port}`;
const clients: Clients = { base, slack: { secret: SECRET, teamId: fake.teamId }, teams: { signer, appId: TEAMS_APP_ID, serviceUrl: connector.url } };

const stats = createStats();
let phase: Phase = 'before';
const phaseStart: Record<Phase, number> = { before: performance.now(), during: 0, after: 0 };
let running = true;
/** Times one request of `kind`; `ok` says whether its answer is what the client expects. */
const timed = async <T>(kind: Kind, request: () => Promise<T>, ok: (r: T) => boolean): Promise<T | undefined> => {
  const p = phase;
  const t0 = performance.now();
  let reason: string;
  try {
    const r = await request();
    if (ok(r)) {
      stats.ok(p, kind, performance.now() - t0);
      return r;
    }
    reason = reasonOf(r);
  } catch (err) {
    reason = reasonOf(err); // refused, reset or a protocol error
  }
  stats.error(p, kind, reason);
  return undefined;
};

// Slack events.
const sent: string[] = [];
/** Events some instance acknowledged (Slack would stop retrying them), and the phase each was first sent in. */
const acked = new Set<string>();
const sentIn = new Map<string, Phase>();
let seq = 0;
const deliver = async (body: string, retryNum?: number) =>
  Boolean(await timed('slack_event', () => send(`${base}/slack/events`, slackHeaders(SECRET, body, retryNum ? { retryNum } : {}), body), (r) => r.status === 200));
const slackSender = async () => {
  while (running) {
    const ts = `${1_800_000_000 + ++seq}.000100`;
    sent.push(ts);
    sentIn.set(ts, phase);
    const body = JSON.stringify(eventEnvelope({ type: 'app_mention', user: USER, text: `<@${fake.botUserId}> What did we spend in total?`, ts, channel: CHANNEL }, fake, `EvB${seq}`));
    let ok = await deliver(body);
    if (seq % 10 === 0) void deliver(body, 1).then((k) => k && acked.add(ts)); // a retry of an event that was delivered fine
    for (let retry = 1; !ok && retry <= 3; retry++) {
      await sleep(200);
      ok = await deliver(body, retry);
    }
    if (ok) acked.add(ts);
  }
};

// Approval decisions: two at once per approval, from two of Slack, Teams and the API.
type Via = 'slack' | 'teams' | 'api';
const PAIRS: readonly [Via, Via][] = [
  ['slack', 'teams'],
  ['teams', 'api'],
  ['api', 'slack'],
];
const decided: { id: string; number: number }[] = [];
let pairsOnTwoInstances = 0;
let apiRecorded = 0;
let apiAlreadyDecided = 0;
const decideVia = async (via: Via, a: { id: string; number: number }): Promise<number> => {
  const kind: Kind = via === 'slack' ? 'decision_slack' : via === 'teams' ? 'decision_teams' : 'decision_api';
  for (let attempt = 0; attempt < 4; attempt++) {
    if (attempt > 0) await sleep(200);
    const r = await timed(
      kind,
      () => (via === 'slack' ? slackApprove(clients, MIA_SLACK, a.id) : via === 'teams' ? teamsInvoke(clients, MIA, 'approve', a) : apiApprove(clients, miaToken, a.id)),
      (r) => (via === 'api' ? r.status === 200 || r.status === 409 : r.status === 200 && (via === 'slack' || (JSON.parse(r.text) as { statusCode?: number }).statusCode === 200)),
    );
    if (r) {
      if (via === 'api') r.status === 200 ? apiRecorded++ : apiAlreadyDecided++;
      return r.slot;
    }
  }
  return -1;
};
const decider = async () => {
  while (running && pending.length > 0) {
    const a = pending.shift()!;
    const [x, y] = PAIRS[decided.length % PAIRS.length]!;
    decided.push(a);
    const slots = await Promise.all([decideVia(x, a), decideVia(y, a)]);
    if (slots[0]! >= 0 && slots[1]! >= 0 && slots[0] !== slots[1]) pairsOnTwoInstances++;
    await sleep(50);
  }
};

// Teams refresh invokes on cards already decided or still pending.
const teamsViewer = async () => {
  let i = 0;
  while (running) {
    const a = decided[i++ % Math.max(1, decided.length)] ?? pending[0]!;
    await timed('teams_invoke', () => teamsInvoke(clients, MIA, 'refresh', a), (r) => r.status === 200 && (JSON.parse(r.text) as { statusCode?: number }).statusCode === 200);
  }
};

// An MCP host asking for spend by supplier.
const mcpHost = async () => {
  const { client, failure } = await mcpClient(clients, benToken);
  const call = () =>
    client.callTool({ name: 'spend_summary', arguments: { group_by: 'supplier' } }).catch((err: Error) => {
      throw new Error(failure() ?? err.message);
    });
  while (running) {
    await timed('mcp_call', call, (r) => !r.isError && r.structuredContent !== undefined);
  }
  await client.close();
};

// `qm monitor run` as its own process, once per phase, on the same database as the instances.
const cliRuns: Promise<number | null>[] = [];
const runCli = () =>
  cliRuns.push(
    new Promise((resolve) => {
      const env = { ...process.env, DATABASE_URL: dbUrl, QM_DATA_DIR: mkdtempSync(join(tmpdir(), 'qm-bench-cli-')), QM_LOG_LEVEL: 'warn' };
      const child = spawn(process.execPath, [projectPath('bin', 'qm.js'), 'monitor', 'run', MONITORS[0]!], { env, stdio: 'ignore' });
      child.once('exit', (code) => resolve(code));
    }),
  );

runCli();
const load = Promise.all([...Array.from({ length: senders }, slackSender), decider(), teamsViewer(), mcpHost()]);
await sleep(phaseMs);
phase = 'during';
phaseStart.during = performance.now();
runCli();
instances[1]!.child.kill('SIGKILL');
instances[1]!.port = undefined;
await sleep(phaseMs);
await start(1);
phase = 'after';
phaseStart.after = performance.now();
runCli();
await sleep(phaseMs);
running = false;
await load;
const ended = performance.now();
const cliExits = await Promise.all(cliRuns);

// Every event answered exactly once, once takeovers have had their lease and a poll.
const answers = () => {
  const byThread = new Map<string, number>();
  for (const m of fake.messages.values()) if (m.channel === CHANNEL && m.threadTs) byThread.set(m.threadTs, (byThread.get(m.threadTs) ?? 0) + 1);
  return byThread;
};
const deadline = Date.now() + 60_000;
while (Date.now() < deadline && sent.some((ts) => acked.has(ts) && (answers().get(ts) ?? 0) === 0)) await sleep(500);
await sleep((LEASE_SECONDS + 3) * 1000);
const counted = answers();
const unansweredTs = sent.filter((ts) => acked.has(ts) && (counted.get(ts) ?? 0) === 0);
const unanswered = unansweredTs.length;
const twiceTs = sent.filter((ts) => (counted.get(ts) ?? 0) > 1);
const neverAcked = sent.filter((ts) => !acked.has(ts));
const [takeovers] = await database.query<{ n: number }>("select count(*)::int as n from request_claims where kind = 'slack:event' and done_at is not null");
/** Where an unanswered event stands: its claim, its message's claim and its takeover jobs. */
const whereIs = async (ts: string) => {
  const seqOf = Number(ts.split('.')[0]) - 1_800_000_000;
  const claims = await database.query<{ key: string; done: boolean; expired: boolean }>(
    'select key, done_at is not null as done, expires_at < now() as expired from request_claims where key = any($1::text[])',
    [[`slack:event:EvB${seqOf}`, `slack:message:${CHANNEL}:${ts}`]],
  );
  const jobs = await database.query<{ state: string; retries: number }>(
    "select state::text, retry_count as retries from pgboss.job where name = 'chat-takeover-slack' and data->>'key' = $1",
    [`slack:event:EvB${seqOf}`],
  );
  return { ts, phase: sentIn.get(ts), claims, jobs };
};

// Every approval decided once, its purchase order raised once; no two runs of one monitor at once.
const ids = decided.map((a) => a.id);
const { rows, purchaseOrders } = await approvalOutcomes(database, ids);
const { runsPer, overlapping, overlapDetail, closestGapMs } = await monitorOverlaps(database);
const ledger = await verifyLedger(database);

const seconds = (p: Phase) => ((p === 'before' ? phaseStart.during : p === 'during' ? phaseStart.after : ended) - phaseStart[p]) / 1000;
const approvalsOk = rows.length === ids.length && rows.every((r) => r.status === 'approved' && r.decisions === 1 && r.decision_events === 1 && r.outbox === 1 && r.done === 1 && r.executed_events === 1);
const checks = {
  every_event_answered_once: unanswered === 0 && twiceTs.length === 0,
  every_decision_once_action_once: approvalsOk && purchaseOrders === ids.length,
  ledger_verifies: ledger.ok,
  no_monitor_overlap: overlapping === 0,
};
process.stdout.write(
  `${JSON.stringify({
    bench: 'instances',
    instances: 3,
    senders,
    // the three first starts, then the restart of the killed one (spawn to listening, under the load of the others)
    start_seconds: startSeconds,
    phase_seconds: Object.fromEntries(PHASES.map((p) => [p, Math.round(seconds(p) * 10) / 10])),
    checks,
    slack_events: {
      sent: sent.length,
      acknowledged: acked.size,
      answered_once: sent.filter((ts) => counted.get(ts) === 1).length,
      acknowledged_unanswered: unanswered,
      ...(unanswered > 0 ? { unanswered_detail: await Promise.all(unansweredTs.slice(0, 5).map(whereIs)) } : {}),
      answered_twice: twiceTs.length,
      ...(twiceTs.length > 0 ? { twice_detail: await Promise.all(twiceTs.slice(0, 5).map(whereIs)) } : {}),
      // Every delivery failed (the killed instance's connections, restarts): Slack would deliver these again later.
      never_acknowledged: neverAcked.length,
      never_acknowledged_answered: neverAcked.filter((ts) => (counted.get(ts) ?? 0) > 0).length,
      claims_done: Number(takeovers?.n ?? 0),
    },
    approvals: {
      decided: ids.length,
      pairs_on_two_instances: pairsOnTwoInstances,
      api_recorded: apiRecorded,
      api_already_decided: apiAlreadyDecided,
      approved: rows.filter((r) => r.status === 'approved').length,
      decisions_not_one: rows.filter((r) => r.decisions !== 1).length,
      decision_events_not_one: rows.filter((r) => r.decision_events !== 1).length,
      actions_not_once: rows.filter((r) => r.outbox !== 1 || r.done !== 1 || r.executed_events !== 1).length,
      purchase_orders: purchaseOrders,
    },
    monitors: { runs: runsPer, overlapping, ...(overlapping > 0 ? { overlap_detail: overlapDetail.slice(0, 5) } : {}), closest_gap_ms: Number.isFinite(closestGapMs) ? Math.round(closestGapMs) : null, cli_exit_codes: cliExits },
    ledger: { ok: ledger.ok, events: ledger.events },
    before: stats.summary('before', seconds('before')),
    during_kill: stats.summary('during', seconds('during')),
    after_restart: stats.summary('after', seconds('after')),
  })}\n`,
);

for (const i of instances) i.child.kill('SIGKILL');
dispatcher.close();
await fake.close();
await connector.close();
await signer.close();
await database.close();
await admin.unsafe(`drop database if exists ${name} with (force)`);
await admin.end();
process.exitCode = Object.values(checks).every(Boolean) ? 0 : 1;
