// `qm import undo <batchId>`: the way out of a bad file. Removes one spend import batch's lines (the rollups follow
// in the same transaction) and records who did it in the ledger.
import type { Ledger } from '../audit/ledger.js';
import type { Database } from '../db/client.js';
import { undoSpendBatch } from '../db/spend.js';
import { AppError } from '../errors.js';

export type UndoReport = { batchId: number; kind: 'spend'; removed: number; file: string };

/**
 * Undoes import batch `batchId` on behalf of `actor` (an email, or undefined for the operator at the command line).
 * Throws AppError `import:undo` when the batch does not exist, is not a spend import, or is not completed.
 */
export async function undoImport(
  deps: { database: Database; ledger: Ledger },
  batchId: number,
  actor?: string,
): Promise<UndoReport> {
  const outcome = await undoSpendBatch(deps.database, batchId);
  if (!outcome.ok) {
    const why =
      outcome.reason === 'not-found'
        ? `there is no import batch ${batchId}`
        : outcome.reason === 'not-spend'
          ? `batch ${batchId} imported ${outcome.kind}; only spend imports can be undone (other kinds update records in place)`
          : `batch ${batchId} is ${outcome.status}, not completed`;
    throw new AppError('import:undo', `Cannot undo: ${why}.`);
  }
  await deps.ledger.append({
    actorType: actor ? 'user' : 'system',
    actor: actor ?? 'cli',
    action: 'import_undone',
    subjectType: 'import_batch',
    subjectId: String(batchId),
    rationale: `Removed the ${outcome.removed} spend lines import batch ${batchId} added from ${outcome.sourceFile}.`,
    data: { kind: 'spend', removed: outcome.removed, file: outcome.sourceFile },
  });
  return { batchId, kind: 'spend', removed: outcome.removed, file: outcome.sourceFile };
}
