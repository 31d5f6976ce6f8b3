// How the governance tools show one approval: its request, where it stands, who decided what, and whether the
// calling person may decide it now (the same rule the chat cards and the web app use).
import { z } from 'zod';
import type { Approval, Approver } from '../../../src/approvals/types.js';
import { createChatPeople } from '../../../src/chat/people.js';
import type { McpDeps } from '../../shared/deps.js';

export const approvalOutput = z.object({
  number: z.number().int(),
  id: z.string(),
  status: z.enum(['pending', 'approved', 'rejected', 'expired', 'cancelled']),
  summary: z.string(),
  amount: z.string().nullable().describe('Exact decimal amount, in `currency`.'),
  currency: z.string().nullable(),
  supplier: z.string().nullable(),
  requester: z.string(),
  created_at: z.string(),
  waiting_on: z
    .object({ level: z.number().int(), name: z.string().nullable(), roles: z.array(z.string()) })
    .nullable()
    .describe('The approval level deciding now (pending only).'),
  decisions: z.array(z.object({ level: z.number().int(), user: z.string(), decision: z.string(), reason: z.string().nullable(), at: z.string() })),
  decided_at: z.string().nullable(),
  decision_reason: z.string().nullable(),
  you_may_decide: z.boolean().describe('Whether the calling person may decide the current level now.'),
});

export type ApprovalView = z.infer<typeof approvalOutput>;

/** Who may decide what, for the calling person (one instance per server). */
export function approvalRules(deps: McpDeps): (a: Approval, user: Approver | undefined) => boolean {
  const people = createChatPeople({ database: deps.database, log: deps.log });
  return (a, user) => people.canDecideNow(a, user);
}

/** One approval as the tools return it. */
export function viewApproval(a: Approval, mayDecide: boolean): ApprovalView {
  const level = a.status === 'pending' ? a.route[a.currentLevel] : undefined;
  return {
    number: a.number,
    id: a.id,
    status: a.status,
    summary: a.summary,
    amount: a.amount,
    currency: a.currency,
    supplier: a.supplierName,
    requester: a.requester,
    created_at: a.createdAt,
    waiting_on: level ? { level: a.currentLevel + 1, name: level.name, roles: [...level.roles] } : null,
    decisions: a.decisions.map((d) => ({ level: d.level + 1, user: d.user, decision: d.decision, reason: d.reason, at: d.at })),
    decided_at: a.decidedAt,
    decision_reason: a.decisionReason,
    you_may_decide: mayDecide,
  };
}
