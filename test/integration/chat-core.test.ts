// The chat layer's core on a fake in-memory Channel (test/fakes/chat-channel.ts) over the real database, orchestrator
// and approvals service: person resolution (stored identity, then profile email), one question through the ask
// handler, approval cards delivered to the approvals conversation and approvers' direct chats, decisions recorded as
// the resolved user, every copy updated, notes under shared copies, and the outcome told in the asking thread.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApprovalService } from '../../src/approvals/service.js';
import type { App } from '../../src/runtime.js';
import { openTestApp } from '../helpers/app.js';
import { type ChatCore, createChatCore } from '../../src/chat/core.js';
import type { ChatPerson } from '../../src/chat/people.js';
import type { Database } from '../../src/db/client.js';
import { loadDemo } from '../../src/demo/load.js';
import { silentLogger } from '../../src/log.js';
import { createFakeChannel, type FakeChannel } from '../fakes/chat-channel.js';
import { testDatabases } from '../helpers/databases.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const mail = (n: string) => `${n}@demo.quartermaster.dev`;
const ALICE = 'U0DEMO0001'; // requester
const DANIEL = 'U0DEMO0004'; // budget holder
const FRANK = 'U0DEMO0006'; // CFO
const IVY = 'U0DEMO0009'; // procurement manager

describe.each(testDatabases)('chat core on $name', ({ open }) => {
  let database: Database;
  let qm: App | undefined;
  let approvals: ApprovalService;
  let chat: ChatCore;
  let channel: FakeChannel;
  let unsubscribe: () => void;
  const noProfile = async () => undefined;
  const person = (externalId: string) => chat.people.resolve({ platform: 'slack', externalId }, noProfile);

  beforeAll(async () => {
    database = await open();
    await loadDemo({ database, today: NOW });
    qm = await openTestApp(database, { now: () => NOW });
    approvals = await qm.approvals();
    const orchestrator = await qm.orchestrator();
    chat = createChatCore({ platform: 'slack', database, log: silentLogger, orchestrator, approvals, maxConcurrentTurns: 2 });
    // Mia (the other budget holder) has no direct chat: she gets no card, and nothing fails.
    channel = createFakeChannel({ reachable: [mail('daniel.reyes'), mail('frank.osei'), mail('ivy.patel'), mail('alice.moreno')] });
    unsubscribe = chat.deliverApprovals(channel);
  }, 240_000);
  afterAll(async () => {
    unsubscribe?.();
    await qm?.close();
    await database?.close();
  });

  it('resolves people by stored identity first, then by the email of their platform profile', async () => {
    const profile = vi.fn(async () => ({ name: 'Erin W.', email: mail('erin.walsh') }));
    const alice = await chat.people.resolve({ platform: 'slack', externalId: ALICE }, profile);
    expect(alice.user?.email).toBe(mail('alice.moreno'));
    expect(profile).not.toHaveBeenCalled();
    // An identity of another platform is not this one's.
    expect((await chat.people.resolve({ platform: 'teams', externalId: ALICE }, noProfile)).user).toBeUndefined();

    const erin = await chat.people.resolve({ platform: 'slack', externalId: 'U0ERINALT0' }, profile);
    expect(erin).toMatchObject({ name: 'Erin W.', email: mail('erin.walsh'), user: { email: mail('erin.walsh') } });
    expect(profile).toHaveBeenCalledTimes(1);
    // Cached: asked again, the profile is not fetched again.
    await chat.people.resolve({ platform: 'slack', externalId: 'U0ERINALT0' }, profile);
    expect(profile).toHaveBeenCalledTimes(1);

    const stranger = await chat.people.resolve({ platform: 'slack', externalId: 'U0STRANGER' }, async () => ({ name: 'Sam', email: 'sam@elsewhere.example' }));
    expect(stranger.user).toBeUndefined();
    expect(stranger.name).toBe('Sam');
    // A failing directory leaves the person unmatched, and is not cached.
    const failing = await chat.people.resolve({ platform: 'slack', externalId: 'U0FLAKY00' }, async () => {
      throw new Error('directory down');
    });
    expect(failing.user).toBeUndefined();

    const daniel = (await person(DANIEL)).user!;
    expect(await chat.people.accountOf('slack', daniel)).toBe(DANIEL);
    const lookup = vi.fn(async () => 'U0BYEMAIL');
    expect(await chat.people.accountOf('teams', daniel, lookup)).toBe('6f1c2a10-0000-4000-8000-000000000004');
    expect(lookup).not.toHaveBeenCalled();
  });

  it('asks, delivers cards, records decisions as the resolved user, updates every copy and tells the thread', async () => {
    const alice = await person(ALICE);
    const answer = await chat.ask({ conversationId: 'fake:thread-1', person: alice, text: 'can we buy 150 laptops from Dell for £180,000?' });
    expect(answer.ok).toBe(true);
    const decision = answer.ok ? answer.reply.decisions?.[0] : undefined;
    expect(decision?.outcome).toBe('needs_approval');
    const [row] = await database.query<{ id: string; number: number; requester: string }>(
      "select id::text, number, requester from approvals where status = 'pending' and amount = 180000",
    );
    const approvalId = row!.id;
    expect(row!.requester).toBe(mail('alice.moreno'));

    // Pending: the approvals conversation and Daniel's DM (Mia cannot be reached); each copy recorded.
    await vi.waitFor(() => expect(channel.cards(approvalId).map((c) => c.conversationId).sort()).toEqual(['dm:daniel.reyes@demo.quartermaster.dev', 'shared']));
    const recorded = await database.query<{ channel: string; conversation_id: string }>(
      'select channel, conversation_id from approval_messages where approval_id = $1::uuid order by conversation_id',
      [approvalId],
    );
    expect(recorded).toEqual([
      { channel: 'slack', conversation_id: 'dm:daniel.reyes@demo.quartermaster.dev' },
      { channel: 'slack', conversation_id: 'shared' },
    ]);

    // The same event again sends no second card anywhere.
    const card = channel.cards(approvalId)[0]!.message.card!;
    await approvals.notifier.publish({ type: 'pending', card, approvers: [(await person(DANIEL)).user!] });
    expect(channel.cards(approvalId)).toHaveLength(2);

    // Someone linked to no user is refused, and nothing changes.
    const stranger: ChatPerson = { platform: 'slack', externalId: 'U0STRANGER', name: 'Sam' };
    const refused = await chat.decide({ approvalId, decision: 'approve', person: stranger });
    expect(refused).toMatchObject({ status: 'not_authorised', message: expect.stringMatching(/U0STRANGER is not a Quartermaster user.*not linked/) });
    // The requester may not approve her own request.
    expect((await chat.decide({ approvalId, decision: 'approve', person: alice })).status).toBe('not_authorised');
    expect((await chat.decide({ approvalId: 'not-a-uuid', decision: 'approve', person: alice })).status).toBe('not_found');

    // Daniel approves level 1: recorded as Daniel, every copy updated, the next level's approvers get the card.
    const first = await chat.decide({ approvalId, decision: 'approve', person: await person(DANIEL) });
    expect(first.status).toBe('recorded');
    const [who] = await database.query<{ email: string; channel: string }>(
      'select u.email, d.channel from approval_decisions d join users u on u.id = d.user_id where d.approval_id = $1::uuid',
      [approvalId],
    );
    expect(who).toEqual({ email: mail('daniel.reyes'), channel: 'slack' });
    await vi.waitFor(() => expect(channel.cards(approvalId).filter((c) => c.message.updates > 0)).toHaveLength(2));
    await vi.waitFor(() => expect(channel.cards(approvalId).length).toBeGreaterThan(2));
    const next = channel.cards(approvalId).map((c) => c.conversationId).filter((c) => c !== 'shared' && !c.includes('daniel'));
    expect(next.length).toBeGreaterThan(0);

    // A reminder: a note under the shared copy only (this channel puts notes under shared copies).
    const current = channel.in('shared').find((m) => m.card?.approvalId === approvalId)!;
    await approvals.notifier.publish({ type: 'reminder', card: current.card!, approvers: [] });
    const notes = [...channel.conversations.values()].flat().filter((m) => m.tone === 'reminder');
    expect(notes).toEqual([expect.objectContaining({ threadOf: current.id, text: expect.stringMatching(new RegExp(`^Reminder: approval #${row!.number} still waits for`)) })]);

    // The remaining levels approve; the outcome is told in the thread the question was asked in.
    for (let level = 0; level < 3; level++) {
      const state = await approvals.get(approvalId);
      if (state?.status !== 'pending') break;
      const candidates = await Promise.all([FRANK, IVY].map(person));
      const approver = candidates.find((p) => chat.people.canDecideNow(state, p.user));
      expect(approver, `someone may decide level ${state.currentLevel}`).toBeDefined();
      const r = await chat.decide({ approvalId, decision: 'approve', person: approver! });
      expect(r.status).toBe('recorded');
    }
    expect((await approvals.get(approvalId))?.status).toBe('approved');
    await vi.waitFor(() => expect(channel.in('thread-1').map((m) => m.tone)).toContain('approved'));
    expect(channel.in('thread-1').find((m) => m.tone === 'approved')?.text).toMatch(new RegExp(`^Approval #${row!.number}: `));
    // Every copy shows the outcome.
    for (const c of channel.cards(approvalId)) expect(c.message.card?.state).toBe('approved');
  });

  it('limits turns: at most maxConcurrentTurns run at once, the rest wait in order', async () => {
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        chat.work.turn(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 10));
          order.push(n);
          running--;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([1, 2, 3, 4, 5]);
  });
});
