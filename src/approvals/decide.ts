// A person decides on an approval. The approval row is locked for the decision, so any number of concurrent
// clicks from any number of instances produce exactly one outcome; the rest are told who decided, and when. A final
// approval writes the action to the outbox in the same transaction, then the executor runs it once.
import { executeAction, type ExecutionReport } from '../actions/executor.js';
import { actionHandlers } from '../actions/registry.js';
import type { AwaitingContext } from '../actions/handler.js';
import type { Session } from '../db/client.js';
import { appendAuditIn } from '../audit/ledger.js';
import type { AuditEventInput } from '../audit/types.js';
import { delegationsTo, findApproval, findUser, insertDecision, updateApprovalState, usersWithRoles } from '../db/approvals.js';
import { enqueueAction } from '../db/outbox.js';
import { checkApprover, levelComplete } from '../governance/sod.js';
import { closedLevelMessage, ownDecision, repeatedDecisionMessage, resolvedMessage } from './already-decided.js';
import { approvalCard } from './card.js';
import type { ApprovalDeps } from './deps.js';
import { narrowAfterOverride, proposeWidening } from './autonomy.js';
import { scheduleLevelJobs } from './submit.js';
import type { Approval, DecisionKind } from './types.js';

export type DecisionRequest = {
  /** Approval id or number. */
  approval: string;
  /** Email, Slack id, Teams AAD object id or user id of the person deciding. */
  user: string;
  decision: DecisionKind;
  reason?: string;
  channel?: string;
  /** Who relayed the decision for `user` (an on-behalf API token), recorded beside them in the ledger. */
  via?: string;
};

export type DecisionResult =
  | { status: 'recorded'; approval: Approval; final?: 'approved' | 'rejected'; execution?: ExecutionReport; message: string }
  | { status: 'already_decided'; approval: Approval; message: string }
  | { status: 'not_authorised'; approval?: Approval; message: string }
  | { status: 'not_found'; message: string };

const human = (s: string) => s.replaceAll('_', ' ');

/** Records a decision (or explains why it cannot be). Never throws for a business refusal. */
export async function decideApproval(deps: ApprovalDeps, req: DecisionRequest): Promise<DecisionResult> {
  const { database } = deps;
  const reason = req.reason?.trim().slice(0, 2000) || undefined;
  if (req.decision !== 'approve' && !reason) {
    return { status: 'not_authorised', message: `A reason is required to ${human(req.decision)}.` };
  }
  const now = deps.now();
  const outcome = await database.transaction(async (tx): Promise<DecisionResult & { outboxId?: number; nextLevel?: boolean }> => {
    const approval = await findApproval(tx, req.approval, { lock: true });
    if (!approval) return { status: 'not_found', message: `No approval ${req.approval}.` };
    const user = await findUser(tx, req.user);
    // A decision after the one that counted is a conflict (409), not a refusal: say who decided, and when.
    const mine = user ? ownDecision(approval, user.id) : undefined;
    if (user && mine) return { status: 'already_decided', approval, message: repeatedDecisionMessage(approval, mine, user) };
    if (approval.status !== 'pending') return { status: 'already_decided', approval, message: resolvedMessage(approval) };
    if (!user) return { status: 'not_authorised', approval, message: `${req.user} is not a Quartermaster user, so cannot decide on approvals.` };
    const check = checkApprover({
      requesterUserId: approval.requesterUserId,
      route: approval.route,
      currentLevel: approval.currentLevel,
      decisions: approval.decisions,
      user: { id: user.id, roles: user.roles, active: user.active },
      delegations: await delegationsTo(tx, user.id),
      today: now.toISOString().slice(0, 10),
    });
    if (!check.ok) {
      const closed = closedLevelMessage(approval, user);
      return closed ? { status: 'already_decided', approval, message: closed } : { status: 'not_authorised', approval, message: check.reason };
    }
    await insertDecision(tx, {
      approvalId: approval.id,
      level: approval.currentLevel,
      userId: user.id,
      ...(check.onBehalfOfUserId ? { onBehalfOfUserId: check.onBehalfOfUserId } : {}),
      role: check.role,
      decision: req.decision,
      ...(reason ? { reason } : {}),
      ...(req.channel ? { channel: req.channel } : {}),
    });
    const events: AuditEventInput[] = [
      {
        actorType: 'user',
        actor: user.email,
        action: 'approval_decision',
        subjectType: 'approval',
        subjectId: approval.id,
        rationale: reason ?? `${human(req.decision)} as ${human(check.role)}`,
        policyVersion: approval.policyVersion,
        data: {
          number: approval.number,
          decision: req.decision,
          level: approval.currentLevel,
          role: check.role,
          onBehalfOf: check.onBehalfOfUserId ?? null,
          channel: req.channel ?? null,
          ...(req.via ? { via: req.via } : {}),
        },
      },
    ];
    let final: 'approved' | 'rejected' | undefined;
    let outboxId: number | undefined;
    let nextLevel = false;
    if (req.decision === 'approve') {
      const atLevel = [...approval.decisions.filter((d) => d.level === approval.currentLevel), { userId: user.id, role: check.role, decision: 'approve' }];
      const level = approval.route[approval.currentLevel]!;
      if (levelComplete(level, atLevel)) {
        if (approval.currentLevel + 1 < approval.route.length) {
          nextLevel = true;
          await updateApprovalState(tx, approval.id, { currentLevel: approval.currentLevel + 1 });
          await scheduleLevelJobs(deps, tx, approval.id, approval.currentLevel + 1, approval.escalationLevel, now);
        } else {
          final = 'approved';
          await updateApprovalState(tx, approval.id, { status: 'approved', decidedByUserId: user.id, reason: reason ?? null });
          outboxId = await enqueueAction(tx, { approvalId: approval.id, kind: approval.actionKind, action: approval.action as never, authorisedBy: 'approval' });
        }
      } else {
        await updateApprovalState(tx, approval.id, {});
      }
    } else {
      final = 'rejected';
      await updateApprovalState(tx, approval.id, { status: 'rejected', decidedByUserId: user.id, reason: reason ?? null });
    }
    if (final) {
      events.push({
        actorType: 'user',
        actor: user.email,
        action: 'approval_resolved',
        subjectType: 'approval',
        subjectId: approval.id,
        rationale: `Approval #${approval.number} ${final}${reason ? `: ${reason}` : ''}.`,
        policyVersion: approval.policyVersion,
        data: {
          number: approval.number,
          status: final,
          actionKind: approval.actionKind,
          proposedBy: approval.proposedBy,
          decidedBy: user.email,
          cycleMs: now.getTime() - new Date(approval.createdAt).getTime(),
          ...(approval.envelope ? { envelope: approval.envelope } : {}),
        },
      });
      if (final === 'rejected') events.push(...(await closedWaiting(tx, approval, { type: 'user', id: user.email }, 'rejected')));
      if (final === 'rejected' && approval.envelope) events.push(...(await narrowAfterOverride(deps, tx, approval)));
    }
    const updated = (await findApproval(tx, approval.id))!;
    // Last in the transaction: the ledger's chain lock is then held only until the commit that follows.
    await appendAuditIn(tx, events);
    const who = `${user.name}${check.onBehalfOfUserId ? ' (as delegate)' : ''}`;
    const message = final
      ? `Approval #${approval.number} ${final === 'approved' ? 'approved' : req.decision === 'request_changes' ? 'sent back for changes' : 'rejected'} by ${who}.`
      : nextLevel
        ? `Recorded ${who}'s approval; #${approval.number} now waits for ${updated.route[updated.currentLevel]?.name ?? 'the next level'}.`
        : `Recorded ${who}'s approval; #${approval.number} needs more approvals at this level.`;
    return { status: 'recorded', approval: updated, ...(final ? { final } : {}), message, ...(outboxId ? { outboxId } : {}), nextLevel };
  });

  if (outcome.status !== 'recorded') return outcome;
  const { outboxId, nextLevel, ...result } = outcome;
  let execution: ExecutionReport | undefined;
  if (outboxId) execution = await executeAction(deps.executor, outboxId);
  const approval = (await findApproval(database, result.approval.id))!;
  const card = approvalCard(approval);
  if (result.final) {
    await deps.notifier.publish({ type: 'resolved', card, ...(approval.origin ? { origin: approval.origin } : {}) });
    if (execution) {
      await deps.notifier.publish({
        type: 'executed',
        approvalId: approval.id,
        text: execution.status === 'done' ? execution.summary : `The approved action did not run: ${execution.summary}`,
        ...(approval.origin ? { origin: approval.origin } : {}),
      });
    }
    if (approval.envelope) await proposeWidening(deps, approval);
  } else {
    const approvers = nextLevel ? await usersWithRoles(database, approval.route[approval.currentLevel]?.roles ?? []) : [];
    await deps.notifier.publish({ type: 'updated', card, approvers });
  }
  return { ...result, approval, ...(execution ? { execution } : {}) };
}

/** What the action's subject does when the approval it waited for is rejected or expires (see ActionHandler.awaiting). */
export async function closedWaiting(tx: Session, a: Approval, actor: AwaitingContext['actor'], status: 'rejected' | 'expired'): Promise<AuditEventInput[]> {
  const params = a.action.params ?? {};
  return (await actionHandlers.get(a.actionKind)?.awaiting?.closed(tx, params, { approvalNumber: a.number, actor, status })) ?? [];
}
