// A proposed action meets governance: the subject's facts are looked up, the policy engine decides, and the
// outcome is made durable in one transaction with its ledger events: denied; queued for execution under
// the agent's autonomy; a pending approval with its reminder, escalation and expiry jobs; or, when an equal
// request is already pending (same proposal key), attached to that approval instead of filing another.
// `governIn` does this inside a caller's transaction (a turn commits its record, its ledger events and its
// proposals together) and returns the events to append there and what to do once it commits (run an action
// allowed to run, show the card); `submitProposal` is the same in a transaction of its own.
import { executeAction, type ExecutionReport } from '../actions/executor.js';
import { actionHandlers } from '../actions/registry.js';
import { appendAuditIn } from '../audit/ledger.js';
import type { AuditEventInput } from '../audit/types.js';
import { findApproval, findUser, insertApproval, pendingApprovalByKey, usersWithRoles } from '../db/approvals.js';
import { listGrants } from '../db/autonomy.js';
import type { Session } from '../db/client.js';
import { subjectFacts } from '../db/governance-context.js';
import { enqueueAction } from '../db/outbox.js';
import { AppError } from '../errors.js';
import { decide, routeSummary } from '../governance/decide.js';
import type { Decision, GovernedAction } from '../governance/types.js';
import type { ProposedAction } from '../domain/proposed-action.js';
import { approvalCard } from './card.js';
import { type ApprovalDeps, JOB_ESCALATE, JOB_EXPIRE, JOB_REMIND } from './deps.js';
import { proposalKey } from './proposal-key.js';
import type { Approval, ApprovalOrigin } from './types.js';

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
  /**
   * True when an equal request was already pending: this proposal was attached to that approval (`approval`,
   * with who asked first and when) instead of filing another. The outcome is then 'needs_approval'.
   */
  attached?: boolean;
  approval?: { id: string; number: number; route: string; waitingFor: string[]; requester?: string; requestedAt?: string };
  execution?: ExecutionReport;
};

/** A proposal governed inside a caller's transaction. */
export type GovernedProposal = {
  /** What governance decided, as far as it is known before the transaction commits (no execution yet). */
  outcome: SubmitOutcome;
  /** The ledger events to append in the same transaction (the caller appends them, last, with its own). */
  events: AuditEventInput[];
  /** Once committed: runs an action allowed to run now and tells the people concerned; returns the whole outcome. */
  afterCommit(): Promise<SubmitOutcome>;
};

const HOUR = 3_600_000;
/** Attempts at filing or attaching: a pending approval seen by one statement may be decided before the next. */
const ATTEMPTS = 3;

/** Puts one proposal through governance, in a transaction of its own. */
export async function submitProposal(deps: ApprovalDeps, s: Submission): Promise<SubmitOutcome> {
  const governed = await deps.database.transaction(async (tx) => {
    const g = await governIn(deps, tx, s);
    await appendAuditIn(tx, g.events);
    return g;
  });
  return governed.afterCommit();
}

/**
 * Decides one proposal and writes what it leads to inside `tx` (approval row and its jobs, outbox row), reading
 * through `tx` too. The ledger events are returned, not appended: the caller appends them after its other writes,
 * so the ledger's lock is always taken last and held only until commit.
 */
export async function governIn(deps: ApprovalDeps, tx: Session, s: Submission): Promise<GovernedProposal> {
  const { database, policy } = deps;
  const now = deps.now();
  const params = s.action.params ?? {};
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const facts = await subjectFacts(tx, { supplierId: str(params.supplierId), contractId: str(params.contractId) }, now.toISOString().slice(0, 10));
  const requester = s.requester ? await findUser(tx, s.requester) : undefined;
  const grants = await listGrants(tx);
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
  const key = proposalKey(s.action);
  const proposalId = `${s.origin?.turnId ?? 'direct'}:${s.action.kind}:${now.getTime()}`;
  const actor = s.action.proposedBy;
  const actorType = actor === 'user' ? 'user' : actor.startsWith('monitor:') || actor === 'system' ? 'system' : 'agent';
  const money = s.action.amount ? { amount: s.action.amount.value, currency: s.action.amount.currency } : {};
  const proposalEvent: AuditEventInput = {
    actorType,
    actor: actor === 'user' ? requesterLabel : actor,
    action: 'proposal',
    subjectType: 'proposal',
    subjectId: proposalId,
    rationale: s.action.rationale || s.action.summary,
    data: { action: s.action, turnId: s.origin?.turnId ?? null, planner: s.planner ?? null, requester: requesterLabel, facts, proposalKey: key ?? null },
  };
  const decisionEvent: AuditEventInput = {
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
      ...money,
      ...(decision.outcome === 'needs_approval' ? { route: decision.route } : {}),
      ...(decision.outcome !== 'deny' && decision.envelope ? { envelope: decision.envelope } : {}),
      ...(decision.outcome === 'auto' ? { autonomy: decision.level } : {}),
    },
  };
  const base = { outcome: decision.outcome, reason: decision.reason, ruleId: decision.ruleId, policyVersion: decision.policyVersion, summary: s.action.summary };
  const done = (outcome: SubmitOutcome, events: AuditEventInput[], afterCommit: () => Promise<SubmitOutcome> = async () => outcome): GovernedProposal => ({
    outcome,
    events,
    afterCommit,
  });

  /** The proposal joins a pending approval of the same request; nothing new is filed, run or shown to approvers. */
  const attach = (a: Approval): GovernedProposal =>
    done(
      {
        outcome: 'needs_approval',
        reason: a.reason,
        ruleId: a.ruleId,
        policyVersion: a.policyVersion,
        summary: s.action.summary,
        attached: true,
        approval: { id: a.id, number: a.number, route: routeSummary(a.route), waitingFor: approvalCard(a).waitingFor, requester: a.requester, requestedAt: a.createdAt },
      },
      [
        proposalEvent,
        {
          actorType: 'system',
          actor: 'governance',
          action: 'proposal_attached',
          subjectType: 'approval',
          subjectId: a.id,
          rationale: `Already waiting for approval #${a.number} (asked by ${a.requester} at ${a.createdAt}); ${requesterLabel}'s equal request joins it instead of filing another.`,
          policyVersion: a.policyVersion,
          data: {
            number: a.number,
            proposalKey: key,
            proposalId,
            actionKind: s.action.kind,
            proposedBy: actor,
            planner: s.planner ?? null,
            turnId: s.origin?.turnId ?? null,
            requester: requesterLabel,
            firstRequester: a.requester,
            firstRequestedAt: a.createdAt,
            ...money,
          },
        },
      ],
    );

  /** The approval pending for the same request, locked so it cannot be decided before this proposal joins it. */
  const pendingEqual = async (): Promise<Approval | undefined> => {
    const id = key ? await pendingApprovalByKey(tx, key) : undefined;
    const a = id ? await findApproval(tx, id, { lock: true }) : undefined;
    return a?.status === 'pending' ? a : undefined;
  };

  if (decision.outcome === 'deny') return done(base, [proposalEvent, decisionEvent]);

  if (decision.outcome === 'auto') {
    // Running it while an approval for the same thing is pending would do it twice once that is approved.
    const standing = await pendingEqual();
    if (standing) return attach(standing);
    const actionId = (await enqueueAction(tx, {
      kind: s.action.kind,
      action: { ...s.action, params: { ...params, ...(requester ? { requester: requester.email } : {}) }, envelope: decision.envelope },
      authorisedBy: `autonomy:${decision.level}`,
    }))!;
    return done(base, [proposalEvent, decisionEvent], async () => {
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
    });
  }

  const expiresAt = new Date(now.getTime() + policy.authority.escalation.expireAfterHours * HOUR);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const standing = await pendingEqual();
    if (standing) return attach(standing);
    // Equal concurrent inserts meet at the unique index on pending proposal keys: one files, the others wait for
    // it to commit, insert nothing and attach to it on the next pass.
    const created = await insertApproval(tx, {
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
      ...(key ? { proposalKey: key } : {}),
    });
    if (!created) continue;
    if (deps.jobs) await scheduleLevelJobs(deps, tx, created.id, 0, 0, now, expiresAt);
    const waiting = (await actionHandlers.get(s.action.kind)?.awaiting?.filed(tx, params, { approvalNumber: created.number, actor: { type: 'system', id: 'governance' } })) ?? [];
    const card = approvalCard((await findApproval(tx, created.id))!);
    const outcome: SubmitOutcome = { ...base, approval: { id: created.id, number: created.number, route: routeSummary(decision.route), waitingFor: card.waitingFor } };
    const requested: AuditEventInput = {
      actorType: 'system',
      actor: 'governance',
      action: 'approval_requested',
      subjectType: 'approval',
      subjectId: created.id,
      rationale: `Approval #${created.number} requested: ${routeSummary(decision.route)}.`,
      policyVersion: decision.policyVersion,
      data: { number: created.number, actionKind: s.action.kind, proposedBy: actor, route: decision.route, ...money },
    };
    return done(outcome, [proposalEvent, decisionEvent, requested, ...waiting], async () => {
      const approvers = await usersWithRoles(database, decision.route[0]?.roles ?? []);
      await deps.notifier.publish({ type: 'pending', card, approvers, ...(s.origin ? { origin: s.origin } : {}) });
      return outcome;
    });
  }
  throw new AppError('approvals:busy', `An equal request kept being filed and decided while "${s.action.summary}" was submitted; try again.`);
}

/** Schedules the reminder and escalation for a level (and the expiry, on creation), inside `tx`. */
export async function scheduleLevelJobs(
  deps: ApprovalDeps,
  tx: Session,
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
