// Slack events through POST /slack/events on the main server: signed app_mention events, each answered by the rule
// planner on a real PostgreSQL server (demo organisation loaded) and posted with chat.postMessage to a fake Slack
// Web API on localhost. Closed loop at 1 and 32 concurrent senders: each sender sends an event, waits for the ack,
// then for the answer to reach the fake API, then sends the next. Reports events/s, ack latency and time to the
// answer (p50/p99), next to two bare Bolt apps that only ack and echo the text back: one on the same receiver
// (hono route + HonoReceiver) and one on Bolt's own HTTPReceiver. Everything runs in this one process (server,
// fake API, senders), as it would share a machine's cores anyway. Prints one JSON line.
// Needs a server: BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
// BENCH_SLACK_EVENTS (events per sender at 32 senders, default 10; 15× that at 1 sender), BENCH_SLACK_BARE_FACTOR (5).
import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import { Hono } from 'hono';
import postgres from 'postgres';
import { createBoltApp } from '../bots/slack/index.js';
import { boltLogger } from '../bots/slack/logger.js';
import { HonoReceiver } from '../bots/slack/receiver.js';
import { openDatabase } from '../src/db/client.js';
import { loadDemo } from '../src/demo/load.js';
import { listen } from '../src/http/server.js';
import { silentLogger } from '../src/log.js';
import { loadConfig } from '../src/config.js';
import { createApp } from '../src/runtime.js';
import { eventEnvelope, type FakeSlackApi, slackHeaders, startFakeSlackApi } from '../test/fakes/slack-api.js';

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const perSender = Number(process.env.BENCH_SLACK_EVENTS ?? 10);
const bareFactor = Number(process.env.BENCH_SLACK_BARE_FACTOR ?? 5);
const TODAY = '2026-11-27';
const now = () => new Date(`${TODAY}T12:00:00Z`);
const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench';
const CHANNEL = 'C0BENCH000';
const USER = 'U0DEMO0002';

// Read-only questions (a purchase request would also post approval cards).
const QUESTIONS = [
  'What did we spend in 2012?',
  'What did we spend with Refinitiv in March 2026?',
  'Top 10 suppliers by spend in 2012',
  'Spend by category last quarter',
  'Is Aerocaribbean Airlines sanctioned?',
  'Which contracts expire in the next 90 days?',
  'What are the termination terms with Refinitiv?',
  'Tell me about Dell',
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
const round1 = (n: number) => Math.round(n * 10) / 10;
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: round1(percentile(s, 50)), p99: round1(percentile(s, 99)), max: round1(s.at(-1) ?? 0) };
};

let tsSeq = 0;
const nextTs = () => `${1_800_000_000 + ++tsSeq}.000100`;

/** `senders` closed loops of `each` events against `url`; every answer is awaited at the fake API. */
async function run(url: string, fake: FakeSlackApi, senders: number, each: number) {
  const ack: number[] = [];
  const reply: number[] = [];
  let failures = 0;
  let q = 0;
  const sender = async () => {
    for (let i = 0; i < each; i++) {
      const ts = nextTs();
      const text = QUESTIONS[q++ % QUESTIONS.length]!;
      const body = JSON.stringify(eventEnvelope({ type: 'app_mention', user: USER, text: `<@${fake.botUserId}> ${text}`, ts, channel: CHANNEL }, fake));
      const answered = fake.waitForCall((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts, 60_000);
      const started = performance.now();
      const res = await fetch(url, { method: 'POST', headers: slackHeaders(SECRET, body), body });
      await res.arrayBuffer();
      ack.push(performance.now() - started);
      if (res.status !== 200) failures++;
      const call = await answered.catch(() => undefined);
      if (!call) failures++;
      else reply.push(call.at - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: senders }, sender));
  const seconds = (performance.now() - started) / 1000;
  return { senders, events: senders * each, failures, eventsPerSecond: round1((senders * each) / seconds), ackMs: stats(ack), answerMs: stats(reply) };
}

/** Echo listener for the bare apps: the mention's text back in the thread. */
function echo(app: App): void {
  app.event('app_mention', async ({ event, client }) => {
    await client.chat.postMessage({ channel: event.channel, thread_ts: event.thread_ts ?? event.ts, text: event.text ?? '' });
  });
}

const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
const dbName = `qm_bench_slack_${process.pid}`;
await admin.unsafe(`create database ${dbName}`);
const url = new URL(serverUrl);
url.pathname = `/${dbName}`;
const database = await openDatabase({ url: url.toString(), poolSize: 10 });
const fake = await startFakeSlackApi({ token: TOKEN, users: [{ id: USER, name: 'Ben Okafor', email: 'ben.okafor@demo.quartermaster.dev' }] });
const closers: (() => Promise<unknown>)[] = [];
try {
  const loadStarted = performance.now();
  await loadDemo({ database, today: new Date(TODAY) });
  const demoLoadMs = Math.round(performance.now() - loadStarted);

  // Quartermaster: the real server, bot, orchestrator and approvals service.
  const qm = await createApp(loadConfig({ SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.url }), {
    purpose: 'bench slack',
    database,
    log: silentLogger,
    now,
    jobs: 'off',
  });
  const server = await listen(await qm.http({}), { port: 0, host: '127.0.0.1', log: silentLogger });
  closers.push(() => server.close(), () => qm.close());
  const qmUrl = `${server.url.replace('localhost', '127.0.0.1')}/slack/events`;

  // Bare Bolt on the same receiver, mounted on a plain hono app.
  const bareReceiver = new HonoReceiver({ signingSecret: SECRET, log: silentLogger });
  const bare = createBoltApp({ botToken: TOKEN, receiver: bareReceiver, log: silentLogger, apiUrl: fake.url, socket: false });
  await bare.init();
  echo(bare);
  const bareHono = new Hono();
  bareHono.post('/slack/events', (c) => bareReceiver.handle(c.req.raw));
  const bareServer = await listen(bareHono, { port: 0, host: '127.0.0.1', log: silentLogger });
  closers.push(() => bareServer.close());

  // Bare Bolt on its own HTTPReceiver (node:http).
  const boltOwn = new App({
    token: TOKEN,
    signingSecret: SECRET,
    logger: boltLogger(silentLogger),
    clientOptions: { slackApiUrl: fake.url },
    deferInitialization: true,
    convoStore: false,
  });
  await boltOwn.init();
  echo(boltOwn);
  const boltServer = (await boltOwn.start({ port: 0, host: '127.0.0.1' })) as unknown as { address(): AddressInfo };
  closers.push(() => boltOwn.stop());
  const boltUrl = `http://127.0.0.1:${boltServer.address().port}/slack/events`;

  // Warm-up: JIT, query plans, the screening index, the supplier name pool, HTTP keep-alive.
  await run(qmUrl, fake, 1, QUESTIONS.length * 2);
  await run(`http://127.0.0.1:${bareServer.port}/slack/events`, fake, 4, 25);
  await run(boltUrl, fake, 4, 25);

  const quartermaster = { senders1: await run(qmUrl, fake, 1, perSender * 15), senders32: await run(qmUrl, fake, 32, perSender) };
  const bareUrl = `http://127.0.0.1:${bareServer.port}/slack/events`;
  const bareOurReceiver = {
    senders1: await run(bareUrl, fake, 1, perSender * 15 * bareFactor),
    senders32: await run(bareUrl, fake, 32, perSender * bareFactor),
  };
  const bareBoltHttpReceiver = {
    senders1: await run(boltUrl, fake, 1, perSender * 15 * bareFactor),
    senders32: await run(boltUrl, fake, 32, perSender * bareFactor),
  };
  await (await qm.channels()).slack?.drain();

  process.stdout.write(
    `${JSON.stringify({
      bench: 'slack',
      database: 'postgres',
      demoLoadMs,
      questions: QUESTIONS.length,
      quartermaster,
      bareOurReceiver,
      bareBoltHttpReceiver,
      // How much the orchestration costs over a bare echo on the same receiver, and our receiver over Bolt's own.
      ratios: {
        answerP50OursOverBare1Sender: round1(quartermaster.senders1.answerMs.p50 / Math.max(0.1, bareOurReceiver.senders1.answerMs.p50)),
        eventsPerSecondBareOverOurs32Senders: round1(bareOurReceiver.senders32.eventsPerSecond / Math.max(0.1, quartermaster.senders32.eventsPerSecond)),
        ackP50OurReceiverOverBoltHttpReceiver1Sender: round1(bareOurReceiver.senders1.ackMs.p50 / Math.max(0.01, bareBoltHttpReceiver.senders1.ackMs.p50)),
        ackP50OurReceiverOverBoltHttpReceiver32Senders: round1(bareOurReceiver.senders32.ackMs.p50 / Math.max(0.01, bareBoltHttpReceiver.senders32.ackMs.p50)),
      },
    })}\n`,
  );
} finally {
  for (const close of closers.reverse()) await close().catch(() => {});
  await fake.close();
  await database.close();
  await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
  await admin.end();
}
