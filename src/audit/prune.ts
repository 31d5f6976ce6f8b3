// Retention: removes the ledger's oldest events (a prefix by seq) while keeping what remains verifiable.
//
// In one transaction, under the ledger's append lock: find the first event not older than the cutoff (the
// prefix before it goes; `at` need not grow with seq, so the prefix stops at the first event that is not old
// enough), append an `audit_pruned` event recording { beforeSeq, anchorHash, removed } — anchorHash being the
// prevHash of the first kept event, which verification then accepts in place of the genesis hash — and delete
// the prefix through qm_audit_prune (migration 0008): a SECURITY DEFINER function, the only way past the
// append-only trigger, that removes a prefix only when an audit_pruned event records exactly that removal. Either
// all of it commits or none of it. The database role needs EXECUTE on the function (the owner has it; it is
// revoked from PUBLIC, so grant it to the operator role that runs `qm audit prune`, never to the app's role).
//
// A prune removes events an anchor (`qm audit anchor`) may point at: verification with an anchor then relies on
// the audit_pruned event (see src/audit/anchor.ts).
import { auditPruneBoundary, countAuditEventsBefore, deleteAuditEventsBefore, lockAuditTail } from '../db/audit.js';
import type { Database } from '../db/client.js';
import { AppError } from '../errors.js';
import { appendAuditIn } from './ledger.js';
import type { AuditEvent } from './types.js';

const INSUFFICIENT_PRIVILEGE = '42501';

export type PruneResult =
  | { removed: 0; cutoff: string }
  | { removed: number; cutoff: string; beforeSeq: number; anchorHash: string; event: AuditEvent };

/** Removes the events older than `cutoff` (a prefix of the chain), recording the anchor first. */
export async function pruneLedger(
  database: Database,
  cutoff: Date,
  opts: { actor?: string; now?: Date } = {},
): Promise<PruneResult> {
  if (Number.isNaN(cutoff.getTime())) throw new AppError('audit:usage', 'the prune cutoff is not a valid date');
  const now = opts.now ?? new Date();
  if (cutoff > now) throw new AppError('audit:usage', `the prune cutoff ${cutoff.toISOString()} is in the future`);
  return database.transaction(async (tx) => {
    const tail = await lockAuditTail(tx);
    if (!tail) return { removed: 0, cutoff: cutoff.toISOString() };
    // Every event older than the cutoff: the audit_pruned event about to be appended becomes the first kept one.
    const boundary = (await auditPruneBoundary(tx, cutoff)) ?? {
      beforeSeq: tail.seq + 1,
      anchorHash: tail.hash,
      removed: await countAuditEventsBefore(tx, tail.seq + 1),
    };
    if (boundary.removed === 0) return { removed: 0, cutoff: cutoff.toISOString() };
    const [event] = await appendAuditIn(tx, [
      {
        actorType: 'system',
        actor: opts.actor ?? 'retention',
        action: 'audit_pruned',
        rationale: `Retention removed ${boundary.removed} audit event${boundary.removed === 1 ? '' : 's'} older than ${cutoff.toISOString()} (before #${boundary.beforeSeq}); the first kept event links to the recorded anchor.`,
        data: { beforeSeq: boundary.beforeSeq, anchorHash: boundary.anchorHash, removed: boundary.removed },
        at: now,
      },
    ]);
    const deleted = await deleteAuditEventsBefore(tx, boundary.beforeSeq).catch((err: unknown) => {
      if ((err as { code?: unknown }).code !== INSUFFICIENT_PRIVILEGE) throw err;
      throw new AppError(
        'audit:prune',
        `This database role may not prune the audit ledger (${(err as Error).message}). Run qm audit prune as the operator ` +
          'role, or have the owner grant it: GRANT EXECUTE ON FUNCTION qm_audit_prune(bigint) TO <role>',
        { cause: err },
      );
    });
    if (deleted !== boundary.removed) {
      throw new AppError('audit:prune', `Prune counted ${boundary.removed} events before #${boundary.beforeSeq} but deleted ${deleted}; nothing was removed`);
    }
    return { removed: deleted, cutoff: cutoff.toISOString(), beforeSeq: boundary.beforeSeq, anchorHash: boundary.anchorHash, event: event! };
  });
}
