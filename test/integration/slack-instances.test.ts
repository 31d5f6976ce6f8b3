// Several app instances on one PostgreSQL server, each its own process built as `qm serve` builds it
// (test/helpers/slack-instance.ts), playing
// Slack's part over real HTTP with signed requests: an event and its retries sent to different instances is answered
// once; a retry whose first delivery was lost is answered once; an instance killed (SIGKILL) after acknowledging an
// event, or a slash command, but before answering it does not lose it: another instance answers it once its lease
// lapses, and another again should that one die too; one killed after its answer reached Slack but before it marked
// the event answered is not answered again (the instance taking it over finds the answer in the thread). A slash command the bot must answer through its response_url (a channel it is not in) is answered there
// once, whether the same signed request reaches two instances at once, or the instance answering it stalls (SIGSTOP)
// past its lease, another takes it over, and the stalled one then goes on. Needs the real server (PGlite is one
// process): skipped without TEST_DATABASE_URL.
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { openDatabase } from '../../src/db/client.js';
import { projectPath } from '../../src/paths.js';
import { commandBody, eventEnvelope, type FakeSlackApi, slackHeaders, startFakeSlackApi } from '../fakes/slack-api.js';
import { createServerDatabase, hasServer } from '../helpers/databases.js';

const SECRET = 'slack-signing-secret-for-instances';
const TOKEN = 'xoxb-test-instances';
const GENERAL = 'C0GENERAL0';
const BEN = 'U0BEN00000';
const LEASE_MS = 2000;
const FORM = 'application/x-www-form-urlencoded';

type Instance = { url: string; child: ChildProcess; log: () => string };

describe.skipIf(!hasServer)('Slack on several app instances sharing one PostgreSQL server', () => {
  let dbUrl: string;
  let drop: () => Promise<void>;
  let database: Database;
  let fake: FakeSlackApi;
  const instances: Instance[] = [];
  let seq = 0;
  const newTs = () => `${1_781_000_000 + ++seq}.000200`;

  const start = (): Promise<Instance> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', projectPath('test', 'helpers', 'slack-instance.ts')], {
        env: {
          ...process.env,
          INSTANCE_DATABASE_URL: dbUrl,
          INSTANCE_SLACK_TOKEN: TOKEN,
          INSTANCE_SLACK_SECRET: SECRET,
          INSTANCE_SLACK_API_URL: fake.url,
          INSTANCE_LEASE_SECONDS: String(LEASE_MS / 1000),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      const timer = setTimeout(() => reject(new Error(`instance did not start: ${err}`)), 90_000);
      child.stderr!.on('data', (d) => {
        err += d;
      });
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /listening (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          const instance = { url: m[1]!, child, log: () => err };
          instances.push(instance);
          resolve(instance);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`instance exited (${code}) before starting: ${err}`));
      });
    });

  const kill = (i: Instance) =>
    new Promise<void>((resolve) => {
      if (i.child.exitCode !== null || i.child.signalCode !== null) return resolve();
      i.child.once('exit', () => resolve());
      i.child.kill('SIGKILL');
    });

  beforeAll(async () => {
    ({ url: dbUrl, drop } = await createServerDatabase());
    database = await openDatabase({ url: dbUrl, poolSize: 2 }); // migrates before the instances start
    fake = await startFakeSlackApi({ token: TOKEN, users: [{ id: BEN, name: 'Ben Buyer', email: 'ben@elsewhere.example' }] });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(instances.map(kill));
    await fake?.close();
    await database?.close();
    await drop?.();
  });

  const post = (i: Instance, body: string, headers: Record<string, string>) =>
    fetch(`${i.url}/slack/events`, { method: 'POST', headers: { ...headers, connection: 'close' }, body });

  const mention = (ts: string, text: string) => ({ type: 'app_mention', user: BEN, text: `<@${fake.botUserId}> ${text}`, ts, channel: GENERAL });

  const sendEvent = (i: Instance, event: Record<string, unknown>, eventId: string, retryNum?: number) => {
    const body = JSON.stringify(eventEnvelope(event, fake, eventId));
    return post(i, body, slackHeaders(SECRET, body, retryNum !== undefined ? { retryNum } : {}));
  };

  /** Answers posted (and stored by Slack) in the thread of `ts`. */
  const answersIn = (ts: string) => [...fake.messages.values()].filter((m) => m.channel === GENERAL && m.threadTs === ts);
  const answered = (ts: string) => fake.waitForCall((c) => c.method === 'chat.postMessage' && c.ok && c.args.thread_ts === ts, 30_000);
  const turnsOf = async (ts: string) => {
    const [row] = await database.query<{ n: number }>('select count(*)::int as n from conversation_turns where conversation_id = $1', [`slack:${GENERAL}:${ts}`]);
    return Number(row!.n);
  };
  const claimOf = async (key: string) => (await database.query<{ done: boolean }>('select done_at is not null as done from request_claims where key = $1', [key]))[0];
  const until = async (cond: () => boolean, timeoutMs = 30_000) => {
    const end = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > end) throw new Error('timed out waiting');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  /** Waits past the time another instance could still take anything over. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 2 * LEASE_MS + 2000));

  it('answers an event once when it and its two retries reach two different instances', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const ts = newTs();
    const event = mention(ts, 'What did we spend in total?');
    const done = answered(ts);
    const statuses = [];
    statuses.push((await sendEvent(a!, event, 'Ev0INST0001')).status);
    statuses.push((await sendEvent(b!, event, 'Ev0INST0001', 1)).status);
    statuses.push((await sendEvent(a!, event, 'Ev0INST0001', 2)).status);
    expect(statuses).toEqual([200, 200, 200]);
    await done;
    await settle();
    expect(answersIn(ts)).toHaveLength(1);
    expect(await turnsOf(ts)).toBe(1);
    expect(await claimOf('slack:event:Ev0INST0001')).toEqual({ done: true });
  }, 180_000);

  it('answers a retry whose first delivery never arrived, once', async () => {
    const [, b] = instances;
    const ts = newTs();
    const done = answered(ts);
    expect((await sendEvent(b!, mention(ts, 'Which contracts expire in the next 90 days?'), 'Ev0INST0002', 1)).status).toBe(200);
    await done;
    // Slack's next retry, to the other instance, changes nothing.
    expect((await sendEvent(instances[0]!, mention(ts, 'Which contracts expire in the next 90 days?'), 'Ev0INST0002', 2)).status).toBe(200);
    await settle();
    expect(answersIn(ts)).toHaveLength(1);
    expect(await turnsOf(ts)).toBe(1);
  }, 60_000);

  it('answers an event acknowledged by an instance killed before it answered, from another instance', async () => {
    const [a, b] = instances;
    const ts = newTs();
    // The answer from the first instance never gets through: it is killed while waiting on Slack.
    fake.holdNext('chat.postMessage', (args) => args.thread_ts === ts);
    const held = fake.waitForCall((c) => c.error === 'held' && c.args.thread_ts === ts, 30_000);
    const res = await sendEvent(a!, mention(ts, 'What did we spend with Dell?'), 'Ev0INST0003');
    expect(res.status).toBe(200); // acknowledged: Slack will not deliver it again
    await held;
    await kill(a!);
    const taken = await answered(ts);
    expect(taken.args.thread_ts).toBe(ts);
    await settle();
    expect(answersIn(ts)).toHaveLength(1);
    expect(await claimOf('slack:event:Ev0INST0003')).toEqual({ done: true });
    expect(b!.log()).toMatch(/did not answer in time/);
  }, 120_000);

  it('does not answer an event again when the instance killed before marking it answered had posted its answer', async () => {
    // One instance to be killed, and at least one other to take the event over.
    const up = instances.filter((i) => i.child.exitCode === null && i.child.signalCode === null).length;
    const [c] = await Promise.all([start(), ...Array.from({ length: Math.max(0, 1 - up) }, start)]);
    const ts = newTs();
    const key = 'slack:event:Ev0INST0009';
    // Slack posts the first instance's answer, but the instance is killed before it hears back (so before it marks
    // the question answered): the instance taking the event over finds that answer in the thread.
    fake.holdNext('chat.postMessage', (args) => args.thread_ts === ts, { carryOut: true });
    const held = fake.waitForCall((call) => call.error === 'held' && call.args.thread_ts === ts, 30_000);
    expect((await sendEvent(c!, mention(ts, 'What did we spend with Cisco?'), 'Ev0INST0009')).status).toBe(200);
    await held;
    expect(answersIn(ts)).toHaveLength(1);
    await kill(c!);
    // Taken over once the lease lapses, and marked answered by the instance that took it over.
    for (const end = Date.now() + 30_000; !(await claimOf(key))?.done && Date.now() < end; ) await new Promise((resolve) => setTimeout(resolve, 200));
    await settle();
    expect(answersIn(ts)).toHaveLength(1);
    expect(await claimOf(key)).toEqual({ done: true });
    expect(instances.some((i) => i !== c && /had been answered by the instance that died/.test(i.log()))).toBe(true);
  }, 120_000);

  it('answers a slash command acknowledged by an instance killed before it answered', async () => {
    const [b, c] = [instances[1]!, await start()];
    const question = 'What did we spend with Staples?';
    const body = commandBody({ command: '/qm', text: question, userId: BEN, channelId: GENERAL, teamId: fake.teamId });
    fake.holdNext('chat.postMessage', (args) => String(args.text ?? '').includes(question));
    const held = fake.waitForCall((call) => call.error === 'held' && String(call.args.text ?? '').includes(question), 30_000);
    const res = await post(c, body, slackHeaders(SECRET, body, { contentType: FORM }));
    expect(res.status).toBe(200);
    await held;
    await kill(c);
    const asked = await fake.waitForCall((call) => call.method === 'chat.postMessage' && call.ok && String(call.args.text ?? '').includes(question), 30_000);
    const parentTs = [...fake.messages.values()].find((m) => m.channel === GENERAL && (m.text ?? '').includes(question))!.ts;
    await until(() => answersIn(parentTs).length > 0);
    await settle();
    expect(asked.ok).toBe(true);
    expect(answersIn(parentTs)).toHaveLength(1);
    expect(b.child.exitCode).toBeNull();
  }, 180_000);

  it('answers an event once when the instance that took it over is killed too before answering', async () => {
    // Besides the one killed first, two more are up: one to take the event over and be killed, one to answer it.
    const up = instances.filter((i) => i.child.exitCode === null && i.child.signalCode === null).length;
    const [x] = await Promise.all([start(), ...Array.from({ length: Math.max(0, 2 - up) }, start)]);
    const ts = newTs();
    const key = 'slack:event:Ev0INST0007';
    // Neither the first instance's answer nor the taking-over instance's gets through: each is killed while waiting.
    fake.holdNext('chat.postMessage', (args) => args.thread_ts === ts);
    fake.holdNext('chat.postMessage', (args) => args.thread_ts === ts);
    const heldAt = (n: number) => until(() => fake.calls.filter((c) => c.error === 'held' && c.args.thread_ts === ts).length >= n);
    expect((await sendEvent(x!, mention(ts, 'What did we spend with Apple?'), 'Ev0INST0007')).status).toBe(200);
    await heldAt(1);
    await kill(x!);
    await heldAt(2);
    const taker = instances.find((i) => i.child.exitCode === null && i.child.signalCode === null && i.log().includes(key))!;
    expect(taker).toBeDefined();
    await kill(taker);
    await answered(ts);
    await settle();
    expect(answersIn(ts)).toHaveLength(1);
    expect(await claimOf(key)).toEqual({ done: true });
  }, 120_000);

  /** What went back through response_url, and what was posted in the channel, for one question. */
  const repliesTo = (question: string) => ({
    responseUrl: fake.callsTo('response_url').filter((c) => JSON.stringify(c.args).includes(question)).length,
    posted: fake.callsTo('chat.postMessage').filter((c) => JSON.stringify(c.args).includes(question)).length,
  });
  const command = (question: string) =>
    commandBody({ command: '/qm', text: question, userId: BEN, channelId: GENERAL, teamId: fake.teamId, responseUrl: `${fake.responseUrl}/${++seq}` });

  it('answers a slash command through response_url once when the same signed request reaches two instances at once', async () => {
    const [d, e] = await Promise.all([start(), start()]);
    const question = 'What did we spend with Lenovo?';
    const body = command(question);
    // The bot is not in the channel: whoever answers does so through response_url.
    fake.failNext('chat.postMessage', 'not_in_channel');
    const headers = slackHeaders(SECRET, body, { contentType: FORM });
    const statuses = await Promise.all([post(d!, body, headers), post(e!, body, headers)].map(async (r) => (await r).status));
    expect(statuses).toEqual([200, 200]);
    await until(() => repliesTo(question).responseUrl > 0);
    await settle();
    expect(repliesTo(question)).toEqual({ responseUrl: 1, posted: 0 });
  }, 180_000);

  it('answers a slash command once when the instance answering it stalls past its lease and then goes on', async () => {
    const alive = instances.filter((i) => i.child.exitCode === null && i.child.signalCode === null);
    const d = alive.at(-1)!;
    const question = 'What did we spend with HP?';
    const body = command(question);
    // d is stalled (SIGSTOP: a long pause, not a death) while Slack has its attempt to post in the channel.
    fake.holdNext('chat.postMessage', (args) => String(args.text ?? '').includes(question));
    const held = fake.waitForCall((c) => c.error === 'held' && String(c.args.text ?? '').includes(question), 30_000);
    expect((await post(d, body, slackHeaders(SECRET, body, { contentType: FORM }))).status).toBe(200);
    await held;
    d.child.kill('SIGSTOP');
    try {
      // Its lease lapses; another instance takes the command over, and is not in the channel either.
      fake.failNext('chat.postMessage', 'not_in_channel');
      await until(() => repliesTo(question).responseUrl > 0, 30_000);
    } finally {
      // d goes on: Slack refuses its post, so it would answer through response_url too, had it not lost the command.
      fake.releaseHeld('not_in_channel');
      d.child.kill('SIGCONT');
    }
    await settle();
    expect(repliesTo(question)).toEqual({ responseUrl: 1, posted: 0 });
    expect(d.log()).toMatch(/another instance took this command over/);
  }, 180_000);
});
