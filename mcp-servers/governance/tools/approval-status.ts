// approval_status: where one approval stands (by its number, "#12", or id), who decided what, and whether the
// calling person may decide it now.
import { z } from 'zod';
import { findApproval } from '../../../src/db/approvals.js';
import { formatMoney } from '../../../src/domain/money.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { guarded, toolError, toolResult } from '../../shared/result.js';
import { callerEcho, callerView } from '../caller.js';
import { approvalOutput, approvalRules, type ApprovalView, viewApproval } from './approval-view.js';
import { READ_ONLY } from './read-only.js';

const inputSchema = {
  approval: z
    .union([z.number().int().min(1), z.string().trim().min(1).max(64)])
    .describe('The approval: its number (12 or "#12") or its id.'),
};

const outputSchema = z.object({
  caller: z.object({ kind: z.enum(['operator', 'person', 'anonymous']), email: z.string().nullable(), known_user: z.boolean() }),
  approval: approvalOutput,
});

/** One sentence for where an approval stands. */
export function approvalSentence(a: ApprovalView): string {
  const money = a.amount && a.currency ? ` (${formatMoney(a.amount, a.currency)})` : '';
  const head = `Approval #${a.number}, "${a.summary}"${money}, requested by ${a.requester}`;
  if (a.status === 'pending') {
    const level = a.waiting_on ? `${a.waiting_on.name ?? `level ${a.waiting_on.level}`} (${a.waiting_on.roles.join(', ')})` : 'an approver';
    return `${head}, is pending: waiting on ${level}${a.you_may_decide ? '; you may decide it now' : ''}.`;
  }
  const last = a.decisions.at(-1);
  const by = last ? ` by ${last.user}` : '';
  const why = a.decision_reason ? ` ("${a.decision_reason}")` : '';
  return `${head}, is ${a.status}${a.status === 'approved' || a.status === 'rejected' ? by : ''}${a.decided_at ? ` on ${a.decided_at.slice(0, 10)}` : ''}${why}.`;
}

/** Registers `approval_status`. */
export const registerApprovalStatus: ToolRegistrar = (server, deps) => {
  const mayDecide = approvalRules(deps);
  server.registerTool(
    'approval_status',
    {
      title: 'Approval status',
      description:
        'Where one approval request stands, by its number (12, "#12") or id: pending and waiting on which level and roles, or approved/rejected/expired/cancelled, by whom, when and why; every decision so far; and whether the calling person may decide it now.',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY,
    },
    guarded('approval_status', deps.log, async (args) => {
      const ref = String(args.approval);
      const a = await findApproval(deps.database, ref);
      if (!a) return toolError(`No approval ${/^#?\d+$/.test(ref.trim()) ? `#${ref.replace('#', '')}` : `"${ref}"`} exists.`);
      const view = await callerView(deps);
      const approval = viewApproval(a, mayDecide(a, view.user));
      return toolResult(approvalSentence(approval), { caller: callerEcho(view), approval });
    }),
  );
};

/** What approval_status returns as structured content. */
export type ApprovalStatusOutput = z.infer<typeof outputSchema>;
