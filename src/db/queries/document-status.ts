// Where one invoice or purchase order stands: its recorded status, the payments the spend data shows against it,
// receipts and invoices against an order, and the open monitor findings (invoice exceptions) about it.
import type { Database } from '../client.js';

export type InvoiceStatusRow = {
  id: string;
  invoiceNumber: string;
  supplier: string;
  status: string;
  total: string;
  currency: string;
  invoiceDate: string;
  dueDate: string | null;
  poNumber: string | null;
  /** Payments in the spend data with this invoice number and supplier. */
  paidTotal: string | null;
  payments: number;
  lastPaidOn: string | null;
  openExceptions: string[];
};

const money = (column: string) => `case when ${column} is null then null else round(${column}, 2)::text end`;

/** Every invoice numbered `ref` (any case; numbers are unique per supplier only), newest first. */
export async function invoiceStatus(database: Database, ref: string): Promise<InvoiceStatusRow[]> {
  const rows = await database.query<Record<string, unknown>>(
    `select i.id::text as id, i.invoice_number, s.name as supplier, i.status, ${money('i.total')} as total, trim(i.currency) as currency,
            i.invoice_date::text as invoice_date, i.due_date::text as due_date, coalesce(i.po_number, po.po_number) as po_number,
            ${money('p.paid')} as paid, coalesce(p.n, 0)::int as payments, p.last::text as last_paid,
            coalesce((select array_agg(f.title order by f.last_seen_at desc) from findings f
                       where f.subject_type = 'invoice' and f.subject_id = i.id::text and f.status = 'open'), '{}') as exceptions
       from invoices i
       join suppliers s on s.id = i.supplier_id
       left join purchase_orders po on po.id = i.po_id
       left join lateral (select sum(l.amount) as paid, count(*) as n, max(l.date) as last from spend_lines l
                           where l.supplier_id = i.supplier_id and lower(btrim(l.invoice_number)) = lower(i.invoice_number)) p on true
      where lower(i.invoice_number) = lower(btrim($1))
      order by i.invoice_date desc, s.name
      limit 20`,
    [ref],
  );
  return rows.map((r) => ({
    id: String(r.id),
    invoiceNumber: String(r.invoice_number),
    supplier: String(r.supplier),
    status: String(r.status),
    total: String(r.total),
    currency: String(r.currency),
    invoiceDate: String(r.invoice_date),
    dueDate: (r.due_date as string | null) ?? null,
    poNumber: (r.po_number as string | null) ?? null,
    paidTotal: (r.paid as string | null) ?? null,
    payments: Number(r.payments),
    lastPaidOn: (r.last_paid as string | null) ?? null,
    openExceptions: [...((r.exceptions as string[] | null) ?? [])],
  }));
}

/** Payments in the spend data under an invoice number no invoice record has (paid outside the invoice flow). */
export async function paymentsByInvoiceNumber(
  database: Database,
  ref: string,
): Promise<{ supplier: string; currency: string; total: string; payments: number; lastPaidOn: string }[]> {
  const rows = await database.query<Record<string, unknown>>(
    `select s.name as supplier, l.currency::text as currency, round(sum(l.amount), 2)::text as total, count(*)::int as n, max(l.date)::text as last
       from spend_lines l join suppliers s on s.id = l.supplier_id
      where lower(btrim(l.invoice_number)) = lower(btrim($1))
      group by s.name, l.currency order by s.name limit 20`,
    [ref],
  );
  return rows.map((r) => ({ supplier: String(r.supplier), currency: String(r.currency), total: String(r.total), payments: Number(r.n), lastPaidOn: String(r.last) }));
}

export type OrderStatusRow = {
  poNumber: string;
  supplier: string;
  status: string;
  orderDate: string;
  total: string;
  currency: string;
  requester: string | null;
  department: string | null;
  lines: number;
  linesFullyReceived: number;
  invoiced: string;
  invoices: { number: string; status: string; total: string }[];
};

/** The purchase order numbered `ref` (any case), with receipts and invoices against it. */
export async function purchaseOrderStatus(database: Database, ref: string): Promise<OrderStatusRow | undefined> {
  const [r] = await database.query<Record<string, unknown>>(
    `select po.po_number, s.name as supplier, po.status, po.order_date::text as order_date, ${money('po.total')} as total,
            trim(po.currency) as currency, po.requester_email, po.department,
            (select count(*) from purchase_order_lines l where l.po_id = po.id)::int as lines,
            (select count(*) from purchase_order_lines l
              where l.po_id = po.id
                and coalesce((select sum(g.quantity) from goods_receipts g where g.po_line_id = l.id), 0) >= l.quantity)::int as received,
            coalesce((select round(sum(i.total), 2) from invoices i where i.po_id = po.id), 0)::text as invoiced,
            coalesce((select json_agg(json_build_object('number', i.invoice_number, 'status', i.status, 'total', round(i.total, 2)::text)
                                      order by i.invoice_date, i.invoice_number)
                        from invoices i where i.po_id = po.id), '[]') as invoices
       from purchase_orders po join suppliers s on s.id = po.supplier_id
      where lower(po.po_number) = lower(btrim($1))`,
    [ref],
  );
  if (!r) return undefined;
  const invoices = (typeof r.invoices === 'string' ? JSON.parse(r.invoices) : r.invoices) as OrderStatusRow['invoices'];
  return {
    poNumber: String(r.po_number),
    supplier: String(r.supplier),
    status: String(r.status),
    orderDate: String(r.order_date),
    total: String(r.total),
    currency: String(r.currency),
    requester: (r.requester_email as string | null) ?? null,
    department: (r.department as string | null) ?? null,
    lines: Number(r.lines),
    linesFullyReceived: Number(r.received),
    invoiced: String(r.invoiced),
    invoices,
  };
}
