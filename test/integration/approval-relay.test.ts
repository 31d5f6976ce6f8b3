// Cards follow a decision taken in another process: a process without chat channels (as `qm approvals approve`)
// relays its approval events through the job queue, and a server with channels delivers them, so every copy of the
// card is updated and the outcome reaches the asking thread. Both databases; each side with its own approvals
// service, notifier and job queue, as two processes have.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APPROVAL_EVENTS_QUEUE, deliverRelayedEvents, relayApprovalEvents } from '../../src/approvals/relay.js';
import { type ApprovalService, openApprovalService } from '../../src/approvals/service.js';
import { type ChatCore, createChatCore } from '../../src/chat/core.js';
import type { Database } from '../../src/db/client.js';
import { loadDemo } from '../../src/demo/load.js';
import { type JobQueue, openJobQueue } from '../../src/jobs/queue.js';
import { silentLogger } from '../../src/log.js';
import { createOrchestrator, type Orchestrator } from '../../src/orchestrator/orchestrator.js';
import { projectPath } from '../../src/paths.js';
import { createFakeChannel, type FakeChannel } from '../fakes/chat-channel.js';
import { testDatabases } from '../helpers/databases.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const mail = (n: string) => `${n}@demo.quartermaster.dev`;
const ALICE = 'U0DEMO0001';

describe.each(testDatabases)('approval events relayed between processes on $name', ({ open }) => {
  let database: Database;
  let server: ApprovalService;
  let cli: ApprovalService;
  let orchestrator: Orchestrator;
  let chat: ChatCore;
  let channel: FakeChannel;
  const queues: JobQueue[] = [];

  beforeAll(async () => {
    database = await open();
    await loadDemo({ database, today: NOW });
    const policy = { dir: projectPath('policies') };
    server = await openApprovalService({ database, log: silentLogger, now: () => NOW, policy });
    cli = await openApprovalService({ database, log: silentLogger, now: () => NOW, policy });
    expect(cli.notifier).not.toBe(server.notifier);
    orchestrator = await createOrchestrator({ database, log: silentLogger, now: () => NOW, approvals: server });
    chat = createChatCore({ platform: 'slack', database, log: silentLogger, orchestrator, approvals: server });
    channel = createFakeChannel({ reachable: [mail('daniel.reyes'), mail('alice.moreno')] });
    chat.deliverApprovals(channel);
    for (let i = 0; i < 2; i++) queues.push(await openJobQueue({ database, log: silentLogger, queues: [APPROVAL_EVENTS_QUEUE], pollSeconds: 0.5 }));
    await deliverRelayedEvents(server.notifier, queues[0]!);
    relayApprovalEvents(cli.notifier, queues[1]!, silentLogger);
  }, 240_000);

  afterAll(async () => {
    for (const q of queues) await q.stop();
    await orchestrator?.close();
    await database?.close();
  });

  it('updates every copy of a card and tells the thread when the decision is taken where no channel runs', async () => {
    const alice = await chat.people.resolve({ platform: 'slack', externalId: ALICE }, async () => undefined);
    const answer = await chat.ask({ conversationId: 'fake:relay-thread', person: alice, text: 'can we buy 150 laptops from Dell for £180,000?' });
    expect(answer.ok).toBe(true);
    const [row] = await database.query<{ id: string }>("select id::text from approvals where status = 'pending' and amount = 180000");
    const id = row!.id;
    await vi.waitFor(() => expect(channel.cards(id).map((c) => c.conversationId).sort()).toEqual(['dm:daniel.reyes@demo.quartermaster.dev', 'shared']));

    // Daniel approves from the command line: the server's channel updates both copies.
    const decided = await cli.decide({ approval: id, user: mail('daniel.reyes'), decision: 'approve', channel: 'cli' });
    expect(decided.status).toBe('recorded');
    await vi.waitFor(() => expect(channel.cards(id).every((c) => c.message.updates > 0)).toBe(true), { timeout: 20_000, interval: 200 });
    expect(channel.cards(id).every((c) => c.message.card?.history.some((h) => h.includes('Daniel')))).toBe(true);
  }, 60_000);
});
