// What a person is told when their decision comes after the one that counted: their own earlier decision (a
// double click, a second card), the approval already resolved by someone else, or the level they could have
// decided already closed. Each names who took the deciding decision and when, from the decision rows.
import type { Approval, ApprovalDecision, Approver } from './types.js';

const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

const DID: Record<ApprovalDecision['decision'], string> = {
  approve: 'approved this',
  reject: 'rejected this',
  request_changes: 'asked for changes to this',
};

/** The last decision that matches (decisions are in the order they were taken). */
const lastOf = (list: readonly ApprovalDecision[], match: (d: ApprovalDecision) => boolean) => [...list].reverse().find(match);

/** Name (email) of a decision's person. */
const person = (d: ApprovalDecision) => (d.userName && d.userName !== d.user ? `${d.userName} (${d.user})` : d.user);

/** The decision that resolved the approval: the last one by the person recorded as deciding it. */
function decidingDecision(a: Approval): ApprovalDecision | undefined {
  if (!a.decidedBy) return undefined;
  return lastOf(a.decisions, (d) => d.user.toLowerCase() === a.decidedBy!.toLowerCase());
}

/** "approved", "rejected", "sent back for changes", "expired", "cancelled". */
function outcomeWords(a: Approval): string {
  if (a.status === 'rejected') return decidingDecision(a)?.decision === 'request_changes' ? 'sent back for changes' : 'rejected';
  return a.status;
}

/** " by Name (email) at time", as far as it is known. */
function byWhom(a: Approval): string {
  const d = decidingDecision(a);
  const who = d ? person(d) : a.decidedBy;
  const at = d?.at ?? a.decidedAt;
  return `${who ? ` by ${who}` : ''}${at ? ` at ${when(at)}` : ''}`;
}

/** The latest decision `userId` took on the approval themselves (not one a delegate took for them). */
export function ownDecision(a: Approval, userId: string): ApprovalDecision | undefined {
  return lastOf(a.decisions, (d) => d.userId === userId);
}

/** For the person who already decided: what they did and when, and where the approval stands now. */
export function repeatedDecisionMessage(a: Approval, mine: ApprovalDecision, user: Approver): string {
  const level = a.route[mine.level]?.name ?? `level ${mine.level + 1}`;
  const head = `You already ${DID[mine.decision]} at ${when(mine.at)}${mine.onBehalfOf ? ` for ${mine.onBehalfOf}` : ''} (approval #${a.number}, ${level})`;
  if (a.status === 'pending') return `${head}; it now waits for ${a.route[a.currentLevel]?.name ?? 'the next level'}.`;
  if (a.decidedBy && a.decidedBy.toLowerCase() === user.email.toLowerCase()) return `${head}; it is ${outcomeWords(a)}.`;
  if (a.status === 'expired') return `${head}; it then expired${a.decidedAt ? ` at ${when(a.decidedAt)}` : ''}.`;
  return `${head}; it was then ${outcomeWords(a)}${byWhom(a)}.`;
}

/** For anyone else, once the approval is no longer pending: who resolved it and when. */
export function resolvedMessage(a: Approval): string {
  if (a.status === 'expired') return `Approval #${a.number} already expired${a.decidedAt ? ` at ${when(a.decidedAt)}` : ''}: nobody decided in time.`;
  return `Approval #${a.number} was already ${outcomeWords(a)}${byWhom(a)}.`;
}

/**
 * For someone who may not decide the current level but could have decided an earlier one that others closed
 * (their card was for that level): who closed it and when. Undefined when no such level exists.
 */
export function closedLevelMessage(a: Approval, user: Approver): string | undefined {
  if (a.status !== 'pending' || !user.active || user.id === a.requesterUserId) return undefined;
  for (let level = a.currentLevel - 1; level >= 0; level--) {
    const route = a.route[level];
    if (!route?.roles.some((r) => user.roles.includes(r))) continue;
    const closer = lastOf(a.decisions, (d) => d.level === level && d.decision === 'approve');
    if (!closer) continue;
    return `${route.name} of approval #${a.number} was already approved by ${person(closer)} at ${when(closer.at)}; it now waits for ${a.route[a.currentLevel]?.name ?? 'the next level'}.`;
  }
  return undefined;
}
