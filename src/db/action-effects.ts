// The state changes approved actions make. Only the action executor calls these, inside the transaction that
// also marks the action done, so each happens exactly once.
import { AppError } from '../errors.js';
import type { Queryable } from './client.js';

/** A permanent refusal: retrying will not help (the world changed since the decision). */
export const refuse = (message: string) => new AppError('action:refused', message);

type SupplierState = { id: string; name: string; status: string; categoryCode: string | null };

/** The supplier, locked for the rest of the transaction. */
export async function lockSupplier(q: Queryable, id: string): Promise<SupplierState> {
  const [row] = await q.query<SupplierState>(
    `select id::text, name, status, category_code as "categoryCode" from suppliers where id = $1::uuid for update`,
    [id],
  );
  if (!row) throw refuse(`Supplier ${id} does not exist.`);
  return row;
}

export type NewPurchaseOrder = {
  poNumber: string;
  supplierId: string;
  description: string;
  quantity: string;
  total: string;
  currency: string;
  requesterEmail?: string;
  categoryCode?: string | null;
  contractId?: string | null;
  orderDate: string;
};

/** Raises a purchase order with one line; refuses a supplier that is on hold, blocked or inactive. */
export async function insertPurchaseOrder(q: Queryable, po: NewPurchaseOrder): Promise<{ id: string; poNumber: string; supplier: string }> {
  const supplier = await lockSupplier(q, po.supplierId);
  if (supplier.status !== 'active') throw refuse(`${supplier.name} is ${supplier.status.replace('_', ' ')}; no purchase order can be raised.`);
  const [header] = await q.query<{ id: string }>(
    `insert into purchase_orders (po_number, supplier_id, contract_id, status, order_date, currency, total, requester_email, category_code)
     values ($1, $2::uuid, $3::uuid, 'open', $4::date, $5, $6::numeric, $7, $8) returning id::text`,
    [po.poNumber, po.supplierId, po.contractId ?? null, po.orderDate, po.currency, po.total, po.requesterEmail ?? null, po.categoryCode ?? supplier.categoryCode],
  );
  await q.query(
    `insert into purchase_order_lines (po_id, line_no, description, category_code, quantity, unit_price, amount)
     values ($1::uuid, 1, $2, $3, $4::numeric, round(coalesce($5::numeric / nullif($4::numeric, 0), $5::numeric), 4), $5::numeric)`,
    [header!.id, po.description, po.categoryCode ?? supplier.categoryCode, po.quantity, po.total],
  );
  return { id: header!.id, poNumber: po.poNumber, supplier: supplier.name };
}

/** Cancels an open purchase order (reversal); refuses one already received against. */
export async function cancelPurchaseOrder(q: Queryable, id: string): Promise<{ poNumber: string }> {
  const [row] = await q.query<{ po_number: string; status: string }>('select po_number, status from purchase_orders where id = $1::uuid for update', [id]);
  if (!row) throw refuse(`Purchase order ${id} does not exist.`);
  if (row.status !== 'open' && row.status !== 'draft') throw refuse(`Purchase order ${row.po_number} is ${row.status}; it can no longer be cancelled.`);
  await q.query(`update purchase_orders set status = 'cancelled' where id = $1::uuid`, [id]);
  return { poNumber: row.po_number };
}

/** Sets a supplier's status; returns the previous one. */
export async function setSupplierStatus(q: Queryable, id: string, status: 'active' | 'on_hold' | 'blocked'): Promise<{ name: string; previous: string }> {
  const supplier = await lockSupplier(q, id);
  await q.query('update suppliers set status = $2, updated_at = now() where id = $1::uuid', [id, status]);
  return { name: supplier.name, previous: supplier.status };
}

/** Moves an invoice between statuses, refusing when it is not in one of `from`. */
export async function setInvoiceStatus(
  q: Queryable,
  id: string,
  to: 'approved' | 'rejected' | 'held',
  from: readonly string[],
): Promise<{ invoiceNumber: string; previous: string; supplier: string }> {
  const [row] = await q.query<{ invoice_number: string; status: string; supplier: string; supplier_status: string }>(
    `select i.invoice_number, i.status, s.name as supplier, s.status as supplier_status
       from invoices i join suppliers s on s.id = i.supplier_id where i.id = $1::uuid for update of i`,
    [id],
  );
  if (!row) throw refuse(`Invoice ${id} does not exist.`);
  if (!from.includes(row.status)) throw refuse(`Invoice ${row.invoice_number} is ${row.status}; it cannot become ${to}.`);
  if (to === 'approved' && row.supplier_status !== 'active') {
    throw refuse(`${row.supplier} is ${row.supplier_status.replace('_', ' ')}; payment cannot be released.`);
  }
  await q.query('update invoices set status = $2 where id = $1::uuid', [id, to]);
  return { invoiceNumber: row.invoice_number, previous: row.status, supplier: row.supplier };
}

type ContractState = { id: string; title: string; number: string | null; status: string; endDate: string | null };

async function lockContract(q: Queryable, id: string): Promise<ContractState> {
  const [row] = await q.query<ContractState>(
    `select id::text, title, contract_number as number, status, end_date::text as "endDate" from contracts where id = $1::uuid for update`,
    [id],
  );
  if (!row) throw refuse(`Contract ${id} does not exist.`);
  return row;
}

/** Extends a contract's end date by `months`; returns the old and new end dates. */
export async function renewContract(q: Queryable, id: string, months: number): Promise<ContractState & { newEndDate: string }> {
  const c = await lockContract(q, id);
  if (c.status === 'terminated') throw refuse(`${c.number ?? c.title} has been terminated; it cannot be renewed.`);
  const [row] = await q.query<{ end_date: string }>(
    `update contracts set end_date = (coalesce(end_date, current_date) + make_interval(months => $2))::date, status = 'active', updated_at = now()
      where id = $1::uuid returning end_date::text`,
    [id, months],
  );
  return { ...c, newEndDate: row!.end_date };
}

/** Marks a contract terminated (notice given). */
export async function terminateContract(q: Queryable, id: string): Promise<ContractState> {
  const c = await lockContract(q, id);
  if (c.status === 'terminated') throw refuse(`${c.number ?? c.title} is already terminated.`);
  await q.query(`update contracts set status = 'terminated', updated_at = now() where id = $1::uuid`, [id]);
  return c;
}

/** The contract as it stands (for actions that only record a decision about it). */
export async function contractState(q: Queryable, id: string): Promise<ContractState> {
  return lockContract(q, id);
}

/** Opens a sourcing event whose request for quotation is issued (an approved start with no draft behind it). */
export async function insertSourcingEvent(
  q: Queryable,
  e: { title: string; categoryCode?: string | null; supplierIds: string[]; estimatedValue?: string; currency?: string; ownerEmail?: string },
): Promise<{ id: string }> {
  const [row] = await q.query<{ id: string }>(
    `insert into sourcing_events (title, category_code, supplier_ids, estimated_value, currency, owner_email, status)
     values ($1, $2, $3::uuid[], $4::numeric, $5, $6, 'rfx_issued') returning id::text`,
    [e.title, e.categoryCode ?? null, e.supplierIds, e.estimatedValue ?? null, e.currency ?? null, e.ownerEmail ?? null],
  );
  return row!;
}
