// Spend lines: set-based loading from a staging table, with file-stable de-duplication keys.
import type { Connection, Database } from './client.js';
import { copyCsvLine } from './client.js';
import { resolveSupplierNames } from './suppliers.js';

export const SPEND_STAGE_COLUMNS = [
  'line',
  'supplier_raw',
  'date',
  'amount',
  'currency',
  'category',
  'department',
  'cost_centre',
  'description',
  'invoice_number',
  'po_number',
  'external_id',
] as const;

export type StagedSpend = {
  line: number;
  supplier: string;
  /** yyyy-mm-dd */
  date: string;
  /** Canonical decimal: digits, an optional minus sign and decimal point. */
  amount: string;
  /** ISO 4217 code. */
  currency: string;
  category?: string;
  department?: string;
  cost_centre?: string;
  description?: string;
  invoice_number?: string;
  po_number?: string;
  external_id?: string;
};

/**
 * The de-duplication hash of a staged row, computed by PostgreSQL as the row is copied in: the md5 of its
 * canonical content (date, supplier, amount without trailing zeros, currency and the optional texts, '' when
 * absent, joined by U+001F), read as a uuid. Lines imported by earlier versions carry the same hash, computed in
 * Node then; test/integration/spend-dedup-hash.test.ts holds that computation and checks both agree.
 */
const STAGE_HASH = `md5(date || E'\\x1f' || supplier_raw || E'\\x1f' || trim_scale(amount)::text || E'\\x1f' || currency
    || E'\\x1f' || coalesce(category, '') || E'\\x1f' || coalesce(department, '') || E'\\x1f' || coalesce(cost_centre, '')
    || E'\\x1f' || coalesce(description, '') || E'\\x1f' || coalesce(invoice_number, '') || E'\\x1f' || coalesce(po_number, '')
    || E'\\x1f' || coalesce(external_id, ''))::uuid`;

/**
 * Creates an empty staging table for one batch's spend rows and returns its name. It is an unlogged ordinary
 * table rather than a temp table: COPY into it runs through shared buffers without WAL, several times faster
 * for large files; it is dropped when the batch commits or fails. The row hash is a stored generated column, so
 * the database computes it on its own core while the importer is still reading the file.
 */
export async function createSpendStage(conn: Connection, batchId: number): Promise<string> {
  const table = `spend_stage_${batchId}`;
  await conn.query(`drop table if exists ${table}`);
  await conn.query(
    `create unlogged table ${table} (
       line integer not null, supplier_raw text not null, date text not null, amount numeric not null,
       currency text not null, category text, department text, cost_centre text, description text,
       invoice_number text, po_number text, external_id text,
       hash uuid not null generated always as (${STAGE_HASH}) stored)`,
  );
  return table;
}

const COMMA = 0x2c;
const QUOTE = 0x22;
const NEWLINE = 0x0a;
const CHUNK_BYTES = 1 << 20;

/**
 * Encodes validated rows as COPY CSV lines of the staging table (SPEND_STAGE_COLUMNS order) straight into UTF-8
 * bytes: building a string per row, or joining many small ones, costs more than reading and validating the file.
 * Date, amount and currency are canonical (no quote, comma or line break can occur in them); text never holds
 * NUL (the reader rejects such rows). Text is always quoted, so an empty string stays one; absent is NULL.
 */
export class SpendStageEncoder {
  private buf = Buffer.allocUnsafe(CHUNK_BYTES);
  private pos = 0;

  /** Appends one row; returns a full chunk to send when the buffer had to make room, else undefined. */
  push(r: StagedSpend): Uint8Array | undefined {
    const texts = [r.supplier, r.category, r.department, r.cost_centre, r.description, r.invoice_number, r.po_number, r.external_id];
    // Worst case: 3 UTF-8 bytes per UTF-16 unit, every one a doubled quote.
    let worst = 96;
    for (const t of texts) worst += t === undefined ? 1 : 6 * t.length + 3;
    let full: Uint8Array | undefined;
    if (this.pos + worst > this.buf.length) {
      full = this.take();
      if (worst > this.buf.length) this.buf = Buffer.allocUnsafe(worst);
    }
    this.pos += this.buf.write(String(r.line), this.pos, 'latin1');
    this.text(r.supplier);
    this.buf[this.pos++] = COMMA;
    this.pos += this.buf.write(r.date, this.pos, 'latin1');
    this.buf[this.pos++] = COMMA;
    this.pos += this.buf.write(r.amount, this.pos, 'latin1');
    this.buf[this.pos++] = COMMA;
    this.pos += this.buf.write(r.currency, this.pos, 'latin1');
    for (let i = 1; i < texts.length; i++) this.text(texts[i]);
    this.buf[this.pos++] = NEWLINE;
    return full;
  }

  /** The bytes encoded since the last take (undefined when none), leaving an empty buffer. */
  take(): Uint8Array | undefined {
    if (this.pos === 0) return undefined;
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(CHUNK_BYTES);
    this.pos = 0;
    return out;
  }

  private text(v: string | undefined): void {
    this.buf[this.pos++] = COMMA;
    if (v === undefined) return;
    this.buf[this.pos++] = QUOTE;
    this.pos += this.buf.write(v.includes('"') ? v.replaceAll('"', '""') : v, this.pos, 'utf8');
    this.buf[this.pos++] = QUOTE;
  }
}

/** A file at least this large, into a table holding fewer lines than it, is loaded with indexes built afterwards. */
const BULK_MIN_ROWS = 50_000;

/**
 * Moves staged rows into spend_lines in one transaction: resolves suppliers, then inserts every row whose
 * key is new. The key is the row's date, content hash and occurrence number among identical rows of the file,
 * so re-importing a file adds nothing while identical rows within one file all land. Rows go in date order,
 * so each index receives them near each other rather than scattered (unless the indexes are rebuilt anyway).
 *
 * A large file into a table that holds fewer lines than the file (a first load) is loaded the way a database
 * is restored: spend_lines' secondary indexes and foreign keys are dropped, the rows inserted (new keys found
 * with one anti-join instead of a unique-index probe per row), then the indexes rebuilt and the keys validated
 * in one pass each, all inside the same transaction. Readers of spend_lines wait for that transaction.
 */
export async function commitSpendStage(
  conn: Connection,
  stage: string,
  batchId: number,
  sourceFile: string,
  bulkLoad: 'auto' | 'always' | 'never' = 'auto',
): Promise<{ staged: number; inserted: number; bulk: boolean; steps: Record<string, number> }> {
  // Milliseconds per step, for the importer's debug log.
  const steps: Record<string, number> = {};
  let last = performance.now();
  const step = (name: string) => {
    const now = performance.now();
    steps[name] = Math.round(now - last);
    last = now;
  };
  await conn.query('begin');
  try {
    await conn.query(`analyze ${stage}`); // row estimates for the joins below
    // Sorting a large file by date and finding its repeats spill to disk at the default 4 MB.
    await conn.query(`set local work_mem = '64MB'`);
    const names = await conn.query<{ supplier_raw: string }>(`select distinct supplier_raw from ${stage}`);
    const ids = await resolveSupplierNames(
      conn,
      names.map((n) => n.supplier_raw),
    );
    await conn.query('drop table if exists pg_temp.supplier_map');
    await conn.query('create temp table supplier_map (name text primary key, supplier_id uuid not null) on commit drop');
    await conn.copyIn(
      'supplier_map',
      ['name', 'supplier_id'],
      (async function* () {
        for (const [name, id] of ids) yield copyCsvLine([name, id]);
      })(),
    );
    await conn.query('analyze supplier_map');
    step('suppliersMs');
    const staged = await stagedRows(conn, stage);
    // Counting stops at the file's size: enough to tell whether the table holds fewer lines than the file.
    const [present] = await conn.query<{ n: number }>(
      'select count(*)::int as n from (select 1 from spend_lines limit $1) x',
      [staged],
    );
    const bulk = bulkLoad === 'always' || (bulkLoad === 'auto' && staged >= BULK_MIN_ROWS && Number(present!.n) < staged);
    const rebuild = bulk ? await dropSpendIndexes(conn) : [];
    step('dropIndexesMs');
    // Occurrence numbers matter only for rows that repeat within the file; every other row is occurrence 1.
    // Numbering just the repeats avoids sorting the whole file by hash.
    const [counts] = await conn.query<{ inserted: number }>(
      `with repeats as (
         select line, row_number() over (partition by hash order by line)::int as seq
         from ${stage} where hash in (select hash from ${stage} group by hash having count(*) > 1)
       ), rows as (
         select s.line, s.hash, s.supplier_raw, s.date::date as date, s.amount, s.currency, s.category, s.department,
           s.cost_centre, s.description, s.invoice_number, s.po_number, s.external_id, coalesce(r.seq, 1) as seq, m.supplier_id
         from ${stage} s join supplier_map m on m.name = s.supplier_raw left join repeats r on r.line = s.line
       ), ins as (
         insert into spend_lines (dedup_hash, dedup_seq, batch_id, source_file, source_line, supplier_id, supplier_name,
           date, amount, currency, category, department, cost_centre, description, invoice_number, po_number, external_id)
         select hash, seq, $1, $2, line, supplier_id, supplier_raw, date, amount, currency,
           category, department, cost_centre, description, invoice_number, po_number, external_id
         from rows s
         ${
           bulk
             ? 'where not exists (select 1 from spend_lines l where l.date = s.date and l.dedup_hash = s.hash and l.dedup_seq = s.seq)'
             : `order by date
         on conflict (date, dedup_hash, dedup_seq) do nothing`
         }
         returning 1
       )
       select count(*)::int as inserted from ins`,
      [batchId, sourceFile],
    );
    step('insertMs');
    if (bulk) {
      await conn.query(`set local maintenance_work_mem = '256MB'`);
      for (const statement of rebuild) await conn.query(statement);
    }
    step('rebuildIndexesMs');
    await conn.query('commit');
    step('txCommitMs');
    return { staged, inserted: Number(counts!.inserted), bulk, steps };
  } catch (err) {
    await conn.query('rollback').catch(() => {});
    throw err;
  }
}

async function stagedRows(conn: Connection, stage: string): Promise<number> {
  const [r] = await conn.query<{ n: number }>(`select count(*)::int as n from ${stage}`);
  return Number(r!.n);
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

/** Drops a batch's staging table. */
export async function dropSpendStage(conn: Connection, stage: string): Promise<void> {
  await conn.query(`drop table if exists ${stage}`);
}
