// The Slack bot over real HTTP: the main hono server on an ephemeral port with POST /slack/events mounted, requests
// signed exactly as Slack signs them, and Bolt's Web API client pointed at a fake Slack API on another port. The demo
// organisation is loaded; figures in answers are checked against SQL over the tables; approvals go through the real
// approvals service and policy, and every payload the bot sends is checked against Block Kit's limits.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { ApprovalService } from '../../src/approvals/service.js';
import type { App } from '../../src/runtime.js';
import { openTestApp } from '../helpers/app.js';
import type { Database } from '../../src/db/client.js';
import { loadDemo } from '../../src/demo/load.js';
import { buildDemoOrganisation } from '../../src/demo/organisation.js';
import { createHttpApp } from '../../src/http/app.js';
import { listen, type RunningServer } from '../../src/http/server.js';
import { mountSlack, openSlackBot } from '../../src/http/slack.js';
import { loadConfig } from '../../src/config.js';
import { Hono } from 'hono';
import { silentLogger } from '../../src/log.js';
import type { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import { projectPath } from '../../src/paths.js';
import {
  checkBlockKitLimits,
  checkMessageLimits,
  checkViewLimits,
  createSlackBot,
  renderApprovalCard,
  renderHome,
  renderReasonModal,
  renderReply,
  type SlackBot,
} from '../../bots/slack/index.js';
import { approvalCard } from '../../src/approvals/card.js';
import type { Approval } from '../../src/approvals/types.js';
import type { Reply } from '../../src/orchestrator/types.js';
import { COMMAND } from '../../bots/slack/listeners/slash-command.js';
import { SLACK_EVENTS_PATH } from '../../src/http/slack.js';
import {
  buttonClick,
  commandBody,
  eventEnvelope,
  type FakeSlackApi,
  interactivityBody,
  type SlackCall,
  slackHeaders,
  startFakeSlackApi,
  viewSubmission,
} from '../fakes/slack-api.js';
import { testDatabases } from '../helpers/databases.js';

const SECRET = 'slack-signing-secret-for-tests-0123';
const TOKEN = 'xoxb-test-0000-quartermaster';
const APPROVALS = 'C0APPROVALS';
const GENERAL = 'C0GENERAL0';
const TODAY = '2026-11-27';
const NOW = new Date(`${TODAY}T12:00:00Z`);
const FORM = 'application/x-www-form-urlencoded';

const ALICE = 'U0DEMO0001'; // requester
const BEN = 'U0DEMO0002'; // buyer, no approval role
const DANIEL = 'U0DEMO0004'; // budget holder
const FRANK = 'U0DEMO0006'; // CFO
const IVY = 'U0DEMO0009'; // procurement manager
const MIA = 'U0DEMO0011'; // budget holder
const STRANGER = 'U0STRANGER'; // in Slack, not in Quartermaster
const ERIN_ALT = 'U0ERINALT0'; // Erin's Slack account under another id: mapped by email

/** Money as answers write it, from an exact decimal string: "£304,739,476.32". */
function gbp(decimal: string): string {
  const [whole = '0', frac = ''] = decimal.replace('-', '').split('.');
  return `${decimal.startsWith('-') ? '-' : ''}£${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${(frac + '00').slice(0, 2)}`;
}

type Block = { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { type: string; text?: string | { text: string }; value?: string; action_id?: string }[] };

/** Every piece of text in a payload's blocks, in order. */
function textOf(blocks: unknown): string {
  const out: string[] = [];
  for (const b of (blocks as Block[] | undefined) ?? []) {
    if (b.text) out.push(b.text.text);
    for (const f of b.fields ?? []) out.push(f.text);
    for (const e of b.elements ?? []) out.push(typeof e.text === 'string' ? e.text : (e.text?.text ?? ''));
  }
  return out.join('\n');
}

const buttonsOf = (blocks: unknown) => ((blocks as Block[] | undefined) ?? []).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);

describe.each(testDatabases)('Slack bot on $name', ({ open }) => {
  let database: Database;
  let qm: App | undefined;
  let approvals: ApprovalService;
  let orchestrator: Orchestrator;
  let fake: FakeSlackApi;
  let bot: SlackBot;
  let server: RunningServer;
  let tsSeq = 0;
  const newTs = () => `${1_780_000_000 + ++tsSeq}.000100`;

  beforeAll(async () => {
    database = await open();
    await loadDemo({ database, today: NOW });
    const org = buildDemoOrganisation(NOW);
    const [email, name, slack] = ['email', 'name', 'slack_user_id'].map((h) => org.users.header.indexOf(h));
    fake = await startFakeSlackApi({
      token: TOKEN,
      users: [
        ...org.users.rows.map((r) => ({ id: String(r[slack!]), name: String(r[name!]), email: String(r[email!]) })),
        { id: STRANGER, name: 'Sam Stranger', email: 'sam@elsewhere.example' },
        { id: ERIN_ALT, name: 'Erin Walsh', email: 'erin.walsh@demo.quartermaster.dev' },
      ],
    });
    qm = await openTestApp(database, { now: () => NOW });
    approvals = await qm.approvals();
    orchestrator = await qm.orchestrator();
    bot = await createSlackBot({
      orchestrator,
      approvals,
      database,
      log: silentLogger,
      botToken: TOKEN,
      signingSecret: SECRET,
      apiUrl: fake.url,
      approvalsChannel: APPROVALS,
    });
    const app = createHttpApp({ database, log: silentLogger, now: () => NOW, mcp: { allowedHosts: [] }, orchestrator, slack: bot });
    server = await listen(app, { port: 0, host: '127.0.0.1', log: silentLogger });
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    await bot?.close();
    await qm?.close();
    await fake?.close();
    await database?.close();
  });

  const post = (body: string, headers: Record<string, string>) => fetch(`${server.url}/slack/events`, { method: 'POST', headers, body });

  const sendEvent = async (event: Record<string, unknown>, opts: { eventId?: string; retryNum?: number } = {}) => {
    const body = JSON.stringify(eventEnvelope(event, fake, opts.eventId));
    return post(body, slackHeaders(SECRET, body, opts.retryNum !== undefined ? { retryNum: opts.retryNum } : {}));
  };

  const sendInteraction = async (payload: Record<string, unknown>) => {
    const body = interactivityBody(payload);
    return post(body, slackHeaders(SECRET, body, { contentType: FORM }));
  };

  /** The bot's answer in a thread, once everything acknowledged has finished. */
  const answerIn = (channel: string, threadTs: string, from = 0): SlackCall[] =>
    fake.callsTo('chat.postMessage', from).filter((c) => c.args.channel === channel && c.args.thread_ts === threadTs);

  /** Asks by mentioning the bot; returns the thread's ts and the answer. */
  const mention = async (user: string, text: string, channel = GENERAL) => {
    const ts = newTs();
    const from = fake.calls.length;
    const res = await sendEvent({ type: 'app_mention', user, text: `<@${fake.botUserId}> ${text}`, ts, channel });
    expect(res.status).toBe(200);
    await bot.drain();
    const [answer, ...more] = answerIn(channel, ts, from);
    expect(answer, `an answer to "${text}"`).toBeDefined();
    expect(more).toEqual([]);
    return { ts, answer: answer!, from };
  };

  const approvalState = async (id: string) => {
    const [a] = await database.query<{ status: string; current_level: number; decision_reason: string | null }>(
      'select status, current_level, decision_reason from approvals where id = $1::uuid',
      [id],
    );
    const [d] = await database.query<{ n: number }>('select count(*)::int as n from approval_decisions where approval_id = $1::uuid', [id]);
    return { ...a!, current_level: Number(a!.current_level), decisions: Number(d!.n) };
  };

  it('answers a mention in its thread, headline first, with the figures from the database', async () => {
    const started = performance.now();
    const { ts, answer, from } = await mention(ALICE, 'What did we spend in 2012?');
    const [row] = await database.query<{ total: string; n: number }>(
      "select round(sum(amount), 2)::text as total, count(*)::int as n from spend_lines where date between '2012-01-01' and '2012-12-31'",
    );
    const blocks = answer.args.blocks as Block[];
    expect(blocks[0]!.type).toBe('section');
    expect(blocks[0]!.text!.text).toContain(gbp(row!.total));
    expect(blocks[0]!.text!.text).toContain(Number(row!.n).toLocaleString('en-GB'));
    expect(answer.args.text).toContain(gbp(row!.total));
    // The monthly table is rendered as monospace text.
    expect(textOf(blocks)).toMatch(/```[\s\S]*Dec 2012[\s\S]*```/);
    expect(checkMessageLimits(answer.args as never)).toEqual([]);
    expect(answer.at).toBeGreaterThan(started);
    // The turn is recorded under the Slack thread, as Alice.
    const [turn] = await database.query<{ channel: string; user_email: string | null }>(
      'select channel, user_email from conversation_turns where conversation_id = $1',
      [`slack:${GENERAL}:${ts}`],
    );
    expect(turn).toEqual({ channel: 'slack', user_email: 'alice.moreno@demo.quartermaster.dev' });
    // Alice is found by her slack_user_id: no users.info call was needed.
    expect(fake.callsTo('users.info', from).filter((c) => c.args.user === ALICE)).toEqual([]);

    // A suggested follow-up, clicked by Ben, is asked in the same thread.
    const follow = buttonsOf(blocks).find((b) => b.action_id?.startsWith('qm_follow_up_'));
    expect(follow?.value).toBeTruthy();
    const before = fake.calls.length;
    const res = await sendInteraction(
      buttonClick({ teamId: fake.teamId, userId: BEN, channel: GENERAL, message: { ts: answer.args.ts as string, thread_ts: ts }, actionId: follow!.action_id!, value: follow!.value! }),
    );
    expect(res.status).toBe(200);
    await bot.drain();
    const [followUp] = answerIn(GENERAL, ts, before);
    expect(followUp).toBeDefined();
    expect(textOf(followUp!.args.blocks)).toContain(`<@${BEN}> asked`);
    const turns = await database.query<{ text: string }>('select text from conversation_turns where conversation_id = $1 order by created_at', [`slack:${GENERAL}:${ts}`]);
    expect(turns.map((t) => t.text)).toEqual(['What did we spend in 2012?', follow!.value]);
  });

  it('acknowledges before answering: the HTTP response comes before the reply is posted', async () => {
    const ts = newTs();
    const from = fake.calls.length;
    const res = await sendEvent({ type: 'app_mention', user: BEN, text: `<@${fake.botUserId}> Tell me about Dell`, ts, channel: GENERAL });
    const respondedAt = performance.now();
    expect(res.status).toBe(200);
    await bot.drain();
    const [answer] = answerIn(GENERAL, ts, from);
    expect(answer!.at).toBeGreaterThan(respondedAt);
  });

  it('answers a direct message in its thread and ignores bot messages and edits', async () => {
    const dm = 'D0DEMO0001';
    const ts = newTs();
    const from = fake.calls.length;
    const res = await sendEvent({ type: 'message', channel_type: 'im', channel: dm, user: ALICE, text: 'Which contracts expire in the next 90 days?', ts });
    expect(res.status).toBe(200);
    await bot.drain();
    const [answer] = answerIn(dm, ts, from);
    expect(textOf(answer!.args.blocks)).toContain('C-2024-002');
    expect(checkMessageLimits(answer!.args as never)).toEqual([]);

    const quiet = fake.calls.length;
    await sendEvent({ type: 'message', channel_type: 'im', channel: dm, user: ALICE, bot_id: 'B0OTHER', text: 'What did we spend in 2012?', ts: newTs() });
    await sendEvent({ type: 'message', subtype: 'message_changed', channel_type: 'im', channel: dm, ts: newTs(), message: { text: 'edited' } });
    await sendEvent({ type: 'message', channel_type: 'channel', channel: GENERAL, user: ALICE, text: 'What did we spend in 2012?', ts: newTs() });
    await bot.drain();
    expect(fake.calls.slice(quiet).filter((c) => c.method === 'chat.postMessage')).toEqual([]);
  });

  it('answers /qm in a thread under the question, and explains itself when asked nothing', async () => {
    const from = fake.calls.length;
    const body = commandBody({ command: '/qm', text: 'Is Aerocaribbean Airlines sanctioned?', userId: BEN, channelId: GENERAL, teamId: fake.teamId });
    const res = await post(body, slackHeaders(SECRET, body, { contentType: FORM }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await bot.drain();
    const posted = fake.callsTo('chat.postMessage', from);
    const parent = posted.find((c) => c.args.channel === GENERAL && c.args.thread_ts === undefined);
    expect(parent?.args.text).toBe(`<@${BEN}> asked: Is Aerocaribbean Airlines sanctioned?`);
    const parentTs = [...fake.messages.values()].find((m) => m.channel === GENERAL && m.text === parent!.args.text)!.ts;
    const [answer] = answerIn(GENERAL, parentTs, from);
    expect(textOf(answer!.args.blocks)).toMatch(/AEROCARIBBEAN/i);
    expect(checkMessageLimits(answer!.args as never)).toEqual([]);

    // In a channel the bot is not in, the answer goes back privately through the command's response_url.
    fake.failNext('chat.postMessage', 'not_in_channel');
    const mark = fake.calls.length;
    const elsewhere = commandBody({ command: '/qm', text: 'Which contracts expire in the next 90 days?', userId: BEN, channelId: 'C0NOTJOINED', teamId: fake.teamId, responseUrl: fake.responseUrl });
    expect((await post(elsewhere, slackHeaders(SECRET, elsewhere, { contentType: FORM }))).status).toBe(200);
    await bot.drain();
    const [privately] = fake.callsTo('response_url', mark);
    expect(privately!.args).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(privately!.args.blocks)).toContain('C-2024-002');
    expect(checkMessageLimits(privately!.args as never)).toEqual([]);
    expect(fake.callsTo('chat.postMessage', mark).filter((c) => c.args.channel === 'C0NOTJOINED')).toEqual([]);

    const empty = commandBody({ command: '/qm', text: '  ', userId: BEN, channelId: GENERAL, teamId: fake.teamId });
    const help = await post(empty, slackHeaders(SECRET, empty, { contentType: FORM }));
    expect(help.status).toBe(200);
    expect(await help.json()).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('/qm') });
  });

  it('routes a purchase through approval: card, refusals, three approvers in order, one purchase order', async () => {
    const { ts, answer, from } = await mention(ALICE, 'can we buy 200 laptops from Dell for £250,000?');
    // The answer carries governance's decision: the approval number and who it waits for.
    const [approval] = await database.query<{ id: string; number: number }>(
      "select id::text, number from approvals where status = 'pending' and amount = 250000 order by created_at desc limit 1",
    );
    const id = approval!.id;
    expect(textOf(answer.args.blocks)).toContain(`Approval #${approval!.number} requested*, waiting for Level 1: budget holder`);

    // The card in the approvals channel: the ask, amount, supplier, evidence, policy rule, waiting-for and buttons.
    const card = fake.callsTo('chat.postMessage', from).find((c) => c.args.channel === APPROVALS)!;
    const text = textOf(card.args.blocks);
    expect(text).toContain('Raise a purchase order with Dell Technologies Ltd for 200 laptops at £250,000.00');
    expect(text).toContain('£250,000.00');
    expect(text).toContain('Dell Technologies Ltd');
    expect(text).toContain('*Evidence*');
    expect(text).toContain('rule po-100k-plus');
    expect(text).toContain('*Waiting for:* Level 1: budget holder');
    expect(buttonsOf(card.args.blocks).map((b) => [b.action_id, b.value])).toEqual([
      ['qm_approval_approve', id],
      ['qm_approval_reject', id],
      ['qm_approval_request_changes', id],
    ]);
    // DMs to each budget holder with a Slack account; every card remembered for later updates.
    const dms = fake.callsTo('chat.postMessage', from).filter((c) => String(c.args.channel).startsWith('U'));
    expect(dms.map((c) => c.args.channel).sort()).toEqual([DANIEL, 'U0DEMO0011']);
    const remembered = await database.query<{ conversation_id: string }>(
      "select conversation_id from approval_messages where approval_id = $1::uuid and channel = 'slack' order by id",
      [id],
    );
    expect(remembered.map((r) => r.conversation_id).sort()).toEqual([APPROVALS, 'D0DEMO0004', 'D0DEMO0011']);
    const channelTs = [...fake.messages.values()].find((m) => m.channel === APPROVALS && JSON.stringify(m.blocks).includes(id))!.ts;
    const danielDm = [...fake.messages.values()].find((m) => m.channel === 'D0DEMO0004' && JSON.stringify(m.blocks).includes(id))!.ts;

    const click = (user: string, channel: string, messageTs: string, action = 'qm_approval_approve') =>
      sendInteraction(buttonClick({ teamId: fake.teamId, userId: user, channel, message: { ts: messageTs }, actionId: action, value: id, blockId: `qm_approval:${id}` }));

    // The wrong people: the requester herself, and a buyer with no approval role. Told privately; nothing changes.
    for (const [user, reason] of [
      [ALICE, /You requested this/],
      [BEN, /Level 1: budget holder needs/],
    ] as const) {
      const mark = fake.calls.length;
      expect((await click(user, APPROVALS, channelTs)).status).toBe(200);
      await bot.drain();
      const eph = fake.callsTo('chat.postEphemeral', mark);
      expect(eph).toHaveLength(1);
      expect(eph[0]!.args).toMatchObject({ channel: APPROVALS, user });
      expect(String(eph[0]!.args.text)).toMatch(reason);
      expect(fake.callsTo('chat.update', mark)).toEqual([]);
      expect(await approvalState(id)).toMatchObject({ status: 'pending', current_level: 0, decisions: 0 });
    }

    // Daniel approves from his DM: every card moves on to level 2, and Ivy gets the card.
    let mark = fake.calls.length;
    expect((await click(DANIEL, 'D0DEMO0004', danielDm)).status).toBe(200);
    await bot.drain();
    expect(await approvalState(id)).toMatchObject({ status: 'pending', current_level: 1, decisions: 1 });
    const updates = fake.callsTo('chat.update', mark);
    expect(updates.map((u) => u.args.channel).sort()).toEqual([APPROVALS, 'D0DEMO0004', 'D0DEMO0011']);
    expect(textOf(updates[0]!.args.blocks)).toContain('*Waiting for:* Level 2: procurement manager');
    expect(textOf(updates[0]!.args.blocks)).toContain('Daniel Reyes as budget holder: approve');
    const ivyDm = fake.callsTo('chat.postMessage', mark).find((c) => c.args.channel === IVY);
    expect(ivyDm).toBeDefined();

    // Daniel clicks again, and Mia (the other budget holder) clicks her card of the closed level: each is told
    // privately who decided and when; nothing changes.
    const danielAt = (await approvals.get(id))!.decisions[0]!.at;
    const at = `${danielAt.slice(0, 16).replace('T', ' ')} UTC`;
    for (const [user, channel, told] of [
      [DANIEL, 'D0DEMO0004', `You already approved this at ${at} (approval #${approval!.number}, Level 1: budget holder); it now waits for Level 2: procurement manager.`],
      [MIA, APPROVALS, `Level 1: budget holder of approval #${approval!.number} was already approved by Daniel Reyes (daniel.reyes@demo.quartermaster.dev) at ${at}; it now waits for Level 2: procurement manager.`],
    ] as const) {
      const from = fake.calls.length;
      await click(user, channel, channel === APPROVALS ? channelTs : danielDm);
      await bot.drain();
      expect(fake.callsTo('chat.postEphemeral', from).map((c) => [c.args.user, c.args.text])).toEqual([[user, told]]);
      expect(fake.callsTo('chat.update', from)).toEqual([]);
    }
    expect(await approvalState(id)).toMatchObject({ status: 'pending', current_level: 1, decisions: 1 });

    // Ivy approves from the channel card, then Frank from his DM.
    mark = fake.calls.length;
    await click(IVY, APPROVALS, channelTs);
    await bot.drain();
    expect(await approvalState(id)).toMatchObject({ status: 'pending', current_level: 2, decisions: 2 });
    const frankDm = fake.callsTo('chat.postMessage', mark).find((c) => c.args.channel === FRANK);
    expect(frankDm).toBeDefined();
    const frankTs = [...fake.messages.values()].find((m) => m.channel === 'D0DEMO0006' && JSON.stringify(m.blocks).includes(id))!.ts;

    mark = fake.calls.length;
    await click(FRANK, 'D0DEMO0006', frankTs);
    await bot.drain();
    expect(await approvalState(id)).toMatchObject({ status: 'approved', decisions: 3 });
    // Every remembered card now shows the outcome, with the buttons gone.
    const final = fake.callsTo('chat.update', mark);
    expect(final.map((u) => u.args.channel).sort()).toEqual([APPROVALS, 'D0DEMO0004', 'D0DEMO0006', 'D0DEMO0009', 'D0DEMO0011']);
    for (const u of final) {
      expect(buttonsOf(u.args.blocks)).toEqual([]);
      expect(textOf(u.args.blocks)).toContain('Approved by frank.osei@demo.quartermaster.dev');
    }
    expect(fake.messages.get(`${APPROVALS}:${channelTs}`)?.updates).toBe(3);
    // The requester's thread hears the outcome and the purchase order.
    const told = answerIn(GENERAL, ts, mark).map((c) => String(c.args.text));
    expect(told.some((t) => t.includes(`Approval #${approval!.number}: Approved by frank.osei`))).toBe(true);
    expect(told.some((t) => /Purchase order QM-PO-\d+ raised with Dell Technologies Ltd/.test(t))).toBe(true);
    const orders = async () =>
      database.query<{ po_number: string }>(
        "select po_number from purchase_orders p join suppliers s on s.id = p.supplier_id where s.name = 'Dell Technologies Ltd' and p.po_number like 'QM-PO-%' and p.total = 250000",
      );
    expect(await orders()).toHaveLength(1);

    // A second click (Frank again) changes nothing: told privately, still one purchase order.
    mark = fake.calls.length;
    await click(FRANK, 'D0DEMO0006', frankTs);
    await bot.drain();
    const again = fake.callsTo('chat.postEphemeral', mark);
    expect(again).toHaveLength(1);
    expect(String(again[0]!.args.text)).toMatch(new RegExp(`^You already approved this at .* UTC \\(approval #${approval!.number}, Level 3: .*\\); it is approved\\.$`));
    // Daniel, from his card of the finished approval: told who finished it.
    mark = fake.calls.length;
    await click(DANIEL, 'D0DEMO0004', danielDm);
    await bot.drain();
    expect(String(fake.callsTo('chat.postEphemeral', mark)[0]?.args.text)).toMatch(/^You already approved this at .*; it was then approved by Frank Osei \(frank\.osei@demo\.quartermaster\.dev\) at .* UTC\.$/);
    expect(fake.callsTo('chat.update', mark)).toEqual([]);
    expect(await orders()).toHaveLength(1);
  });

  it('rejects through a modal that requires a reason; a refused request for changes changes nothing', async () => {
    const { ts } = await mention(ALICE, 'can we buy 100 laptops from Dell for £120,000?');
    const [approval] = await database.query<{ id: string; number: number }>(
      "select id::text, number from approvals where status = 'pending' and amount = 120000 order by created_at desc limit 1",
    );
    const id = approval!.id;
    const channelTs = [...fake.messages.values()].find((m) => m.channel === APPROVALS && JSON.stringify(m.blocks).includes(id))!.ts;

    const openModal = async (user: string, action: string) => {
      const mark = fake.calls.length;
      const res = await sendInteraction(buttonClick({ teamId: fake.teamId, userId: user, channel: APPROVALS, message: { ts: channelTs }, actionId: action, value: id }));
      expect(res.status).toBe(200);
      await bot.drain();
      const [opened] = fake.callsTo('views.open', mark);
      expect(opened).toBeDefined();
      const view = (opened!.args.view as Record<string, unknown>) ?? {};
      expect(checkViewLimits(view)).toEqual([]);
      return view;
    };
    const submit = async (user: string, view: Record<string, unknown>, reason: string) => {
      const res = await sendInteraction(viewSubmission({ teamId: fake.teamId, userId: user, view, values: { qm_reason: { reason } } }));
      expect(res.status).toBe(200);
      const body = await res.text();
      await bot.drain();
      return body === '' ? undefined : JSON.parse(body);
    };

    // Ben asks for changes: the modal opens, but he cannot decide, so he is told privately and nothing changes.
    const benView = await openModal(BEN, 'qm_approval_request_changes');
    expect(JSON.stringify(benView.blocks)).toContain('What needs to change?');
    let mark = fake.calls.length;
    expect(await submit(BEN, benView, 'Get a second quote')).toBeUndefined();
    expect(String(fake.callsTo('chat.postEphemeral', mark)[0]?.args.text)).toMatch(/needs .*budget holder/);
    expect(await approvalState(id)).toMatchObject({ status: 'pending', decisions: 0 });

    // Daniel rejects: an empty reason is sent back to the modal; a reason closes it and records the rejection.
    const view = await openModal(DANIEL, 'qm_approval_reject');
    expect(view).toMatchObject({ type: 'modal', callback_id: 'qm_approval_reason', submit: { text: 'Reject' } });
    mark = fake.calls.length;
    expect(await submit(DANIEL, view, '   ')).toEqual({ response_action: 'errors', errors: { qm_reason: expect.stringMatching(/reason/) } });
    expect(await approvalState(id)).toMatchObject({ status: 'pending', decisions: 0 });
    expect(await submit(DANIEL, view, "Not in this year's budget")).toBeUndefined();
    expect(await approvalState(id)).toMatchObject({ status: 'rejected', decisions: 1, decision_reason: "Not in this year's budget" });
    const updated = fake.callsTo('chat.update', mark).find((u) => u.args.channel === APPROVALS)!;
    expect(buttonsOf(updated.args.blocks)).toEqual([]);
    expect(textOf(updated.args.blocks)).toContain('Rejected by daniel.reyes@demo.quartermaster.dev');
    expect(textOf(updated.args.blocks)).toContain("“Not in this year's budget”");
    expect(answerIn(GENERAL, ts, mark).some((c) => String(c.args.text).includes(`Approval #${approval!.number}: Rejected by daniel.reyes`))).toBe(true);
    const [po] = await database.query<{ n: number }>('select count(*)::int as n from purchase_orders where total = 120000');
    expect(Number(po!.n)).toBe(0);

    // The buttons of a decided approval no longer open the modal.
    mark = fake.calls.length;
    await sendInteraction(buttonClick({ teamId: fake.teamId, userId: IVY, channel: APPROVALS, message: { ts: channelTs }, actionId: 'qm_approval_reject', value: id }));
    await bot.drain();
    expect(fake.callsTo('views.open', mark)).toEqual([]);
    expect(String(fake.callsTo('chat.postEphemeral', mark)[0]?.args.text)).toMatch(/already rejected/);
  });

  it('answers a retried or repeated event exactly once', async () => {
    const ts = newTs();
    const from = fake.calls.length;
    const event = { type: 'app_mention', user: BEN, text: `<@${fake.botUserId}> What did we spend with Refinitiv in March 2026?`, ts, channel: GENERAL };
    const eventId = 'Ev0RETRY0001';
    const first = await sendEvent(event, { eventId });
    const retry = await sendEvent(event, { eventId, retryNum: 1 });
    const duplicate = await sendEvent(event, { eventId });
    expect([first.status, retry.status, duplicate.status]).toEqual([200, 200, 200]);
    await bot.drain();
    expect(answerIn(GENERAL, ts, from)).toHaveLength(1);
    const [n] = await database.query<{ n: number }>('select count(*)::int as n from conversation_turns where conversation_id = $1', [`slack:${GENERAL}:${ts}`]);
    expect(Number(n!.n)).toBe(1);

    // A retry whose first delivery never arrived is answered, once; a further retry of it changes nothing.
    const lone = newTs();
    expect((await sendEvent({ ...event, ts: lone }, { eventId: 'Ev0RETRY0002', retryNum: 2 })).status).toBe(200);
    await bot.drain();
    expect(answerIn(GENERAL, lone)).toHaveLength(1);
    const mark = fake.calls.length;
    expect((await sendEvent({ ...event, ts: lone }, { eventId: 'Ev0RETRY0002', retryNum: 3 })).status).toBe(200);
    await bot.drain();
    expect(fake.calls.slice(mark)).toEqual([]);
  });

  it('runs a replayed signed request once, on this instance and on a second one sharing the database', async () => {
    const question = 'can we buy 140 laptops from Dell for £170,000?';
    const body = commandBody({ command: '/qm', text: question, userId: ALICE, channelId: GENERAL, teamId: fake.teamId });
    const headers = slackHeaders(SECRET, body, { contentType: FORM });
    const counts = async () => {
      const [row] = await database.query<{ turns: number; approvals: number }>(
        `select (select count(*)::int from conversation_turns where text = $1) as turns,
                (select count(*)::int from approvals where amount = 170000) as approvals`,
        [question],
      );
      return { turns: Number(row!.turns), approvals: Number(row!.approvals) };
    };

    // The same signed body, captured and posted again within the signature window: acknowledged, nothing done.
    const first = await post(body, headers);
    expect(first.status).toBe(200);
    await bot.drain();
    expect(await counts()).toEqual({ turns: 1, approvals: 1 });
    let mark = fake.calls.length;
    const replay = await post(body, headers);
    expect(replay.status).toBe(200);
    expect(await replay.text()).toBe('');
    await bot.drain();
    expect(fake.calls.slice(mark)).toEqual([]);
    expect(await counts()).toEqual({ turns: 1, approvals: 1 });

    // A second app instance on the same database: the replay, an event it did not see and a replayed click do nothing.
    const [approval] = await database.query<{ id: string }>("select id::text from approvals where status = 'pending' and amount = 170000");
    const channelTs = [...fake.messages.values()].find((m) => m.channel === APPROVALS && JSON.stringify(m.blocks).includes(approval!.id))!.ts;
    const config = loadConfig({ SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.url, QM_APPROVALS_CHANNEL: APPROVALS });
    const other = await openSlackBot({ orchestrator, approvals, database, log: silentLogger, config });
    const otherServer = await listen(createHttpApp({ database, log: silentLogger, now: () => NOW, mcp: { allowedHosts: [] }, orchestrator, slack: other }), {
      port: 0,
      host: '127.0.0.1',
      log: silentLogger,
    });
    const postTo = (url: string, b: string, h: Record<string, string>) => fetch(`${url}/slack/events`, { method: 'POST', headers: h, body: b });
    try {
      const ts = newTs();
      const event = JSON.stringify(eventEnvelope({ type: 'app_mention', user: BEN, text: `<@${fake.botUserId}> What did we spend in 2013?`, ts, channel: GENERAL }, fake, 'Ev0REPLAY001'));
      const eventHeaders = slackHeaders(SECRET, event);
      expect((await post(event, eventHeaders)).status).toBe(200);
      await bot.drain();
      expect(answerIn(GENERAL, ts)).toHaveLength(1);

      const click = interactivityBody(buttonClick({ teamId: fake.teamId, userId: DANIEL, channel: APPROVALS, message: { ts: channelTs }, actionId: 'qm_approval_approve', value: approval!.id }));
      const clickHeaders = slackHeaders(SECRET, click, { contentType: FORM });
      expect((await post(click, clickHeaders)).status).toBe(200);
      await bot.drain();
      expect(await approvalState(approval!.id)).toMatchObject({ current_level: 1, decisions: 1 });

      mark = fake.calls.length;
      for (const [b, h] of [
        [body, headers],
        [event, eventHeaders],
        [click, clickHeaders],
      ] as const) {
        const res = await postTo(otherServer.url, b, h);
        expect(res.status).toBe(200);
        expect(await res.text()).toBe('');
      }
      await other!.drain();
      await bot.drain();
      expect(fake.calls.slice(mark)).toEqual([]);
      expect(await counts()).toEqual({ turns: 1, approvals: 1 });
      expect(answerIn(GENERAL, ts)).toHaveLength(1);
      expect(await approvalState(approval!.id)).toMatchObject({ current_level: 1, decisions: 1 });

      // A fresh command still runs on the second instance.
      const fresh = commandBody({ command: '/qm', text: 'Which contracts expire in the next 90 days?', userId: BEN, channelId: GENERAL, teamId: fake.teamId });
      mark = fake.calls.length;
      expect((await postTo(otherServer.url, fresh, slackHeaders(SECRET, fresh, { contentType: FORM }))).status).toBe(200);
      await other!.drain();
      expect(fake.callsTo('chat.postMessage', mark).length).toBeGreaterThan(0);
    } finally {
      await otherServer.close();
      await other?.close();
    }
  });

  it('refuses unsigned, badly signed, stale and malformed requests before any processing', async () => {
    // Work an earlier test started (replies, card updates) finishes first: only this test's calls count.
    await bot.drain();
    const from = fake.calls.length;
    const text = 'What did we spend in 2011?';
    const body = JSON.stringify(eventEnvelope({ type: 'app_mention', user: ALICE, text: `<@${fake.botUserId}> ${text}`, ts: newTs(), channel: GENERAL }, fake));
    const good = slackHeaders(SECRET, body);
    const cases: [string, Promise<Response>, number][] = [
      ['bad signature', post(body, { ...good, 'x-slack-signature': `v0=${'0'.repeat(64)}` }), 401],
      ['wrong secret', post(body, slackHeaders('another-secret', body)), 401],
      ['stale timestamp', post(body, slackHeaders(SECRET, body, { timestamp: Math.floor(Date.now() / 1000) - 301 })), 401],
      // Well past the 5-minute window: on a loaded machine seconds pass before the server reads the clock.
      ['future timestamp', post(body, slackHeaders(SECRET, body, { timestamp: Math.floor(Date.now() / 1000) + 420 })), 401],
      ['no signature', post(body, { 'content-type': 'application/json' }), 401],
      ['body changed after signing', post(body.replace('2011', '2012'), good), 401],
      ['malformed JSON', post('{"type": "event_callback",', slackHeaders(SECRET, '{"type": "event_callback",')), 400],
      ['JSON that is not an event', post('[1,2]', slackHeaders(SECRET, '[1,2]')), 400],
      ['form without payload', post('a=1', slackHeaders(SECRET, 'a=1', { contentType: FORM })), 400],
      ['payload that is not JSON', post('payload=%7Bnope', slackHeaders(SECRET, 'payload=%7Bnope', { contentType: FORM })), 400],
    ];
    for (const [name, res, status] of cases) expect((await res).status, name).toBe(status);
    await bot.drain();
    expect(fake.calls.slice(from)).toEqual([]);
    const [n] = await database.query<{ n: number }>('select count(*)::int as n from conversation_turns where text = $1', [text]);
    expect(Number(n!.n)).toBe(0);

    // ssl_check is answered without processing anything.
    const ssl = await post('ssl_check=1&token=x', { 'content-type': FORM });
    expect(ssl.status).toBe(200);
    expect(fake.calls.slice(from)).toEqual([]);

    // Slack's URL verification is answered (signed, like everything else).
    const challenge = JSON.stringify({ token: 'x', challenge: 'c-123', type: 'url_verification' });
    const res = await post(challenge, slackHeaders(SECRET, challenge));
    expect(await res.json()).toEqual({ challenge: 'c-123' });
  });

  it('maps Slack users: by slack_user_id, else by profile email; unknown people can ask but not approve', async () => {
    const { ts: erinTs } = await mention(ERIN_ALT, 'Top 10 suppliers by spend in 2012');
    const { ts: samTs } = await mention(STRANGER, 'Which contracts expire in the next 90 days?');
    const rows = await database.query<{ conversation_id: string; user_email: string | null }>(
      'select conversation_id, user_email from conversation_turns where conversation_id = any($1::text[])',
      [[`slack:${GENERAL}:${erinTs}`, `slack:${GENERAL}:${samTs}`]],
    );
    expect(Object.fromEntries(rows.map((r) => [r.conversation_id, r.user_email]))).toEqual({
      [`slack:${GENERAL}:${erinTs}`]: 'erin.walsh@demo.quartermaster.dev',
      [`slack:${GENERAL}:${samTs}`]: null,
    });

    await mention(ALICE, 'can we buy 150 laptops from Dell for £180,000?');
    const [approval] = await database.query<{ id: string }>("select id::text from approvals where status = 'pending' and amount = 180000");
    const mark = fake.calls.length;
    await sendInteraction(buttonClick({ teamId: fake.teamId, userId: STRANGER, channel: APPROVALS, message: { ts: '1.000001' }, actionId: 'qm_approval_approve', value: approval!.id }));
    await bot.drain();
    expect(String(fake.callsTo('chat.postEphemeral', mark)[0]?.args.text)).toMatch(/U0STRANGER is not a Quartermaster user/);
    expect(await approvalState(approval!.id)).toMatchObject({ status: 'pending', decisions: 0 });
  });

  it('publishes the App Home tab with what waits for the person, and decides from it', async () => {
    await mention(ALICE, 'can we buy 120 laptops from Dell for £150,000?');
    const [approval] = await database.query<{ id: string; number: number }>("select id::text, number from approvals where status = 'pending' and amount = 150000");
    let mark = fake.calls.length;
    await sendEvent({ type: 'app_home_opened', user: DANIEL, channel: 'D0DEMO0004', tab: 'home' });
    await bot.drain();
    const [published] = fake.callsTo('views.publish', mark);
    expect(published!.args.user_id).toBe(DANIEL);
    const view = published!.args.view as Record<string, unknown>;
    expect(view.type).toBe('home');
    expect(checkViewLimits(view)).toEqual([]);
    expect(textOf(view.blocks)).toContain(`*#${approval!.number}* Raise a purchase order with Dell Technologies Ltd for 120 laptops at £150,000.00`);
    expect(buttonsOf(view.blocks).filter((b) => b.value === approval!.id).map((b) => b.action_id)).toEqual([
      'qm_approval_approve',
      'qm_approval_reject',
      'qm_approval_request_changes',
    ]);

    // Alice sees her own requests, and nothing to decide on (she requested them).
    mark = fake.calls.length;
    await sendEvent({ type: 'app_home_opened', user: ALICE, channel: 'D0DEMO0001', tab: 'home' });
    await bot.drain();
    const alice = fake.callsTo('views.publish', mark)[0]!.args.view as Record<string, unknown>;
    expect(textOf(alice.blocks)).toContain('Waiting for your decision (0)');
    expect(textOf(alice.blocks)).toContain('Your recent requests');
    expect(textOf(alice.blocks)).toContain(`*#${approval!.number}*`);

    // Someone Quartermaster does not know is told so.
    mark = fake.calls.length;
    await sendEvent({ type: 'app_home_opened', user: STRANGER, channel: 'D0STRANGER', tab: 'home' });
    await bot.drain();
    expect(textOf((fake.callsTo('views.publish', mark)[0]!.args.view as Record<string, unknown>).blocks)).toContain('not linked to a Quartermaster user');

    // Daniel approves from the Home tab: recorded, and the tab is published again without it.
    mark = fake.calls.length;
    await sendInteraction(buttonClick({ teamId: fake.teamId, userId: DANIEL, view: { type: 'home', id: 'V0HOME' }, actionId: 'qm_approval_approve', value: approval!.id }));
    await bot.drain();
    expect(await approvalState(approval!.id)).toMatchObject({ status: 'pending', current_level: 1, decisions: 1 });
    const again = fake.callsTo('views.publish', mark).find((c) => c.args.user_id === DANIEL)!.args.view as Record<string, unknown>;
    expect(JSON.stringify(again.blocks)).not.toContain(approval!.id);
  });

  it('updates cards on reminders and escalations, notes them under the channel card, and reports notices in the thread', async () => {
    const { ts } = await mention(ALICE, 'can we buy 110 laptops from Dell for £130,000?');
    const [row] = await database.query<{ id: string }>("select id::text from approvals where status = 'pending' and amount = 130000");
    const approval = (await approvals.get(row!.id))!;
    const card = approvalCard(approval);
    const channelTs = [...fake.messages.values()].find((m) => m.channel === APPROVALS && JSON.stringify(m.blocks).includes(approval.id))!.ts;
    const [f] = await database.query<{ id: string }>("select id::text from users where email = 'frank.osei@demo.quartermaster.dev'");
    const frank = { id: f!.id, email: 'frank.osei@demo.quartermaster.dev', name: 'Frank Osei', roles: ['cfo', 'approver'], active: true };

    let mark = fake.calls.length;
    await approvals.notifier.publish({ type: 'reminder', card, approvers: [] });
    expect(fake.callsTo('chat.update', mark).map((u) => u.args.channel).sort()).toEqual([APPROVALS, 'D0DEMO0004', 'D0DEMO0011']);
    const [note] = fake.callsTo('chat.postMessage', mark);
    expect(note!.args).toMatchObject({ channel: APPROVALS, thread_ts: channelTs });
    expect(String(note!.args.text)).toBe(`Reminder: approval #${approval.number} still waits for Level 1: budget holder.`);

    mark = fake.calls.length;
    await approvals.notifier.publish({ type: 'escalated', card, approvers: [frank] });
    const posted = fake.callsTo('chat.postMessage', mark);
    expect(posted.find((c) => c.args.thread_ts === channelTs)?.args.text).toMatch(/^Escalated: approval #\d+ has waited too long/);
    expect(posted.filter((c) => c.args.channel === FRANK)).toHaveLength(1);
    // An escalation repeated does not DM Frank a second card.
    mark = fake.calls.length;
    await approvals.notifier.publish({ type: 'escalated', card, approvers: [frank] });
    expect(fake.callsTo('chat.postMessage', mark).filter((c) => c.args.channel === FRANK)).toEqual([]);

    mark = fake.calls.length;
    await approvals.notifier.publish({
      type: 'notice',
      text: 'The spend agent acted under its autonomy: purchase order QM-PO-000099 raised.',
      origin: { channel: 'slack', conversationId: `slack:${GENERAL}:${ts}` },
      to: [frank],
    });
    const told = fake.callsTo('chat.postMessage', mark);
    expect(told.map((c) => [c.args.channel, c.args.thread_ts ?? null])).toEqual([
      [GENERAL, ts],
      [FRANK, null],
    ]);
    // Events from other channels, or from conversations this bot did not start, are not Slack's to report.
    mark = fake.calls.length;
    await approvals.notifier.publish({ type: 'executed', text: 'done', origin: { channel: 'teams', conversationId: 'a:1' } });
    await approvals.notifier.publish({ type: 'executed', text: 'done', origin: { channel: 'slack', conversationId: 'http:xyz' } });
    expect(fake.calls.slice(mark)).toEqual([]);
  });

  it('refuses to start with a token Slack rejects', async () => {
    await expect(
      createSlackBot({ orchestrator, approvals, database, log: silentLogger, botToken: 'xoxb-wrong', signingSecret: SECRET, apiUrl: fake.url }),
    ).rejects.toThrow(/Slack rejected the bot token \(auth.test: .*invalid_auth\)/);
  });

  it('starts from the configuration, and says so when Slack is not configured', async () => {
    const deps = { orchestrator, approvals, database, log: silentLogger };
    expect(await openSlackBot({ ...deps, config: loadConfig({}) })).toBeUndefined();
    expect(await openSlackBot({ ...deps, config: loadConfig({ SLACK_SIGNING_SECRET: SECRET }) })).toBeUndefined();
    const configured = await openSlackBot({
      ...deps,
      config: loadConfig({ SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.url, QM_APPROVALS_CHANNEL: APPROVALS }),
    });
    expect(configured?.mode).toBe('http');
    await configured?.close();
    const bare = new Hono();
    mountSlack(bare, { log: silentLogger });
    const res = await bare.request('/slack/events', { method: 'POST', body: '{}' });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: 'not_configured' });
  });

  it('posts alerts to the alerts channel', async () => {
    const mark = fake.calls.length;
    const at = await bot.postAlert('Supplier risk: Refinitiv Ltd has a new adverse media signal.');
    expect(at?.channel).toBe(APPROVALS);
    const [alert] = fake.callsTo('chat.postMessage', mark);
    expect(alert!.args).toMatchObject({ channel: APPROVALS, text: 'Supplier risk: Refinitiv Ltd has a new adverse media signal.' });
  });

  it('sent only payloads within Block Kit limits, and only with the bot token', () => {
    const calls = fake.calls.filter((c) => c.token !== 'xoxb-wrong' && c.method !== 'response_url');
    expect(fake.calls.filter((c) => c.token === 'xoxb-wrong').map((c) => c.method)).toEqual(['auth.test']);
    for (const c of calls) {
      expect(c.token).toBe(TOKEN);
      if (c.method === 'chat.postMessage' || c.method === 'chat.update') expect(checkMessageLimits(c.args as never), `${c.method} ${String(c.args.text).slice(0, 60)}`).toEqual([]);
      if (c.method === 'views.open' || c.method === 'views.publish') expect(checkViewLimits(c.args.view as Record<string, unknown>)).toEqual([]);
    }
    expect(calls.filter((c) => !c.ok).map((c) => `${c.method}: ${c.error}`)).toEqual(['chat.postMessage: not_in_channel']);
  });
});

// Every kind of payload the bot produces, at sizes that would break Slack's limits if rendered naively.
describe('Block Kit payloads stay within Slack limits', () => {
  const long = (n: number, word = 'lorem <b>&</b> ') => word.repeat(Math.ceil(n / word.length)).slice(0, n);
  const bigReply = (): Reply => ({
    headline: long(5000, 'Headline with <!channel> & figures £1,234.56 '),
    facts: Array.from({ length: 35 }, (_, i) => ({ label: `Fact ${i} ${long(300)}`, value: long(2500) })),
    table: {
      columns: ['Supplier', 'Total', 'Payments', 'Category', 'Department', 'First paid', 'Last paid', 'Notes'],
      rows: Array.from({ length: 500 }, (_, i) => [`SUPPLIER ${i} ${long(80)}`, `£${(i * 1234.5).toFixed(2)}`, String(i), long(60), long(60), '2012-01-01', '2012-12-31', long(200)]),
    },
    sources: Array.from({ length: 30 }, (_, i) => ({ title: `Source ${i} ${long(200)}`, ref: i % 2 ? `https://example.com/${'x'.repeat(2000)}` : `contract://${i}` })),
    actions: Array.from({ length: 12 }, (_, i) => ({ kind: 'create_purchase_order', summary: long(900), proposedBy: 'spend', rationale: long(3000), params: { i } })),
    decisions: Array.from({ length: 12 }, (_, i) => ({
      kind: 'create_purchase_order',
      summary: long(900),
      outcome: (['needs_approval', 'deny', 'auto'] as const)[i % 3]!,
      reason: long(4000),
      approval: { id: '00000000-0000-4000-8000-000000000000', number: i, waitingFor: [long(500)] },
      result: long(3000),
    })),
    suggestions: Array.from({ length: 9 }, (_, i) => `${i} ${long(2500)}`),
    degraded: Array.from({ length: 3 }, (_, i) => ({ agent: `agent${i}`, reason: long(2000) })),
    rationale: Array.from({ length: 40 }, () => long(1000)),
  });

  const approval = (over: Partial<Approval> = {}): Approval => ({
    id: '11111111-2222-4333-8444-555555555555',
    number: 42,
    status: 'pending',
    actionKind: 'create_purchase_order',
    action: { kind: 'create_purchase_order', summary: long(4000), proposedBy: 'spend', rationale: long(6000), params: {} },
    summary: long(4000, 'Raise a purchase order with <Dell> & co '),
    amount: '250000.00',
    currency: 'GBP',
    supplierId: null,
    supplierName: long(500),
    categoryCode: '43211503',
    requesterUserId: null,
    requester: 'alice.moreno@demo.quartermaster.dev',
    proposedBy: 'spend',
    planner: 'rule',
    ruleId: 'po-100k-plus',
    reason: long(5000),
    route: Array.from({ length: 6 }, (_, i) => ({ name: `Level ${i + 1}: ${long(200)}`, roles: ['cfo'], quorum: 1 })),
    envelope: null,
    policyVersion: 'sha256:174ce2c339b1aaaaaaaaaaaa',
    currentLevel: 0,
    escalationLevel: 3,
    origin: null,
    decidedBy: null,
    decidedAt: null,
    decisionReason: null,
    expiresAt: null,
    version: 1,
    createdAt: '2026-11-27T12:00:00.000Z',
    decisions: Array.from({ length: 30 }, (_, i) => ({
      level: 0,
      userId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      onBehalfOfUserId: null,
      user: `user${i}@example.com`,
      userName: long(100),
      onBehalfOf: null,
      role: 'cfo',
      decision: 'approve' as const,
      reason: long(2000),
      channel: 'slack',
      at: '2026-11-27T12:00:00.000Z',
    })),
    ...over,
  });

  it('clips an answer with a large table, long rationale and many facts, saying what was left out', () => {
    const { text, blocks } = renderReply(bigReply(), { askedBy: { user: 'U1', question: long(5000) } });
    expect(checkMessageLimits({ text, blocks })).toEqual([]);
    const all = textOf(blocks);
    expect(all).toMatch(/…and \d+ more rows/);
    expect(all).toMatch(/…and 15 more facts/);
    expect(all).toMatch(/…and 7 more decisions/);
    expect(all).not.toContain('<!channel>');
    expect(all).toContain('&lt;!channel&gt;');
    expect(buttonsOf(blocks)).toHaveLength(5);
  });

  it('renders every ordinary answer shape within limits', () => {
    const empty: Reply = { headline: '', facts: [], sources: [], actions: [], suggestions: [], degraded: [], rationale: [], table: { columns: ['A'], rows: [] } };
    for (const r of [empty, { ...empty, headline: 'Total £1.00', facts: [{ label: 'Total', value: '£1.00' }] }, { ...bigReply(), table: { columns: [], rows: [['x']] } }]) {
      const m = renderReply(r);
      expect(checkMessageLimits(m)).toEqual([]);
    }
  });

  it('keeps approval cards within limits, pending and resolved in every state', () => {
    const pending = renderApprovalCard(approvalCard(approval()));
    expect(checkMessageLimits(pending)).toEqual([]);
    expect(buttonsOf(pending.blocks).map((b) => b.action_id)).toEqual(['qm_approval_approve', 'qm_approval_reject', 'qm_approval_request_changes']);
    for (const status of ['approved', 'rejected', 'expired', 'cancelled'] as const) {
      const done = renderApprovalCard(
        approvalCard(approval({ status, decidedBy: 'frank.osei@demo.quartermaster.dev', decidedAt: '2026-11-28T09:00:00.000Z', decisionReason: long(3000) })),
      );
      expect(checkMessageLimits(done), status).toEqual([]);
      expect(buttonsOf(done.blocks)).toEqual([]);
    }
  });

  it('keeps the App Home tab and the reason modal within limits', () => {
    const many = Array.from({ length: 60 }, (_, i) => approval({ id: `11111111-2222-4333-8444-${String(i).padStart(12, '0')}`, number: i }));
    const home = renderHome({ name: long(500), known: true, pending: many, recent: many });
    expect(checkViewLimits(home as never)).toEqual([]);
    expect(textOf(home.blocks)).toMatch(/…and 45 more/);
    expect(checkViewLimits(renderHome({ known: false, pending: [], recent: [] }) as never)).toEqual([]);
    for (const verb of ['reject', 'request_changes'] as const) {
      const modal = renderReasonModal({ approvalId: approval().id, verb, channel: 'C1', messageTs: '1.2' }, approvalCard(approval()));
      expect(checkViewLimits(modal as never)).toEqual([]);
    }
  });

  it('the validator reports each kind of breach', () => {
    const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
    const button = (id: string, text = 'Go', value = 'v') => ({ type: 'button', action_id: id, text: { type: 'plain_text', text }, value });
    expect(checkBlockKitLimits(Array.from({ length: 51 }, () => section('x')))).toEqual(['blocks: 51 blocks > 50']);
    expect(checkBlockKitLimits(Array.from({ length: 51 }, () => section('x')), 'home')).toEqual([]);
    expect(checkBlockKitLimits([section('x'.repeat(3001))])).toEqual(['blocks[0].text: 3001 characters > 3000']);
    expect(checkBlockKitLimits([{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }])).toEqual(['blocks[0].fields: 11 > 10']);
    expect(checkBlockKitLimits([{ type: 'section', fields: [{ type: 'mrkdwn', text: 'f'.repeat(2001) }] }])).toEqual(['blocks[0].fields[0]: 2001 characters > 2000']);
    expect(checkBlockKitLimits([{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }])).toEqual(['blocks[0].text: 151 characters > 150']);
    expect(checkBlockKitLimits([{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(`a${i}`)) }])).toEqual(['blocks[0].elements: 26 > 25']);
    expect(checkBlockKitLimits([{ type: 'actions', elements: [button('a', 'b'.repeat(76))] }])).toEqual(['blocks[0].elements[0].text: 76 characters > 75']);
    expect(checkBlockKitLimits([{ type: 'actions', elements: [button('a'.repeat(256))] }])).toEqual(['blocks[0].elements[0].action_id: 256 characters > 255']);
    expect(checkBlockKitLimits([{ type: 'actions', elements: [button('a', 'b', 'v'.repeat(2001))] }])).toEqual(['blocks[0].elements[0].value: 2001 characters > 2000']);
    expect(checkBlockKitLimits([{ type: 'actions', elements: [button('a'), button('a')] }])).toEqual(['blocks[0].elements[1].action_id: "a" is not unique in the block']);
    expect(checkBlockKitLimits([{ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) }])).toEqual(['blocks[0].elements: 11 > 10']);
    expect(checkMessageLimits({ text: '', blocks: [section('x')] })).toEqual(['text: a message needs fallback text for notifications']);
    expect(checkViewLimits({ type: 'modal', title: { type: 'plain_text', text: 't'.repeat(25) }, blocks: [] })).toEqual(['view.title: 25 characters > 24']);
  });
});

describe('the Slack app manifest', () => {
  it('asks for what the bot uses, and sends everything to the one endpoint', async () => {
    const m = parseYaml(await readFile(projectPath('manifest', 'slack.yaml'), 'utf8'));
    expect(m._metadata).toEqual({ major_version: 1, minor_version: 1 });
    expect(m.display_information.name).toBe('Quartermaster');
    expect(m.display_information.description.length).toBeLessThanOrEqual(140);
    expect(m.display_information.long_description.length).toBeGreaterThanOrEqual(175);
    expect(m.display_information.long_description.length).toBeLessThanOrEqual(4000);
    expect(m.features.bot_user.display_name).toBe('Quartermaster');
    expect(m.features.app_home.home_tab_enabled).toBe(true);
    expect(m.features.app_home.messages_tab_enabled).toBe(true);
    expect(m.oauth_config.scopes.bot.sort()).toEqual(
      [
        'app_mentions:read',
        'channels:history',
        'chat:write',
        'commands',
        'files:write',
        'groups:history',
        'im:history',
        'im:read',
        'im:write',
        'mpim:history',
        'users:read',
        'users:read.email',
      ].sort(),
    );
    expect(m.settings.event_subscriptions.bot_events.sort()).toEqual(['app_home_opened', 'app_mention', 'message.im']);
    expect(m.settings.interactivity.is_enabled).toBe(true);
    const urls = [m.settings.event_subscriptions.request_url, m.settings.interactivity.request_url, ...m.features.slash_commands.map((c: { url: string }) => c.url)];
    for (const u of urls) expect(u).toBe(`https://YOUR-HOST${SLACK_EVENTS_PATH}`);
    expect(m.features.slash_commands.map((c: { command: string }) => c.command)).toEqual([COMMAND]);
    expect(m.settings.socket_mode_enabled).toBe(false);
  });
});
