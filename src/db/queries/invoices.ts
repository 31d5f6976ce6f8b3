// Invoice headers by id, for monitors that act on an invoice they found through other rows (a duplicate pair).
import type { Database } from '../client.js';

export type InvoiceHeader = { id: string; invoiceNumber: string; status: string; total: string; currency: string; supplierId: string };

/** The invoices with these ids, by id. */
export async function invoiceHeaders(database: Database, ids: readonly string[]): Promise<Map<string, InvoiceHeader>> {
  if (ids.length === 0) return new Map();
  const rows = await database.query<InvoiceHeader>(
    `select id::text as "id", invoice_number as "invoiceNumber", status, total::text as "total", trim(currency) as "currency",
            supplier_id::text as "supplierId"
       from invoices where id = any($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r]));
}
