// A proposed action meets governance: the subject's facts are looked up, the policy engine decides, and the
// outcome is made durable in one transaction with its ledger events: denied; queued for execution under
// the agent's autonomy; or a pending approval with its reminder, escalation and expiry jobs.
import { executeAction, type ExecutionReport } from '../actions/executor.js';
import { ledgerOf } from '../audit/ledger.js';
import type { AuditEventInput } from '../audit/types.js';
import { findApproval, findUser, insertApproval, usersWithRoles } from '../db/approvals.js';
import { listGrants } from '../db/autonomy.js';
import { subjectFacts } from '../db/governance-context.js';
import { enqueueAction } from '../db/outbox.js';
import { decide, routeSummary } from '../governance/decide.js';
import type { Decision, GovernedAction } from '../governance/types.js';
import type { ProposedAction } from '../domain/proposed-action.js';
import { approvalCard } from './card.js';
import { type ApprovalDeps, JOB_ESCALATE, JOB_EXPIRE, JOB_REMIND } from './deps.js';
import type { ApprovalOrigin } from './types.js';

export type Submission = {
  action: ProposedAction;
  /** Who asked (email, chat identity), when a person did. */
  requester?: string;
  origin?: ApprovalOrigin;
  /** The planner/model that produced the proposal. */
  planner?: string;
};

export type SubmitOutcome = {
  outcome: Decision['outcome'];
  reason: string;
  ruleId: string;
  policyVersion: string;
  summary: string;
  approval?: { id: string; number: number; route: string; waitingFor: string[] };
  execution?: ExecutionReport;
};

const HOUR = 3_600_000;

/** Puts one proposal through governance. */
export async function submitProposal(deps: ApprovalDeps, s: Submission): Promise<SubmitOutcome> {
  const { database, policy } = deps;
  const now = deps.now();
  const params = s.action.params ?? {};
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const facts = await subjectFacts(database, { supplierId: str(params.supplierId), contractId: str(params.contractId) }, now.toISOString().slice(0, 10));
  const requester = s.requester ? await findUser(database, s.requester) : undefined;
  const grants = await listGrants(database);
  const categoryCode = str(params.categoryCode) ?? facts.contractCategory ?? facts.supplierCategory ?? null;
  const governed: GovernedAction = {
    kind: s.action.kind,
    proposedBy: s.action.proposedBy,
    ...(s.action.amount ? { amount: s.action.amount } : {}),
    categoryCode,
  };
  const decision = decide(
    governed,
    {
      ...(facts.supplierRisk ? { supplierRisk: facts.supplierRisk } : {}),
      ...(facts.supplierStatus ? { supplierStatus: facts.supplierStatus } : {}),
      ...(facts.contractStatus ? { contractStatus: facts.contractStatus } : {}),
      autonomyOf: (k) =>
        grants.find((g) => g.agent === k.agent && g.actionKind === k.actionKind && g.category === k.category && g.band === k.band)?.level,
    },
    policy,
  );
  const requesterLabel = requester?.email ?? s.requester ?? 'anonymous';
  const proposalId = `${s.origin?.turnId ?? 'direct'}:${s.action.kind}:${now.getTime()}`;
  const actor = s.action.proposedBy;
  const actorType = actor === 'user' ? 'user' : actor.startsWith('monitor:') || actor === 'system' ? 'system' : 'agent';
  const events: AuditEventInput[] = [
    {
      actorType,
      actor: actor === 'user' ? requesterLabel : actor,
      action: 'proposal',
      subjectType: 'proposal',
      subjectId: proposalId,
      rationale: s.action.rationale || s.action.summary,
      data: { action: s.action, turnId: s.origin?.turnId ?? null, planner: s.planner ?? null, requester: requesterLabel, facts },
    },
    {
      actorType: 'system',
      actor: 'governance',
      action: 'policy_decision',
      subjectType: 'proposal',
      subjectId: proposalId,
      rationale: decision.reason,
      policyVersion: decision.policyVersion,
      data: {
        outcome: decision.outcome,
        ruleId: decision.ruleId,
        actionKind: s.action.kind,
        proposedBy: actor,
        planner: s.planner ?? null,
        ...(s.action.amount ? { amount: s.action.amount.value, currency: s.action.amount.currency } : {}),
        ...(decision.outcome === 'needs_approval' ? { route: decision.route } : {}),
        ...(decision.outcome !== 'deny' && decision.envelope ? { envelope: decision.envelope } : {}),
        ...(decision.outcome === 'auto' ? { autonomy: decision.level } : {}),
      },
    },
  ];
  const ledger = ledgerOf(database);
  const base = { outcome: decision.outcome, reason: decision.reason, ruleId: decision.ruleId, policyVersion: decision.policyVersion, summary: s.action.summary };

  if (decision.outcome === 'deny') {
    await database.transaction((tx) => ledger.appendIn(tx, events));
    return base;
  }

  if (decision.outcome === 'auto') {
    const actionId = await database.transaction(async (tx) => {
      const id = await enqueueAction(tx, {
        kind: s.action.kind,
        action: { ...s.action, params: { ...params, ...(requester ? { requester: requester.email } : {}) }, envelope: decision.envelope },
        authorisedBy: `autonomy:${decision.level}`,
      });
      await ledger.appendIn(tx, events);
      return id!;
    });
    const execution = await executeAction(deps.executor, actionId);
    if (decision.level === 'act_with_notice' && execution.status === 'done') {
      const to = await usersWithRoles(database, decision.notify.flatMap((l) => l.roles));
      await deps.notifier.publish({
        type: 'notice',
        text: `The ${actor} agent acted under its autonomy (${decision.reason}): ${execution.summary} Reverse it with \`qm actions reverse ${actionId}\` if it was wrong.`,
        ...(s.origin ? { origin: s.origin } : {}),
        to,
      });
    }
    return { ...base, execution };
  }

  const { escalation } = policy.authority;
  const expiresAt = new Date(now.getTime() + escalation.expireAfterHours * HOUR);
  const created = await database.transaction(async (tx) => {
    const a = await insertApproval(tx, {
      actionKind: s.action.kind,
      action: s.action as unknown as Record<string, unknown>,
      summary: s.action.summary,
      ...(s.action.amount ? { amount: s.action.amount.value, currency: s.action.amount.currency } : {}),
      ...(str(params.supplierId) && facts.supplierName ? { supplierId: str(params.supplierId) } : facts.contractSupplierId ? { supplierId: facts.contractSupplierId } : {}),
      ...(categoryCode ? { categoryCode } : {}),
      ...(requester ? { requesterUserId: requester.id } : {}),
      requester: requesterLabel,
      proposedBy: actor,
      ...(s.planner ? { planner: s.planner } : {}),
      ruleId: decision.ruleId,
      reason: decision.reason,
      route: decision.route,
      ...(decision.envelope ? { envelope: decision.envelope } : {}),
      policyVersion: decision.policyVersion,
      ...(s.origin ? { origin: s.origin } : {}),
      expiresAt,
    });
    await ledger.appendIn(tx, [
      ...events,
      {
        actorType: 'system',
        actor: 'governance',
        action: 'approval_requested',
        subjectType: 'approval',
        subjectId: a.id,
        rationale: `Approval #${a.number} requested: ${routeSummary(decision.route)}.`,
        policyVersion: decision.policyVersion,
        data: {
          number: a.number,
          actionKind: s.action.kind,
          proposedBy: actor,
          route: decision.route,
          ...(s.action.amount ? { amount: s.action.amount.value, currency: s.action.amount.currency } : {}),
        },
      },
    ]);
    if (deps.jobs) await scheduleLevelJobs(deps, tx, a.id, 0, 0, now, expiresAt);
    return a;
  });
  const approval = (await findApproval(database, created.id))!;
  const card = approvalCard(approval);
  const approvers = await usersWithRoles(database, decision.route[0]?.roles ?? []);
  await deps.notifier.publish({ type: 'pending', card, approvers, ...(s.origin ? { origin: s.origin } : {}) });
  return { ...base, approval: { id: created.id, number: created.number, route: routeSummary(decision.route), waitingFor: card.waitingFor } };
}

/** Schedules the reminder and escalation for a level (and the expiry, on creation), inside `tx`. */
export async function scheduleLevelJobs(
  deps: ApprovalDeps,
  tx: import('../db/client.js').Queryable,
  approvalId: string,
  level: number,
  escalation: number,
  from: Date,
  expiresAt?: Date,
): Promise<void> {
  const jobs = deps.jobs;
  if (!jobs) return;
  const { escalation: e } = deps.policy.authority;
  const at = (hours: number) => new Date(from.getTime() + hours * HOUR);
  const data = { approvalId, level, escalation };
  await jobs.send(JOB_REMIND, data, { tx, startAfter: at(e.remindAfterHours), singletonKey: `remind:${approvalId}:${level}:${escalation}` });
  await jobs.send(JOB_ESCALATE, data, { tx, startAfter: at(e.escalateAfterHours), singletonKey: `escalate:${approvalId}:${level}:${escalation}` });
  if (expiresAt) await jobs.send(JOB_EXPIRE, { approvalId }, { tx, startAfter: expiresAt, singletonKey: `expire:${approvalId}` });
}
