// Purchase orders and goods receipts: set-based loading from session staging tables, one transaction per file.
import type { Connection } from './client.js';
import { copyCsvLine } from './client.js';
import { resolveSupplierNames } from './suppliers.js';

/** A staged row the database refused for a reason only visible there (unknown PO, in-file repeat...). */
export type StageRejection = { line: number; reason: string; raw: string };

export const PO_STAGE_COLUMNS = [
  'line',
  'raw',
  'po_number',
  'supplier_raw',
  'order_date',
  'currency',
  'line_no',
  'description',
  'quantity',
  'unit_price',
  'amount',
  'sku',
  'unit',
  'category',
  'requester',
  'buyer',
  'department',
  'contract_number',
  'status',
] as const;

export type StagedPoLine = {
  line: number;
  raw: string;
  po_number: string;
  supplier: string;
  order_date: string;
  currency: string;
  line_no: number;
  description: string;
  quantity: string;
  unit_price: string;
  amount: string;
  sku?: string;
  unit?: string;
  category?: string;
  requester?: string;
  buyer?: string;
  department?: string;
  contract?: string;
  status?: string;
};

/** Creates the session's empty staging table for purchase order lines. */
export async function createPoStage(conn: Connection): Promise<void> {
  await conn.query('drop table if exists pg_temp.po_stage');
  await conn.query(
    `create temp table po_stage (
       line integer not null, raw text, po_number text not null, supplier_raw text not null, order_date date not null,
       currency text not null, line_no integer not null, description text not null, quantity numeric not null,
       unit_price numeric not null, amount numeric not null, sku text, unit text, category text, requester text,
       buyer text, department text, contract_number text, status text)`,
  );
}

/** Encodes a validated PO line as a COPY line for the staging table. */
export function poStageLine(r: StagedPoLine): string {
  return copyCsvLine([
    r.line,
    r.raw,
    r.po_number,
    r.supplier,
    r.order_date,
    r.currency,
    r.line_no,
    r.description,
    r.quantity,
    r.unit_price,
    r.amount,
    r.sku,
    r.unit,
    r.category,
    r.requester,
    r.buyer,
    r.department,
    r.contract,
    r.status,
  ]);
}

/**
 * Moves staged PO lines into purchase_orders / purchase_order_lines in one transaction. A PO's header comes
 * from its first staged row (or stays as stored when the PO exists); an existing (po_number, line_no) is a
 * duplicate, never an update. Totals are recomputed from the lines of every PO the file touched.
 */
export async function commitPoStage(
  conn: Connection,
  batchId: number,
): Promise<{ staged: number; inserted: number; rejected: StageRejection[]; unknownContracts: string[] }> {
  await conn.query('begin');
  try {
    const rejected: StageRejection[] = [];
    // A line number repeated within the file is a data error the user should see, not a silent duplicate.
    const repeats = await conn.query<{ line: number; raw: string; po_number: string; line_no: number; first: number }>(
      `select line, raw, po_number, line_no, first from (
         select s.line, s.raw, s.po_number, s.line_no,
                min(s.line) over (partition by s.po_number, s.line_no) as first,
                row_number() over (partition by s.po_number, s.line_no order by s.line) as n
         from po_stage s) x
       where n > 1`,
    );
    for (const r of repeats) {
      rejected.push({ line: r.line, raw: r.raw, reason: `PO ${r.po_number} line ${r.line_no} repeats line ${r.first} of the file` });
    }
    await dropLines(conn, 'po_stage', repeats);
    // A PO's lines must share its currency, or its total would add up different money.
    const mixed = await conn.query<{ line: number; raw: string; po_number: string; currency: string; po_currency: string }>(
      `with hdr as (select distinct on (po_number) po_number, currency from po_stage order by po_number, line)
       select s.line, s.raw, s.po_number, s.currency, coalesce(trim(p.currency), h.currency) as po_currency
       from po_stage s join hdr h on h.po_number = s.po_number
       left join purchase_orders p on p.po_number = s.po_number
       where s.currency <> coalesce(trim(p.currency), h.currency)`,
    );
    for (const r of mixed) {
      rejected.push({ line: r.line, raw: r.raw, reason: `currency ${r.currency} differs from PO ${r.po_number}'s ${r.po_currency}` });
    }
    await dropLines(conn, 'po_stage', mixed);

    const names = await conn.query<{ supplier_raw: string }>(
      `select distinct h.supplier_raw
       from (select distinct on (po_number) po_number, supplier_raw from po_stage order by po_number, line) h
       where not exists (select 1 from purchase_orders p where p.po_number = h.po_number)`,
    );
    const ids = await resolveSupplierNames(
      conn,
      names.map((n) => n.supplier_raw),
    );
    const unknown = await conn.query<{ contract_number: string }>(
      `select distinct s.contract_number from po_stage s
       where s.contract_number is not null
         and not exists (select 1 from contracts c where c.contract_number = s.contract_number)
       order by 1`,
    );
    await conn.query(
      `insert into purchase_orders (po_number, supplier_id, contract_id, status, order_date, currency, requester_email,
         buyer_email, department, category_code, batch_id)
       select h.po_number, m.supplier_id, c.id, coalesce(h.status, 'open'), h.order_date, h.currency, h.requester,
         h.buyer, h.department, h.category, $1
       from (select distinct on (po_number) * from po_stage order by po_number, line) h
       join unnest($2::text[], $3::uuid[]) as m(name, supplier_id) on m.name = h.supplier_raw
       left join contracts c on c.contract_number = h.contract_number
       order by h.line
       on conflict (po_number) do nothing`,
      [batchId, [...ids.keys()], [...ids.values()]],
    );
    const [counts] = await conn.query<{ staged: number; inserted: number }>(
      `with ins as (
         insert into purchase_order_lines (po_id, line_no, description, sku, category_code, quantity, unit, unit_price,
           amount)
         select p.id, s.line_no, s.description, s.sku, s.category, s.quantity, s.unit, s.unit_price, s.amount
         from po_stage s join purchase_orders p on p.po_number = s.po_number
         order by s.line
         on conflict (po_id, line_no) do nothing
         returning 1
       )
       select (select count(*) from po_stage)::int as staged, (select count(*) from ins)::int as inserted`,
    );
    await conn.query(
      `update purchase_orders p
       set total = coalesce((select sum(l.amount) from purchase_order_lines l where l.po_id = p.id), 0)
       where p.po_number in (select distinct po_number from po_stage)`,
    );
    // New lines on a PO that already has receipts can change how much of it is received.
    await refreshPoStatuses(
      conn,
      `select distinct p.id from purchase_orders p join po_stage s on s.po_number = p.po_number
       where exists (select 1 from purchase_order_lines l join goods_receipts g on g.po_line_id = l.id where l.po_id = p.id)`,
    );
    await conn.query('commit');
    return {
      staged: Number(counts!.staged),
      inserted: Number(counts!.inserted),
      rejected,
      unknownContracts: unknown.map((u) => u.contract_number),
    };
  } catch (err) {
    await conn.query('rollback').catch(() => {});
    throw err;
  } finally {
    await conn.query('drop table if exists pg_temp.po_stage').catch(() => {});
  }
}

export const RECEIPT_STAGE_COLUMNS = [
  'line',
  'raw',
  'receipt_number',
  'po_number',
  'line_no',
  'quantity',
  'received_on',
  'receiver',
] as const;

export type StagedReceipt = {
  line: number;
  raw: string;
  receipt_number: string;
  po_number: string;
  line_no: number;
  quantity: string;
  received_date: string;
  receiver?: string;
};

/** Creates the session's empty staging table for goods receipts. */
export async function createReceiptStage(conn: Connection): Promise<void> {
  await conn.query('drop table if exists pg_temp.receipt_stage');
  await conn.query(
    `create temp table receipt_stage (
       line integer not null, raw text, receipt_number text not null, po_number text not null, line_no integer not null,
       quantity numeric not null, received_on date not null, receiver text)`,
  );
}

/** Encodes a validated receipt as a COPY line for the staging table. */
export function receiptStageLine(r: StagedReceipt): string {
  return copyCsvLine([r.line, r.raw, r.receipt_number, r.po_number, r.line_no, r.quantity, r.received_date, r.receiver]);
}

/**
 * Moves staged receipts into goods_receipts in one transaction. Rows naming a PO or PO line that does not
 * exist are refused; an existing (receipt_number, PO line) is a duplicate. Afterwards every touched PO's
 * status follows its received quantities (open / partially_received / received).
 */
export async function commitReceiptStage(
  conn: Connection,
  batchId: number,
): Promise<{ staged: number; inserted: number; rejected: StageRejection[]; overReceived: number }> {
  await conn.query('begin');
  try {
    const rejected: StageRejection[] = [];
    const orphans = await conn.query<{ line: number; raw: string; po_number: string; line_no: number; po_exists: boolean }>(
      `select s.line, s.raw, s.po_number, s.line_no, (p.id is not null) as po_exists
       from receipt_stage s
       left join purchase_orders p on p.po_number = s.po_number
       left join purchase_order_lines l on l.po_id = p.id and l.line_no = s.line_no
       where l.id is null`,
    );
    for (const r of orphans) {
      rejected.push({
        line: r.line,
        raw: r.raw,
        reason: r.po_exists ? `PO ${r.po_number} has no line ${r.line_no}` : `unknown PO ${r.po_number}`,
      });
    }
    await dropLines(conn, 'receipt_stage', orphans);
    const repeats = await conn.query<{ line: number; raw: string; receipt_number: string; first: number }>(
      `select line, raw, receipt_number, first from (
         select s.line, s.raw, s.receipt_number,
                min(s.line) over (partition by s.receipt_number, s.po_number, s.line_no) as first,
                row_number() over (partition by s.receipt_number, s.po_number, s.line_no order by s.line) as n
         from receipt_stage s) x
       where n > 1`,
    );
    for (const r of repeats) {
      rejected.push({
        line: r.line,
        raw: r.raw,
        reason: `receipt ${r.receipt_number} for this PO line repeats line ${r.first} of the file`,
      });
    }
    await dropLines(conn, 'receipt_stage', repeats);

    const [counts] = await conn.query<{ staged: number; inserted: number }>(
      `with ins as (
         insert into goods_receipts (receipt_number, po_line_id, quantity, received_on, receiver_email, batch_id)
         select s.receipt_number, l.id, s.quantity, s.received_on, s.receiver, $1
         from receipt_stage s
         join purchase_orders p on p.po_number = s.po_number
         join purchase_order_lines l on l.po_id = p.id and l.line_no = s.line_no
         order by s.line
         on conflict (receipt_number, po_line_id) do nothing
         returning 1
       )
       select (select count(*) from receipt_stage)::int as staged, (select count(*) from ins)::int as inserted`,
      [batchId],
    );
    const touched = `select distinct p.id from purchase_orders p join receipt_stage s on s.po_number = p.po_number`;
    await refreshPoStatuses(conn, touched);
    const [over] = await conn.query<{ n: number }>(
      `select count(*)::int as n from purchase_order_lines l
       where l.po_id in (${touched})
         and (select coalesce(sum(g.quantity), 0) from goods_receipts g where g.po_line_id = l.id) > l.quantity`,
    );
    await conn.query('commit');
    return {
      staged: Number(counts!.staged),
      inserted: Number(counts!.inserted),
      rejected,
      overReceived: Number(over?.n ?? 0),
    };
  } catch (err) {
    await conn.query('rollback').catch(() => {});
    throw err;
  } finally {
    await conn.query('drop table if exists pg_temp.receipt_stage').catch(() => {});
  }
}

/**
 * Sets each selected PO's status from received vs ordered quantities. POs a person has closed, cancelled or
 * left in draft keep their status: receipts do not reopen them.
 */
async function refreshPoStatuses(conn: Connection, poIdsQuery: string): Promise<void> {
  await conn.query(
    `update purchase_orders p set status = x.status
     from (
       select l.po_id,
              case when bool_and(coalesce(r.received, 0) >= l.quantity) then 'received'
                   when bool_or(coalesce(r.received, 0) > 0) then 'partially_received'
                   else 'open' end as status
       from purchase_order_lines l
       left join (select po_line_id, sum(quantity) as received from goods_receipts group by po_line_id) r
         on r.po_line_id = l.id
       where l.po_id in (${poIdsQuery})
       group by l.po_id
     ) x
     where p.id = x.po_id and p.status in ('open', 'partially_received', 'received') and p.status <> x.status`,
  );
}

/** Removes rows already rejected from a staging table, by file line. */
async function dropLines(conn: Connection, table: string, rows: readonly { line: number }[]): Promise<void> {
  if (rows.length === 0) return;
  await conn.query(`delete from ${table} where line = any($1::int[])`, [rows.map((r) => r.line)]);
}
