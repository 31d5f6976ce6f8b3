// Teams conversation references outlive the process: an approver who installed the app, and the approvals channel the
// bot was used in, are reached with proactive approval cards by a bot started afterwards (a restart, or another app
// instance) that has never received an activity from them; a card decided there is updated in every copy. Real HTTP,
// the real approvals service and policy, a fake Bot Framework connector speaking the wire format; both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamsBot, type TeamsBot } from '../../bots/teams/index.js';
import type { ApprovalService } from '../../src/approvals/service.js';
import type { Database } from '../../src/db/client.js';
import { loadDemo } from '../../src/demo/load.js';
import { createHttpApp } from '../../src/http/app.js';
import { listen, type RunningServer } from '../../src/http/server.js';
import { TEAMS_MESSAGES_PATH } from '../../src/http/teams.js';
import { silentLogger } from '../../src/log.js';
import type { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import { type FakeBotConnector, installActivity, messageActivity, startFakeBotConnector, type TeamsConversation, type TeamsMember } from '../fakes/bot-connector.js';
import type { App } from '../../src/runtime.js';
import { openTestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const D = 'demo.quartermaster.dev';
const aad = (n: number) => `6f1c2a10-0000-4000-8000-${String(n).padStart(12, '0')}`;
const member = (n: number, first: string, last: string): TeamsMember => ({
  id: `29:1${first.toLowerCase()}-teams-user`,
  name: `${first} ${last}`,
  aadObjectId: aad(n),
  email: `${first.toLowerCase()}.${last.toLowerCase()}@${D}`,
});
const ALICE = member(1, 'Alice', 'Moreno'); // requester
const BEN = member(2, 'Ben', 'Okafor');
const DANIEL = member(4, 'Daniel', 'Reyes'); // budget holder
const personal = (m: TeamsMember): TeamsConversation => ({ kind: 'personal', id: `a:1personal-${m.aadObjectId}` });
const APPROVALS_CHANNEL = '19:approvals@thread.tacv2';
const TEAM = '19:team-procurement@thread.tacv2';

describe.each(testDatabases)('Teams conversation references on $name', ({ open }) => {
  let database: Database;
  let fake: FakeBotConnector;
  let approvals: ApprovalService;
  let qm: App | undefined;
  let orchestrator: Orchestrator;
  const running: { bot: TeamsBot; server: RunningServer }[] = [];

  const startBot = async () => {
    const bot = createTeamsBot({ orchestrator, approvals, database, log: silentLogger, dev: true, approvalsConversation: APPROVALS_CHANNEL });
    const server = await listen(createHttpApp({ database, log: silentLogger, now: () => NOW, mcp: { allowedHosts: [] }, orchestrator, teams: bot }), {
      port: 0,
      host: '127.0.0.1',
      log: silentLogger,
    });
    const instance = { bot, server };
    running.push(instance);
    return instance;
  };
  const stop = async (i: { bot: TeamsBot; server: RunningServer }) => {
    await i.server.close();
    await i.bot.close();
    running.splice(running.indexOf(i), 1);
  };
  const post = async (i: { bot: TeamsBot; server: RunningServer }, activity: unknown) => {
    const res = await fetch(`${i.server.url}${TEAMS_MESSAGES_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    expect(res.status).toBe(200);
    await i.bot.drain();
  };

  beforeAll(async () => {
    database = await open();
    await loadDemo({ database, today: NOW });
    fake = await startFakeBotConnector({ members: [ALICE, BEN, DANIEL] });
    qm = await openTestApp(database, { now: () => NOW });
    approvals = await qm.approvals();
    orchestrator = await qm.orchestrator();
  }, 240_000);

  afterAll(async () => {
    for (const i of [...running]) await stop(i);
    await qm?.close();
    await fake?.close();
    await database?.close();
  });

  it('reaches an approver and the approvals channel after a restart, and updates every copy from another instance', async () => {
    const first = await startBot();
    await post(first, installActivity(fake.url, DANIEL, personal(DANIEL)));
    const channelThread: TeamsConversation = { kind: 'channel', id: `${APPROVALS_CHANNEL};messageid=1790000000300`, teamId: TEAM, channelId: APPROVALS_CHANNEL };
    await post(first, messageActivity(fake.url, BEN, channelThread, 'Tell me about Dell'));
    await stop(first);

    // A new process knows nobody from its own memory: what it knows comes from the database.
    const second = await startBot();
    expect(second.bot.references.size).toBe(0);
    const mark = fake.calls.length;
    await post(second, messageActivity(fake.url, ALICE, personal(ALICE), 'can we buy 200 laptops from Dell for £250,000?'));
    const [approval] = await database.query<{ id: string }>("select id::text from approvals where status = 'pending' and amount = 250000");
    expect(approval).toBeDefined();
    const danielCopy = fake.sentTo(personal(DANIEL).id, mark);
    const channelCopy = fake.sentTo(APPROVALS_CHANNEL, mark);
    expect(danielCopy).toHaveLength(1);
    expect(channelCopy).toHaveLength(1);

    // Restarted again, the bot updates both copies when a decision is recorded, from the stored references alone.
    await stop(second);
    const third = await startBot();
    const decided = await approvals.decide({ approval: approval!.id, user: DANIEL.email!, decision: 'approve', channel: 'cli' });
    expect(decided.status).toBe('recorded');
    await third.bot.drain();
    expect(fake.activities.get(`${personal(DANIEL).id}|${danielCopy[0]!.id}`)!.updates).toBeGreaterThan(0);
    expect(fake.activities.get(`${APPROVALS_CHANNEL}|${channelCopy[0]!.id}`)!.updates).toBeGreaterThan(0);
  }, 120_000);
});
