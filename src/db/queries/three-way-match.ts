// The facts of the three-way match: every line of every invoice still to be settled (received, held or
// matched), with the purchase order line it bills, what has been received against that line, and how much
// of it has been invoiced so far; plus the receipts themselves, candidate orders for invoices that quote none,
// and the invoices a person is already deciding on. Quantities and money come back as exact decimal strings.
import type { Database } from '../client.js';

/** One invoice line and what it is matched against (PO fields are null when the invoice has no PO or the line none). */
export type MatchLine = {
  invoiceId: string;
  invoiceNumber: string;
  invoiceStatus: 'received' | 'held' | 'matched';
  invoiceDate: string;
  currency: string;
  invoiceTotal: string;
  supplierId: string;
  supplierName: string;
  supplierCategory: string | null;
  /** The PO number the invoice quotes, whether or not such a PO exists. */
  quotedPo: string | null;
  poId: string | null;
  poNumber: string | null;
  poCurrency: string | null;
  requesterEmail: string | null;
  buyerEmail: string | null;
  lineId: string;
  lineNo: number;
  description: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  poLineId: string | null;
  poLineNo: number | null;
  poLineDescription: string | null;
  /** How the PO line was found: the line number the invoice quotes, the same description, or the PO's only line. */
  matchedBy: 'line_no' | 'description' | 'only_line' | null;
  ordered: string | null;
  poUnitPrice: string | null;
  /** Received on the PO line up to today. */
  received: string | null;
  /** Invoiced on the PO line by this line and every earlier one (earlier invoices first; rejected invoices do not count). */
  invoicedToDate: string | null;
  /** Invoices that billed the same PO line before this one. */
  earlierInvoices: string[];
  /** Invoiced unit price minus the PO's, per unit; percent of the PO price; times the quantity. */
  priceDifference: string | null;
  pricePercent: string | null;
  overcharge: string | null;
  /** Invoiced to date minus received. */
  excessQuantity: string | null;
};

export type Receipt = { poLineId: string; receiptNumber: string; quantity: string; receivedOn: string; receiverEmail: string | null };

export type CandidateOrder = {
  invoiceId: string;
  poNumber: string;
  status: string;
  orderDate: string;
  total: string;
  requesterEmail: string | null;
  buyerEmail: string | null;
};

// Money shown with two decimals unless more carry a value; quantities without trailing zeros.
const money = (e: string) => `case when ${e} is null then null when ${e} = round(${e}, 2) then round(${e}, 2)::text else trim_scale(${e})::text end`;
const qty = (e: string) => `trim_scale(${e})::text`;
const norm = (e: string) => `btrim(regexp_replace(lower(coalesce(${e}, '')), '[^a-z0-9]+', ' ', 'g'))`;
const ORDER = 'i.invoice_date, i.invoice_number, i.id, il.line_no';

/** Every line of every invoice in status received, held or matched, matched to its PO line, oldest invoice first. */
export async function invoicesToMatch(database: Database, today: string): Promise<MatchLine[]> {
  const rows = await database.query<MatchLine & { earlierInvoices: string[] | null }>(
    `with scope as (
       select i.* from invoices i where i.status in ('received', 'held', 'matched')),
     -- Every (not rejected) invoice line billing an order some invoice in scope bills, with the PO line it bills.
     billed as (
       select il.id as line_id, i.id as invoice_id, il.quantity, i.invoice_number, pl.id as po_line_id, pl.how,
              row_number() over (partition by pl.id order by ${ORDER}) as seq
         from invoice_lines il
         join invoices i on i.id = il.invoice_id
         left join lateral (
           select p.id, case when p.line_no = il.po_line_no then 'line_no'
                             when ${norm('p.description')} = ${norm('il.description')} then 'description'
                             else 'only_line' end as how
             from purchase_order_lines p
            where p.po_id = i.po_id
              and (p.line_no = il.po_line_no
                   or (il.po_line_no is null
                       and (${norm('p.description')} = ${norm('il.description')}
                            or not exists (select 1 from purchase_order_lines o where o.po_id = i.po_id and o.id <> p.id))))
            order by (p.line_no = il.po_line_no) desc nulls last, p.line_no
            limit 1) pl on true
        where i.status <> 'rejected' and i.po_id in (select po_id from scope where po_id is not null)),
     todate as (
       select b.line_id,
              sum(b.quantity) over (partition by b.po_line_id order by b.seq rows between unbounded preceding and current row) as invoiced,
              array_agg(b.invoice_number) over (partition by b.po_line_id order by b.seq rows between unbounded preceding and 1 preceding) as earlier
         from billed b where b.po_line_id is not null),
     received as (
       select g.po_line_id, sum(g.quantity) as quantity
         from goods_receipts g
        where g.received_on <= $1::date and g.po_line_id in (select po_line_id from billed)
        group by g.po_line_id)
     select i.id::text as "invoiceId", i.invoice_number as "invoiceNumber", i.status as "invoiceStatus",
            i.invoice_date::text as "invoiceDate", trim(i.currency) as "currency", ${money('i.total')} as "invoiceTotal",
            i.supplier_id::text as "supplierId", sp.name as "supplierName", sp.category_code as "supplierCategory",
            i.po_number as "quotedPo", p.id::text as "poId", p.po_number as "poNumber", trim(p.currency) as "poCurrency",
            p.requester_email as "requesterEmail", p.buyer_email as "buyerEmail",
            il.id::text as "lineId", il.line_no as "lineNo", il.description, ${qty('il.quantity')} as "quantity",
            ${money('il.unit_price')} as "unitPrice", ${money('il.amount')} as "amount",
            pl.id::text as "poLineId", pl.line_no as "poLineNo", pl.description as "poLineDescription", b.how as "matchedBy",
            ${qty('pl.quantity')} as "ordered", ${money('pl.unit_price')} as "poUnitPrice",
            case when pl.id is null then null else ${qty('coalesce(r.quantity, 0)')} end as "received",
            ${qty('t.invoiced')} as "invoicedToDate", t.earlier as "earlierInvoices",
            ${money('(il.unit_price - pl.unit_price)')} as "priceDifference",
            trim_scale(round((il.unit_price - pl.unit_price) * 100 / nullif(pl.unit_price, 0), 4))::text as "pricePercent",
            ${money('round((il.unit_price - pl.unit_price) * il.quantity, 4)')} as "overcharge",
            ${qty('(t.invoiced - coalesce(r.quantity, 0))')} as "excessQuantity"
       from scope i
       join suppliers sp on sp.id = i.supplier_id
       join invoice_lines il on il.invoice_id = i.id
       left join purchase_orders p on p.id = i.po_id
       left join billed b on b.line_id = il.id
       left join purchase_order_lines pl on pl.id = b.po_line_id
       left join todate t on t.line_id = il.id
       left join received r on r.po_line_id = pl.id
      order by ${ORDER}`,
    [today],
  );
  return rows.map((r) => ({ ...r, lineNo: Number(r.lineNo), poLineNo: r.poLineNo === null ? null : Number(r.poLineNo), earlierInvoices: [...new Set(r.earlierInvoices ?? [])] }));
}

/** The goods receipts of these PO lines up to today, oldest first. */
export async function receiptsOf(database: Database, poLineIds: readonly string[], today: string): Promise<Map<string, Receipt[]>> {
  const out = new Map<string, Receipt[]>();
  if (poLineIds.length === 0) return out;
  const rows = await database.query<Receipt>(
    `select po_line_id::text as "poLineId", receipt_number as "receiptNumber", ${qty('quantity')} as "quantity",
            received_on::text as "receivedOn", receiver_email as "receiverEmail"
       from goods_receipts where po_line_id = any($1::uuid[]) and received_on <= $2::date
      order by received_on, receipt_number`,
    [poLineIds, today],
  );
  for (const r of rows) out.set(r.poLineId, [...(out.get(r.poLineId) ?? []), r]);
  return out;
}

/**
 * Orders an invoice without a PO probably belongs to: the same supplier and currency, still open, not invoiced
 * yet, for the invoice's total give or take `tolerance`. Newest first.
 */
export async function candidateOrders(database: Database, invoiceIds: readonly string[], tolerance: string): Promise<Map<string, CandidateOrder[]>> {
  const out = new Map<string, CandidateOrder[]>();
  if (invoiceIds.length === 0) return out;
  const rows = await database.query<CandidateOrder>(
    `select i.id::text as "invoiceId", p.po_number as "poNumber", p.status, p.order_date::text as "orderDate",
            ${money('p.total')} as "total", p.requester_email as "requesterEmail", p.buyer_email as "buyerEmail"
       from invoices i
       join purchase_orders p on p.supplier_id = i.supplier_id and p.currency = i.currency
        and p.status not in ('closed', 'cancelled', 'draft') and abs(p.total - i.total) <= $2::numeric
      where i.id = any($1::uuid[])
        and not exists (select 1 from invoices x where x.po_id = p.id and x.status <> 'rejected')
      order by i.id, p.order_date desc, p.po_number`,
    [invoiceIds, tolerance],
  );
  for (const r of rows) out.set(r.invoiceId, [...(out.get(r.invoiceId) ?? []), r]);
  return out;
}

/** Invoices among `invoiceIds` with a release or rejection waiting for a person's decision. */
export async function invoicesAwaitingDecision(database: Database, invoiceIds: readonly string[]): Promise<Set<string>> {
  if (invoiceIds.length === 0) return new Set();
  const rows = await database.query<{ invoice_id: string }>(
    `select distinct action -> 'params' ->> 'invoiceId' as invoice_id from approvals
      where status = 'pending' and action_kind in ('release_invoice', 'reject_invoice')
        and action -> 'params' ->> 'invoiceId' = any($1::text[])`,
    [invoiceIds],
  );
  return new Set(rows.map((r) => r.invoice_id));
}
