// The channel-neutral approval card: what Slack (Block Kit) and Teams (Adaptive Cards) render for a pending
// request and for its outcome. Renderers add layout only; every word and figure comes from here.
import { formatMoney } from '../domain/money.js';
import { routeSummary } from '../governance/decide.js';
import type { Approval } from './types.js';

export type CardButton = { verb: 'approve' | 'reject' | 'request_changes'; label: string; style: 'primary' | 'danger' | 'default'; needsReason: boolean };

export type ApprovalCard = {
  approvalId: string;
  number: number;
  state: Approval['status'];
  title: string;
  /** The ask in one sentence. */
  ask: string;
  fields: { label: string; value: string }[];
  /** Each agent's evidence and rationale, as proposed. */
  evidence: { source: string; text: string }[];
  /** The policy rule that routed it, in plain language, with the policy version. */
  policy: string;
  /** Who must decide now (pending) — empty when resolved. */
  waitingFor: string[];
  /** The decisions so far: who, as what, when, why. */
  history: string[];
  /** Present only while pending. */
  buttons: CardButton[];
  /** Outcome line for a resolved card: outcome, who, when, why. */
  outcome?: string;
};

/** The approval's amount as people read it ("£250,000.00"), when it has one. */
export const approvalAmount = (a: Approval): string | undefined => (a.amount && a.currency ? formatMoney(a.amount, a.currency) : undefined);
const human = (s: string) => s.replaceAll('_', ' ');
const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** The card for an approval in its current state. */
export function approvalCard(a: Approval): ApprovalCard {
  const amount = approvalAmount(a);
  const level = a.route[a.currentLevel];
  const fields = [
    { label: 'Action', value: human(a.actionKind) },
    ...(amount ? [{ label: 'Amount', value: amount }] : []),
    ...(a.supplierName ? [{ label: 'Supplier', value: a.supplierName }] : []),
    ...(a.categoryCode ? [{ label: 'Category', value: a.categoryCode }] : []),
    { label: 'Requested by', value: a.requester },
    { label: 'Proposed by', value: a.proposedBy === 'user' ? a.requester : `${a.proposedBy} agent${a.planner ? ` (${a.planner})` : ''}` },
    { label: 'Route', value: routeSummary(a.route) },
    ...(a.route.length > 1 && a.status === 'pending' ? [{ label: 'Step', value: `${a.currentLevel + 1} of ${a.route.length}` }] : []),
    ...(a.escalationLevel > 0 ? [{ label: 'Escalated', value: `${a.escalationLevel} time${a.escalationLevel === 1 ? '' : 's'}` }] : []),
  ];
  const history = a.decisions.map(
    (d) =>
      `${d.userName}${d.onBehalfOf ? ` (for ${d.onBehalfOf})` : ''}${d.role ? ` as ${human(d.role)}` : ''}: ${human(d.decision)} at ${when(d.at)}${d.reason ? ` — “${d.reason}”` : ''}`,
  );
  const pending = a.status === 'pending';
  const last = a.decisions[a.decisions.length - 1];
  const outcome = pending
    ? undefined
    : a.status === 'approved'
      ? `Approved by ${a.decidedBy ?? last?.user ?? 'the approvers'} at ${when(a.decidedAt ?? a.createdAt)}${a.decisionReason ? ` — “${a.decisionReason}”` : ''}`
      : a.status === 'rejected'
        ? `${last?.decision === 'request_changes' ? 'Changes requested' : 'Rejected'} by ${a.decidedBy ?? last?.user ?? 'an approver'} at ${when(a.decidedAt ?? a.createdAt)}${a.decisionReason ? ` — “${a.decisionReason}”` : ''}`
        : a.status === 'expired'
          ? `Expired at ${when(a.decidedAt ?? a.createdAt)}: nobody decided in time`
          : `Cancelled at ${when(a.decidedAt ?? a.createdAt)}${a.decisionReason ? ` — “${a.decisionReason}”` : ''}`;
  return {
    approvalId: a.id,
    number: a.number,
    state: a.status,
    title: pending ? `Approval needed #${a.number}: ${human(a.actionKind)}` : `#${a.number} ${human(a.status)}: ${human(a.actionKind)}`,
    ask: a.summary,
    fields,
    evidence: a.action.rationale ? [{ source: a.proposedBy, text: a.action.rationale }] : [],
    policy: `${a.reason} Policy ${a.policyVersion.slice(0, 19)}.`,
    waitingFor: pending && level ? [level.name] : [],
    history,
    buttons: pending
      ? [
          { verb: 'approve', label: 'Approve', style: 'primary', needsReason: false },
          { verb: 'reject', label: 'Reject', style: 'danger', needsReason: true },
          { verb: 'request_changes', label: 'Ask for changes', style: 'default', needsReason: true },
        ]
      : [],
    ...(outcome ? { outcome } : {}),
  };
}
