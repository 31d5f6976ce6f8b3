// Reads about supplier records for the supplier tools: master data, aliases, spend per currency (total, by
// window, by category), contracts, open purchase orders, unpaid invoices, risk signals, and the master list that
// duplicate detection compares. Amounts come back as decimal strings; every total is per currency.
import type { Database } from '../client.js';

/** A supplier master record. */
export type SupplierRecordRow = {
  id: string;
  externalId: string | null;
  name: string;
  normalizedName: string;
  country: string | null;
  taxId: string | null;
  categoryCode: string | null;
  email: string | null;
  status: string;
  createdAt: string;
};

/** An amount in one currency. */
export type MoneyTotal = { currency: string; total: string; count: number };

/** A supplier's spend in one currency: all time, the 12 months to today, and the 12 months before. */
export type SpendWindows = {
  currency: string;
  total: string;
  count: number;
  last12Months: string;
  last12Count: number;
  prior12Months: string;
  firstDate: string | null;
  lastDate: string | null;
};

export type CategorySpend = { category: string; currency: string; total: string; count: number };

export type ContractRow = {
  contractNumber: string | null;
  title: string;
  status: string;
  startDate: string | null;
  endDate: string | null;
  value: string | null;
  currency: string | null;
  noticePeriodDays: number | null;
  autoRenew: boolean | null;
};

export type PurchaseOrderRow = { poNumber: string; status: string; orderDate: string; currency: string; total: string };

export type InvoiceRow = {
  invoiceNumber: string;
  status: string;
  invoiceDate: string;
  dueDate: string | null;
  currency: string;
  total: string;
};

export type RiskSignalRow = {
  kind: string;
  severity: number;
  title: string;
  detail: string | null;
  source: string | null;
  observedAt: string;
};

/** What duplicate detection compares for every supplier. */
export type SupplierMasterRow = {
  id: string;
  name: string;
  normalizedName: string;
  taxId: string | null;
  email: string | null;
  country: string | null;
  status: string;
  aliases: string[];
  spendLines: number;
};

type SupplierSql = {
  id: string;
  external_id: string | null;
  name: string;
  normalized_name: string;
  country: string | null;
  tax_id: string | null;
  category_code: string | null;
  email: string | null;
  status: string;
  created_at: string;
};

const SUPPLIER_COLUMNS = `id::text as id, external_id, name, normalized_name, country, tax_id, category_code, email, status,
  created_at::text as created_at`;

function supplierRow(r: SupplierSql): SupplierRecordRow {
  return {
    id: r.id,
    externalId: r.external_id,
    name: r.name,
    normalizedName: r.normalized_name,
    country: r.country,
    taxId: r.tax_id,
    categoryCode: r.category_code,
    email: r.email,
    status: r.status,
    createdAt: r.created_at,
  };
}

/** The master records with these ids, in no particular order. */
export async function suppliersByIds(database: Database, ids: readonly string[]): Promise<SupplierRecordRow[]> {
  if (ids.length === 0) return [];
  const rows = await database.query<SupplierSql>(
    `select ${SUPPLIER_COLUMNS} from suppliers where id = any($1::uuid[])`,
    [ids],
  );
  return rows.map(supplierRow);
}

/** Every spelling recorded for a supplier, its own name excluded. */
export async function supplierAliases(database: Database, id: string): Promise<{ name: string; source: string }[]> {
  return database.query<{ name: string; source: string }>(
    `select a.name, a.source from supplier_aliases a join suppliers s on s.id = a.supplier_id
     where a.supplier_id = $1::uuid and a.name <> s.name order by a.name`,
    [id],
  );
}

/** All-time spend per supplier and currency, for several suppliers at once. */
export async function spendTotalsBySupplier(
  database: Database,
  ids: readonly string[],
): Promise<Map<string, MoneyTotal[]>> {
  const out = new Map<string, MoneyTotal[]>();
  if (ids.length === 0) return out;
  const rows = await database.query<{ supplier_id: string; currency: string; total: string; count: number }>(
    `select supplier_id::text as supplier_id, currency, sum(amount)::text as total, count(*)::int as count
     from spend_lines where supplier_id = any($1::uuid[]) group by 1, 2 order by 1, 2`,
    [ids],
  );
  for (const r of rows) {
    const list = out.get(r.supplier_id) ?? [];
    list.push({ currency: r.currency, total: r.total, count: Number(r.count) });
    out.set(r.supplier_id, list);
  }
  return out;
}

/**
 * A supplier's spend per currency: all time, the 12 months ending `today` (after `yearAgo`, up to and including
 * `today`), and the 12 months before that (after `twoYearsAgo`, up to and including `yearAgo`).
 */
export async function supplierSpendWindows(
  database: Database,
  id: string,
  dates: { today: string; yearAgo: string; twoYearsAgo: string },
): Promise<SpendWindows[]> {
  const rows = await database.query<{
    currency: string;
    total: string;
    count: number;
    last12: string;
    last12_count: number;
    prior12: string;
    first_date: string | null;
    last_date: string | null;
  }>(
    `select currency, sum(amount)::text as total, count(*)::int as count,
       coalesce(sum(amount) filter (where date > $3::date and date <= $2::date), 0)::text as last12,
       (count(*) filter (where date > $3::date and date <= $2::date))::int as last12_count,
       coalesce(sum(amount) filter (where date > $4::date and date <= $3::date), 0)::text as prior12,
       min(date)::text as first_date, max(date)::text as last_date
     from spend_lines where supplier_id = $1::uuid group by currency order by currency`,
    [id, dates.today, dates.yearAgo, dates.twoYearsAgo],
  );
  return rows.map((r) => ({
    currency: r.currency,
    total: r.total,
    count: Number(r.count),
    last12Months: r.last12,
    last12Count: Number(r.last12_count),
    prior12Months: r.prior12,
    firstDate: r.first_date,
    lastDate: r.last_date,
  }));
}

/** A supplier's largest spend categories (category text, else code), per currency, largest first. */
export async function supplierTopCategories(database: Database, id: string, limit: number): Promise<CategorySpend[]> {
  const rows = await database.query<{ category: string; currency: string; total: string; count: number }>(
    `select coalesce(nullif(category, ''), category_code, 'uncategorised') as category, currency,
       sum(amount)::text as total, count(*)::int as count
     from spend_lines where supplier_id = $1::uuid
     group by 1, 2 order by sum(amount) desc, 1 limit $2`,
    [id, limit],
  );
  return rows.map((r) => ({ category: r.category, currency: r.currency, total: r.total, count: Number(r.count) }));
}

/** A supplier's contracts, latest ending first. */
export async function supplierContracts(database: Database, id: string): Promise<ContractRow[]> {
  const rows = await database.query<{
    contract_number: string | null;
    title: string;
    status: string;
    start_date: string | null;
    end_date: string | null;
    value: string | null;
    currency: string | null;
    notice_period_days: number | null;
    auto_renew: boolean | null;
  }>(
    `select contract_number, title, status, start_date::text as start_date, end_date::text as end_date,
       value::text as value, currency, notice_period_days::int as notice_period_days, auto_renew
     from contracts where supplier_id = $1::uuid order by end_date desc nulls first, contract_number`,
    [id],
  );
  return rows.map((r) => ({
    contractNumber: r.contract_number,
    title: r.title,
    status: r.status,
    startDate: r.start_date,
    endDate: r.end_date,
    value: r.value,
    currency: r.currency,
    noticePeriodDays: r.notice_period_days === null ? null : Number(r.notice_period_days),
    autoRenew: r.auto_renew,
  }));
}

/** A supplier's purchase orders still awaiting goods (open or partially received), oldest first. */
export async function supplierOpenPurchaseOrders(database: Database, id: string): Promise<PurchaseOrderRow[]> {
  const rows = await database.query<{
    po_number: string;
    status: string;
    order_date: string;
    currency: string;
    total: string;
  }>(
    `select po_number, status, order_date::text as order_date, currency, total::text as total
     from purchase_orders where supplier_id = $1::uuid and status in ('open', 'partially_received')
     order by order_date, po_number`,
    [id],
  );
  return rows.map((r) => ({
    poNumber: r.po_number,
    status: r.status,
    orderDate: r.order_date,
    currency: r.currency,
    total: r.total,
  }));
}

/** A supplier's invoices not yet paid or rejected, oldest first. */
export async function supplierUnpaidInvoices(database: Database, id: string): Promise<InvoiceRow[]> {
  const rows = await database.query<{
    invoice_number: string;
    status: string;
    invoice_date: string;
    due_date: string | null;
    currency: string;
    total: string;
  }>(
    `select invoice_number, status, invoice_date::text as invoice_date, due_date::text as due_date, currency,
       total::text as total
     from invoices where supplier_id = $1::uuid and status not in ('paid', 'rejected')
     order by invoice_date, invoice_number`,
    [id],
  );
  return rows.map((r) => ({
    invoiceNumber: r.invoice_number,
    status: r.status,
    invoiceDate: r.invoice_date,
    dueDate: r.due_date,
    currency: r.currency,
    total: r.total,
  }));
}

/** Risk signals recorded against a supplier, most severe and most recent first. */
export async function supplierRiskSignals(database: Database, id: string): Promise<RiskSignalRow[]> {
  const rows = await database.query<{
    kind: string;
    severity: number;
    title: string;
    detail: string | null;
    source: string | null;
    observed_at: string;
  }>(
    `select kind, severity::int as severity, title, detail, source, observed_at::text as observed_at
     from risk_signals where supplier_id = $1::uuid order by severity desc, observed_at desc limit 50`,
    [id],
  );
  return rows.map((r) => ({
    kind: r.kind,
    severity: Number(r.severity),
    title: r.title,
    detail: r.detail,
    source: r.source,
    observedAt: r.observed_at,
  }));
}

/** Every supplier with its aliases and how many spend lines it has, for duplicate detection. */
export async function supplierMasterList(database: Database): Promise<SupplierMasterRow[]> {
  const rows = await database.query<{
    id: string;
    name: string;
    normalized_name: string;
    tax_id: string | null;
    email: string | null;
    country: string | null;
    status: string;
    aliases: string[] | null;
    spend_lines: number;
  }>(
    `select s.id::text as id, s.name, s.normalized_name, s.tax_id, s.email, s.country, s.status, a.aliases,
       coalesce(c.n, 0)::int as spend_lines
     from suppliers s
     left join (select supplier_id, array_agg(distinct normalized_name) as aliases from supplier_aliases
                group by supplier_id) a on a.supplier_id = s.id
     left join (select supplier_id, count(*) as n from spend_lines group by supplier_id) c on c.supplier_id = s.id
     order by s.created_at, s.id`,
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    normalizedName: r.normalized_name,
    taxId: r.tax_id,
    email: r.email,
    country: r.country,
    status: r.status,
    aliases: r.aliases ?? [],
    spendLines: Number(r.spend_lines),
  }));
}
