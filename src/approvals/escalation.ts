// Scheduled follow-ups of a pending approval: a reminder, an escalation (the rule's escalateTo roles join the
// level), and expiry. Each job re-reads the approval under a lock and acts only if it is still where the job
// expects it, so a job that fires late, twice, or after a restart does no harm.
import { appendAuditIn } from '../audit/ledger.js';
import { findApproval, updateApprovalState, usersWithRoles } from '../db/approvals.js';
import { ruleById } from '../governance/policy.js';
import { approvalCard } from './card.js';
import type { ApprovalDeps } from './deps.js';
import { closedWaiting } from './decide.js';
import { scheduleLevelJobs } from './submit.js';

type LevelJob = { approvalId: string; level: number; escalation: number };

const asLevelJob = (d: Record<string, unknown>): LevelJob => ({
  approvalId: String(d.approvalId),
  level: Number(d.level ?? 0),
  escalation: Number(d.escalation ?? 0),
});

/** Reminds the current level's approvers, if the approval still waits on them. */
export async function remind(deps: ApprovalDeps, data: Record<string, unknown>): Promise<void> {
  const job = asLevelJob(data);
  const fired = await deps.database.transaction(async (tx) => {
    const a = await findApproval(tx, job.approvalId, { lock: true });
    if (a?.status !== 'pending' || a.currentLevel !== job.level || a.escalationLevel !== job.escalation) return undefined;
    await appendAuditIn(tx, [
      {
        actorType: 'system',
        actor: 'scheduler',
        action: 'approval_reminded',
        subjectType: 'approval',
        subjectId: a.id,
        rationale: `Reminder: approval #${a.number} has waited ${deps.policy.authority.escalation.remindAfterHours} h for ${a.route[a.currentLevel]?.name ?? 'a decision'}.`,
        data: { number: a.number, level: a.currentLevel },
      },
    ]);
    return a;
  });
  if (!fired) return;
  const approvers = await usersWithRoles(deps.database, fired.route[fired.currentLevel]?.roles ?? []);
  await deps.notifier.publish({ type: 'reminder', card: approvalCard(fired), approvers });
}

/** Escalates: the rule's escalateTo roles (or the level's own roles, when it names none) join the waiting level. */
export async function escalate(deps: ApprovalDeps, data: Record<string, unknown>): Promise<void> {
  const job = asLevelJob(data);
  const now = deps.now();
  const fired = await deps.database.transaction(async (tx) => {
    const a = await findApproval(tx, job.approvalId, { lock: true });
    if (a?.status !== 'pending' || a.currentLevel !== job.level || a.escalationLevel !== job.escalation) return undefined;
    const rule = ruleById(deps.policy, a.ruleId);
    const extra: string[] = rule && 'escalateTo' in rule && rule.escalateTo ? [...rule.escalateTo] : [];
    const route = a.route.map((l, i) => (i === a.currentLevel ? { ...l, roles: [...new Set([...l.roles, ...extra])] } : l));
    await updateApprovalState(tx, a.id, { escalationLevel: a.escalationLevel + 1, route });
    await appendAuditIn(tx, [
      {
        actorType: 'system',
        actor: 'scheduler',
        action: 'approval_escalated',
        subjectType: 'approval',
        subjectId: a.id,
        rationale: `Approval #${a.number} waited ${deps.policy.authority.escalation.escalateAfterHours} h at ${a.route[a.currentLevel]?.name ?? 'its level'}; escalated${extra.length ? ` to ${extra.join(', ')}` : ''}.`,
        policyVersion: a.policyVersion,
        data: { number: a.number, level: a.currentLevel, escalationLevel: a.escalationLevel + 1, addedRoles: extra },
      },
    ]);
    await scheduleLevelJobs(deps, tx, a.id, a.currentLevel, a.escalationLevel + 1, now);
    return (await findApproval(tx, a.id))!;
  });
  if (!fired) return;
  const approvers = await usersWithRoles(deps.database, fired.route[fired.currentLevel]?.roles ?? []);
  await deps.notifier.publish({ type: 'escalated', card: approvalCard(fired), approvers });
}

/** Expires an approval nobody decided in time. */
export async function expire(deps: ApprovalDeps, data: Record<string, unknown>): Promise<void> {
  const now = deps.now();
  const fired = await deps.database.transaction(async (tx) => {
    const a = await findApproval(tx, String(data.approvalId), { lock: true });
    if (a?.status !== 'pending') return undefined;
    if (a.expiresAt && new Date(a.expiresAt).getTime() > now.getTime()) return undefined;
    await updateApprovalState(tx, a.id, { status: 'expired', decidedByUserId: null, reason: 'No decision before the deadline.' });
    await appendAuditIn(tx, [
      {
        actorType: 'system',
        actor: 'scheduler',
        action: 'approval_resolved',
        subjectType: 'approval',
        subjectId: a.id,
        rationale: `Approval #${a.number} expired: nobody decided within ${deps.policy.authority.escalation.expireAfterHours} h.`,
        policyVersion: a.policyVersion,
        data: { number: a.number, status: 'expired', actionKind: a.actionKind, proposedBy: a.proposedBy, cycleMs: now.getTime() - new Date(a.createdAt).getTime() },
      },
      ...(await closedWaiting(tx, a, { type: 'system', id: 'scheduler' }, 'expired')),
    ]);
    return (await findApproval(tx, a.id))!;
  });
  if (fired) await deps.notifier.publish({ type: 'resolved', card: approvalCard(fired), ...(fired.origin ? { origin: fired.origin } : {}) });
}
