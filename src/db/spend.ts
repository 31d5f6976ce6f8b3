// Spend lines: set-based loading from staged chunks, with file-stable de-duplication keys.
import type { Connection, Database } from './client.js';
import { copyCsvLine } from './client.js';
import type { NumberedRepeats, StagedChunk, StagedTotals } from './spend-stage.js';
import { resolveSupplierNames } from './suppliers.js';

/** A file at least this large, into a table holding fewer lines than it, is loaded with indexes built afterwards. */
const BULK_MIN_ROWS = 50_000;

/** One batch's load into spend_lines, a staged chunk at a time, in one transaction on its own connection. */
export type SpendLoad = {
  /** Whether the indexes are rebuilt at the end rather than maintained row by row. */
  readonly bulk: boolean;
  /**
   * Moves staged chunks' rows into spend_lines in one statement (in the unique key's order unless the indexes are
   * rebuilt: each statement sweeps the indexes once); rows marked `again` wait for finish.
   */
  add(staged: readonly { stage: string; chunk: StagedChunk }[]): Promise<void>;
  /**
   * Inserts the marked rows, removes lines already present, moves the rollups, rebuilds what was dropped and
   * commits. `repeats` (numberRepeats) and `totals` (totalStaged), which another connection may still be working
   * out, are each awaited only when needed.
   */
  finish(staged: {
    repeats: Promise<NumberedRepeats | undefined>;
    totals: Promise<StagedTotals>;
  }): Promise<{ inserted: number; steps: Record<string, number> }>;
  /** Rolls the whole load back. */
  abort(): Promise<void>;
};

const LINE_COLUMNS = `dedup_hash, dedup_seq, batch_id, source_file, source_line, supplier_id, supplier_name,
  date, amount, currency, category, department, cost_centre, description, invoice_number, po_number, external_id`;

/**
 * Opens the load of one batch: every row whose key is new goes into spend_lines. The key is the row's date,
 * content hash and occurrence number among identical rows of the file, so re-importing a file adds nothing while
 * identical rows within one file all land. A row not marked `again` is the first of its kind in the file
 * (occurrence 1) and goes in with its chunk; marked rows go in at the end, numbered among all the rows of their
 * hashes (numberRepeats). Rows go in in the unique key's order unless the indexes are rebuilt, so each
 * statement reaches each index page once and in turn. The rollups are moved once, by the triggers' own
 * statements, from the totals per key of the lines the load added: the triggers stand aside for the load's
 * transaction, as per chunk they would update the same keys again and again. Those totals are the staged rows'
 * (worked out on the staging connection alongside the load) less those of the rows the load did not store: rows
 * whose key a line of another batch already holds, found and totalled only when an insert stored fewer rows than
 * it was given.
 *
 * A large file (`expectedRows`, 50,000 or more) into a table that holds fewer lines than the file (a first load)
 * is loaded the way a database is restored: spend_lines' secondary indexes (and foreign keys, should a migration
 * add any) are dropped, the rows inserted as they come, lines the table already held removed again by one join at
 * the end, then the indexes rebuilt in one pass each, all inside the same transaction; the staged rows' totals are
 * worked out meanwhile. Readers of spend_lines wait for that transaction. The supplier link is checked per insert
 * statement by trigger either way (migrations/0025).
 */
export async function beginSpendLoad(
  conn: Connection,
  batch: { batchId: number; sourceFile: string; expectedRows: number; bulkLoad?: 'auto' | 'always' | 'never' },
): Promise<SpendLoad> {
  // Milliseconds per step, for the importer's debug log.
  const steps: Record<string, number> = {};
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      steps[name] = (steps[name] ?? 0) + Math.round(performance.now() - started);
    }
  };
  const { batchId, sourceFile, expectedRows, bulkLoad = 'auto' } = batch;
  await conn.query('begin');
  try {
    // Sorting chunks by date and numbering repeats spill to disk at the default 4 MB.
    await conn.query(`set local work_mem = '64MB'`);
    await conn.query('drop table if exists pg_temp.supplier_map');
    await conn.query('create temp table supplier_map (name text primary key, supplier_id uuid not null) on commit drop');
    // Counting stops at the file's size: enough to tell whether the table holds fewer lines than the file.
    const [present] = await conn.query<{ n: number }>(
      'select count(*)::int as n from (select 1 from spend_lines limit $1) x',
      [Math.max(expectedRows, 1)],
    );
    const held = Number(present!.n);
    const bulk = bulkLoad === 'always' || (bulkLoad === 'auto' && expectedRows >= BULK_MIN_ROWS && held < expectedRows);
    const rebuild = bulk ? await step('dropIndexesMs', () => dropSpendIndexes(conn)) : [];
    let inserted = 0;

    // The rollup triggers stand aside for this transaction (migration 0020): the load moves the rollups once before
    // it commits, by the staged rows' totals and these corrections (rows staged but not stored, with a minus sign).
    await conn.query(`set local qm.defer_spend_rollups = 'on'`);
    await conn.query('drop table if exists pg_temp.spend_load_days, pg_temp.spend_load_suppliers');
    await conn.query(
      `create temp table spend_load_days (date date, currency text, category text, category_code text,
         department text, amount numeric, n bigint) on commit drop`,
    );
    await conn.query(
      `create temp table spend_load_suppliers (supplier_id uuid, date date, currency text, category text,
         category_code text, amount numeric, n bigint) on commit drop`,
    );

    // A statement changing lines (`lines`, a data-modifying query returning their date, currency, category,
    // category_code, department, supplier_id and amount) that also adds their totals, times `sign`, to the load's.
    const totalling = (lines: string, sign: 1 | -1) =>
      `with lines as (${lines}),
       days as (
         insert into spend_load_days
         select date, currency, category, category_code, department, ${sign} * sum(amount), ${sign} * count(*)
           from lines group by 1, 2, 3, 4, 5),
       suppliers as (
         insert into spend_load_suppliers
         select supplier_id, date, currency, category, category_code, ${sign} * sum(amount), ${sign} * count(*)
           from lines group by 1, 2, 3, 4, 5)
       select count(*)::int as n from lines`;
    const CHANGED = 'date, currency, category, category_code, department, supplier_id, amount';

    // The `given` rows of `from` (aliased s, with seq) where `where` holds, as spend_lines rows: new ones only,
    // unless the bulk load removes them later. The staged totals count every given row, so when fewer were stored
    // the rest (their key held by a line of another batch) are totalled with a minus sign; a count that does not
    // match, which a concurrent change of those lines could cause, fails the load rather than the rollups.
    const insertRows = async (from: string, where: string, given: number, order = ''): Promise<void> => {
      const [r] = await conn.query<{ n: number }>(
        `with ins as (
           insert into spend_lines (${LINE_COLUMNS})
           select s.hash, s.seq, $1, $2, s.line, m.supplier_id, s.supplier_raw, s.date::date, s.amount, s.currency,
             s.category, s.department, s.cost_centre, s.description, s.invoice_number, s.po_number, s.external_id
           from ${from} join supplier_map m on m.name = s.supplier_raw
           where ${where} ${order}
           ${bulk ? '' : 'on conflict (date, dedup_hash, dedup_seq) do nothing'}
           returning 1)
         select count(*)::int as n from ins`,
        [batchId, sourceFile],
      );
      const stored = Number(r!.n);
      inserted += stored;
      if (stored === given) return;
      const [c] = await conn.query<{ n: number }>(
        totalling(
          `select s.date::date as date, s.currency, s.category, null::text as category_code, s.department,
                  m.supplier_id, s.amount
             from ${from} join supplier_map m on m.name = s.supplier_raw
            where ${where} and exists (
              select 1 from spend_lines l
               where l.date = s.date::date and l.dedup_hash = s.hash and l.dedup_seq = s.seq
                 and l.batch_id is distinct from $1)`,
          -1,
        ),
        [batchId],
      );
      if (Number(c!.n) !== given - stored) {
        throw new Error(
          `spend load: ${given - stored} rows were not stored but ${Number(c!.n)} match stored lines; lines changed meanwhile`,
        );
      }
    };

    return {
      bulk,
      async add(staged) {
        const names = staged.flatMap((s) => s.chunk.suppliers);
        if (names.length > 0) {
          await step('suppliersMs', async () => {
            const ids = await resolveSupplierNames(conn, names);
            await conn.copyIn(
              'supplier_map',
              ['name', 'supplier_id'],
              (async function* () {
                for (const [name, id] of ids) yield copyCsvLine([name, id]);
              })(),
            );
            await conn.query('analyze supplier_map');
          });
        }
        const given = staged.reduce((n, s) => n + s.chunk.rows - s.chunk.again, 0);
        const rows = staged.map((s) => `select *, 1 as seq from ${s.stage}`).join(' union all ');
        const order = bulk ? '' : 'order by s.date collate "C", s.hash';
        steps.insertStatements = (steps.insertStatements ?? 0) + 1;
        await step('insertMs', () => insertRows(`(${rows}) s`, 'not s.again', given, order));
      },
      async finish({ repeats, totals }) {
        try {
          const numbered = await step('repeatsWaitMs', () => repeats);
          if (numbered) {
            await step('repeatsMs', () => insertRows(`${numbered.table} s`, 's.again', numbered.marked));
          }
          if (bulk && held > 0) {
            await step('presentMs', async () => {
              const [gone] = await conn.query<{ n: number }>(
                totalling(
                  `delete from spend_lines n using spend_lines o
                    where n.batch_id = $1 and o.batch_id is distinct from $1
                      and o.date = n.date and o.dedup_hash = n.dedup_hash and o.dedup_seq = n.dedup_seq
                   returning ${CHANGED.replace(/(\w+)/g, 'n.$1')}`,
                  -1,
                ),
                [batchId],
              );
              inserted -= Number(gone!.n);
            });
          }
          if (bulk) {
            await step('rebuildIndexesMs', async () => {
              await conn.query(`set local maintenance_work_mem = '256MB'`);
              for (const statement of rebuild) await conn.query(statement);
            });
          }
          await step('rollupsMs', async () => {
            // The staged rows were being totalled on the other connection meanwhile.
            const t = await totals;
            const statements = await conn.query<{ s: string }>(
              'select unnest(spend_rollup_statements($1, $2, 1)) as s',
              [
                `(select date, currency, category, category_code, department, amount, n from ${t.days}
                  union all select * from spend_load_days)`,
                `(select m.supplier_id, t.date, t.currency, t.category, t.category_code, t.amount, t.n
                    from ${t.suppliers} t join supplier_map m on m.name = t.supplier_raw
                  union all select * from spend_load_suppliers)`,
              ],
            );
            for (const { s } of statements) await conn.query(s);
          });
          await step('txCommitMs', () => conn.query('commit'));
          return { inserted, steps };
        } catch (err) {
          await conn.query('rollback').catch(() => {});
          throw err;
        }
      },
      async abort() {
        await conn.query('rollback').catch(() => {});
      },
    };
  } catch (err) {
    await conn.query('rollback').catch(() => {});
    throw err;
  }
}

/**
 * Drops spend_lines' indexes (other than its primary key) and foreign keys inside the caller's transaction, and
 * returns the statements that recreate them exactly as they were: read from the catalog, so they follow the
 * schema as migrations leave it.
 */
async function dropSpendIndexes(conn: Connection): Promise<string[]> {
  await conn.query('lock table spend_lines in access exclusive mode');
  const constraints = await conn.query<{ name: string; def: string }>(
    `select conname as name, pg_get_constraintdef(oid) as def from pg_constraint
      where conrelid = 'spend_lines'::regclass and contype = 'f' order by conname`,
  );
  const indexes = await conn.query<{ name: string; def: string }>(
    `select c.relname as name, pg_get_indexdef(i.indexrelid) as def
       from pg_index i join pg_class c on c.oid = i.indexrelid
      where i.indrelid = 'spend_lines'::regclass and not i.indisprimary
        and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
      order by c.relname`,
  );
  for (const k of constraints) await conn.query(`alter table spend_lines drop constraint "${k.name}"`);
  for (const i of indexes) await conn.query(`drop index "${i.name}"`);
  return [
    ...indexes.map((i) => i.def),
    ...constraints.map((k) => `alter table spend_lines add constraint "${k.name}" ${k.def}`),
  ];
}

/**
 * Deletes the lines one spend import batch added (the rollups follow by trigger) and marks the batch undone, in one
 * transaction. Undefined when there is no such batch; a batch of another kind, or one not completed, is refused.
 */
export async function undoSpendBatch(database: Database, batchId: number): Promise<UndoOutcome> {
  return database.transaction(async (tx) => {
    const [batch] = await tx.query<{ kind: string; status: string; source_file: string }>(
      'select kind, status, source_file from import_batches where id = $1 for update',
      [batchId],
    );
    if (!batch) return { ok: false, reason: 'not-found' };
    if (batch.kind !== 'spend') return { ok: false, reason: 'not-spend', kind: batch.kind };
    if (batch.status !== 'completed') return { ok: false, reason: 'not-completed', status: batch.status };
    const [removed] = await tx.query<{ n: number }>(
      'with gone as (delete from spend_lines where batch_id = $1 returning 1) select count(*)::int as n from gone',
      [batchId],
    );
    await tx.query(`update import_batches set status = 'undone' where id = $1`, [batchId]);
    return { ok: true, removed: Number(removed!.n), sourceFile: batch.source_file };
  });
}

export type UndoOutcome =
  | { ok: true; removed: number; sourceFile: string }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'not-spend'; kind: string }
  | { ok: false; reason: 'not-completed'; status: string };
