// Charts with answers in chat: a forecast asked in Slack or Teams comes back with the forecast_spend chart as a
// PNG. Slack gets it through its upload flow (files.getUploadURLExternal, the bytes POSTed to the upload URL,
// files.completeUploadExternal into the question's thread) on the fake Slack API; Teams as an inline image
// attachment (a data: URI) under the question on the fake Bot Framework connector. The demo organisation is loaded;
// the turn itself runs through the real orchestrator, demand agent and MCP server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackBot, type SlackBot } from '../../bots/slack/index.js';
import { createTeamsBot, type TeamsBot } from '../../bots/teams/index.js';
import type { Database } from '../../src/db/client.js';
import { loadDemo } from '../../src/demo/load.js';
import { buildDemoOrganisation } from '../../src/demo/organisation.js';
import { createHttpApp } from '../../src/http/app.js';
import { listen, type RunningServer } from '../../src/http/server.js';
import { TEAMS_MESSAGES_PATH } from '../../src/http/teams.js';
import { silentLogger } from '../../src/log.js';
import type { App } from '../../src/runtime.js';
import { type FakeBotConnector, messageActivity, startFakeBotConnector, type TeamsConversation, type TeamsMember } from '../fakes/bot-connector.js';
import { eventEnvelope, type FakeSlackApi, slackHeaders, startFakeSlackApi } from '../fakes/slack-api.js';
import { openTestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';

const SECRET = 'slack-signing-secret-for-tests-0123';
const TOKEN = 'xoxb-test-0000-quartermaster';
const GENERAL = 'C0GENERAL0';
const TODAY = '2026-11-27';
const NOW = new Date(`${TODAY}T12:00:00Z`);
const ALICE = 'U0DEMO0001';
const QUESTION = 'Forecast IT spend for next quarter';
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const BEN: TeamsMember = { id: '29:1ben-teams-user', name: 'Ben Okafor', aadObjectId: '6f1c2a10-0000-4000-8000-000000000002', email: 'ben.okafor@demo.quartermaster.dev' };
const benChat: TeamsConversation = { kind: 'personal', id: `a:1personal-${BEN.aadObjectId}` };

describe.each(testDatabases)('charts with chat answers on $name', ({ open }) => {
  let database: Database;
  let qm: App | undefined;
  let slack: FakeSlackApi;
  let teams: FakeBotConnector;
  let slackBot: SlackBot;
  let teamsBot: TeamsBot;
  let server: RunningServer;
  let seq = 0;

  beforeAll(async () => {
    database = await open();
    await loadDemo({ database, today: NOW });
    const org = buildDemoOrganisation(NOW);
    const [email, name, id] = ['email', 'name', 'slack_user_id'].map((h) => org.users.header.indexOf(h));
    slack = await startFakeSlackApi({ token: TOKEN, users: org.users.rows.map((r) => ({ id: String(r[id!]), name: String(r[name!]), email: String(r[email!]) })) });
    teams = await startFakeBotConnector({ members: [BEN] });
    qm = await openTestApp(database, { now: () => NOW });
    const approvals = await qm.approvals();
    const orchestrator = await qm.orchestrator();
    slackBot = await createSlackBot({ orchestrator, approvals, database, log: silentLogger, botToken: TOKEN, signingSecret: SECRET, apiUrl: slack.url });
    teamsBot = createTeamsBot({ orchestrator, approvals, database, log: silentLogger, dev: true });
    const app = createHttpApp({ database, log: silentLogger, now: () => NOW, mcp: { allowedHosts: [] }, orchestrator, slack: slackBot, teams: teamsBot });
    server = await listen(app, { port: 0, host: '127.0.0.1', log: silentLogger });
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    await slackBot?.close();
    await teamsBot?.close();
    await qm?.close();
    await slack?.close();
    await teams?.close();
    await database?.close();
  });

  /** Mentions the bot in #general; returns the thread and the index of calls before it. */
  const mention = async (text: string) => {
    const ts = `${1_780_000_000 + ++seq}.000100`;
    const from = slack.calls.length;
    const body = JSON.stringify(eventEnvelope({ type: 'app_mention', user: ALICE, text: `<@${slack.botUserId}> ${text}`, ts, channel: GENERAL }, slack));
    const res = await fetch(`${server.url}/slack/events`, { method: 'POST', headers: slackHeaders(SECRET, body), body });
    expect(res.status).toBe(200);
    await slackBot.drain();
    return { ts, from };
  };

  it('Slack: a forecast answer is followed by its chart, uploaded as a PNG into the question thread', async () => {
    const { ts, from } = await mention(QUESTION);
    const answers = slack.callsTo('chat.postMessage', from).filter((c) => c.args.thread_ts === ts);
    expect(answers).toHaveLength(1);
    expect(String(answers[0]!.args.text)).toMatch(/^IT, Nov 2026 to Jan 2027: £79\.8k/);
    // The three steps of the upload flow, in order, and nothing left half done.
    const flow = slack.calls.slice(from).filter((c) => ['files.getUploadURLExternal', 'upload', 'files.completeUploadExternal'].includes(c.method));
    expect(flow.map((c) => [c.method, c.ok])).toEqual([
      ['files.getUploadURLExternal', true],
      ['upload', true],
      ['files.completeUploadExternal', true],
    ]);
    const fileId = String(flow[1]!.args.file);
    const file = slack.files.get(fileId)!;
    expect(file.shares).toEqual([{ channel: GENERAL, threadTs: ts }]);
    expect(file.filename).toMatch(/\.png$/);
    expect(file.title).toMatch(/^IT: spend and forecast, Nov 2026 to Jan 2027$/);
    expect(file.altText).toMatch(/^Line chart of IT monthly spend in GBP .*80% range shaded: IT, Nov 2026 to Jan 2027: £79\.8k/);
    // The bytes posted are a PNG of the declared length.
    expect(file.body!.includes(PNG_MAGIC)).toBe(true);
    expect(file.body!.length).toBeGreaterThanOrEqual(file.length);
    // The turn is stored without the picture.
    const [turn] = await database.query<{ reply: Record<string, unknown> }>('select reply from conversation_turns where conversation_id = $1', [`slack:${GENERAL}:${ts}`]);
    expect(turn!.reply.headline).toMatch(/^IT, Nov 2026/);
    expect(turn!.reply).not.toHaveProperty('images');
  });

  it('Slack: answers without a chart upload nothing', async () => {
    const { from } = await mention('What did we spend in 2012?');
    expect(slack.calls.slice(from).filter((c) => c.method.startsWith('files.') || c.method === 'upload')).toEqual([]);
  });

  it('Slack: when the upload fails, the chart\'s description is posted in the thread instead', async () => {
    slack.failNext('files.completeUploadExternal', 'not_in_channel');
    const { ts, from } = await mention(QUESTION);
    const inThread = slack.callsTo('chat.postMessage', from).filter((c) => c.args.thread_ts === ts);
    expect(inThread).toHaveLength(2);
    expect(String(inThread[1]!.args.text)).toMatch(/^\(Chart not shown\) IT: spend and forecast, Nov 2026 to Jan 2027\. Line chart of IT monthly spend/);
  });

  it('Teams: a forecast answer card is followed by its chart as an inline PNG under the question', async () => {
    const mark = teams.calls.length;
    const activity = messageActivity(teams.url, BEN, benChat, QUESTION);
    const res = await fetch(`${server.url}${TEAMS_MESSAGES_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    expect(res.status).toBe(200);
    await teamsBot.drain();
    const sent = teams.sentTo(benChat.id, mark).filter((a) => a.replyToId === activity.id);
    expect(sent).toHaveLength(2);
    const [card, image] = sent.map((a) => a.activity.attachments as { contentType: string; contentUrl?: string; name?: string }[]);
    expect(card![0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(image).toHaveLength(1);
    expect(image![0]!.contentType).toBe('image/png');
    const url = image![0]!.contentUrl!;
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    expect(Buffer.from(url.slice('data:image/png;base64,'.length), 'base64').subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    expect(image![0]!.name).toMatch(/^Line chart of IT monthly spend in GBP/);
    expect(sent[1]!.activity.text).toBe('IT: spend and forecast, Nov 2026 to Jan 2027');
  });
});
