// Supplier invoices: set-based loading from a session staging table, one transaction per file.
import type { Connection } from './client.js';
import { copyCsvLine } from './client.js';
import type { StageRejection } from './purchase-orders.js';
import { resolveSupplierNames } from './suppliers.js';

export const INVOICE_STAGE_COLUMNS = [
  'line',
  'raw',
  'invoice_number',
  'supplier_raw',
  'po_number',
  'invoice_date',
  'due_date',
  'currency',
  'line_no',
  'po_line_no',
  'description',
  'quantity',
  'unit_price',
  'amount',
] as const;

export type StagedInvoiceLine = {
  line: number;
  raw: string;
  invoice_number: string;
  supplier: string;
  po_number?: string;
  invoice_date: string;
  due_date?: string;
  currency: string;
  line_no: number;
  po_line_no?: number;
  description?: string;
  quantity: string;
  unit_price: string;
  amount: string;
};

/** Creates the session's empty staging table for invoice lines. */
export async function createInvoiceStage(conn: Connection): Promise<void> {
  await conn.query('drop table if exists pg_temp.invoice_stage');
  await conn.query(
    `create temp table invoice_stage (
       line integer not null, raw text, invoice_number text not null, supplier_raw text not null, po_number text,
       invoice_date date not null, due_date date, currency text not null, line_no integer not null, po_line_no integer,
       description text, quantity numeric not null, unit_price numeric not null, amount numeric not null,
       supplier_id uuid)`,
  );
}

/** Encodes a validated invoice line as a COPY line for the staging table. */
export function invoiceStageLine(r: StagedInvoiceLine): string {
  return copyCsvLine([
    r.line,
    r.raw,
    r.invoice_number,
    r.supplier,
    r.po_number,
    r.invoice_date,
    r.due_date,
    r.currency,
    r.line_no,
    r.po_line_no,
    r.description,
    r.quantity,
    r.unit_price,
    r.amount,
  ]);
}

/**
 * Moves staged invoice lines into invoices / invoice_lines in one transaction. An invoice is identified by
 * (supplier, invoice_number); its header comes from its first staged row (or stays as stored) and links the
 * PO when one with that number exists. An existing (supplier, invoice_number, line_no) is a duplicate.
 * Another invoice number for the same amount is not refused here: that is a finding for the monitors.
 */
export async function commitInvoiceStage(
  conn: Connection,
  batchId: number,
): Promise<{ staged: number; inserted: number; rejected: StageRejection[]; unknownPos: string[] }> {
  await conn.query('begin');
  try {
    const names = await conn.query<{ supplier_raw: string }>('select distinct supplier_raw from invoice_stage');
    const ids = await resolveSupplierNames(
      conn,
      names.map((n) => n.supplier_raw),
    );
    await conn.query(
      `update invoice_stage s set supplier_id = m.supplier_id
       from unnest($1::text[], $2::uuid[]) as m(name, supplier_id) where m.name = s.supplier_raw`,
      [[...ids.keys()], [...ids.values()]],
    );

    const rejected: StageRejection[] = [];
    const repeats = await conn.query<{ line: number; raw: string; invoice_number: string; line_no: number; first: number }>(
      `select line, raw, invoice_number, line_no, first from (
         select s.line, s.raw, s.invoice_number, s.line_no,
                min(s.line) over (partition by s.supplier_id, s.invoice_number, s.line_no) as first,
                row_number() over (partition by s.supplier_id, s.invoice_number, s.line_no order by s.line) as n
         from invoice_stage s) x
       where n > 1`,
    );
    for (const r of repeats) {
      rejected.push({
        line: r.line,
        raw: r.raw,
        reason: `invoice ${r.invoice_number} line ${r.line_no} repeats line ${r.first} of the file`,
      });
    }
    await dropLines(conn, repeats);
    // An invoice's lines must share its currency, or its total would add up different money.
    const mixed = await conn.query<{ line: number; raw: string; invoice_number: string; currency: string; inv_currency: string }>(
      `with hdr as (
         select distinct on (supplier_id, invoice_number) supplier_id, invoice_number, currency
         from invoice_stage order by supplier_id, invoice_number, line)
       select s.line, s.raw, s.invoice_number, s.currency, coalesce(trim(i.currency), h.currency) as inv_currency
       from invoice_stage s
       join hdr h on h.supplier_id = s.supplier_id and h.invoice_number = s.invoice_number
       left join invoices i on i.supplier_id = s.supplier_id and i.invoice_number = s.invoice_number
       where s.currency <> coalesce(trim(i.currency), h.currency)`,
    );
    for (const r of mixed) {
      rejected.push({
        line: r.line,
        raw: r.raw,
        reason: `currency ${r.currency} differs from invoice ${r.invoice_number}'s ${r.inv_currency}`,
      });
    }
    await dropLines(conn, mixed);

    const unknown = await conn.query<{ po_number: string }>(
      `select distinct s.po_number from invoice_stage s
       where s.po_number is not null and not exists (select 1 from purchase_orders p where p.po_number = s.po_number)
       order by 1`,
    );
    await conn.query(
      `insert into invoices (invoice_number, supplier_id, po_id, po_number, invoice_date, due_date, currency, batch_id)
       select h.invoice_number, h.supplier_id, p.id, h.po_number, h.invoice_date, h.due_date, h.currency, $1
       from (select distinct on (supplier_id, invoice_number) * from invoice_stage
             order by supplier_id, invoice_number, line) h
       left join purchase_orders p on p.po_number = h.po_number
       order by h.line
       on conflict (supplier_id, invoice_number) do nothing`,
      [batchId],
    );
    const [counts] = await conn.query<{ staged: number; inserted: number }>(
      `with ins as (
         insert into invoice_lines (invoice_id, line_no, po_line_no, description, quantity, unit_price, amount)
         select i.id, s.line_no, s.po_line_no, coalesce(s.description, pl.description, ''), s.quantity, s.unit_price,
                s.amount
         from invoice_stage s
         join invoices i on i.supplier_id = s.supplier_id and i.invoice_number = s.invoice_number
         left join purchase_order_lines pl on pl.po_id = i.po_id and pl.line_no = s.po_line_no
         order by s.line
         on conflict (invoice_id, line_no) do nothing
         returning 1
       )
       select (select count(*) from invoice_stage)::int as staged, (select count(*) from ins)::int as inserted`,
    );
    await conn.query(
      `update invoices i
       set total = coalesce((select sum(l.amount) from invoice_lines l where l.invoice_id = i.id), 0)
       where exists (select 1 from invoice_stage s where s.supplier_id = i.supplier_id and s.invoice_number = i.invoice_number)`,
    );
    await conn.query('commit');
    return {
      staged: Number(counts!.staged),
      inserted: Number(counts!.inserted),
      rejected,
      unknownPos: unknown.map((u) => u.po_number),
    };
  } catch (err) {
    await conn.query('rollback').catch(() => {});
    throw err;
  } finally {
    await conn.query('drop table if exists pg_temp.invoice_stage').catch(() => {});
  }
}

/** Removes rows already rejected from the staging table, by file line. */
async function dropLines(conn: Connection, rows: readonly { line: number }[]): Promise<void> {
  if (rows.length === 0) return;
  await conn.query('delete from invoice_stage where line = any($1::int[])', [rows.map((r) => r.line)]);
}
