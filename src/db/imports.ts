// Import batches and their rejected rows.
import { eq } from 'drizzle-orm';
import type { Database } from './client.js';
import { copyCsvLine } from './client.js';
import { importBatches } from './schema.js';

export type Rejection = { line: number; reason: string; raw?: string; file?: string };

/** Opens a batch record for one `qm import` run and returns its id. */
export async function createImportBatch(
  database: Database,
  kind: string,
  sourceFile: string,
  options: Record<string, unknown>,
): Promise<number> {
  const [row] = await database.db
    .insert(importBatches)
    .values({ kind, sourceFile, options })
    .returning({ id: importBatches.id });
  return row!.id;
}

/** Records a batch's outcome and its rejected rows. */
export async function finishImportBatch(
  database: Database,
  batchId: number,
  outcome: { read: number; imported: number; duplicates: number; rejected: readonly Rejection[]; error?: string },
): Promise<void> {
  if (outcome.rejected.length > 0) {
    await database.withConnection((conn) =>
      conn.copyIn(
        'import_rejections',
        ['batch_id', 'line', 'reason', 'raw'],
        (async function* () {
          for (const r of outcome.rejected) {
            const reason = r.file ? `${r.file}: ${r.reason}` : r.reason;
            yield copyCsvLine([batchId, r.line, reason, r.raw?.slice(0, 2000) ?? null]);
          }
        })(),
      ),
    );
  }
  await database.db
    .update(importBatches)
    .set({
      status: outcome.error ? 'failed' : 'completed',
      read: outcome.read,
      imported: outcome.imported,
      duplicates: outcome.duplicates,
      rejectedCount: outcome.rejected.length,
      error: outcome.error ?? null,
      finishedAt: new Date(),
    })
    .where(eq(importBatches.id, batchId));
}
