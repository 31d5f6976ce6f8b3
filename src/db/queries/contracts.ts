// Contract questions: finding contracts, their details and text, upcoming expiry and notice deadlines, and
// invoiced prices checked against contracted prices. Dates come back as ISO strings, money as decimal strings.
import type { Database } from '../client.js';

export type ContractSummary = {
  id: string;
  contractNumber: string | null;
  title: string;
  supplierId: string | null;
  supplierName: string | null;
  status: string;
  startDate: string | null;
  endDate: string | null;
  value: string | null;
  currency: string | null;
  noticePeriodDays: number | null;
  autoRenew: boolean | null;
  renewalTerm: string | null;
  categoryCode: string | null;
  /** End date minus the notice period, when both are known. */
  noticeDeadline: string | null;
  hasText: boolean;
};

export type ContractFilters = {
  supplierId?: string;
  /** Words that must all appear in the number, title or full text (any case). */
  words?: readonly string[];
  status?: string;
  /** A category code prefix, or words of the category's title. */
  category?: string;
  /** Ends on or before this ISO date. */
  endsBefore?: string;
  limit: number;
  offset: number;
};

// Money as stored has four decimals: shown with two unless the extra places carry a value.
const money = (expr: string) => `case when ${expr} = round(${expr}, 2) then round(${expr}, 2)::text else trim_scale(${expr})::text end`;

const SUMMARY_COLUMNS = `
  c.id::text as "id", c.contract_number as "contractNumber", c.title, c.supplier_id::text as "supplierId",
  s.name as "supplierName", c.status, c.start_date::text as "startDate", c.end_date::text as "endDate",
  ${money('c.value')} as "value", trim(c.currency) as "currency", c.notice_period_days as "noticePeriodDays",
  c.auto_renew as "autoRenew", c.renewal_term as "renewalTerm", c.category_code as "categoryCode",
  (c.end_date - c.notice_period_days)::text as "noticeDeadline", (c.full_text is not null) as "hasText"`;

// The filters of findContracts over contracts c: $1 supplier id, $2 words, $3 status, $4 category, $5 ends before.
const FILTERS = `($1::uuid is null or c.supplier_id = $1::uuid)
        and ($2::text[] is null or not exists (
              select 1 from unnest($2::text[]) w
               where strpos(lower(coalesce(c.contract_number, '') || ' ' || c.title), w) = 0
                 and strpos(lower(coalesce(c.full_text, '')), w) = 0))
        and ($3::text is null or c.status = $3)
        and ($4::text is null or starts_with(coalesce(c.category_code, ''), $4)
             or exists (select 1 from categories k where k.code = c.category_code and strpos(lower(k.title), lower($4)) > 0))
        and ($5::date is null or c.end_date <= $5::date)`;

/** Contracts matching the filters, ending soonest first, with the total number that match. */
export async function findContracts(
  database: Database,
  f: ContractFilters,
): Promise<{ contracts: (ContractSummary & { excerpt: string | null })[]; total: number }> {
  const words = (f.words ?? []).map((w) => w.toLowerCase()).filter((w) => w !== '');
  const params = [f.supplierId ?? null, words.length > 0 ? words : null, f.status ?? null, f.category ?? null, f.endsBefore ?? null];
  const rows = await database.query<ContractSummary & { excerpt: string | null; total: number }>(
    `select ${SUMMARY_COLUMNS},
            case when $2::text[] is null or cardinality($2::text[]) = 0 or c.full_text is null then null
                 else nullif(substr(c.full_text, greatest(1, strpos(lower(c.full_text), ($2::text[])[1]) - 80), 240), '') end
              as "excerpt",
            count(*) over ()::int as "total"
       from contracts c
       left join suppliers s on s.id = c.supplier_id
      where ${FILTERS}
      order by c.end_date asc nulls last, c.contract_number asc nulls last, c.title, c.id
      limit $6 offset $7`,
    [...params, f.limit, f.offset],
  );
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && f.offset > 0) {
    // Paged past the end: still say how many there are, under the same filters.
    const [count] = await database.query<{ n: number }>(`select count(*)::int as n from contracts c where ${FILTERS}`, params);
    total = count?.n ?? 0;
  }
  return { contracts: rows.map(({ total: _t, ...c }) => c), total };
}

/** The contract with this id or contract number (any case), if there is one. */
export async function contractByRef(database: Database, ref: string): Promise<ContractSummary | undefined> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
  const rows = await database.query<ContractSummary>(
    `select ${SUMMARY_COLUMNS}
       from contracts c left join suppliers s on s.id = c.supplier_id
      where ${isUuid ? 'c.id = $1::uuid' : 'lower(c.contract_number) = lower($1)'}
      limit 1`,
    [ref],
  );
  return rows[0];
}

export type ContractCandidate = { id: string; contractNumber: string | null; title: string; supplierName: string | null };

/** Contracts whose number, title or supplier shares a word with `ref`: the pool closest matches are ranked from. */
export async function contractCandidates(database: Database, ref: string, limit = 200): Promise<ContractCandidate[]> {
  const words = ref
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 3)
    .slice(0, 10);
  if (words.length === 0) return [];
  return database.query<ContractCandidate>(
    `select c.id::text as "id", c.contract_number as "contractNumber", c.title, s.name as "supplierName"
       from contracts c left join suppliers s on s.id = c.supplier_id
      where exists (select 1 from unnest($1::text[]) w
                     where strpos(lower(coalesce(c.contract_number, '') || ' ' || c.title || ' ' || coalesce(s.name, '')), w) > 0)
      order by c.contract_number nulls last, c.title
      limit $2`,
    [words, limit],
  );
}

export type ContractPrice = {
  sku: string | null;
  description: string;
  unit: string | null;
  unitPrice: string;
  currency: string;
  categoryCode: string | null;
};
export type StoredClause = { kind: string; text: string; value: string | null; start: number | null; end: number | null };

/** A contract's contracted prices and the clauses stored at import, in text order. */
export async function contractParts(
  database: Database,
  contractId: string,
): Promise<{ prices: ContractPrice[]; clauses: StoredClause[]; textLength: number | null }> {
  const prices = await database.query<ContractPrice>(
    `select sku, description, unit, ${money('unit_price')} as "unitPrice", trim(currency) as "currency",
            category_code as "categoryCode"
       from contract_prices where contract_id = $1::uuid order by sku nulls last, description`,
    [contractId],
  );
  const clauses = await database.query<StoredClause>(
    `select kind, text, value, start_offset as "start", end_offset as "end"
       from contract_clauses where contract_id = $1::uuid order by start_offset nulls last, id`,
    [contractId],
  );
  const [len] = await database.query<{ n: number | null }>('select length(full_text)::int as n from contracts where id = $1::uuid', [
    contractId,
  ]);
  return { prices, clauses, textLength: len?.n ?? null };
}

/** A contract's full text (null when none is stored). */
export async function contractText(database: Database, contractId: string): Promise<string | null> {
  const [row] = await database.query<{ full_text: string | null }>('select full_text from contracts where id = $1::uuid', [contractId]);
  return row?.full_text ?? null;
}

/** Contracts that have a stored text, for listing them as resources (at most `limit`). */
export async function contractsWithText(
  database: Database,
  limit: number,
): Promise<{ id: string; contractNumber: string | null; title: string; length: number }[]> {
  return database.query(
    `select id::text as "id", contract_number as "contractNumber", title, length(full_text)::int as "length"
       from contracts where full_text is not null order by contract_number nulls last, title limit $1`,
    [limit],
  );
}

/**
 * Live contracts (not expired or terminated) whose end date or notice deadline falls between `from` and `to`
 * (inclusive ISO dates), earliest deadline first.
 */
export async function contractDeadlines(
  database: Database,
  opts: { from: string; to: string; supplierId?: string; limit: number; offset?: number },
): Promise<{ contracts: ContractSummary[]; total: number }> {
  const offset = opts.offset ?? 0;
  const rows = await database.query<ContractSummary & { total: number; firstDeadline: string }>(
    `select d.*, count(*) over ()::int as "total" from (
       select ${SUMMARY_COLUMNS},
              least(case when c.end_date - c.notice_period_days >= $1::date then c.end_date - c.notice_period_days end,
                    c.end_date)::text as "firstDeadline"
         from contracts c left join suppliers s on s.id = c.supplier_id
        where c.status in ('active', 'draft')
          and ($3::uuid is null or c.supplier_id = $3::uuid)
          and c.end_date >= $1::date
          and (c.end_date <= $2::date
               or (c.notice_period_days is not null and c.end_date - c.notice_period_days between $1::date and $2::date))
     ) d
     order by d."firstDeadline", d."contractNumber" nulls last, d."id"
     limit $4 offset $5`,
    [opts.from, opts.to, opts.supplierId ?? null, opts.limit, offset],
  );
  // Paged past the end: the first page still says how many there are.
  if (rows.length === 0 && offset > 0) return { contracts: [], total: (await contractDeadlines(database, { ...opts, limit: 1, offset: 0 })).total };
  return { contracts: rows.map(({ total: _t, firstDeadline: _f, ...c }) => c), total: rows[0]?.total ?? 0 };
}

export type PriceCheckFilters = {
  supplierId?: string;
  contractId?: string;
  /** Inclusive ISO invoice dates. */
  dateFrom?: string;
  dateTo?: string;
  /** Allowed difference from the contracted price, in percent, as a decimal string. */
  tolerancePct: string;
  limit: number;
  offset?: number;
};

export type PriceCheckLine = {
  invoiceNumber: string;
  invoiceDate: string;
  supplierId: string;
  supplierName: string;
  poNumber: string | null;
  lineNo: number;
  description: string;
  sku: string | null;
  quantity: string;
  invoicedPrice: string;
  contractedPrice: string;
  currency: string;
  contractId: string;
  contractNumber: string | null;
  matchedBy: 'sku' | 'description';
  /** Invoiced minus contracted, per unit. */
  varianceUnit: string;
  /** The per-unit variance times the quantity. */
  varianceTotal: string;
  variancePct: string;
  withinTolerance: boolean;
};

/**
 * Invoice lines compared with the contracted price of the same supplier's item: matched by the SKU of the PO line
 * they bill, else by the normalised description; the PO's own contract, then a contract in force on the invoice
 * date, is preferred. Exceptions (outside the tolerance) come first, largest variance first. Also counts the
 * lines in scope that no contracted price matched.
 */
export async function checkInvoicedPrices(
  database: Database,
  f: PriceCheckFilters,
): Promise<{ lines: PriceCheckLine[]; checked: number; exceptions: number; unmatched: number }> {
  const params = [f.supplierId ?? null, f.contractId ?? null, f.dateFrom ?? null, f.dateTo ?? null, f.tolerancePct, f.limit, f.offset ?? 0];
  const matched = `
    with scope as (
      select il.id, il.line_no, il.description, il.quantity, il.unit_price, i.invoice_number, i.invoice_date,
             i.supplier_id, trim(i.currency) as currency, i.po_number, p.contract_id as po_contract, pl.sku,
             btrim(regexp_replace(lower(il.description), '[^a-z0-9]+', ' ', 'g')) as norm
        from invoice_lines il
        join invoices i on i.id = il.invoice_id
        left join purchase_orders p on p.id = i.po_id
        left join purchase_order_lines pl on pl.po_id = i.po_id and pl.line_no = il.po_line_no
       where ($1::uuid is null or i.supplier_id = $1::uuid)
         and ($3::date is null or i.invoice_date >= $3::date)
         and ($4::date is null or i.invoice_date <= $4::date)
    ),
    matched as (
      select distinct on (x.id) x.*, cp.unit_price as contracted, c.id as contract_id, c.contract_number,
             case when x.sku is not null and upper(x.sku) = upper(cp.sku) then 'sku' else 'description' end as matched_by
        from scope x
        join contracts c on c.supplier_id = x.supplier_id
        join contract_prices cp on cp.contract_id = c.id and trim(cp.currency) = x.currency
       where ($2::uuid is null or c.id = $2::uuid)
         and ((x.sku is not null and upper(x.sku) = upper(cp.sku))
              or x.norm = btrim(regexp_replace(lower(cp.description), '[^a-z0-9]+', ' ', 'g')))
       order by x.id,
                (x.sku is not null and upper(x.sku) = upper(cp.sku)) desc,
                (c.id = x.po_contract) desc nulls last,
                (coalesce(c.start_date, x.invoice_date) <= x.invoice_date and coalesce(c.end_date, x.invoice_date) >= x.invoice_date) desc,
                c.start_date desc nulls last
    ),
    judged as (
      select m.*, m.unit_price - m.contracted as diff,
             abs(m.unit_price - m.contracted) <= m.contracted * $5::numeric / 100 as within
        from matched m
    )`;
  const lines = await database.query<PriceCheckLine>(
    `${matched}
     select j.invoice_number as "invoiceNumber", j.invoice_date::text as "invoiceDate", j.supplier_id::text as "supplierId",
            s.name as "supplierName", j.po_number as "poNumber", j.line_no as "lineNo", j.description, j.sku,
            trim_scale(j.quantity)::text as "quantity", ${money('j.unit_price')} as "invoicedPrice",
            ${money('j.contracted')} as "contractedPrice", j.currency, j.contract_id::text as "contractId",
            j.contract_number as "contractNumber", j.matched_by as "matchedBy", ${money('j.diff')} as "varianceUnit",
            ${money('(j.diff * j.quantity)')} as "varianceTotal",
            (case when j.contracted = 0 then null else round(j.diff * 100 / j.contracted, 2) end)::text as "variancePct",
            j.within as "withinTolerance"
       from judged j join suppliers s on s.id = j.supplier_id
      order by j.within asc, abs(case when j.contracted = 0 then 0 else j.diff / j.contracted end) desc, j.invoice_date, j.invoice_number, j.line_no, j.id
      limit $6 offset $7`,
    params,
  );
  const [counts] = await database.query<{ checked: number; exceptions: number; unmatched: number }>(
    `${matched}
     select (select count(*) from judged)::int as checked,
            (select count(*) from judged where not within)::int as exceptions,
            (select count(*) from scope where $2::uuid is null and id not in (select id from matched))::int as unmatched`,
    params.slice(0, 5),
  );
  return { lines, checked: counts?.checked ?? 0, exceptions: counts?.exceptions ?? 0, unmatched: counts?.unmatched ?? 0 };
}
