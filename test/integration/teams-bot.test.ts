// The Teams bot over real HTTP: the main hono server on an ephemeral port with POST /api/messages mounted, activities
// POSTed exactly as the Teams channel sends them (message, conversationUpdate, invoke adaptiveCard/action) with their
// serviceUrl pointing at a fake Bot Framework connector on another port, so botbuilder's own connector client sends
// the replies, proactive cards and card updates. The demo organisation is loaded; figures in answers are checked
// against SQL; approvals go through the real approvals service and policy; every card the bot sends is checked with
// the adaptivecards library at schema 1.5.
//
// Without credentials the adapter accepts unauthenticated activities (loopback only) and the connector needs no
// token. With credentials only inbound rejection is tested: the bot's own calls would need a token from
// login.microsoftonline.com, which is out of reach offline (and a token bearing Bot Framework's issuer would make
// botbuilder fetch its signing keys from login.botframework.com, so the forged tokens here use a foreign issuer).
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type AdaptiveCardJson, cardIssues, createTeamsBot, parsedCard, type TeamsBot } from '../../bots/teams/index.js';
import { type ApprovalService, openApprovalService } from '../../src/approvals/service.js';
import type { Database } from '../../src/db/client.js';
import { loadDemo } from '../../src/demo/load.js';
import { createHttpApp } from '../../src/http/app.js';
import { listen, type RunningServer } from '../../src/http/server.js';
import { mountTeams, TEAMS_MESSAGES_PATH } from '../../src/http/teams.js';
import { silentLogger } from '../../src/log.js';
import { createOrchestrator, type Orchestrator } from '../../src/orchestrator/orchestrator.js';
import { projectPath } from '../../src/paths.js';
import {
  type FakeBotConnector,
  installActivity,
  invokeActivity,
  messageActivity,
  type StoredActivity,
  startFakeBotConnector,
  type TeamsConversation,
  type TeamsMember,
} from '../fakes/bot-connector.js';
import { testDatabases } from '../helpers/databases.js';

const TODAY = '2026-11-27';
const NOW = new Date(`${TODAY}T12:00:00Z`);
const D = 'demo.quartermaster.dev';
const aad = (n: number) => `6f1c2a10-0000-4000-8000-${String(n).padStart(12, '0')}`;
const member = (n: number, first: string, last: string): TeamsMember => ({
  id: `29:1${first.toLowerCase()}-teams-user`,
  name: `${first} ${last}`,
  aadObjectId: aad(n),
  email: `${first.toLowerCase()}.${last.toLowerCase()}@${D}`,
});

const ALICE = member(1, 'Alice', 'Moreno'); // requester
const BEN = member(2, 'Ben', 'Okafor'); // buyer, no approval role
const DANIEL = member(4, 'Daniel', 'Reyes'); // budget holder
const FRANK = member(6, 'Frank', 'Osei'); // CFO
const IVY = member(9, 'Ivy', 'Patel'); // procurement manager
// Erin in Teams under another AAD object id: mapped by the email Teams gives for her.
const ERIN = { ...member(5, 'Erin', 'Walsh'), id: '29:1erin-other-tenant-user', aadObjectId: '0e0e0e0e-0000-4000-8000-00000000e1e1' };
const STRANGER: TeamsMember = { id: '29:1stranger', name: 'Sam Stranger', aadObjectId: '5a5a5a5a-0000-4000-8000-000000000005', email: 'sam@elsewhere.example' };

const personal = (m: TeamsMember): TeamsConversation => ({ kind: 'personal', id: `a:1personal-${m.aadObjectId}` });
const TEAM = '19:team-procurement@thread.tacv2';
const APPROVALS_CHANNEL = '19:approvals@thread.tacv2';
const GENERAL_CHANNEL = '19:general@thread.tacv2';
const thread = (channelId: string, root: string): TeamsConversation => ({ kind: 'channel', id: `${channelId};messageid=${root}`, teamId: TEAM, channelId });

/** Money as answers write it, from an exact decimal string: "£304,739,476.32". */
function gbp(decimal: string): string {
  const [whole = '0', frac = ''] = decimal.replace('-', '').split('.');
  return `${decimal.startsWith('-') ? '-' : ''}£${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${(frac + '00').slice(0, 2)}`;
}

type Json = Record<string, unknown>;

/** The Adaptive Card a message carries. */
function cardOf(a: StoredActivity | Json | undefined): AdaptiveCardJson {
  const activity = (a && 'activity' in a ? (a as StoredActivity).activity : a) as Json | undefined;
  const attachment = (activity?.attachments as { contentType: string; content: AdaptiveCardJson }[] | undefined)?.[0];
  expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive');
  return attachment!.content;
}

/** Every piece of text in a card (TextBlocks, facts, table cells), in order. */
function textOf(node: unknown): string {
  const out: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Json;
      if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
      if (Array.isArray(o.facts)) for (const f of o.facts as { title: string; value: string }[]) out.push(`${f.title}: ${f.value}`);
      for (const k of ['body', 'items', 'rows', 'cells', 'facts', 'columns']) if (k !== 'facts' && o[k]) walk(o[k]);
    }
  };
  walk((node as Json).body);
  return out.join('\n');
}

type Execute = { type: string; verb?: string; title?: string; data?: Json; card?: { actions?: Execute[] } };
/** The Action.Execute actions of a card as a host parses it (ShowCard contents included). */
function executeActions(card: AdaptiveCardJson): Execute[] {
  const parsed = parsedCard(card) as { actions?: Execute[] };
  const out: Execute[] = [];
  for (const a of parsed.actions ?? []) {
    if (a.type === 'Action.Execute') out.push(a);
    if (a.type === 'Action.ShowCard') out.push(...(a.card?.actions ?? []).filter((x) => x.type === 'Action.Execute'));
  }
  return out;
}

describe.each(testDatabases)('Teams bot on $name', ({ open }) => {
  let database: Database;
  let approvals: ApprovalService;
  let orchestrator: Orchestrator;
  let fake: FakeBotConnector;
  let bot: TeamsBot;
  let server: RunningServer;

  beforeAll(async () => {
    database = await open();
    await loadDemo({ database, today: NOW });
    fake = await startFakeBotConnector({ members: [ALICE, BEN, DANIEL, FRANK, IVY, ERIN, STRANGER] });
    approvals = await openApprovalService({ database, log: silentLogger, policy: { dir: projectPath('policies') }, jobs: 'off' });
    orchestrator = await createOrchestrator({ database, log: silentLogger, now: () => NOW, approvals });
    bot = createTeamsBot({ orchestrator, approvals, database, log: silentLogger, approvalsConversation: APPROVALS_CHANNEL });
    const app = createHttpApp({ database, log: silentLogger, now: () => NOW, mcp: { allowedHosts: [] }, orchestrator, teams: bot });
    server = await listen(app, { port: 0, host: '127.0.0.1', log: silentLogger });
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    await bot?.close();
    await orchestrator?.close();
    await approvals?.close();
    await fake?.close();
    await database?.close();
  });

  const post = (activity: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${TEAMS_MESSAGES_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) });

  /** Sends a message, waits for the work it started, and returns the bot's answer in that conversation. */
  const ask = async (from: TeamsMember, c: TeamsConversation, text: string, opts: { value?: unknown; mention?: boolean } = {}) => {
    const mark = fake.calls.length;
    const activity = messageActivity(fake.url, from, c, text, opts);
    const res = await post(activity);
    expect(res.status).toBe(200);
    await bot.drain();
    const answers = fake.sentTo(c.id, mark).filter((a) => a.replyToId === activity.id);
    expect(answers, `one answer to "${text}"`).toHaveLength(1);
    const card = cardOf(answers[0]);
    expect(cardIssues(card)).toEqual([]);
    return { card, activity, mark };
  };

  /** An Action.Execute from `from`; returns the card of the invoke response. */
  const execute = async (from: TeamsMember, c: TeamsConversation, action: { verb: string; data?: unknown }, replyToId?: string) => {
    const res = await post(invokeActivity(fake.url, from, c, action, { ...(replyToId ? { replyToId } : {}), trigger: action.verb === 'refresh' ? 'automatic' : 'manual' }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { statusCode: number; type: string; value: AdaptiveCardJson };
    expect(body.statusCode).toBe(200);
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardIssues(body.value)).toEqual([]);
    return body.value;
  };

  const install = async (m: TeamsMember) => {
    const mark = fake.calls.length;
    expect((await post(installActivity(fake.url, m, personal(m)))).status).toBe(200);
    await bot.drain();
    const [welcome] = fake.sentTo(personal(m).id, mark);
    expect(cardIssues(cardOf(welcome))).toEqual([]);
  };

  const approvalState = async (id: string) => {
    const [a] = await database.query<{ status: string; current_level: number }>('select status, current_level from approvals where id = $1::uuid', [id]);
    const [d] = await database.query<{ n: number }>('select count(*)::int as n from approval_decisions where approval_id = $1::uuid', [id]);
    return { status: a!.status, current_level: Number(a!.current_level), decisions: Number(d!.n) };
  };

  it('answers a personal chat with an Adaptive Card, figures from the database, and asks a follow-up button', async () => {
    const { card, activity } = await ask(ALICE, personal(ALICE), 'What did we spend in 2012?');
    const [row] = await database.query<{ total: string; n: number }>(
      "select round(sum(amount), 2)::text as total, count(*)::int as n from spend_lines where date between '2012-01-01' and '2012-12-31'",
    );
    expect(card.version).toBe('1.5');
    const headline = card.body[0] as { type: string; text: string; wrap: boolean };
    expect(headline).toMatchObject({ type: 'TextBlock', wrap: true });
    expect(headline.text).toContain(gbp(row!.total));
    expect(headline.text).toContain(Number(row!.n).toLocaleString('en-GB'));
    expect(card.body.some((e) => e.type === 'FactSet')).toBe(true);
    // Recorded under the Teams conversation, as Alice (matched by her AAD object id: no roster call was needed).
    const turns = await database.query<{ channel: string; user_email: string | null; text: string }>(
      'select channel, user_email, text from conversation_turns where conversation_id = $1 order by created_at',
      [`teams:${personal(ALICE).id}`],
    );
    expect(turns).toEqual([{ channel: 'teams', user_email: `alice.moreno@${D}`, text: 'What did we spend in 2012?' }]);
    expect(fake.callsOf('member').filter((c) => c.path.endsWith(encodeURIComponent(ALICE.id)))).toEqual([]);
    expect(activity.id).toBeTruthy();

    // A suggested follow-up is an Action.Submit (messageBack) that asks its question in the same conversation.
    const follow = (card.actions ?? []).find((a) => a.type === 'Action.Submit') as { data: { qmAsk: string; msteams: { text: string } } } | undefined;
    expect(follow?.data.qmAsk).toBeTruthy();
    expect(follow!.data.msteams.text).toBe(follow!.data.qmAsk);
    await ask(ALICE, personal(ALICE), follow!.data.msteams.text, { value: follow!.data });
    const after = await database.query<{ text: string }>('select text from conversation_turns where conversation_id = $1 order by created_at', [`teams:${personal(ALICE).id}`]);
    expect(after.map((t) => t.text)).toEqual(['What did we spend in 2012?', follow!.data.qmAsk]);
  });

  it('answers an @mention in a channel thread (mention removed) and maps a user by the email Teams gives', async () => {
    const c = thread(GENERAL_CHANNEL, '1790000000100');
    const { card } = await ask(BEN, c, 'Which contracts expire in the next 90 days?');
    expect(textOf(card)).toContain('C-2024-002');
    const [turn] = await database.query<{ text: string; user_email: string }>('select text, user_email from conversation_turns where conversation_id = $1', [`teams:${c.id}`]);
    expect(turn).toEqual({ text: 'Which contracts expire in the next 90 days?', user_email: `ben.okafor@${D}` });

    // Erin writes from an account whose AAD object id Quartermaster does not know: TeamsInfo.getMember gives her email.
    const group: TeamsConversation = { kind: 'groupChat', id: '19:group-finance@thread.v2' };
    const mark = fake.calls.length;
    const { card: answer } = await ask(ERIN, group, 'Is Aerocaribbean Airlines sanctioned?');
    expect(textOf(answer)).toMatch(/AEROCARIBBEAN/i);
    expect(fake.callsOf('member', mark).map((m) => decodeURIComponent(m.path.split('/').pop()!))).toEqual([ERIN.id]);
    const [erin] = await database.query<{ user_email: string }>('select user_email from conversation_turns where conversation_id = $1', [`teams:${group.id}`]);
    expect(erin!.user_email).toBe(`erin.walsh@${D}`);
  });

  it('routes a purchase through approval cards: refresh, refusals, three approvers in order, one purchase order', async () => {
    // Daniel and Ivy install the app (so the bot can reach them); Frank has only @mentioned it in a channel, so the
    // bot will open a 1:1 chat with him; Ben asks in the approvals channel (so the bot knows it).
    for (const m of [DANIEL, IVY]) await install(m);
    await ask(FRANK, thread(GENERAL_CHANNEL, '1790000000150'), 'What did we spend in 2012?');
    const frankChat: TeamsConversation = { kind: 'personal', id: `a:personal-${FRANK.aadObjectId}` };
    await ask(BEN, thread(APPROVALS_CHANNEL, '1790000000200'), 'Tell me about Dell');

    const { card: answer, mark } = await ask(ALICE, personal(ALICE), 'can we buy 200 laptops from Dell for £250,000?');
    const [approval] = await database.query<{ id: string; number: number }>(
      "select id::text, number from approvals where status = 'pending' and amount = 250000 order by created_at desc limit 1",
    );
    const id = approval!.id;
    const number = Number(approval!.number);
    expect(textOf(answer)).toContain(`Approval #${number} requested, waiting for Level 1: budget holder`);

    // The card went to Daniel's chat (Mia, the other budget holder, never wrote to the bot) and to the approvals channel.
    const danielCopy = fake.sentTo(personal(DANIEL).id, mark);
    const channelCopy = fake.sentTo(APPROVALS_CHANNEL, mark);
    expect(danielCopy).toHaveLength(1);
    expect(channelCopy).toHaveLength(1);
    expect(channelCopy[0]!.replyToId).toBeUndefined();
    const remembered = await database.query<{ conversation_id: string; message_id: string }>(
      "select conversation_id, message_id from approval_messages where approval_id = $1::uuid and channel = 'teams' order by id",
      [id],
    );
    expect(remembered.map((r) => r.conversation_id).sort()).toEqual([APPROVALS_CHANNEL, personal(DANIEL).id].sort());
    expect(remembered.map((r) => r.message_id).sort()).toEqual([danielCopy[0]!.id, channelCopy[0]!.id].sort());

    // The base card shows the status to everyone and refreshes into the approver's view for Daniel only.
    const base = cardOf(danielCopy[0]);
    const baseText = textOf(base);
    expect(baseText).toContain('Raise a purchase order with Dell Technologies Ltd for 200 laptops at £250,000.00');
    expect(baseText).toContain('GBP 250,000.00');
    expect(baseText).toContain('rule po-100k-plus');
    expect(baseText).toContain('Waiting for: Level 1: budget holder');
    expect(base.actions ?? []).toEqual([]);
    expect(base.refresh?.action).toMatchObject({ type: 'Action.Execute', verb: 'refresh', data: { approvalId: id, number } });
    expect(base.refresh?.userIds).toEqual([DANIEL.id]);
    const refresh = { verb: 'refresh', data: base.refresh!.action.data };
    // Clicks on the channel copy come from its thread.
    const channelThread = thread(APPROVALS_CHANNEL, channelCopy[0]!.id);

    // Ben sees the status (no buttons); his Execute, and Alice's on her own request, are refused and change nothing.
    expect(executeActions(await execute(BEN, channelThread, refresh))).toEqual([]);
    const danielView = await execute(DANIEL, personal(DANIEL), refresh, danielCopy[0]!.id);
    const actions = executeActions(danielView);
    expect(actions.map((a) => a.verb)).toEqual(['approve', 'reject', 'request_changes']);
    const approve = actions[0]!;
    for (const [who, conversation, reason] of [
      [BEN, channelThread, /Level 1: budget holder needs/],
      [ALICE, personal(ALICE), /You requested this/],
    ] as const) {
      const before = fake.calls.length;
      const refused = await execute(who, conversation, { verb: approve.verb!, data: approve.data });
      expect(textOf(refused)).toMatch(reason);
      expect(executeActions(refused)).toEqual([]);
      await bot.drain();
      expect(fake.callsOf('update', before)).toEqual([]);
      expect(await approvalState(id)).toEqual({ status: 'pending', current_level: 0, decisions: 0 });
    }

    // Daniel approves with the data of the parsed card's action: recorded; every copy moves on; Ivy gets the card.
    let before = fake.calls.length;
    const danielApprove = { verb: approve.verb!, data: { ...approve.data, comment: 'Within the IT refresh budget' } };
    const afterDaniel = await execute(DANIEL, personal(DANIEL), danielApprove, danielCopy[0]!.id);
    expect(textOf(afterDaniel)).toContain(`Recorded Daniel Reyes's approval; #${number} now waits for Level 2: procurement manager`);
    expect(executeActions(afterDaniel)).toEqual([]);
    expect(await approvalState(id)).toEqual({ status: 'pending', current_level: 1, decisions: 1 });
    await bot.drain();
    const updates = fake.callsOf('update', before);
    expect(updates.map((u) => u.conversationId).sort()).toEqual([APPROVALS_CHANNEL, personal(DANIEL).id].sort());
    for (const u of updates) {
      const card = cardOf(u.body);
      expect(cardIssues(card)).toEqual([]);
      expect(textOf(card)).toContain('Waiting for: Level 2: procurement manager');
      expect(textOf(card)).toContain('Daniel Reyes as budget holder: approve');
      expect(textOf(card)).toContain('“Within the IT refresh budget”');
      expect(card.refresh?.userIds).toEqual([IVY.id]);
    }
    const ivyCopy = fake.sentTo(personal(IVY).id, before);
    expect(ivyCopy).toHaveLength(1);

    // The same click replayed: one decision (Daniel no longer holds a slot that is waiting).
    const replay = await execute(DANIEL, personal(DANIEL), danielApprove, danielCopy[0]!.id);
    expect(textOf(replay)).toMatch(/already decided on level 1|Level 2: procurement manager needs/);
    expect(await approvalState(id)).toEqual({ status: 'pending', current_level: 1, decisions: 1 });

    // Ivy, then Frank, each from the card in their own chat.
    before = fake.calls.length;
    const ivyActions = executeActions(await execute(IVY, personal(IVY), { verb: 'refresh', data: cardOf(ivyCopy[0]).refresh!.action.data }, ivyCopy[0]!.id));
    await execute(IVY, personal(IVY), { verb: 'approve', data: ivyActions.find((a) => a.verb === 'approve')!.data }, ivyCopy[0]!.id);
    expect(await approvalState(id)).toEqual({ status: 'pending', current_level: 2, decisions: 2 });
    await bot.drain();
    expect(fake.callsOf('create', before).map((c) => c.body?.members)).toEqual([[{ id: FRANK.id }]]);
    const frankCopy = fake.sentTo(frankChat.id, before);
    expect(frankCopy).toHaveLength(1);
    expect(cardOf(frankCopy[0]).refresh?.userIds).toEqual([FRANK.id]);

    before = fake.calls.length;
    const frankActions = executeActions(await execute(FRANK, frankChat, { verb: 'refresh', data: cardOf(frankCopy[0]).refresh!.action.data }, frankCopy[0]!.id));
    const frankApprove = { verb: 'approve', data: { ...frankActions.find((a) => a.verb === 'approve')!.data, comment: 'Budgeted refresh' } };
    const final = await execute(FRANK, frankChat, frankApprove, frankCopy[0]!.id);
    expect(textOf(final)).toContain(`Approval #${number} approved by Frank Osei.`);
    expect(textOf(final)).toMatch(/Purchase order QM-PO-\d+ raised with Dell Technologies Ltd/);
    expect(textOf(final)).toContain(`Approved by frank.osei@${D}`);
    expect(await approvalState(id)).toEqual({ status: 'approved', current_level: 2, decisions: 3 });
    const orders = () =>
      database.query<{ po_number: string }>(
        "select po_number from purchase_orders p join suppliers s on s.id = p.supplier_id where s.name = 'Dell Technologies Ltd' and p.po_number like 'QM-PO-%' and p.total = 250000",
      );
    expect(await orders()).toHaveLength(1);

    // Every copy now shows the outcome, without buttons or refresh; Alice's chat hears the outcome and the order.
    await bot.drain();
    const finalUpdates = fake.callsOf('update', before);
    expect(finalUpdates.map((u) => u.conversationId).sort()).toEqual([APPROVALS_CHANNEL, personal(DANIEL).id, frankChat.id, personal(IVY).id].sort());
    for (const u of finalUpdates) {
      const card = cardOf(u.body);
      expect(cardIssues(card)).toEqual([]);
      expect(card.refresh).toBeUndefined();
      expect(card.actions ?? []).toEqual([]);
      expect(textOf(card)).toContain(`Approved by frank.osei@${D}`);
      expect(textOf(card)).toContain('“Budgeted refresh”');
    }
    expect(fake.activities.get(`${APPROVALS_CHANNEL}|${channelCopy[0]!.id}`)?.updates).toBe(3);
    const told = fake.sentTo(personal(ALICE).id, before).map((a) => String(a.activity.text));
    expect(told.some((t) => t.includes(`Approval #${number}: Approved by frank.osei@${D}`))).toBe(true);
    expect(told.some((t) => /Purchase order QM-PO-\d+ raised with Dell Technologies Ltd/.test(t))).toBe(true);

    // A replayed final click: told who decided, still one decision and one purchase order, no card updated.
    before = fake.calls.length;
    const again = await execute(FRANK, frankChat, frankApprove, frankCopy[0]!.id);
    expect(textOf(again)).toMatch(/already approved by frank\.osei/);
    await bot.drain();
    expect(fake.callsOf('update', before)).toEqual([]);
    expect(await approvalState(id)).toEqual({ status: 'approved', current_level: 2, decisions: 3 });
    expect(await orders()).toHaveLength(1);
  });

  it('needs a reason to reject (from the ShowCard input), and lets unknown people ask but not decide', async () => {
    await ask(ALICE, personal(ALICE), 'can we buy 100 laptops from Dell for £120,000?');
    const [approval] = await database.query<{ id: string }>("select id::text from approvals where status = 'pending' and amount = 120000 order by created_at desc limit 1");
    const id = approval!.id;
    const [copy] = await database.query<{ message_id: string }>(
      "select message_id from approval_messages where approval_id = $1::uuid and conversation_id = $2",
      [id, personal(DANIEL).id],
    );
    const base = cardOf(fake.activities.get(`${personal(DANIEL).id}|${copy!.message_id}`));
    const view = await execute(DANIEL, personal(DANIEL), { verb: 'refresh', data: base.refresh!.action.data }, copy!.message_id);
    const reject = executeActions(view).find((a) => a.verb === 'reject')!;

    // The stranger (no Quartermaster user by AAD id or by email) can ask, but not decide.
    const { card } = await ask(STRANGER, personal(STRANGER), 'What did we spend in 2012?');
    expect(textOf(card)).toMatch(/£/);
    const strangerView = await execute(STRANGER, personal(STRANGER), { verb: 'reject', data: { ...reject.data, reason_reject: 'No' } });
    expect(textOf(strangerView)).toMatch(/not linked to a Quartermaster user/);
    expect(await approvalState(id)).toEqual({ status: 'pending', current_level: 0, decisions: 0 });

    // Without the reason the ShowCard asks for, nothing changes; with it, the request is rejected.
    const noReason = await execute(DANIEL, personal(DANIEL), { verb: 'reject', data: reject.data });
    expect(textOf(noReason)).toContain('A reason is required to reject.');
    expect(executeActions(noReason).map((a) => a.verb)).toEqual(['approve', 'reject', 'request_changes']);
    expect(await approvalState(id)).toEqual({ status: 'pending', current_level: 0, decisions: 0 });
    const rejected = await execute(DANIEL, personal(DANIEL), { verb: 'reject', data: { ...reject.data, reason_reject: "Not in this year's budget" } });
    expect(textOf(rejected)).toContain("Rejected by daniel.reyes@demo.quartermaster.dev");
    expect(textOf(rejected)).toContain("“Not in this year's budget”");
    expect(await approvalState(id)).toEqual({ status: 'rejected', current_level: 0, decisions: 1 });
    await bot.drain();
    const [po] = await database.query<{ n: number }>('select count(*)::int as n from purchase_orders where total = 120000');
    expect(Number(po!.n)).toBe(0);
  });

  it('refuses what is not a Bot Framework activity, and non-loopback callers without credentials', async () => {
    const bad = await fetch(`${server.url}${TEAMS_MESSAGES_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(bad.status).toBe(400);
    expect((await post({ text: 'no type' })).status).toBe(400);
    // The same app asked as if from another machine (hono passes the Node request as env.incoming).
    const app = createHttpApp({ database, log: silentLogger, mcp: { allowedHosts: [] }, teams: bot });
    const body = JSON.stringify(messageActivity(fake.url, ALICE, personal(ALICE), 'What did we spend in 2012?'));
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body };
    const remote = await app.request(TEAMS_MESSAGES_PATH, init, { incoming: { socket: { remoteAddress: '203.0.113.7' } } });
    expect(remote.status).toBe(401);
    // Relayed by a reverse proxy on this machine: loopback socket, but forwarded for someone else.
    const proxied = await app.request(TEAMS_MESSAGES_PATH, { ...init, headers: { ...init.headers, 'x-forwarded-for': '203.0.113.7' } }, { incoming: { socket: { remoteAddress: '127.0.0.1' } } });
    expect(proxied.status).toBe(401);
    const mark = fake.calls.length;
    await bot.drain();
    expect(fake.calls.length).toBe(mark);
  });
});

describe('Teams bot with credentials', () => {
  const APP_ID = '00000000-0000-4000-8000-0000000a99e0';
  let server: RunningServer;
  let bot: TeamsBot;
  let fake: FakeBotConnector;
  const handle = vi.fn();

  beforeAll(async () => {
    fake = await startFakeBotConnector({ members: [ALICE] });
    const orchestrator = { handle, close: async () => {} } as unknown as Orchestrator;
    const approvals = { notifier: { subscribe: () => () => true, publish: async () => {} } } as unknown as ApprovalService;
    bot = createTeamsBot({
      orchestrator,
      approvals,
      database: {} as Database,
      log: silentLogger,
      credentials: { appId: APP_ID, appPassword: 'not-a-real-secret', appType: 'MultiTenant' },
    });
    expect(bot.authenticated).toBe(true);
    const { Hono } = await import('hono');
    const app = new Hono();
    mountTeams(app, { teams: bot, log: silentLogger });
    server = await listen(app, { port: 0, host: '127.0.0.1', log: silentLogger });
  });

  afterAll(async () => {
    await server?.close();
    await bot?.close();
    await fake?.close();
  });

  /** An HS256 JWT from an issuer Bot Framework does not trust (no network look-up is needed to refuse it). */
  function forgedToken(): string {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const head = enc({ alg: 'HS256', typ: 'JWT', kid: 'forged' });
    const payload = enc({ iss: 'https://issuer.invalid/', aud: APP_ID, serviceurl: fake.url, exp: Math.floor(Date.now() / 1000) + 600 });
    const sig = createHmac('sha256', 'guessed-secret').update(`${head}.${payload}`).digest('base64url');
    return `${head}.${payload}.${sig}`;
  }

  it('refuses activities without a valid Bot Framework token, and processes none of them', async () => {
    // CloudAdapter writes its refusals to console.error; they are expected here.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const activity = messageActivity(fake.url, ALICE, personal(ALICE), 'What did we spend in 2012?');
      for (const authorization of [undefined, 'Bearer not-a-token', `Bearer ${forgedToken()}`, 'Basic YWxhZGRpbjpvcGVuc2VzYW1l']) {
        const res = await fetch(`${server.url}${TEAMS_MESSAGES_PATH}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: JSON.stringify(activity),
        });
        expect(res.status, `Authorization: ${authorization ?? '(none)'}`).toBe(401);
        expect(await res.json()).toMatchObject({ error: 'unauthorized' });
      }
      const invoke = invokeActivity(fake.url, ALICE, personal(ALICE), { verb: 'approve', data: { qm: 'approval', approvalId: '00000000-0000-4000-8000-000000000001', number: 1 } });
      const res = await fetch(`${server.url}${TEAMS_MESSAGES_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(invoke) });
      expect(res.status).toBe(401);
      await bot.drain();
    } finally {
      quiet.mockRestore();
    }
    expect(handle).not.toHaveBeenCalled();
    expect(fake.calls).toEqual([]);
  });
});
