// The supplier-risk monitor's reads and writes: the suppliers to screen with every name they go by, what is at
// stake with many suppliers at once (per currency), the texts of their active contracts, and risk signals (stored
// once per external id, read back by observation window, re-attached when their supplier appears later).
import type { Database, Queryable } from '../client.js';

/** A supplier to screen, with its recorded aliases (its own name excluded). */
export type ScreenableSupplier = {
  id: string;
  name: string;
  status: 'active' | 'on_hold' | 'blocked' | 'inactive';
  country: string | null;
  externalId: string | null;
  aliases: string[];
};

/** What is at stake with one supplier in one currency; amounts are decimal strings. */
export type ExposureRow = {
  supplierId: string;
  currency: string;
  activeContractValue: string;
  openPurchaseOrders: string;
  unpaidInvoices: string;
  trailing12MonthSpend: string;
  counts: { activeContracts: number; openPurchaseOrders: number; unpaidInvoices: number; payments: number };
};

/** An active contract's text, for judging how critical the supplier is. */
export type ActiveContractText = { supplierId: string; contractId: string; title: string; text: string };

/** A risk signal as stored, with its supplier when it is matched. */
export type StoredSignal = {
  id: string;
  externalId: string | null;
  supplierId: string | null;
  supplierName: string;
  kind: 'financial' | 'geopolitical' | 'regulatory' | 'operational' | 'sanctions' | 'other';
  severity: number;
  title: string;
  detail: string | null;
  source: string | null;
  observedAt: string;
  createdAt: string;
  supplier: { name: string; status: string } | null;
};

/** A signal ready to store. */
export type NewSignal = {
  externalId: string;
  supplierId: string | null;
  supplierName: string;
  kind: StoredSignal['kind'];
  severity: number;
  title: string;
  detail: string | null;
  source: string | null;
  observedAt: string;
};

/** True when there is at least one supplier that is not inactive (anything to screen or to attach signals to). */
export async function hasScreenableSuppliers(database: Database): Promise<boolean> {
  const rows = await database.query<{ one: number }>("select 1 as one from suppliers where status <> 'inactive' limit 1");
  return rows.length > 0;
}

/** Every supplier that is not inactive (on hold and blocked ones stay screened), with its aliases. */
export async function screenableSuppliers(database: Database): Promise<ScreenableSupplier[]> {
  const rows = await database.query<{
    id: string;
    name: string;
    status: ScreenableSupplier['status'];
    country: string | null;
    external_id: string | null;
    aliases: string[] | null;
  }>(
    `select s.id::text as id, s.name, s.status, s.country, s.external_id, a.aliases
     from suppliers s
     left join (select a.supplier_id, array_agg(a.name order by a.name) as aliases
                  from supplier_aliases a join suppliers o on o.id = a.supplier_id
                 where a.name <> o.name group by a.supplier_id) a on a.supplier_id = s.id
     where s.status <> 'inactive' order by s.name, s.id`,
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    status: r.status,
    country: r.country,
    externalId: r.external_id,
    aliases: r.aliases ?? [],
  }));
}

/**
 * What is at stake with each supplier, per currency: contracts active on `today` (status active, not past their
 * end), purchase orders open or partly received, invoices neither paid nor rejected, and payments in the 12
 * months after `yearAgo` up to and including `today`.
 */
export async function supplierExposure(
  database: Database,
  ids: readonly string[],
  dates: { today: string; yearAgo: string },
): Promise<ExposureRow[]> {
  if (ids.length === 0) return [];
  const rows = await database.query<{ supplier_id: string; currency: string; measure: string; total: string; n: number }>(
    `with ids as (select unnest($1::uuid[]) as id)
     select c.supplier_id::text as supplier_id, c.currency, 'contracts' as measure, sum(c.value)::text as total,
            count(*)::int as n
       from contracts c join ids on ids.id = c.supplier_id
      where c.status = 'active' and (c.end_date is null or c.end_date >= $2::date)
        and c.value is not null and c.currency is not null
      group by 1, 2
     union all
     select p.supplier_id::text, p.currency, 'orders', sum(p.total)::text, count(*)::int
       from purchase_orders p join ids on ids.id = p.supplier_id
      where p.status in ('open', 'partially_received')
      group by 1, 2
     union all
     select i.supplier_id::text, i.currency, 'invoices', sum(i.total)::text, count(*)::int
       from invoices i join ids on ids.id = i.supplier_id
      where i.status not in ('paid', 'rejected')
      group by 1, 2
     union all
     select l.supplier_id::text, l.currency, 'spend', sum(l.amount)::text, count(*)::int
       from spend_lines l join ids on ids.id = l.supplier_id
      where l.date > $3::date and l.date <= $2::date
      group by 1, 2`,
    [ids, dates.today, dates.yearAgo],
  );
  const out = new Map<string, ExposureRow>();
  for (const r of rows) {
    const key = `${r.supplier_id}\u0000${r.currency}`;
    const row = out.get(key) ?? {
      supplierId: r.supplier_id,
      currency: r.currency,
      activeContractValue: '0',
      openPurchaseOrders: '0',
      unpaidInvoices: '0',
      trailing12MonthSpend: '0',
      counts: { activeContracts: 0, openPurchaseOrders: 0, unpaidInvoices: 0, payments: 0 },
    };
    const n = Number(r.n);
    if (r.measure === 'contracts') {
      row.activeContractValue = r.total;
      row.counts.activeContracts = n;
    } else if (r.measure === 'orders') {
      row.openPurchaseOrders = r.total;
      row.counts.openPurchaseOrders = n;
    } else if (r.measure === 'invoices') {
      row.unpaidInvoices = r.total;
      row.counts.unpaidInvoices = n;
    } else {
      row.trailing12MonthSpend = r.total;
      row.counts.payments = n;
    }
    out.set(key, row);
  }
  return [...out.values()].sort((a, b) => a.supplierId.localeCompare(b.supplierId) || a.currency.localeCompare(b.currency));
}

/** The texts of the suppliers' contracts active on `today` (those with a text). */
export async function activeContractTexts(
  database: Database,
  ids: readonly string[],
  today: string,
): Promise<ActiveContractText[]> {
  if (ids.length === 0) return [];
  return database.query<ActiveContractText>(
    `select supplier_id::text as "supplierId", id::text as "contractId", title, full_text as text
       from contracts
      where supplier_id = any($1::uuid[]) and status = 'active' and (end_date is null or end_date >= $2::date)
        and full_text is not null
      order by supplier_id, id`,
    [ids, today],
  );
}

/** The supplier whose external id is exactly `externalId`, if any. */
export async function supplierByExternalId(
  database: Database,
  externalId: string,
): Promise<{ id: string; name: string } | undefined> {
  const [row] = await database.query<{ id: string; name: string }>(
    'select id::text as id, name from suppliers where external_id = $1',
    [externalId],
  );
  return row;
}

const SIGNAL_COLUMNS = `r.id::text as id, r.external_id as "externalId", r.supplier_id::text as "supplierId",
  r.supplier_name as "supplierName", r.kind, r.severity::int as severity, r.title, r.detail, r.source,
  r.observed_at as "observedAt", r.created_at as "createdAt",
  case when s.id is null then null else json_build_object('name', s.name, 'status', s.status) end as supplier`;

type SignalSql = Omit<StoredSignal, 'observedAt' | 'createdAt'> & { observedAt: Date | string; createdAt: Date | string };

function signalRow(r: SignalSql): StoredSignal {
  const iso = (v: Date | string) => (v instanceof Date ? v.toISOString() : new Date(v).toISOString());
  return { ...r, severity: Number(r.severity), observedAt: iso(r.observedAt), createdAt: iso(r.createdAt) };
}

/**
 * Stores signals, each once per external id, in one transaction. Returns, in input order, the stored row and
 * whether it is new (false: a signal with that external id was already there, and it is returned unchanged).
 */
export async function insertSignals(
  database: Database,
  signals: readonly NewSignal[],
): Promise<{ signal: StoredSignal; created: boolean }[]> {
  if (signals.length === 0) return [];
  return database.transaction(async (tx) => {
    const out: { signal: StoredSignal; created: boolean }[] = [];
    for (const s of signals) {
      const [created] = await tx.query<{ id: string }>(
        `insert into risk_signals (external_id, supplier_id, supplier_name, kind, severity, title, detail, source,
           observed_at)
         values ($1, $2::uuid, $3, $4, $5, $6, $7, $8, $9::timestamptz)
         on conflict (external_id) do nothing returning id::text as id`,
        [s.externalId, s.supplierId, s.supplierName, s.kind, s.severity, s.title, s.detail, s.source, s.observedAt],
      );
      const [row] = await tx.query<SignalSql>(
        `select ${SIGNAL_COLUMNS} from risk_signals r left join suppliers s on s.id = r.supplier_id
          where r.external_id = $1`,
        [s.externalId],
      );
      out.push({ signal: signalRow(row!), created: created !== undefined });
    }
    return out;
  });
}

/** Signals observed after `since` (an ISO timestamp), newest first, with their suppliers. */
export async function signalsSince(q: Queryable, since: string): Promise<StoredSignal[]> {
  const rows = await q.query<SignalSql>(
    `select ${SIGNAL_COLUMNS} from risk_signals r left join suppliers s on s.id = r.supplier_id
      where r.observed_at > $1::timestamptz order by r.observed_at desc, r.id`,
    [since],
  );
  return rows.map(signalRow);
}

/** Attaches an unmatched signal to its supplier (only while it is still unmatched). */
export async function attachSignal(database: Database, signalId: string, supplierId: string): Promise<boolean> {
  const rows = await database.query<{ id: string }>(
    `update risk_signals set supplier_id = $2::uuid where id = $1::uuid and supplier_id is null returning id::text as id`,
    [signalId, supplierId],
  );
  return rows.length > 0;
}
