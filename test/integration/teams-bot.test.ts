// The Teams bot over real HTTP: the main hono server on an ephemeral port with POST /api/messages mounted, activities
// POSTed exactly as the Teams channel sends them (message, conversationUpdate, invoke adaptiveCard/action) with their
// serviceUrl pointing at a fake Bot Framework connector on another port, so botbuilder's own connector client sends
// the replies, proactive cards and card updates. The demo organisation is loaded; figures in answers are checked
// against SQL; approvals go through the real approvals service and policy; every card the bot sends is checked with
// the adaptivecards library at schema 1.5.
//
// The conversations run in development mode (QM_TEAMS_DEV: unauthenticated, loopback callers only), where the
// connector needs no token. Beside it, on their own ports: the same bot with no credentials and no QM_TEAMS_DEV
// (off: everything refused), and with credentials, validating Bot Framework JWTs end to end against a local
// OpenID/JWKS signer (test/fakes/bot-framework-tokens.ts) instead of login.botframework.com, its own calls signed with
// a fixed token instead of one from Microsoft Entra (out of reach offline).
import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type AdaptiveCardJson, cardIssues, createTeamsBot, parsedCard, type TeamsBot } from '../../bots/teams/index.js';
import type { ApprovalService } from '../../src/approvals/service.js';
import type { App } from '../../src/runtime.js';
import { openTestApp } from '../helpers/app.js';
import type { Database } from '../../src/db/client.js';
import { loadDemo } from '../../src/demo/load.js';
import { createHttpApp } from '../../src/http/app.js';
import { listen, type RunningServer } from '../../src/http/server.js';
import { TEAMS_MESSAGES_PATH } from '../../src/http/teams.js';
import { type Logger, silentLogger } from '../../src/log.js';
import type { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import {
  BOT_ID,
  BOT_NAME,
  type FakeBotConnector,
  installActivity,
  invokeActivity,
  messageActivity,
  type StoredActivity,
  startFakeBotConnector,
  type TeamsConversation,
  type TeamsMember,
  TENANT,
} from '../fakes/bot-connector.js';
import { type FakeTokenSigner, startFakeTokenSigner, type TokenOptions } from '../fakes/bot-framework-tokens.js';
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

// The registration of the bot with credentials, and the token its own calls carry.
const APP_ID = '00000000-0000-4000-8000-0000000a99e0';
const OTHER_APP_ID = '00000000-0000-4000-8000-0000000b0b0b';
const OUTBOUND_TOKEN = 'outbound-token-for-tests';
const AUTH_APPROVALS = '19:auth-approvals@thread.tacv2';
// The Bot Framework's tenant in Microsoft Entra, which issues the bot's tokens for calling the connector.
const BOT_FRAMEWORK_TENANT_ISSUER = 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/';

/** A logger that keeps what it is told (warnings and above). */
function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${msg}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
  };
  return { lines, debug: () => {}, info: () => {}, warn: at('warn'), error: at('error') };
}

/** A POST over node:http, which (unlike fetch) sends the Host header it is given. */
function rawPost(url: string, body: unknown, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = httpRequest({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** An HS256 JWT from an issuer Bot Framework does not trust. */
function forgedToken(serviceUrl: string): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = enc({ alg: 'HS256', typ: 'JWT', kid: 'forged' });
  const payload = enc({ iss: 'https://issuer.invalid/', aud: APP_ID, serviceurl: serviceUrl, exp: Math.floor(Date.now() / 1000) + 600 });
  const sig = createHmac('sha256', 'guessed-secret').update(`${head}.${payload}`).digest('base64url');
  return `${head}.${payload}.${sig}`;
}

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
  let qm: App | undefined;
  let approvals: ApprovalService;
  let orchestrator: Orchestrator;
  let fake: FakeBotConnector;
  let bot: TeamsBot;
  let server: RunningServer;
  // No credentials, no QM_TEAMS_DEV: off.
  let offBot: TeamsBot;
  let offServer: RunningServer;
  // Credentials, tokens from the local signer; its connector, and a host it must never call (127.0.0.2).
  let authBot: TeamsBot;
  let authServer: RunningServer;
  let authFake: FakeBotConnector;
  let collector: FakeBotConnector;
  let signer: FakeTokenSigner;
  const authLog = capturingLogger();

  beforeAll(async () => {
    database = await open();
    await loadDemo({ database, today: NOW });
    fake = await startFakeBotConnector({ members: [ALICE, BEN, DANIEL, FRANK, IVY, ERIN, STRANGER] });
    qm = await openTestApp(database, { now: () => NOW });
    approvals = await qm.approvals();
    orchestrator = await qm.orchestrator();
    const serve = (teams: TeamsBot) =>
      listen(createHttpApp({ database, log: silentLogger, now: () => NOW, mcp: { allowedHosts: [] }, orchestrator, teams }), { port: 0, host: '127.0.0.1', log: silentLogger });
    bot = createTeamsBot({ orchestrator, approvals, database, log: silentLogger, dev: true, approvalsConversation: APPROVALS_CHANNEL });
    server = await serve(bot);
    offBot = createTeamsBot({ orchestrator, approvals, database, log: silentLogger });
    offServer = await serve(offBot);
    signer = await startFakeTokenSigner();
    authFake = await startFakeBotConnector({ members: [ALICE] });
    collector = await startFakeBotConnector({ host: '127.0.0.2' });
    authBot = createTeamsBot({
      orchestrator,
      approvals,
      database,
      log: authLog,
      credentials: { appId: APP_ID, appPassword: 'not-a-real-secret', appType: 'MultiTenant' },
      serviceHosts: ['127.0.0.1'],
      botFramework: { openIdMetadataUrl: signer.metadataUrl, outboundToken: async () => OUTBOUND_TOKEN },
      approvalsConversation: AUTH_APPROVALS,
    });
    authServer = await serve(authBot);
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    await offServer?.close();
    await authServer?.close();
    await bot?.close();
    await offBot?.close();
    await authBot?.close();
    await authFake?.close();
    await collector?.close();
    await signer?.close();
    await qm?.close();
    await fake?.close();
    await database?.close();
  });

  const postTo = (to: RunningServer, activity: unknown, headers: Record<string, string> = {}) =>
    fetch(`${to.url}${TEAMS_MESSAGES_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) });
  const post = (activity: unknown, headers: Record<string, string> = {}) => postTo(server, activity, headers);
  const count = async (table: 'audit_events' | 'conversation_turns' | 'approval_decisions') =>
    Number((await database.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n);
  const turnsIn = async (c: TeamsConversation) =>
    Number((await database.query<{ n: number }>('select count(*)::int as n from conversation_turns where conversation_id = $1', [`teams:${c.id}`]))[0]!.n);

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

  it('answers a redelivered message once, on this instance and on a second one sharing the database', async () => {
    const { activity } = await ask(BEN, personal(BEN), 'Which contracts expire in the next 90 days?');
    const turns = await turnsIn(personal(BEN));
    const mark = fake.calls.length;
    // Teams delivers it again (no answer in time): acknowledged, not answered again.
    expect((await post(activity)).status).toBe(200);
    await bot.drain();
    // The same activity reaching another instance: the claim is in the database, so nothing runs there either.
    const other = createTeamsBot({ orchestrator, approvals, database, log: silentLogger, dev: true });
    const otherServer = await listen(createHttpApp({ database, log: silentLogger, now: () => NOW, mcp: { allowedHosts: [] }, orchestrator, teams: other }), {
      port: 0,
      host: '127.0.0.1',
      log: silentLogger,
    });
    try {
      expect((await postTo(otherServer, activity)).status).toBe(200);
      await other.drain();
    } finally {
      await otherServer.close();
      await other.close();
    }
    expect(await turnsIn(personal(BEN))).toBe(turns);
    expect(fake.sentTo(personal(BEN).id, mark)).toEqual([]);
  });

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
    expect(baseText).toContain('£250,000.00');
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
    expect(textOf(replay)).toMatch(/already decided on level 1|already approved this|Level 2: procurement manager needs/);
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
    expect(textOf(again)).toMatch(/already approved by frank\.osei|You already approved this/);
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

  it('in development mode, admits only requests straight from this machine, under its own name, from no other origin', async () => {
    const c: TeamsConversation = { kind: 'personal', id: 'a:1probe-dev-mode' };
    const probe = () => messageActivity(fake.url, FRANK, c, 'What did we spend in 2012?');
    const url = `${server.url}${TEAMS_MESSAGES_PATH}`;
    const port = new URL(server.url).port;
    const mark = fake.calls.length;
    // Not an activity: not JSON, no type, or not sent as JSON (a form a page could post without a preflight).
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' })).status).toBe(400);
    expect((await post({ text: 'no type' })).status).toBe(400);
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(probe()) })).status).toBe(415);
    // From another machine (hono hands the Node request over as env.incoming).
    const app = createHttpApp({ database, log: silentLogger, mcp: { allowedHosts: [] }, teams: bot });
    const init = { method: 'POST', headers: { 'content-type': 'application/json', host: `localhost:${port}` }, body: JSON.stringify(probe()) };
    expect((await app.request(TEAMS_MESSAGES_PATH, init, { incoming: { socket: { remoteAddress: '203.0.113.7' } } })).status).toBe(401);
    // Relayed by a proxy on this machine: a loopback socket, but forwarded for someone else.
    for (const [name, value] of [['x-forwarded-for', '203.0.113.7'], ['forwarded', 'for=203.0.113.7'], ['x-real-ip', '203.0.113.7']] as const) {
      const res = await post(probe(), { [name]: value });
      expect(res.status, name).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'unauthorized' });
    }
    // DNS rebinding: a page on attacker.example, whose name now resolves to 127.0.0.1, sends its own Host and Origin.
    expect(await rawPost(url, probe(), { host: `attacker.example:${port}` })).toBe(403);
    expect(await rawPost(url, probe(), { host: `attacker.example:${port}`, origin: `http://attacker.example:${port}` })).toBe(403);
    // Any other origin, even on this machine (another port, another scheme, an opaque origin).
    for (const origin of [`http://attacker.example:${port}`, 'null', `http://127.0.0.1:${Number(port) + 1}`, `https://127.0.0.1:${port}`]) {
      const res = await post(probe(), { origin });
      expect(res.status, origin).toBe(403);
    }
    await bot.drain();
    expect(fake.calls.length).toBe(mark);
    expect(await turnsIn(c)).toBe(0);

    // The server's own origin is fine, and so is a name listed in QM_ALLOWED_HOSTS.
    expect((await post(probe(), { origin: server.url })).status).toBe(200);
    await bot.drain();
    expect(await turnsIn(c)).toBe(1);
    const named = await listen(createHttpApp({ database, log: silentLogger, mcp: { allowedHosts: ['qm.internal'] }, teams: bot }), { port: 0, host: '127.0.0.1', log: silentLogger });
    try {
      expect(await rawPost(`${named.url}${TEAMS_MESSAGES_PATH}`, { ...probe(), type: 'typing' }, { host: `qm.internal:${named.port}` })).toBe(200);
      expect(await rawPost(`${named.url}${TEAMS_MESSAGES_PATH}`, { ...probe(), type: 'typing' }, { host: `qm.elsewhere:${named.port}` })).toBe(403);
    } finally {
      await named.close();
    }
  });

  it('refuses an activity whose serviceUrl is not a Bot Framework host before processing it, and sends nothing', async () => {
    const c: TeamsConversation = { kind: 'personal', id: 'a:1probe-service-url' };
    const mark = fake.calls.length;
    // A forged "hi" would have the answer (with approval numbers) posted to the attacker's collector.
    for (const serviceUrl of ['https://attacker.example/', 'http://attacker.example/', 'https://smba.trafficmanager.net.attacker.example/', 'http://user:pw@127.0.0.1:9/', 'file:///etc/passwd']) {
      const res = await post(messageActivity(serviceUrl, FRANK, c, 'hi'));
      expect(res.status, serviceUrl).toBe(403);
      expect(await res.json()).toMatchObject({ error: 'forbidden' });
    }
    const invoke = invokeActivity('https://attacker.example/', FRANK, c, { verb: 'refresh', data: { qm: 'approval', approvalId: '00000000-0000-4000-8000-000000000001', number: 1 } });
    expect((await post(invoke)).status).toBe(403);
    // With credentials, a valid token does not make a host outside QM_TEAMS_SERVICE_HOSTS acceptable either.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const activity = messageActivity(collector.url, ALICE, c, 'hi');
      const res = await postTo(authServer, activity, { authorization: `Bearer ${signer.token({ audience: APP_ID, serviceUrl: collector.url })}` });
      expect(res.status).toBe(403);
    } finally {
      quiet.mockRestore();
    }
    await bot.drain();
    await authBot.drain();
    expect(fake.calls.length).toBe(mark);
    expect(collector.calls).toEqual([]);
    expect(await turnsIn(c)).toBe(0);
  });

  it('with no credentials and no QM_TEAMS_DEV, answers 401 and processes nothing: a forged decision as the CFO records nothing', async () => {
    await ask(ALICE, personal(ALICE), 'can we buy 110 laptops from Dell for £130,000?');
    const [approval] = await database.query<{ id: string; number: number }>(
      "select id::text, number from approvals where status = 'pending' and amount = 130000 order by created_at desc limit 1",
    );
    const id = approval!.id;
    const before = await approvalState(id);
    expect(before).toMatchObject({ status: 'pending', decisions: 0 });
    const ledger = await count('audit_events');
    const decisions = await count('approval_decisions');
    const turns = await count('conversation_turns');
    const mark = fake.calls.length;

    const data = { qm: 'approval', approvalId: id, number: Number(approval!.number), comment: 'forged' };
    for (const who of [FRANK, DANIEL]) {
      for (const verb of ['approve', 'reject']) {
        for (const authorization of [undefined, 'Bearer not-a-token', `Bearer ${forgedToken(fake.url)}`]) {
          const res = await postTo(offServer, invokeActivity(fake.url, who, personal(who), { verb, data: { ...data, reason_reject: 'forged' } }), authorization ? { authorization } : {});
          expect(res.status).toBe(401);
          expect(await res.json()).toMatchObject({ error: 'unauthorized' });
        }
      }
    }
    // A forged "hi" (whose answer would list approvals) is refused too, as is anything else.
    expect((await postTo(offServer, messageActivity(fake.url, FRANK, personal(FRANK), 'hi'))).status).toBe(401);
    expect((await postTo(offServer, installActivity(fake.url, FRANK, personal(FRANK)))).status).toBe(401);
    await offBot.drain();
    await bot.drain();
    expect(offBot.mode).toBe('off');
    expect(offBot.references.size).toBe(0);
    expect(await approvalState(id)).toEqual(before);
    expect(await count('approval_decisions')).toBe(decisions);
    expect(await count('audit_events')).toBe(ledger);
    expect(await count('conversation_turns')).toBe(turns);
    expect(fake.calls.length).toBe(mark);
  });

  it('with credentials, validates Bot Framework tokens end to end: a valid one is answered through the connector, every bad one gets 401', async () => {
    const c: TeamsConversation = { kind: 'personal', id: 'a:1auth-alice' };
    const activity = () => messageActivity(authFake.url, ALICE, c, 'What did we spend in 2012?');
    const good: TokenOptions = { audience: APP_ID, serviceUrl: authFake.url };
    const bearer = (t: TokenOptions) => `Bearer ${signer.token(t)}`;
    const refused: [string, string | undefined][] = [
      ['no token', undefined],
      ['not a JWT', 'Bearer not-a-token'],
      ['basic credentials', 'Basic YWxhZGRpbjpvcGVuc2VzYW1l'],
      ['HS256 from a foreign issuer', `Bearer ${forgedToken(authFake.url)}`],
      ['wrong issuer', bearer({ ...good, issuer: 'https://issuer.invalid/' })],
      ['wrong audience', bearer({ ...good, audience: OTHER_APP_ID })],
      ['expired', bearer({ ...good, expiresIn: -3600 })],
      ['signed by an unknown key', bearer({ ...good, key: 'unknown' })],
      ['signed by another key under the published key id', bearer({ ...good, key: 'impostor' })],
      ['issued for another serviceUrl', bearer({ ...good, serviceUrl: 'https://smba.trafficmanager.net/emea/' })],
      // What the bot itself gets from Entra to call the connector (botbuilder's "Emulator" token path would take it).
      ['the bot\'s own outbound token, replayed', bearer({ ...good, audience: 'https://api.botframework.com', issuer: BOT_FRAMEWORK_TENANT_ISSUER, claims: { appid: APP_ID, ver: '1.0' } })],
    ];
    // botbuilder writes token failures to console.error; they are expected here.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    let accepted: ReturnType<typeof activity>;
    try {
      for (const [what, authorization] of refused) {
        const res = await postTo(authServer, activity(), authorization ? { authorization } : {});
        expect(res.status, what).toBe(401);
        expect(await res.json(), what).toMatchObject({ error: 'unauthorized' });
      }
      const invoke = invokeActivity(authFake.url, ALICE, c, { verb: 'refresh', data: { qm: 'approval', approvalId: '00000000-0000-4000-8000-000000000001', number: 1 } });
      expect((await postTo(authServer, invoke, { authorization: bearer({ ...good, expiresIn: -3600 }) })).status).toBe(401);
      await authBot.drain();
      expect(authFake.calls).toEqual([]);
      expect(await turnsIn(c)).toBe(0);
      expect(signer.fetches.keys).toBeGreaterThan(0);

      accepted = activity();
      expect((await postTo(authServer, accepted, { authorization: bearer(good) })).status).toBe(200);
      await authBot.drain();
    } finally {
      quiet.mockRestore();
    }
    const answers = authFake.sentTo(c.id).filter((a) => a.replyToId === accepted.id);
    expect(answers).toHaveLength(1);
    expect(cardIssues(cardOf(answers[0]))).toEqual([]);
    expect(authFake.calls.length).toBeGreaterThan(0);
    for (const call of authFake.calls) expect(call.authorization).toBe(`Bearer ${OUTBOUND_TOKEN}`);
    const turns = await database.query<{ user_email: string }>('select user_email from conversation_turns where conversation_id = $1', [`teams:${c.id}`]);
    expect(turns).toEqual([{ user_email: `alice.moreno@${D}` }]);
    expect(authBot.mode).toBe('authenticated');
  });

  it('sends proactive cards only to allowed service URLs, whatever a stored conversation reference says', async () => {
    // A reference to the approvals channel pointing elsewhere (as one stored before a configuration change could).
    const conversation = { id: AUTH_APPROVALS, conversationType: 'channel', isGroup: true, tenantId: TENANT, name: 'Approvals' };
    authBot.references.remember(
      { channelId: 'msteams', serviceUrl: collector.url, bot: { id: BOT_ID, name: BOT_NAME }, conversation } as Parameters<TeamsBot['references']['remember']>[0],
      { channelId: 'msteams', serviceUrl: collector.url, conversation },
    );
    const seen = authLog.lines.length;
    await ask(ALICE, personal(ALICE), 'can we buy 120 laptops from Dell for £140,000?');
    await authBot.drain();
    expect(collector.calls).toEqual([]);
    expect(authLog.lines.slice(seen).join('\n')).toContain(`not sending to ${collector.url}`);
  });
});
