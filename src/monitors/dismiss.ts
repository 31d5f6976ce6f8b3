// A person dismisses a finding as a false alarm (a sanctions name collision, a legitimate recurring charge).
// Only someone who holds one of the roles the finding was routed to, or a procurement manager, compliance
// officer or admin, may; the dismissal and its reason go to the ledger, a request it raised that still waits
// for approvers is cancelled, and the monitor never raises that finding (same key) again.
import { appendAuditIn } from '../audit/ledger.js';
import { findApproval, findUser, updateApprovalState } from '../db/approvals.js';
import type { Database } from '../db/client.js';
import { dismissFinding, findFinding } from '../db/findings.js';

const ALWAYS_MAY = ['procurement_manager', 'compliance', 'admin'];

export type DismissResult = { ok: true; message: string } | { ok: false; message: string };

/** Dismisses finding `id` on behalf of `userRef` with `reason`. */
export async function dismiss(database: Database, id: string, userRef: string, reason: string, now: Date = new Date()): Promise<DismissResult> {
  if (!reason.trim()) return { ok: false, message: 'A reason is required to dismiss a finding.' };
  const finding = await findFinding(database, id);
  if (!finding) return { ok: false, message: `No finding ${id}.` };
  if (finding.status !== 'open') return { ok: false, message: `That finding is already ${finding.status}.` };
  const user = await findUser(database, userRef);
  if (!user?.active) return { ok: false, message: `${userRef} is not an active Quartermaster user.` };
  const allowed = [...new Set([...finding.routeTo, ...ALWAYS_MAY])];
  if (!user.roles.some((r) => allowed.includes(r))) {
    return { ok: false, message: `${user.name} may not dismiss it: it needs one of ${allowed.map((r) => r.replaceAll('_', ' ')).join(', ')}.` };
  }
  return database.transaction(async (tx) => {
    const done = await dismissFinding(tx, finding.id, now);
    if (!done) return { ok: false as const, message: 'That finding was closed meanwhile.' };
    // The action it proposed is moot: a request still waiting for approvers is cancelled.
    const approval = finding.approvalId ? await findApproval(tx, finding.approvalId, { lock: true }) : undefined;
    const cancel = approval?.status === 'pending';
    if (approval && cancel) {
      await updateApprovalState(tx, approval.id, { status: 'cancelled', decidedByUserId: user.id, reason: `Finding dismissed: ${reason.trim()}` });
    }
    await appendAuditIn(tx, [
      ...(approval && cancel
        ? [
            {
              actorType: 'user' as const,
              actor: user.email,
              action: 'approval_resolved' as const,
              subjectType: 'approval',
              subjectId: approval.id,
              rationale: `Approval #${approval.number} cancelled: the finding behind it was dismissed (${reason.trim()}).`,
              policyVersion: approval.policyVersion,
              data: {
                number: approval.number,
                status: 'cancelled',
                actionKind: approval.actionKind,
                proposedBy: approval.proposedBy,
                decidedBy: user.email,
                cycleMs: now.getTime() - new Date(approval.createdAt).getTime(),
              },
            },
          ]
        : []),
      {
        actorType: 'user',
        actor: user.email,
        action: 'finding_resolved',
        subjectType: 'finding',
        subjectId: finding.id,
        rationale: `Dismissed by ${user.name}: ${reason.trim()}`,
        data: { monitor: finding.monitor, key: finding.key, by: user.email, dismissed: true, reason: reason.trim() },
      },
    ]);
    return { ok: true as const, message: `Dismissed: ${finding.title}.${approval && cancel ? ` Approval #${approval.number} is cancelled.` : ''}` };
  });
}
