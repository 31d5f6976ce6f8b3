// Spend lines: set-based loading from a staging table, with file-stable de-duplication keys.
import type { Connection } from './client.js';
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
  date: string;
  amount: string;
  currency: string;
  category?: string;
  department?: string;
  cost_centre?: string;
  description?: string;
  invoice_number?: string;
  po_number?: string;
  external_id?: string;
};

/** Creates the session's empty staging table for spend rows. */
export async function createSpendStage(conn: Connection): Promise<void> {
  await conn.query('drop table if exists pg_temp.spend_stage');
  await conn.query(
    `create temp table spend_stage (
       line integer not null, supplier_raw text not null, date date not null, amount numeric not null,
       currency text not null, category text, department text, cost_centre text, description text,
       invoice_number text, po_number text, external_id text)`,
  );
}

/** Encodes a validated row as a COPY line for the staging table. */
export function spendStageLine(r: StagedSpend): string {
  return copyCsvLine([
    r.line,
    r.supplier,
    r.date,
    r.amount,
    r.currency,
    r.category,
    r.department,
    r.cost_centre,
    r.description,
    r.invoice_number,
    r.po_number,
    r.external_id,
  ]);
}

/**
 * Moves staged rows into spend_lines in one transaction: resolves suppliers, then inserts every row whose
 * key is new. The key is a hash of the row's canonical content plus its occurrence number among identical
 * rows of the file, so re-importing a file adds nothing while identical rows within one file all land.
 */
export async function commitSpendStage(
  conn: Connection,
  batchId: number,
  sourceFile: string,
): Promise<{ staged: number; inserted: number }> {
  await conn.query('begin');
  try {
    const names = await conn.query<{ supplier_raw: string }>('select distinct supplier_raw from spend_stage');
    const ids = await resolveSupplierNames(
      conn,
      names.map((n) => n.supplier_raw),
    );
    await conn.query('drop table if exists pg_temp.supplier_map');
    await conn.query('create temp table supplier_map (name text primary key, supplier_id uuid not null)');
    await conn.copyIn(
      'supplier_map',
      ['name', 'supplier_id'],
      (async function* () {
        for (const [name, id] of ids) yield copyCsvLine([name, id]);
      })(),
    );
    const [counts] = await conn.query<{ staged: number; inserted: number }>(
      `with keyed as (
         select s.*, h || ':' || row_number() over (partition by h order by s.line) as dedup_key
         from (select s.*, md5(concat_ws(chr(31), s.date::text, s.supplier_raw, trim_scale(s.amount)::text, s.currency,
                 coalesce(s.category, ''), coalesce(s.department, ''), coalesce(s.cost_centre, ''),
                 coalesce(s.description, ''), coalesce(s.invoice_number, ''), coalesce(s.po_number, ''),
                 coalesce(s.external_id, ''))) as h
               from spend_stage s) s
       ), ins as (
         insert into spend_lines (dedup_key, batch_id, source_file, source_line, supplier_id, supplier_name, date,
           amount, currency, category, department, cost_centre, description, invoice_number, po_number, external_id)
         select k.dedup_key, $1, $2, k.line, m.supplier_id, k.supplier_raw, k.date, k.amount, k.currency, k.category,
           k.department, k.cost_centre, k.description, k.invoice_number, k.po_number, k.external_id
         from keyed k join supplier_map m on m.name = k.supplier_raw
         on conflict (dedup_key) do nothing
         returning 1
       )
       select (select count(*) from spend_stage)::int as staged, (select count(*) from ins)::int as inserted`,
      [batchId, sourceFile],
    );
    await conn.query('commit');
    return { staged: Number(counts!.staged), inserted: Number(counts!.inserted) };
  } catch (err) {
    await conn.query('rollback').catch(() => {});
    throw err;
  } finally {
    await conn.query('drop table if exists pg_temp.spend_stage').catch(() => {});
    await conn.query('drop table if exists pg_temp.supplier_map').catch(() => {});
  }
}
