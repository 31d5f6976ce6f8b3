// Sourcing events, their lines and their bids: reads and the writes the sourcing workflow makes. Writes take a
// Queryable so the caller's transaction also holds the ledger entry for the change.
import { desc, eq } from 'drizzle-orm';
import { normaliseDecimal } from '../domain/money.js';
import { AppError } from '../errors.js';
import type { Database, Queryable } from './client.js';
import { type SourcingCriterion, sourcingEvents } from './schema.js';

export type SourcingEventRow = typeof sourcingEvents.$inferSelect;
export type SourcingStatusValue = SourcingEventRow['status'];

const EVENT_COLUMNS = `id::text, number, title, description, category_code as "categoryCode", supplier_ids::text[] as "supplierIds",
  estimated_value::text as "estimatedValue", currency, status, owner_email as "ownerEmail", requester_email as "requesterEmail",
  buyer_email as "buyerEmail", needed_from::text as "neededFrom", deadline, criteria, award, created_at as "createdAt", updated_at as "updatedAt"`;

/** A raw row as a typed one: the drivers differ on whether a timestamp read through raw SQL is a Date or text. */
function eventRow(r: SourcingEventRow | undefined): SourcingEventRow | undefined {
  if (!r) return r;
  const date = (v: Date | string | null) => (v === null || v instanceof Date ? v : new Date(v));
  return { ...r, deadline: date(r.deadline), createdAt: date(r.createdAt)!, updatedAt: date(r.updatedAt)! };
}

export type NewSourcingEvent = {
  title: string;
  description?: string | null;
  categoryCode?: string | null;
  estimatedValue?: string | null;
  currency?: string | null;
  requesterEmail?: string | null;
  buyerEmail?: string | null;
  neededFrom?: string | null;
  deadline?: Date | null;
  criteria: SourcingCriterion[];
  supplierIds?: string[];
};

export type NewEventLine = { lineNo: number; itemCode: string | null; description: string; quantity: string | null; unit: string | null };

/** Inserts a draft event and its lines. */
export async function insertSourcingEventDraft(tx: Queryable, e: NewSourcingEvent, lines: readonly NewEventLine[]): Promise<SourcingEventRow> {
  const [row] = await tx.query<SourcingEventRow>(
    `insert into sourcing_events (title, description, category_code, estimated_value, currency, requester_email, buyer_email,
       owner_email, needed_from, deadline, criteria, supplier_ids, status)
     values ($1, $2, $3, $4::numeric, $5, $6, $7, $7, $8::date, $9, $10::jsonb, $11::uuid[], 'draft') returning ${EVENT_COLUMNS}`,
    [e.title, e.description ?? null, e.categoryCode ?? null, e.estimatedValue ?? null, e.currency ?? null, e.requesterEmail ?? null,
      e.buyerEmail ?? null, e.neededFrom ?? null, e.deadline?.toISOString() ?? null, JSON.stringify(e.criteria), e.supplierIds ?? []],
  );
  if (lines.length > 0) await insertEventLines(tx, row!.id, lines);
  return eventRow(row)!;
}

/** Adds lines to an event (line numbers must be new). */
export async function insertEventLines(tx: Queryable, eventId: string, lines: readonly NewEventLine[]): Promise<void> {
  if (lines.length === 0) return;
  await tx.query(
    `insert into sourcing_event_lines (event_id, line_no, item_code, description, quantity, unit)
     select $1::uuid, l.line_no, l.item_code, l.description, l.quantity::numeric, l.unit
       from jsonb_to_recordset($2::jsonb) as l(line_no int, item_code text, description text, quantity text, unit text)`,
    [eventId, JSON.stringify(lines.map((l) => ({ line_no: l.lineNo, item_code: l.itemCode, description: l.description, quantity: l.quantity, unit: l.unit })))],
  );
}

/** The event a person names: its number ("7", 7, "#7", "E-7") or its id. */
export async function sourcingEventByRef(q: Queryable, ref: string | number, lock = false): Promise<SourcingEventRow | undefined> {
  const text = String(ref).trim().replace(/^(?:#|e-?|event\s*)(?=\d+$)/i, '');
  const byNumber = /^\d{1,9}$/.test(text);
  const byId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
  if (!byNumber && !byId) return undefined;
  const [row] = await q.query<SourcingEventRow>(
    `select ${EVENT_COLUMNS} from sourcing_events where ${byNumber ? 'number = $1::int' : 'id = $1::uuid'}${lock ? ' for update' : ''}`,
    [text],
  );
  return eventRow(row);
}

/** Like sourcingEventByRef, or an AppError that says what was not found. */
export async function requireSourcingEvent(q: Queryable, ref: string | number, lock = false): Promise<SourcingEventRow> {
  const e = await sourcingEventByRef(q, ref, lock);
  if (!e) throw new AppError('sourcing:not_found', `No sourcing event has the number or id "${ref}". List them with qm sourcing list.`);
  return e;
}

/** The newest events first, optionally of one status. */
export async function listSourcingEvents(database: Database, opts: { status?: SourcingStatusValue; limit: number }): Promise<SourcingEventRow[]> {
  const base = database.db.select().from(sourcingEvents);
  const filtered = opts.status ? base.where(eq(sourcingEvents.status, opts.status)) : base;
  return filtered.orderBy(desc(sourcingEvents.number)).limit(opts.limit);
}

/** Moves an event to `to` if it is still in `from`; the moved row, or undefined when it was not there. */
export async function setSourcingStatus(
  tx: Queryable,
  id: string,
  from: SourcingStatusValue,
  to: SourcingStatusValue,
  changes: { award?: Record<string, unknown>; deadline?: Date } = {},
): Promise<SourcingEventRow | undefined> {
  const [row] = await tx.query<SourcingEventRow>(
    `update sourcing_events set status = $3, updated_at = now(),
            award = coalesce($4::jsonb, award), deadline = coalesce($5::timestamptz, deadline)
      where id = $1::uuid and status = $2 returning ${EVENT_COLUMNS}`,
    // Dates travel as ISO text: postgres.js does not serialise a Date given to an untyped parameter.
    [id, from, to, changes.award ? JSON.stringify(changes.award) : null, changes.deadline?.toISOString() ?? null],
  );
  return eventRow(row);
}

export type EventLineRow = { lineNo: number; itemCode: string | null; description: string; quantity: string | null; unit: string | null };

/** The lines of an event, in order. */
export async function eventLines(q: Queryable, eventId: string): Promise<EventLineRow[]> {
  const rows = await q.query<EventLineRow>(
    `select line_no as "lineNo", item_code as "itemCode", description, quantity::text as quantity, unit
       from sourcing_event_lines where event_id = $1::uuid order by line_no`,
    [eventId],
  );
  return rows.map((r) => ({ ...r, quantity: r.quantity === null ? null : normaliseDecimal(r.quantity) }));
}

export type StoredBidLine = {
  lineNo: number;
  itemCode: string | null;
  description: string | null;
  quantity: string | null;
  unit: string | null;
  unitPrice: string | null;
  lineTotal: string | null;
  leadTimeDays: number | null;
  notes: string | null;
  flags: string[];
};
export type StoredBid = { id: string; supplierId: string; bidder: string; supplierStatus: string; currency: string; lines: StoredBidLine[] };

/** Every bid on an event with its lines. */
export async function eventBids(q: Queryable, eventId: string): Promise<StoredBid[]> {
  const rows = await q.query<StoredBid & { lines: StoredBidLine[] | null }>(
    `select b.id::text, b.supplier_id::text as "supplierId", b.bidder_name as bidder, s.status as "supplierStatus", b.currency,
            (select json_agg(json_build_object('lineNo', l.line_no, 'itemCode', l.item_code, 'description', l.description,
                      'quantity', l.quantity::text, 'unit', l.unit, 'unitPrice', l.unit_price::text, 'lineTotal', l.line_total::text,
                      'leadTimeDays', l.lead_time_days, 'notes', l.notes, 'flags', l.flags) order by l.line_no)
               from sourcing_bid_lines l where l.bid_id = b.id) as lines
       from sourcing_bids b join suppliers s on s.id = b.supplier_id
      where b.event_id = $1::uuid order by b.bidder_name`,
    [eventId],
  );
  return rows.map((r) => ({ ...r, lines: r.lines ?? [] }));
}

/** Counts of bids per event. */
export async function bidCount(q: Queryable, eventId: string): Promise<number> {
  const [r] = await q.query<{ n: number }>(`select count(*)::int as n from sourcing_bids where event_id = $1::uuid`, [eventId]);
  return Number(r?.n ?? 0);
}

/** The bid of a supplier on an event, created when new; its id and whether it was created. */
export async function upsertBid(
  tx: Queryable,
  b: { eventId: string; supplierId: string; bidder: string; currency: string; batchId: number | null },
): Promise<{ id: string; created: boolean }> {
  const [row] = await tx.query<{ id: string; created: boolean }>(
    `insert into sourcing_bids (event_id, supplier_id, bidder_name, currency, batch_id) values ($1::uuid, $2::uuid, $3, $4, $5)
     on conflict (event_id, supplier_id) do update set updated_at = now(), batch_id = excluded.batch_id
     returning id::text, (xmax = 0) as created`,
    [b.eventId, b.supplierId, b.bidder, b.currency, b.batchId],
  );
  return row!;
}

/** Writes a bid line; 'same' when an identical line was already there, 'new' or 'changed' otherwise. */
export async function upsertBidLine(tx: Queryable, bidId: string, l: StoredBidLine & { sourceLine: number }): Promise<'new' | 'changed' | 'same'> {
  const [before] = await tx.query<{ same: boolean }>(
    `select (unit_price is not distinct from $3::numeric and line_total is not distinct from $4::numeric
             and quantity is not distinct from $5::numeric and lead_time_days is not distinct from $6::int
             and notes is not distinct from $7) as same
       from sourcing_bid_lines where bid_id = $1::uuid and line_no = $2`,
    [bidId, l.lineNo, l.unitPrice, l.lineTotal, l.quantity, l.leadTimeDays, l.notes],
  );
  if (before?.same) return 'same';
  await tx.query(
    `insert into sourcing_bid_lines (bid_id, line_no, item_code, description, quantity, unit, unit_price, line_total, lead_time_days, notes, flags, source_line)
     values ($1::uuid, $2, $8, $9, $5::numeric, $10, $3::numeric, $4::numeric, $6, $7, $11::text[], $12)
     on conflict (bid_id, line_no) do update set item_code = excluded.item_code, description = excluded.description,
       quantity = excluded.quantity, unit = excluded.unit, unit_price = excluded.unit_price, line_total = excluded.line_total,
       lead_time_days = excluded.lead_time_days, notes = excluded.notes, flags = excluded.flags, source_line = excluded.source_line`,
    [bidId, l.lineNo, l.unitPrice, l.lineTotal, l.quantity, l.leadTimeDays, l.notes, l.itemCode, l.description, l.unit, l.flags, l.sourceLine],
  );
  return before ? 'changed' : 'new';
}

export type BidderRisk = { supplierId: string; name: string; status: string; maxSeverity: number | null; sanctions: boolean };

/** Each supplier's status and its risk signals of the year before `today` (the facts governance weighs too). */
export async function supplierRiskFacts(q: Queryable, supplierIds: readonly string[], today: string): Promise<BidderRisk[]> {
  if (supplierIds.length === 0) return [];
  const rows = await q.query<{ id: string; name: string; status: string; worst: number | null; sanctions: boolean }>(
    `select s.id::text, s.name, s.status,
            (select max(r.severity)::int from risk_signals r where r.supplier_id = s.id and r.observed_at >= $2::date - interval '365 days') as worst,
            exists (select 1 from risk_signals r where r.supplier_id = s.id and r.kind = 'sanctions' and r.observed_at >= $2::date - interval '365 days') as sanctions
       from suppliers s where s.id = any($1::uuid[])`,
    [supplierIds, today],
  );
  return rows.map((r) => ({ supplierId: r.id, name: r.name, status: r.status, maxSeverity: r.worst === null ? null : Number(r.worst), sanctions: Boolean(r.sanctions) }));
}

/** Records an awarded contract with its line prices; its id and number. */
export async function insertAwardContract(
  tx: Queryable,
  c: {
    contractNumber: string;
    title: string;
    supplierId: string;
    value: string;
    currency: string;
    categoryCode: string | null;
    startDate: string;
    ownerEmail: string | null;
    prices: { sku: string | null; description: string; unit: string | null; unitPrice: string }[];
  },
): Promise<{ id: string; contractNumber: string }> {
  const [row] = await tx.query<{ id: string; contractNumber: string }>(
    `insert into contracts (contract_number, title, supplier_id, status, start_date, value, currency, category_code, owner_email)
     values ($1, $2, $3::uuid, 'active', $4::date, $5::numeric, $6, $7, $8) returning id::text, contract_number as "contractNumber"`,
    [c.contractNumber, c.title, c.supplierId, c.startDate, c.value, c.currency, c.categoryCode, c.ownerEmail],
  );
  if (c.prices.length > 0) {
    await tx.query(
      `insert into contract_prices (contract_id, sku, description, category_code, unit, unit_price, currency)
       select $1::uuid, p.sku, p.description, $3, p.unit, p.unit_price::numeric, $4
         from jsonb_to_recordset($2::jsonb) as p(sku text, description text, unit text, unit_price text)`,
      [row!.id, JSON.stringify(c.prices.map((p) => ({ sku: p.sku, description: p.description, unit: p.unit, unit_price: p.unitPrice }))), c.categoryCode, c.currency],
    );
  }
  return row!;
}

/**
 * The supplier a bidder's name means: a known alias or an exact normalised-name match (oldest first), else a new
 * supplier with status 'prospect' and the name kept as its alias. Never a fuzzy match: a near-namesake is a
 * different company until a person merges them.
 */
export async function bidderSupplier(tx: Queryable, raw: string, normalized: string): Promise<{ id: string; name: string; status: string; created: boolean }> {
  const [known] = await tx.query<{ id: string; name: string; status: string }>(
    `select s.id::text, s.name, s.status from (
       select a.supplier_id as id, a.created_at from supplier_aliases a where a.name = $1
       union all select s.id, s.created_at from suppliers s where s.normalized_name = $2
       union all select a.supplier_id, a.created_at from supplier_aliases a where a.normalized_name = $2) x
       join suppliers s on s.id = x.id order by x.created_at, x.id limit 1`,
    [raw, normalized],
  );
  if (known) return { ...known, created: false };
  const [created] = await tx.query<{ id: string; name: string; status: string }>(
    `insert into suppliers (name, normalized_name, status) values ($1, $2, 'prospect') returning id::text, name, status`,
    [raw, normalized],
  );
  await tx.query(
    `insert into supplier_aliases (supplier_id, name, normalized_name, source) values ($1::uuid, $2, $3, 'bid') on conflict (name) do nothing`,
    [created!.id, raw, normalized],
  );
  return { ...created!, created: true };
}

/** Sets the event's currency when it has none (the first bids decide it). */
export async function setEventCurrency(tx: Queryable, eventId: string, currency: string): Promise<void> {
  await tx.query(`update sourcing_events set currency = $2, updated_at = now() where id = $1::uuid and currency is null`, [eventId, currency]);
}
