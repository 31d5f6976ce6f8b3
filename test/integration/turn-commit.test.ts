// A turn commits whole or not at all, and a request is filed once. On real databases with the demo organisation:
// the same question asked twice (by two people, through the orchestrator) leaves one approval, and the second
// asker is told it is already waiting and who asked first; ten concurrent equal submissions file one approval;
// a different amount files another; a decided request can be asked for again; a monitor proposing what chat
// already asked for waits on the same approval. A process killed between the turn's record and its approval
// (a fault hook) leaves neither the turn, nor its ledger events, nor the approval and its jobs; the same turn without the
// fault leaves all three, linked by the turn id that `qm ask --json` prints as auditId.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifier } from '../../src/approvals/notify.js';
import type { ApprovalService } from '../../src/approvals/service.js';
import type { App } from '../../src/runtime.js';
import { openTestApp } from '../helpers/app.js';
import { verifyLedger } from '../../src/audit/verify.js';
import type { Database } from '../../src/db/client.js';
import { loadDemo } from '../../src/demo/load.js';
import { PLANTED } from '../../src/demo/organisation.js';
import type { ProposedAction } from '../../src/domain/proposed-action.js';
import { silentLogger } from '../../src/log.js';
import { runMonitor } from '../../src/monitors/runner.js';
import { type Orchestrator, type TurnResult } from '../../src/orchestrator/orchestrator.js';
import { turnToJson } from '../../src/orchestrator/turn-json.js';
import { projectPath } from '../../src/paths.js';
import { testDatabases } from '../helpers/databases.js';

const TODAY = '2026-11-27';
const NOW = () => new Date(`${TODAY}T12:00:00Z`);
const D = 'demo.quartermaster.dev';
const ALICE = `alice.moreno@${D}`;
const BEN = `ben.okafor@${D}`;
const MIA = `mia.santos@${D}`;

describe.each(testDatabases)('turns and proposals committed once on $name', ({ open }) => {
  let database: Database;
  let qm: App | undefined;
  let crashingApp: App | undefined;
  let approvals: ApprovalService;
  let orchestrator: Orchestrator;
  let crashing: Orchestrator;
  let thread = 0;

  const ask = (text: string, email: string, conversationId = `turn-commit:${++thread}`): Promise<TurnResult> =>
    orchestrator.handle({ channel: 'cli', conversationId, user: { email }, text });

  const count = async (sql: string, params: unknown[] = []) => {
    const [row] = await database.query<Record<string, unknown>>(sql, params);
    return Number(Object.values(row!)[0]);
  };

  const supplierId = async (name: string) => {
    const [row] = await database.query<{ id: string }>('select id::text from suppliers where name = $1', [name]);
    return row!.id;
  };

  const po = (supplier: string, value: string): ProposedAction => ({
    kind: 'create_purchase_order',
    summary: `Raise a purchase order with Dell for 12 docking stations at £${value}`,
    proposedBy: 'spend',
    rationale: 'Requested in chat.',
    params: { supplierId: supplier, quantity: 12, item: 'docking stations' },
    amount: { value, currency: 'GBP' },
  });

  beforeAll(async () => {
    database = await open();
    await loadDemo({ database, today: new Date(TODAY) });
    // Jobs are scheduled (not worked): a pending approval's reminder, escalation and expiry commit with it.
    qm = await openTestApp(database, { jobs: 'send', now: NOW, notifier: createNotifier() });
    approvals = await qm.approvals();
    orchestrator = await qm.orchestrator();
    // A second instance whose process dies right after writing the turn record.
    crashingApp = await openTestApp(database, {
      jobs: 'send',
      now: NOW,
      notifier: createNotifier(),
      orchestrator: {
        faults: {
          afterTurnRecord: () => {
            throw new Error('process killed after the turn record');
          },
        },
      },
    });
    crashing = await crashingApp.orchestrator();
  }, 240_000);

  afterAll(async () => {
    await crashingApp?.close();
    await qm?.close();
    await database?.close();
  });

  it('"Is Aerocaribbean Airlines sanctioned?" asked twice: one hold approval, and the second asker is told who asked first', async () => {
    const aero = await supplierId(PLANTED.sanctionsHit.supplier);
    const holds = () => count(`select count(*) from approvals where action_kind = 'put_supplier_on_hold' and supplier_id = $1::uuid`, [aero]);
    const first = await ask('Is Aerocaribbean Airlines sanctioned?', BEN);
    const filed = first.reply.decisions![0]!;
    expect(filed).toMatchObject({ kind: 'put_supplier_on_hold', outcome: 'needs_approval' });
    expect(filed.approval!.attached).toBeUndefined();
    const number = filed.approval!.number;
    expect(first.reply.headline).toContain(`Sent for approval #${number}`);
    expect(await holds()).toBe(1);

    const second = await ask('Is Aerocaribbean Airlines sanctioned?', ALICE);
    const joined = second.reply.decisions![0]!;
    expect(joined.outcome).toBe('needs_approval');
    expect(joined.approval).toMatchObject({ id: filed.approval!.id, number, attached: true, requester: BEN });
    const [row] = await database.query<{ created_at: Date | string }>('select created_at from approvals where id = $1::uuid', [filed.approval!.id]);
    const at = new Date(row!.created_at).toISOString().slice(0, 16).replace('T', ' ');
    expect(second.reply.headline).toContain(`Already waiting for approval #${number} (asked by ${BEN} at ${at} UTC)`);
    expect(second.reply.headline).not.toContain('Sent for approval');
    expect(await holds()).toBe(1);

    // The ledger records the repeat against the approval, with the turn and the person who repeated it.
    const repeats = await database.query<{ data: Record<string, unknown> }>(
      `select data from audit_events where action = 'proposal_attached' and subject_id = $1`,
      [filed.approval!.id],
    );
    expect(repeats.map((r) => r.data)).toEqual([expect.objectContaining({ number, turnId: second.turnId, requester: ALICE, firstRequester: BEN })]);
    // The stored turn carries what the asker was shown.
    const [turn] = await database.query<{ reply: unknown }>('select reply from conversation_turns where id = $1', [second.turnId]);
    const stored = (typeof turn!.reply === 'string' ? JSON.parse(turn!.reply) : turn!.reply) as { headline: string };
    expect(stored.headline).toBe(second.reply.headline);
  });

  it('"Which contracts expire in the next 90 days?" asked twice files its renewal reviews once', async () => {
    const reviews = () => count(`select count(*) from approvals where action_kind = 'review_contract_renewal' and status = 'pending'`);
    const first = await ask('Which contracts expire in the next 90 days?', BEN);
    expect(first.reply.actions.length).toBeGreaterThan(0);
    const filed = await reviews();
    expect(filed).toBe(first.reply.actions.length);
    const second = await ask('Which contracts expire in the next 90 days?', BEN);
    expect(second.reply.decisions!.map((d) => d.approval?.attached)).toEqual(first.reply.actions.map(() => true));
    expect(second.reply.decisions!.map((d) => d.approval?.number)).toEqual(first.reply.decisions!.map((d) => d.approval?.number));
    expect(await reviews()).toBe(filed);
  });

  it('five people asking for the same purchase at once: one approval, four told it is already waiting', async () => {
    const question = 'Can we buy 4 webcams from Dell for £480?';
    const turns = await Promise.all([ALICE, BEN, MIA, ALICE, BEN].map((who) => ask(question, who)));
    const decisions = turns.map((t) => t.reply.decisions![0]!);
    expect(new Set(decisions.map((d) => d.approval?.id)).size).toBe(1);
    expect(decisions.filter((d) => d.approval?.attached)).toHaveLength(4);
    expect(turns.filter((t) => t.reply.headline.includes('Already waiting for approval #'))).toHaveLength(4);
    expect(await count(`select count(*) from approvals where action_kind = 'create_purchase_order' and amount = 480`)).toBe(1);
    // Every turn is whole: its record and its ledger event.
    for (const t of turns) expect(await count(`select count(*) from audit_events where action = 'turn' and subject_id = $1`, [t.turnId])).toBe(1);
    expect((await verifyLedger(database)).ok).toBe(true);
  });

  it('ten concurrent equal submissions file one approval; a different amount files another; a decided one can be asked again', async () => {
    const dell = await supplierId('Dell Technologies Ltd');
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => approvals.submit({ action: po(dell, '7300.00'), requester: ALICE })));
    const numbers = new Set(outcomes.map((o) => o.approval?.number));
    expect(numbers.size).toBe(1);
    expect(outcomes.every((o) => o.outcome === 'needs_approval')).toBe(true);
    expect(outcomes.filter((o) => o.attached)).toHaveLength(9);
    const id = outcomes.find((o) => !o.attached)!.approval!.id;
    expect(await count(`select count(*) from approvals where amount = 7300 and supplier_id = $1::uuid`, [dell])).toBe(1);
    expect(await count(`select count(*) from audit_events where action = 'proposal_attached' and subject_id = $1`, [id])).toBe(9);
    expect(await count(`select count(*) from audit_events where action = 'approval_requested' and subject_id = $1`, [id])).toBe(1);

    // The same amount spelled another way is the same request; a different amount is another one.
    expect((await approvals.submit({ action: po(dell, '7300'), requester: BEN })).approval!.id).toBe(id);
    const other = await approvals.submit({ action: po(dell, '7300.01'), requester: ALICE });
    expect(other.attached).toBeUndefined();
    expect(other.approval!.id).not.toBe(id);

    // Once decided, the request is no longer pending: asking again files a new approval.
    expect(await approvals.decide({ approval: id, user: MIA, decision: 'reject', reason: 'Use the framework catalogue' })).toMatchObject({ status: 'recorded', final: 'rejected' });
    const again = await approvals.submit({ action: po(dell, '7300.00'), requester: ALICE });
    expect(again.attached).toBeUndefined();
    expect(again.approval!.id).not.toBe(id);
    expect(await count(`select count(*) from approvals where amount = 7300 and supplier_id = $1::uuid`, [dell])).toBe(2);
  });

  it('approvals left pending from before proposal keys are keyed when the service starts, so a repeat attaches to the older one', async () => {
    const dell = await supplierId('Dell Technologies Ltd');
    const action = po(dell, '6100.00');
    const old = async (ago: string) => {
      const [row] = await database.query<{ id: string; number: number }>(
        `insert into approvals (action_kind, action, summary, amount, currency, supplier_id, requester, proposed_by, rule_id, reason, route, policy_version, created_at)
         values ('create_purchase_order', $1::jsonb, $2, 6100, 'GBP', $3::uuid, $4, 'spend', 'po-under-10k', 'r', '[{"roles":["budget_holder"]}]'::jsonb, $5, now() - $6::interval)
         returning id::text, number`,
        [JSON.stringify(action), action.summary, dell, ALICE, approvals.policy.version, ago],
      );
      return row!;
    };
    const older = await old('2 days');
    const newer = await old('1 day');
    const restartedApp = await openTestApp(database, { policy: approvals.policy, notifier: createNotifier() });
    const restarted = await restartedApp.approvals();
    try {
      const keys = await database.query<{ id: string; proposal_key: string | null }>('select id::text, proposal_key from approvals where id = any($1::uuid[])', [[older.id, newer.id]]);
      expect(keys.find((k) => k.id === older.id)!.proposal_key).toMatch(/^create_purchase_order:/);
      expect(keys.find((k) => k.id === newer.id)!.proposal_key).toBeNull();
      const repeat = await restarted.submit({ action: po(dell, '6100'), requester: BEN });
      expect(repeat).toMatchObject({ attached: true, approval: { id: older.id, number: Number(older.number), requester: ALICE } });
    } finally {
      await restartedApp.close();
    }
  });

  it('a monitor proposing what chat already asked for waits on the same approval', async () => {
    const aero = await supplierId(PLANTED.sanctionsHit.supplier);
    const [pending] = await database.query<{ id: string; number: number }>(
      `select id::text, number from approvals where action_kind = 'put_supplier_on_hold' and supplier_id = $1::uuid and status = 'pending'`,
      [aero],
    );
    expect(pending).toBeDefined();
    const report = await runMonitor(
      { database, log: silentLogger, now: NOW, approvals, policyDir: projectPath('policies') },
      {
        name: 'test-sanctions',
        description: 'A sanctions hit, as the supplier-risk monitor would raise it.',
        async run() {
          return [
            {
              key: `sanctions:${aero}`,
              severity: 'critical',
              title: 'Aerocaribbean Airlines matches a sanctions entry',
              summary: 'Strong match.',
              impact: 'Payments may breach sanctions.',
              supplierId: aero,
              evidence: [],
              recommendation: 'Put the supplier on hold.',
              routeTo: ['compliance'],
              proposal: {
                kind: 'put_supplier_on_hold',
                summary: 'Put Aerocaribbean Airlines on hold',
                proposedBy: 'monitor:test-sanctions',
                rationale: 'Strong sanctions match.',
                params: { supplierId: aero, listEntry: 'OFAC:test:1' },
              },
            },
          ];
        },
      },
    );
    const finding = report.findings[0]!;
    expect(finding.approvalId).toBe(pending!.id);
    expect(finding.decision).toMatchObject({ outcome: 'needs_approval', approvalNumber: Number(pending!.number), attached: true, firstRequester: BEN });
    expect(await count(`select count(*) from approvals where action_kind = 'put_supplier_on_hold' and supplier_id = $1::uuid`, [aero])).toBe(1);
  });

  it('a crash between the turn record and its approval leaves none of the turn; without it, all of the turn', async () => {
    const question = 'Can we buy 9 monitors from Dell for £2,790?';
    const conversationId = `turn-commit:crash:${++thread}`;
    const left = async () => ({
      turns: await count('select count(*) from conversation_turns where conversation_id = $1', [conversationId]),
      turnEvents: await count(`select count(*) from audit_events where action = 'turn' and data ->> 'conversationId' = $1`, [conversationId]),
      proposals: await count(`select count(*) from audit_events where action = 'proposal' and data -> 'action' ->> 'kind' = 'create_purchase_order' and (data -> 'action' -> 'amount' ->> 'value')::numeric = 2790`),
      approvals: await count(`select count(*) from approvals where action_kind = 'create_purchase_order' and amount = 2790`),
      jobs: await count(
        `select count(*) from pgboss.job where name in ('approval-remind', 'approval-escalate', 'approval-expire')
            and data ->> 'approvalId' in (select id::text from approvals where amount = 2790)`,
      ),
    });
    const events = await count('select count(*) from audit_events');
    await expect(crashing.handle({ channel: 'cli', conversationId, user: { email: ALICE }, text: question })).rejects.toThrow('process killed');
    expect(await left()).toEqual({ turns: 0, turnEvents: 0, proposals: 0, approvals: 0, jobs: 0 });
    expect(await count('select count(*) from audit_events')).toBe(events);

    const turn = await orchestrator.handle({ channel: 'cli', conversationId, user: { email: ALICE }, text: question });
    expect(turn.reply.decisions).toEqual([expect.objectContaining({ kind: 'create_purchase_order', outcome: 'needs_approval' })]);
    expect(await left()).toEqual({ turns: 1, turnEvents: 1, proposals: 1, approvals: 1, jobs: 3 });
    // All linked by the turn id, which `qm ask --json` prints as auditId.
    const { auditId } = turnToJson(turn);
    expect(auditId).toBe(turn.turnId);
    expect(await count(`select count(*) from audit_events where action = 'turn' and subject_id = $1`, [auditId])).toBe(1);
    expect(await count(`select count(*) from audit_events where action = 'tool_call' and subject_id = $1`, [auditId])).toBe(turn.results.flatMap((r) => r.toolCalls).length);
    expect(await count(`select count(*) from approvals where origin ->> 'turnId' = $1`, [auditId])).toBe(1);
    expect(await count(`select count(*) from audit_events where action = 'proposal' and data ->> 'turnId' = $1`, [auditId])).toBe(1);
    expect((await verifyLedger(database)).ok).toBe(true);
  });
});
