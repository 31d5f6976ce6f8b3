// The approval state machine on real databases: routing by the authority matrix, who may decide (segregation
// of duties, delegation), exactly-once execution through the outbox (also across a crash), concurrent clicks
// from two app instances, escalation jobs that survive a restart, and the autonomy envelope widening through
// an approval and narrowing on a reversal. Every case ends with the audit chain verified.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionHandler } from '../../src/actions/handler.js';
import { actionHandlers } from '../../src/actions/registry.js';
import { type DecisionResult, decideApproval } from '../../src/approvals/decide.js';
import type { ApprovalDeps } from '../../src/approvals/deps.js';
import { createNotifier, type ApprovalEvent } from '../../src/approvals/notify.js';
import type { ApprovalService } from '../../src/approvals/service.js';
import type { App } from '../../src/runtime.js';
import { openTestApp } from '../helpers/app.js';
import { submitProposal } from '../../src/approvals/submit.js';
import { verifyLedger } from '../../src/audit/verify.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { loadDemo } from '../../src/demo/load.js';
import { loadPolicy, type Policy } from '../../src/governance/policy.js';
import { silentLogger } from '../../src/log.js';
import type { ProposedAction } from '../../src/domain/proposed-action.js';
import { projectPath } from '../../src/paths.js';
import { createServerDatabase, hasServer, testDatabases } from '../helpers/databases.js';

const D = 'demo.quartermaster.dev';
const user = (local: string) => `${local}@${D}`;
const ALICE = user('alice.moreno'); // requester
const BEN = user('ben.okafor'); // buyer
const CARLA = user('carla.nguyen'); // receiver
const DANIEL = user('daniel.reyes'); // budget holder
const FRANK = user('frank.osei'); // CFO
const IVY = user('ivy.patel'); // procurement manager
const MIA = user('mia.santos'); // budget holder

async function supplierId(database: Database, name: string): Promise<string> {
  const [row] = await database.query<{ id: string }>('select id::text from suppliers where name = $1', [name]);
  return row!.id;
}

function po(supplier: string, value: string, proposedBy = 'spend'): ProposedAction {
  return {
    kind: 'create_purchase_order',
    summary: `Raise a purchase order for ${value}`,
    proposedBy,
    rationale: 'Requested in chat.',
    params: { supplierId: supplier, quantity: 2, item: 'laptops' },
    amount: { value, currency: 'GBP' },
  };
}

/** A time as decision messages write it: "2026-11-27 10:42 UTC". */
const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

async function count(database: Database, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await database.query<Record<string, unknown>>(sql, params);
  return Number(Object.values(row!)[0]);
}

/** The losers of a race are told who decided and when: the winner's repeats as "you", everyone else by name and email. */
function expectLosersTold(results: DecisionResult[], number: number): void {
  const won = results.find((x) => x.status === 'recorded');
  const decision = won?.status === 'recorded' ? won.approval.decisions[0]! : undefined;
  expect(decision).toBeDefined();
  const mine = `You already approved this at ${when(decision!.at)} (approval #${number}, Level 1: budget holder); it is approved.`;
  const theirs = `Approval #${number} was already approved by ${decision!.userName} (${decision!.user}) at ${when(decision!.at)}.`;
  const told = results.filter((x) => x !== won).map((x) => x.message);
  expect(told.filter((m) => m !== mine && m !== theirs)).toEqual([]);
  expect(told).toContain(theirs);
}

describe.each(testDatabases)('approvals on $name', ({ open }) => {
  let database: Database;
  let serviceApp: App | undefined;
  let service: ApprovalService;
  let dell: string;
  const events: ApprovalEvent[] = [];

  beforeAll(async () => {
    database = await open();
    await loadDemo({ database, log: silentLogger });
    const notifier = createNotifier();
    notifier.subscribe((e) => {
      events.push(e);
    });
    serviceApp = await openTestApp(database, { notifier });
    service = await serviceApp.approvals();
    dell = await supplierId(database, 'Dell Technologies Ltd');
  }, 120_000);

  afterAll(async () => {
    await serviceApp?.close();
    await database?.close();
  });

  it('routes £250,000 through budget holder, procurement manager and CFO, refusing everyone else, and raises the PO once', async () => {
    const r = await service.submit({ action: po(dell, '250000.00'), requester: ALICE, origin: { channel: 'cli', conversationId: 'c1' }, planner: 'rule' });
    expect(r.outcome).toBe('needs_approval');
    expect(r.ruleId).toBe('po-100k-plus');
    expect(r.reason).toContain('po-100k-plus');
    const id = r.approval!.id;
    expect(events.some((e) => e.type === 'pending' && e.card.approvalId === id)).toBe(true);

    const refused = async (who: string, pattern: RegExp) => {
      const d = await service.decide({ approval: id, user: who, decision: 'approve' });
      expect(d.status).toBe('not_authorised');
      expect(d.message).toMatch(pattern);
    };
    await refused(ALICE, /You requested this/); // the requester never approves
    await refused(BEN, /budget holder/);
    await refused(IVY, /budget holder/); // the right role, but not this level yet
    await refused('nobody@example.com', /not a Quartermaster user/);

    const daniel = await service.decide({ approval: id, user: DANIEL, decision: 'approve' });
    expect(daniel.status).toBe('recorded');
    const danielAt = daniel.status === 'recorded' ? daniel.approval.decisions[0]!.at : '';
    // Daniel again (a double click, a second card): told he already decided, when; not refused as the wrong person.
    const repeat = await service.decide({ approval: id, user: DANIEL, decision: 'approve' });
    expect(repeat.status).toBe('already_decided');
    expect(repeat.message).toBe(`You already approved this at ${when(danielAt)} (approval #${r.approval!.number}, Level 1: budget holder); it now waits for Level 2: procurement manager.`);
    // Mia, the other budget holder, from her card of a level that has closed: told who closed it, and when.
    const late = await service.decide({ approval: id, user: MIA, decision: 'approve' });
    expect(late.status).toBe('already_decided');
    expect(late.message).toBe(
      `Level 1: budget holder of approval #${r.approval!.number} was already approved by Daniel Reyes (${DANIEL}) at ${when(danielAt)}; it now waits for Level 2: procurement manager.`,
    );
    expect((await service.decide({ approval: String(r.approval!.number), user: IVY, decision: 'approve' })).status).toBe('recorded');
    const last = await service.decide({ approval: id, user: FRANK, decision: 'approve', reason: 'Budgeted refresh' });
    expect(last.status).toBe('recorded');
    if (last.status !== 'recorded') return;
    expect(last.final).toBe('approved');
    expect(last.execution?.status).toBe('done');
    expect(last.approval.decisions.map((d) => [d.user, d.role])).toEqual([
      [DANIEL, 'budget_holder'],
      [IVY, 'procurement_manager'],
      [FRANK, 'cfo'],
    ]);
    const frankAt = last.approval.decisions[2]!.at;
    const again = await service.decide({ approval: id, user: FRANK, decision: 'reject', reason: 'Changed my mind' });
    expect(again.status).toBe('already_decided');
    expect(again.message).toBe(`You already approved this at ${when(frankAt)} (approval #${r.approval!.number}, Level 3: CFO); it is approved.`);
    const after = await service.decide({ approval: id, user: MIA, decision: 'approve' });
    expect(after.status).toBe('already_decided');
    expect(after.message).toBe(`Approval #${r.approval!.number} was already approved by Frank Osei (${FRANK}) at ${when(frankAt)}.`);
    expect(await count(database, 'select count(*) from approval_decisions where approval_id = $1::uuid', [id])).toBe(3);

    const pos = await database.query<{ po_number: string; total: string; requester_email: string; status: string }>(
      'select po_number, total::text, requester_email, status from purchase_orders where supplier_id = $1::uuid and po_number like $2',
      [dell, 'QM-PO-%'],
    );
    expect(pos).toHaveLength(1);
    expect(pos[0]).toMatchObject({ total: '250000.0000', requester_email: ALICE, status: 'open' });
    expect(events.some((e) => e.type === 'resolved' && e.card.approvalId === id && e.card.buttons.length === 0)).toBe(true);
    expect(events.some((e) => e.type === 'executed' && e.text.includes(pos[0]!.po_number))).toBe(true);

    const actions = await database.query<{ action: string }>(
      `select action from audit_events where subject_id = $1
          or subject_id in (select subject_id from audit_events where action = 'proposal' and data -> 'action' ->> 'summary' = $2) order by seq`,
      [id, 'Raise a purchase order for 250000.00'],
    );
    expect(actions.map((a) => a.action)).toEqual([
      'proposal',
      'policy_decision',
      'approval_requested',
      'approval_decision',
      'approval_decision',
      'approval_decision',
      'approval_resolved',
    ]);
    expect(await count(database, `select count(*) from audit_events where action = 'action_executed' and data ->> 'approvalId' = $1`, [id])).toBe(1);
    expect((await verifyLedger(database)).ok).toBe(true);
  });

  it('never lets requesters approve their own request, and records delegates with their principal', async () => {
    // Daniel (a budget holder) asks for a £5,000 PO: he cannot approve it himself, Mia can.
    const own = await service.submit({ action: po(dell, '5000.00'), requester: DANIEL });
    expect(own.ruleId).toBe('po-under-10k');
    const self = await service.decide({ approval: own.approval!.id, user: DANIEL, decision: 'approve' });
    expect(self).toMatchObject({ status: 'not_authorised' });
    expect(self.message).toMatch(/You requested this/);
    expect((await service.decide({ approval: own.approval!.id, user: MIA, decision: 'approve' })).status).toBe('recorded');

    // Mia is out of office and delegates to Carla (a receiver) for today only.
    const today = new Date().toISOString().slice(0, 10);
    await database.query(
      `insert into delegations (from_user_id, to_user_id, starts_on, ends_on, reason)
       select m.id, c.id, $1::date, $1::date, 'annual leave' from users m, users c where m.email = $2 and c.email = $3`,
      [today, MIA, CARLA],
    );
    const delegated = await service.submit({ action: po(dell, '4000.00'), requester: ALICE });
    const d = await service.decide({ approval: delegated.approval!.id, user: CARLA, decision: 'approve', reason: 'covering for Mia' });
    expect(d.status).toBe('recorded');
    if (d.status !== 'recorded') return;
    expect(d.final).toBe('approved');
    expect(d.approval.decisions[0]).toMatchObject({ user: CARLA, onBehalfOf: MIA, role: 'budget_holder' });
    const [event] = await database.query<{ data: { onBehalfOf: string } }>(
      `select data from audit_events where action = 'approval_decision' and subject_id = $1`,
      [delegated.approval!.id],
    );
    expect(event!.data.onBehalfOf).toBeTruthy();
  });

  it('rejects with a reason, runs nothing, and refuses a rejection without one', async () => {
    const r = await service.submit({ action: po(dell, '20000.00'), requester: ALICE });
    expect((await service.decide({ approval: r.approval!.id, user: DANIEL, decision: 'reject' })).message).toMatch(/reason is required/);
    const d = await service.decide({ approval: r.approval!.id, user: DANIEL, decision: 'reject', reason: 'Use the framework catalogue' });
    expect(d).toMatchObject({ status: 'recorded', final: 'rejected' });
    expect(await count(database, 'select count(*) from action_outbox where approval_id = $1::uuid', [r.approval!.id])).toBe(0);
    expect((await service.get(r.approval!.id))?.decisionReason).toBe('Use the framework catalogue');
  });

  it('denies a purchase from a supplier on hold, citing the rule', async () => {
    const northbridge = await supplierId(database, 'Northbridge Office Supplies Ltd');
    await database.query(`update suppliers set status = 'on_hold' where id = $1::uuid`, [northbridge]);
    const r = await service.submit({ action: po(northbridge, '500.00'), requester: ALICE });
    expect(r.outcome).toBe('deny');
    expect(r.reason).toContain('po-supplier-not-active');
    await database.query(`update suppliers set status = 'active' where id = $1::uuid`, [northbridge]);
  });

  it('executes an approved action exactly once when the process dies between the decision and the execution', async () => {
    const deps = (handlers?: ReadonlyMap<string, ActionHandler>): ApprovalDeps => ({
      database,
      log: silentLogger,
      now: () => new Date(),
      policy: service.policy,
      notifier: createNotifier(),
      executor: { database, log: silentLogger, now: () => new Date(), ...(handlers ? { handlers } : {}) },
    });
    // The executor dies after writing the PO but before committing: the whole transaction is lost.
    const dying = new Map(actionHandlers);
    const real = actionHandlers.get('create_purchase_order')!;
    dying.set('create_purchase_order', {
      ...real,
      async execute(tx, action, params, ctx) {
        await real.execute(tx, action, params, ctx);
        throw new Error('process killed');
      },
    });
    const r = await submitProposal(deps(), { action: po(dell, '3000.00'), requester: ALICE });
    const d = await decideApproval(deps(dying), { approval: r.approval!.id, user: MIA, decision: 'approve' });
    expect(d).toMatchObject({ status: 'recorded', final: 'approved' });
    if (d.status !== 'recorded') return;
    expect(d.execution?.status).toBe('retry');
    const poCount = () => count(database, `select count(*) from purchase_orders where supplier_id = $1::uuid and total = 3000`, [dell]);
    expect(await poCount()).toBe(0);
    // Restart: a fresh service drains the outbox at start; draining again changes nothing.
    const restartedApp = await openTestApp(database, { policy: service.policy });
    const restarted = await restartedApp.approvals();
    await restarted.drain();
    await restarted.drain();
    await restartedApp.close();
    expect(await poCount()).toBe(1);
    const [row] = await database.query<{ status: string; attempts: number }>('select status, attempts from action_outbox where approval_id = $1::uuid', [r.approval!.id]);
    expect(row).toMatchObject({ status: 'done', attempts: 2 });
    expect((await verifyLedger(database)).ok).toBe(true);
  });

  it('produces one decision from 50 concurrent clicks', async () => {
    const r = await service.submit({ action: po(dell, '2500.00'), requester: ALICE });
    const clicks = Array.from({ length: 50 }, (_, i) => service.decide({ approval: r.approval!.id, user: i % 2 ? DANIEL : MIA, decision: 'approve' }));
    const results = await Promise.all(clicks);
    expect(results.filter((x) => x.status === 'recorded')).toHaveLength(1);
    expect(results.filter((x) => x.status === 'already_decided')).toHaveLength(49);
    expectLosersTold(results, r.approval!.number);
    expect(await count(database, 'select count(*) from approval_decisions where approval_id = $1::uuid', [r.approval!.id])).toBe(1);
    expect(await count(database, 'select count(*) from action_outbox where approval_id = $1::uuid and status = $2', [r.approval!.id, 'done'])).toBe(1);
  });

  it('widens an envelope only through an approval once agreement meets the policy, and narrows it on a reversal', async () => {
    // 30 earlier decided recommendations of the spend agent in the under-10k band, 29 agreed with (96.7%).
    const first = await service.submit({ action: po(dell, '900.00'), requester: ALICE });
    const envelope = (await service.get(first.approval!.id))!.envelope!;
    await database.query(
      `insert into approvals (action_kind, action, summary, requester, proposed_by, rule_id, reason, route, envelope, policy_version, status, decided_at)
       select 'create_purchase_order', '{}'::jsonb, 'earlier', 'x', 'spend', 'po-under-10k', 'r', '[]'::jsonb, $1::jsonb, 'p',
              case when g = 1 then 'rejected' else 'approved' end, now() - (g || ' days')::interval
         from generate_series(1, 29) g`,
      [JSON.stringify(envelope)],
    );
    const d = await service.decide({ approval: first.approval!.id, user: MIA, decision: 'approve' });
    expect(d.status).toBe('recorded');
    const [expansion] = await service.list({ status: 'pending' }).then((l) => l.filter((a) => a.actionKind === 'expand_autonomy'));
    expect(expansion).toBeDefined();
    expect(expansion!.action.rationale).toMatch(/\d+ of \d+ recommendations/);
    expect(expansion!.route.map((l) => l.roles)).toEqual([['procurement_manager'], ['cfo']]);
    await service.decide({ approval: expansion!.id, user: IVY, decision: 'approve' });
    const granted = await service.decide({ approval: expansion!.id, user: FRANK, decision: 'approve' });
    expect(granted).toMatchObject({ status: 'recorded', final: 'approved' });
    const [grant] = await database.query<{ level: string }>('select level from autonomy_grants where agent = $1 and band = $2', [envelope.agent, envelope.band]);
    expect(grant!.level).toBe('act_with_notice');

    // The next proposal in that envelope runs without a human, and the budget holders are told.
    events.length = 0;
    const auto = await service.submit({ action: po(dell, '800.00'), requester: ALICE });
    expect(auto.outcome).toBe('auto');
    expect(auto.execution?.status).toBe('done');
    expect(events.find((e) => e.type === 'notice')).toBeDefined();
    // A person reverses it: the PO is cancelled and the envelope narrows back to recommend.
    const reversed = await service.reverse(auto.execution!.actionId, IVY, 'Not needed after all');
    expect(reversed.ok).toBe(true);
    const [after] = await database.query<{ level: string }>('select level from autonomy_grants where agent = $1 and band = $2', [envelope.agent, envelope.band]);
    expect(after!.level).toBe('recommend');
    const next = await service.submit({ action: po(dell, '700.00'), requester: ALICE });
    expect(next.outcome).toBe('needs_approval');
    const changes = await database.query<{ data: { from: string; to: string; cause: string } }>(
      `select data from audit_events where action = 'autonomy_changed' order by seq`,
    );
    expect(changes.map((c) => [c.data.from, c.data.to, c.data.cause])).toEqual([
      ['recommend', 'act_with_notice', 'approved_widening'],
      ['act_with_notice', 'recommend', 'reversal'],
    ]);
    expect((await verifyLedger(database)).ok).toBe(true);
  });

  it('reminds and escalates through the job queue after the service restarts', async () => {
    const longAgo = () => new Date(Date.now() - 73 * 3_600_000);
    const schedulerApp = await openTestApp(database, { now: longAgo, policy: service.policy, jobs: 'send' });
    const scheduler = await schedulerApp.approvals();
    const r = await scheduler.submit({ action: po(dell, '6500.00'), requester: ALICE });
    await schedulerApp.close();
    const workersApp = await openTestApp(database, { policy: service.policy, jobs: 'workers', pollSeconds: 0.5 });
    const workers = await workersApp.approvals();
    try {
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && (await workers.get(r.approval!.id))!.escalationLevel === 0) await new Promise((res) => setTimeout(res, 250));
      const a = (await workers.get(r.approval!.id))!;
      expect(a.escalationLevel).toBe(1);
      expect(a.route[0]!.roles).toEqual(['budget_holder', 'procurement_manager']);
      expect(await count(database, `select count(*) from audit_events where action = 'approval_escalated' and subject_id = $1`, [r.approval!.id])).toBe(1);
    } finally {
      await workersApp.close();
    }
  }, 60_000);

  it('records a changed policy in the ledger, once', async () => {
    const policy: Policy = await loadPolicy(projectPath('policies'));
    const changed: Policy = { ...policy, version: `${policy.version}-changed` };
    const s1App = await openTestApp(database, { policy: changed });
    await s1App.approvals();
    await s1App.close();
    const s2App = await openTestApp(database, { policy: changed });
    await s2App.approvals();
    await s2App.close();
    const loaded = await database.query<{ subject_id: string }>(`select subject_id from audit_events where action = 'policy_loaded' order by seq`);
    expect(loaded.map((l) => l.subject_id)).toEqual([policy.version, changed.version]);
    expect(await count(database, 'select count(*) from policy_versions')).toBe(2);
    // Restore the real policy for the cases that follow.
    const restore = await openTestApp(database, { policy });
    await restore.approvals();
    await restore.close();
  });
});

describe.skipIf(!hasServer)('approvals across app instances on a PostgreSQL server', () => {
  let url: string;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ url, drop } = await createServerDatabase());
    const database = await openDatabase({ url, poolSize: 4 });
    await loadDemo({ database, log: silentLogger });
    await database.close();
  }, 120_000);

  afterAll(async () => {
    await drop?.();
  });

  it('50 concurrent clicks from two instances make exactly one decision', async () => {
    const [a, b] = [await openDatabase({ url, poolSize: 10 }), await openDatabase({ url, poolSize: 10 })];
    const [saApp, sbApp] = (await Promise.all([a, b].map((database) => openTestApp(database)))) as [App, App];
    const [sa, sb] = await Promise.all([saApp, sbApp].map((app) => app.approvals()));
    try {
      const dell = await supplierId(a, 'Dell Technologies Ltd');
      const r = await sa!.submit({ action: po(dell, '2500.00'), requester: ALICE });
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 ? sa! : sb!).decide({ approval: r.approval!.id, user: i % 3 ? DANIEL : MIA, decision: 'approve' })),
      );
      expect(results.filter((x) => x.status === 'recorded')).toHaveLength(1);
      expect(results.filter((x) => x.status === 'already_decided')).toHaveLength(49);
      expectLosersTold(results, r.approval!.number);
      expect(await count(a, 'select count(*) from approval_decisions where approval_id = $1::uuid', [r.approval!.id])).toBe(1);
      expect(await count(a, `select count(*) from purchase_orders where supplier_id = $1::uuid and total = 2500`, [dell])).toBe(1);
      expect((await verifyLedger(a)).ok).toBe(true);
    } finally {
      await Promise.all([saApp.close(), sbApp.close()]);
      await Promise.all([a.close(), b.close()]);
    }
  }, 60_000);

  it('fires the escalation job after the app restarts', async () => {
    // The approval is created "73 hours ago" (past escalateAfterHours = 72) by an instance that only schedules jobs.
    const longAgo = () => new Date(Date.now() - 73 * 3_600_000);
    const first = await openDatabase({ url, poolSize: 4 });
    const schedulerApp = await openTestApp(first, { databaseUrl: url, now: longAgo, jobs: 'send' });
    const scheduler = await schedulerApp.approvals();
    const dell = await supplierId(first, 'Dell Technologies Ltd');
    const r = await scheduler.submit({ action: po(dell, '6000.00'), requester: ALICE });
    await schedulerApp.close();
    await first.close();

    // A new process starts its job workers: the escalation fires once and adds the rule's escalateTo roles.
    const second = await openDatabase({ url, poolSize: 4 });
    const workersApp = await openTestApp(second, { databaseUrl: url, jobs: 'workers', pollSeconds: 0.5 });
    const workers = await workersApp.approvals();
    try {
      const deadline = Date.now() + 30_000;
      let escalation = 0;
      while (Date.now() < deadline) {
        escalation = (await workers.get(r.approval!.id))!.escalationLevel;
        if (escalation > 0) break;
        await new Promise((res) => setTimeout(res, 250));
      }
      expect(escalation).toBe(1);
      const a = (await workers.get(r.approval!.id))!;
      expect(a.route[0]!.roles).toContain('procurement_manager');
      expect(await count(second, `select count(*) from audit_events where action = 'approval_escalated' and subject_id = $1`, [r.approval!.id])).toBe(1);
      // The escalated level can now be decided by the procurement manager.
      expect((await workers.decide({ approval: r.approval!.id, user: IVY, decision: 'approve' })).status).toBe('recorded');
    } finally {
      await workersApp.close();
      await second.close();
    }
  }, 60_000);
});
