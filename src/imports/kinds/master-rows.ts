// Shared loop for small master-data files: one savepoint per row so a row the database refuses (a clash on a
// unique identity, say) is rejected with its line while the rest of the file still lands, in one transaction.
import type { Connection } from '../../db/client.js';
import type { FileOutcome, ImportContext } from '../context.js';
import type { FieldSpec } from '../mapping.js';
import { readableRecords } from '../records.js';

export type RowOutcome = 'inserted' | 'updated' | 'unchanged';

/** Reads `path`, validates each record with `prepare`, writes it with `write`; returns the file's counts. */
export async function importRowByRow<T>(
  ctx: ImportContext,
  path: string,
  fields: FieldSpec,
  prepare: (values: Record<string, string | undefined>) => { ok: true; value: T } | { ok: false; reason: string },
  write: (conn: Connection, row: T) => Promise<RowOutcome>,
  explainDbError: (err: unknown) => string = (err) => (err as Error).message,
): Promise<FileOutcome> {
  const out: FileOutcome = { read: 0, imported: 0, duplicates: 0 };
  await ctx.database.withConnection(async (conn) => {
    await conn.query('begin');
    try {
      for await (const rec of readableRecords(ctx, path, fields, out)) {
        const v = prepare(rec.values);
        if (!v.ok) {
          ctx.reject(rec.line, v.reason, rec.raw);
          continue;
        }
        await conn.query('savepoint qm_row');
        try {
          const outcome = await write(conn, v.value);
          await conn.query('release savepoint qm_row');
          if (outcome === 'unchanged') out.duplicates++;
          else out.imported++;
        } catch (err) {
          await conn.query('rollback to savepoint qm_row');
          ctx.reject(rec.line, explainDbError(err), rec.raw);
        }
      }
      await conn.query('commit');
    } catch (err) {
      await conn.query('rollback').catch(() => {});
      throw err;
    }
  });
  return out;
}
