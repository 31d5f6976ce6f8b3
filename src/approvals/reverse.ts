// Reversing an executed action: undone through its handler in one transaction with the ledger event, and
// the agent's envelope narrows (a reversal is the strongest sign it acted wrongly).
import { actionHandlers } from '../actions/registry.js';
import { appendAuditIn } from '../audit/ledger.js';
import { findApproval, findUser } from '../db/approvals.js';
import type { EnvelopeKey } from '../governance/types.js';
import { findAction } from '../db/outbox.js';
import { narrowEnvelope } from './autonomy.js';
import type { ApprovalDeps } from './deps.js';

export type ReverseResult = { ok: true; message: string } | { ok: false; message: string };

/** Reverses action `actionId` on behalf of `user` (who must hold one of the roles that could approve it). */
export async function reverseAction(deps: ApprovalDeps, actionId: number, userRef: string, reason: string): Promise<ReverseResult> {
  if (!reason.trim()) return { ok: false, message: 'A reason is required to reverse an action.' };
  return deps.database.transaction(async (tx) => {
    const row = await findAction(tx, { id: actionId });
    if (!row) return { ok: false, message: `No action ${actionId}.` };
    if (row.status !== 'done') return { ok: false, message: `Action ${actionId} is ${row.status}; only executed actions can be reversed.` };
    if (row.result?.reversed) return { ok: false, message: `Action ${actionId} was already reversed.` };
    const handler = actionHandlers.get(row.kind);
    if (!handler?.reverse) return { ok: false, message: `${row.kind.replaceAll('_', ' ')} actions cannot be reversed automatically.` };
    const user = await findUser(tx, userRef);
    if (!user?.active) return { ok: false, message: `${userRef} is not an active Quartermaster user.` };
    const envelope =
      (row.action as { envelope?: EnvelopeKey }).envelope ?? (row.approvalId ? (await findApproval(tx, row.approvalId))?.envelope ?? undefined : undefined);
    const allowed = ['procurement_manager', 'admin', 'compliance', 'finance', 'cfo'];
    if (!user.roles.some((r) => allowed.includes(r))) {
      return { ok: false, message: `${user.name} may not reverse actions (needs one of: ${allowed.join(', ')}).` };
    }
    const undone = await handler.reverse(tx, row.result ?? {});
    await tx.query(`update action_outbox set result = result || jsonb_build_object('reversed', true, 'reversedBy', $2::text) where id = $1`, [actionId, user.email]);
    const proposedBy = String((row.action as { proposedBy?: string }).proposedBy ?? 'unknown');
    const narrowed = envelope ? await narrowEnvelope(deps, tx, envelope, 'reversal', `action ${actionId} was reversed by ${user.email}`) : [];
    await appendAuditIn(tx, [
      {
        actorType: 'user',
        actor: user.email,
        action: 'action_reversed',
        subjectType: 'action',
        subjectId: String(actionId),
        rationale: `${undone.summary} Reason: ${reason.trim()}`,
        data: { kind: row.kind, proposedBy, actionId, reason: reason.trim() },
      },
      ...narrowed,
    ]);
    return { ok: true, message: undone.summary };
  });
}
