// Who could supply a category, from our own records: suppliers we paid for it, hold or held contracts for it, ordered
// it from, or whose master record names it; with the evidence a buyer weighs (spend, contracts, price compliance,
// three-way-match exceptions, receipts, risk signals, and our share of the category's spend with each).
import type { Database } from '../client.js';

export type CandidateEvidence = {
  supplierId: string;
  name: string;
  status: string;
  country: string | null;
  /** Where the candidate came from: spend, contract, order, master (the supplier record's own category). */
  sources: string[];
  currency: string | null;
  categorySpend12m: string;
  categorySpendAll: string;
  payments: number;
  lastPaid: string | null;
  categoryShare: string | null;
  activeContracts: { id: string; contractNumber: string | null; title: string; endDate: string | null }[];
  priceChecked: number;
  priceExceptions: number;
  invoices: number;
  matchExceptions: number;
  receiptLines: number;
  medianReceiptDays: number | null;
  maxSignalSeverity: number | null;
  signals: { kind: string; severity: number; title: string; observedAt: string }[];
};

/**
 * The LIKE pattern for a category and everything under it ("7211" → "7211%"). An eight-digit UNSPSC commodity is
 * searched in its class (its first six digits): suppliers are usually recorded against the class, and a supplier of
 * one commodity of a class can usually quote for its siblings.
 */
function prefixOf(code: string): string {
  const base = /^\d{8}$/.test(code) ? code.slice(0, 6) : code;
  return `${base.replace(/0+$/, '').replace(/[%_\\]/g, '') || base}%`;
}

/**
 * Candidates for a category (UNSPSC code, matched as a prefix with trailing zeros dropped) or, failing that, for
 * words found in spend descriptions and category names. `today` bounds the 12 months of spend and the signals.
 */
export async function candidateEvidence(
  database: Database,
  opts: { categoryCode?: string | null; words?: readonly string[]; today: string; limit: number; offset?: number },
): Promise<CandidateEvidence[]> {
  const pattern = opts.categoryCode ? prefixOf(opts.categoryCode) : null;
  const words = (opts.words ?? []).filter((w) => w.length >= 3).map((w) => `%${w.replace(/[%_\\]/g, '')}%`);
  if (!pattern && words.length === 0) return [];
  // Both parameters appear in either branch so the server can type them.
  const matchSpend = pattern
    ? // A line classified under the category, or an unclassified line paid to a supplier listed under it.
      `cardinality($2::text[]) >= 0 and (l.category_code like $1::text
         or (l.category_code is null and l.supplier_id in (select s0.id from suppliers s0 where s0.category_code like $1::text)))`
    : `$1::text = '' and (l.description ilike any($2::text[]) or l.category ilike any($2::text[]))`;
  const rows = await database.query<{
    supplier_id: string; name: string; status: string; country: string | null; sources: string[]; currency: string | null;
    spend12: string | null; spend_all: string | null; payments: number; last_paid: string | null; share: string | null;
    contracts: CandidateEvidence['activeContracts'] | null; checked: number; exceptions: number; invoices: number; match_exceptions: number;
    receipt_lines: number; median_days: number | null; max_severity: number | null; signals: CandidateEvidence['signals'] | null;
  }>(
    `with spend as (
       select l.supplier_id, l.currency, sum(l.amount) filter (where l.date > $3::date - 365 and l.date <= $3::date) as spend12,
              sum(l.amount) as spend_all, count(*)::int as payments, max(l.date)::text as last_paid
         from spend_lines l where ${matchSpend} group by 1, 2),
     top_currency as (select distinct on (supplier_id) supplier_id, currency, spend12, spend_all, payments, last_paid
                        from spend order by supplier_id, spend_all desc),
     category_total as (select currency, sum(spend12) as total from spend group by 1),
     contract_hits as (
       select c.supplier_id, c.id, c.contract_number, c.title, c.end_date, c.status
         from contracts c
        where c.supplier_id is not null
          and (${pattern ? `c.category_code like $1` : `c.title ilike any($2::text[])`})),
     order_hits as (
       select distinct p.supplier_id from purchase_orders p
        where ${pattern ? `p.category_code like $1` : `false`}),
     master_hits as (select s.id as supplier_id from suppliers s where ${pattern ? `s.category_code like $1` : `false`}),
     ids as (
       select supplier_id, 'spend' as src from spend
       union select supplier_id, 'contract' from contract_hits
       union select supplier_id, 'order' from order_hits
       union select supplier_id, 'master' from master_hits)
     select s.id::text as supplier_id, s.name, s.status, s.country,
            array_agg(distinct ids.src order by ids.src) as sources,
            tc.currency, tc.spend12::text as spend12, tc.spend_all::text as spend_all, coalesce(tc.payments, 0) as payments, tc.last_paid,
            case when ct.total > 0 then round(coalesce(tc.spend12, 0) / ct.total, 4)::text end as share,
            (select json_agg(json_build_object('id', h.id::text, 'contractNumber', h.contract_number, 'title', h.title, 'endDate', h.end_date::text))
               from contract_hits h where h.supplier_id = s.id and h.status = 'active' and (h.end_date is null or h.end_date >= $3::date)) as contracts,
            (select count(*)::int from invoice_lines il join invoices i on i.id = il.invoice_id
               join contract_prices cp on cp.contract_id in (select c2.id from contracts c2 where c2.supplier_id = s.id)
                and lower(cp.description) = lower(il.description) and cp.currency = i.currency
              where i.supplier_id = s.id) as checked,
            (select count(*)::int from invoice_lines il join invoices i on i.id = il.invoice_id
               join contract_prices cp on cp.contract_id in (select c2.id from contracts c2 where c2.supplier_id = s.id)
                and lower(cp.description) = lower(il.description) and cp.currency = i.currency
              where i.supplier_id = s.id and il.unit_price > cp.unit_price * 1.02) as exceptions,
            (select count(*)::int from invoices i where i.supplier_id = s.id) as invoices,
            (select count(distinct f.subject_id)::int from findings f where f.supplier_id = s.id and f.monitor = 'three-way-match') as match_exceptions,
            (select count(*)::int from goods_receipts g join purchase_order_lines pl on pl.id = g.po_line_id
               join purchase_orders p on p.id = pl.po_id where p.supplier_id = s.id) as receipt_lines,
            (select percentile_cont(0.5) within group (order by (g.received_on - p.order_date))
               from goods_receipts g join purchase_order_lines pl on pl.id = g.po_line_id
               join purchase_orders p on p.id = pl.po_id where p.supplier_id = s.id) as median_days,
            (select max(r.severity)::int from risk_signals r where r.supplier_id = s.id and r.observed_at > $3::date - 365) as max_severity,
            (select json_agg(json_build_object('kind', r.kind, 'severity', r.severity, 'title', r.title, 'observedAt', to_char(r.observed_at, 'YYYY-MM-DD'))
                      order by r.severity desc, r.observed_at desc)
               from risk_signals r where r.supplier_id = s.id and r.observed_at > $3::date - 365) as signals
       from ids join suppliers s on s.id = ids.supplier_id
       left join top_currency tc on tc.supplier_id = s.id
       left join category_total ct on ct.currency = tc.currency
      group by s.id, s.name, s.status, s.country, tc.currency, tc.spend12, tc.spend_all, tc.payments, tc.last_paid, ct.total
      order by coalesce(tc.spend12, 0) desc, coalesce(tc.spend_all, 0) desc, s.name, s.id
      limit $4 offset $5`,
    [pattern ?? '', words, opts.today, opts.limit, opts.offset ?? 0],
  );
  return rows.map((r) => ({
    supplierId: r.supplier_id,
    name: r.name,
    status: r.status,
    country: r.country,
    sources: r.sources,
    currency: r.currency,
    categorySpend12m: r.spend12 ?? '0',
    categorySpendAll: r.spend_all ?? '0',
    payments: Number(r.payments),
    lastPaid: r.last_paid,
    categoryShare: r.share,
    activeContracts: r.contracts ?? [],
    priceChecked: Number(r.checked),
    priceExceptions: Number(r.exceptions),
    invoices: Number(r.invoices),
    matchExceptions: Number(r.match_exceptions),
    receiptLines: Number(r.receipt_lines),
    medianReceiptDays: r.median_days === null ? null : Number(r.median_days),
    maxSignalSeverity: r.max_severity === null ? null : Number(r.max_severity),
    signals: (r.signals ?? []).slice(0, 5),
  }));
}
