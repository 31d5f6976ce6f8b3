// Anomalies measured against contracts: invoiced prices above the contracted price, and spend outside contract
// (with a supplier whose contract has lapsed, or in a category another supplier holds a live contract for).
import type { Database } from '../client.js';
import {
  type AnomalyOptions,
  type Evidence,
  type Finding,
  fileNameSql,
  paymentsForInvoices,
  spendConditions,
  spendEvidence,
  spendEvidenceColumns,
} from './spend-evidence.js';

type VarianceRow = {
  line_id: string;
  line_no: number;
  item: string;
  quantity: string;
  unit_price: string;
  line_amount: string;
  invoice_id: string;
  invoice_number: string;
  invoice_date: string;
  currency: string;
  supplier_id: string;
  supplier_name: string;
  source_file: string | null;
  price_id: string;
  sku: string | null;
  price_description: string;
  contract_price: string;
  contract_number: string | null;
  matched_by: 'sku' | 'description';
  variance_pct: string;
  at_stake: string;
  found: number;
};

// A contract's category code without its trailing "00" pairs: 44121600 → 441216, the prefix its subtree shares.
const codePrefix = (col: string) => `regexp_replace(${col}, '(00)+$', '')`;

// The item is matched by the SKU of the PO line the invoice line bills, else by identical description; only
// overcharges are reported, since an undercharge puts no money at stake.
/** Invoice lines priced above the contract price for the same supplier and item, beyond the tolerance. */
export async function findPriceVariances(
  database: Database,
  o: AnomalyOptions,
): Promise<{ findings: Finding[]; found: number }> {
  const params: unknown[] = [];
  const add = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where: string[] = [];
  if (o.filters.supplierId) where.push(`i.supplier_id = ${add(o.filters.supplierId)}::uuid`);
  if (o.filters.dateFrom) where.push(`i.invoice_date >= ${add(o.filters.dateFrom)}::date`);
  if (o.filters.dateTo) where.push(`i.invoice_date <= ${add(o.filters.dateTo)}::date`);
  if (o.filters.currency) where.push(`i.currency = ${add(o.filters.currency)}`);
  const tol = add(o.tolerancePct);
  const lim = add(o.limit);
  const rows = await database.query<VarianceRow>(
    `with v as (
       select il.id::text as line_id, il.line_no, il.description as item, il.quantity::text as quantity,
              il.unit_price::text as unit_price, il.amount::text as line_amount,
              i.id::text as invoice_id, i.invoice_number, i.invoice_date::text as invoice_date, i.currency::text as currency,
              i.supplier_id::text as supplier_id, sp.name as supplier_name, ${fileNameSql('ib.source_file')} as source_file,
              cp.id::text as price_id, cp.sku, cp.description as price_description, cp.unit_price::text as contract_price,
              cp.contract_number, cp.matched_by,
              round((il.unit_price - cp.unit_price) * 100 / cp.unit_price, 1) as pct,
              round((il.unit_price - cp.unit_price) * il.quantity, 4) as stake
         from invoice_lines il
         join invoices i on i.id = il.invoice_id
         join suppliers sp on sp.id = i.supplier_id
         left join import_batches ib on ib.id = i.batch_id
         left join purchase_order_lines pl on pl.po_id = i.po_id and pl.line_no = il.po_line_no
         join lateral (
           select p.id, p.sku, p.description, p.unit_price, c.contract_number,
                  case when pl.sku is not null and p.sku = pl.sku then 'sku' else 'description' end as matched_by
             from contracts c join contract_prices p on p.contract_id = c.id
            where c.supplier_id = i.supplier_id and p.currency = i.currency and c.status <> 'draft'
              and (c.start_date is null or c.start_date <= i.invoice_date)
              and (c.end_date is null or c.end_date >= i.invoice_date)
              and p.unit_price > 0
              and ((pl.sku is not null and p.sku = pl.sku) or lower(btrim(p.description)) = lower(btrim(il.description)))
            order by (pl.sku is not null and p.sku = pl.sku) desc, c.start_date desc nulls last, p.id
            limit 1) cp on true
        where il.unit_price > cp.unit_price * (1 + ${tol}::numeric / 100) ${where.length ? `and ${where.join(' and ')}` : ''})
     select v.*, v.pct::text as variance_pct, v.stake::text as at_stake, count(*) over ()::int as found
       from v order by v.stake desc, v.invoice_date desc limit ${lim}`,
    params,
  );
  const paid = await paymentsForInvoices(
    database,
    rows.map((r) => ({ supplierId: r.supplier_id, invoiceNumber: r.invoice_number })),
  );
  const findings = rows.map((r): Finding => {
    const line: Evidence = {
      source: 'invoice_line',
      id: r.line_id,
      date: r.invoice_date,
      amount: r.line_amount,
      currency: r.currency,
      invoiceNumber: r.invoice_number,
      reference: `line ${r.line_no}`,
      description: `${r.item}: ${r.quantity} at ${r.unit_price}`,
      sourceFile: r.source_file,
      sourceLine: null,
    };
    const price: Evidence = {
      source: 'contract_price',
      id: r.price_id,
      date: null,
      amount: r.contract_price,
      currency: r.currency,
      invoiceNumber: null,
      reference: [r.contract_number, r.sku].filter(Boolean).join(' / ') || null,
      description: r.price_description,
      sourceFile: null,
      sourceLine: null,
    };
    const pct = Number(r.variance_pct);
    return {
      kind: 'price_variance',
      // Grows with the size of the overcharge: 5% over is notable, 20% over is as strong as it gets.
      score: Math.round(Math.min(1, 0.5 + pct / 40) * 100) / 100,
      supplier: { id: r.supplier_id, name: r.supplier_name },
      amountAtStake: r.at_stake,
      currency: r.currency,
      details: {
        kind: 'price_variance',
        invoiceNumber: r.invoice_number,
        invoiceDate: r.invoice_date,
        item: r.item,
        quantity: r.quantity,
        invoicedPrice: r.unit_price,
        contractPrice: r.contract_price,
        variancePct: r.variance_pct,
        contractNumber: r.contract_number,
        matchedBy: r.matched_by,
      },
      evidence: [line, price, ...(paid.get(`${r.supplier_id}|${r.invoice_number}`) ?? [])],
    };
  });
  return { findings, found: Number(rows[0]?.found ?? 0) };
}

type OffContractRow = Record<string, unknown> & {
  reason: 'expired_contract' | 'other_supplier_contract';
  supplier_id: string;
  supplier_name: string;
  currency: string;
  at_stake: string;
  pay_date: string;
  category: string | null;
  contract_id: string;
  contract_number: string | null;
  contract_title: string;
  contract_supplier: string;
  contract_start: string | null;
  contract_end: string | null;
  contract_category: string | null;
  matched_code: string | null;
  matched_title: string | null;
  score: string;
  found: number;
};

// Two cases: payments to a supplier after its last contract ended (none covering the date), and payments in a
// category (its code, or its text equal to a UNSPSC title) overlapping one another supplier held a live contract
// for on the payment date, when the paid supplier had no such contract itself.
/** Off-contract spend: after the supplier's contract lapsed, or in a category another supplier is contracted for. */
export async function findOffContractSpend(
  database: Database,
  o: AnomalyOptions,
): Promise<{ findings: Finding[]; found: number }> {
  const params: unknown[] = [];
  const condExpired = spendConditions('s', o.filters, params);
  const condByTitle = spendConditions('s', o.filters, params);
  const condByCode = spendConditions('s', o.filters, params);
  params.push(o.limit);
  const lim = `$${params.length}`;
  // A contract is live on a date when it is not a draft and the date lies within its (possibly open) term.
  const live = (c: string, d: string) =>
    `${c}.status <> 'draft' and (${c}.start_date is null or ${c}.start_date <= ${d})
     and (${c}.end_date is null or ${c}.end_date >= ${d})`;
  const inTerm = (k: string, d: string) =>
    `${d} >= coalesce(${k}.start_date, '-infinity'::date) and ${d} <= coalesce(${k}.end_date, 'infinity'::date)`;
  const rows = await database.query<OffContractRow>(
    `with contracted as (
       select distinct supplier_id from contracts where supplier_id is not null and status <> 'draft'),
     expired as (
       select 'expired_contract' as reason, s.id as line_id, s.amount, k.id as contract_id, null::text as matched_code,
              0.85::numeric as score
         from contracted cs
         join spend_lines s on s.supplier_id = cs.supplier_id
         join lateral (
           select c.id from contracts c
            where c.supplier_id = s.supplier_id and c.status <> 'draft' and c.end_date < s.date
            order by c.end_date desc limit 1) k on true
        where ${condExpired}
          and not exists (select 1 from contracts c where c.supplier_id = s.supplier_id and ${live('c', 's.date')})),
     scoped as (
       select c.id, c.supplier_id, c.start_date, c.end_date, ${codePrefix('c.category_code')} as prefix
         from contracts c
        where c.supplier_id is not null and c.status <> 'draft' and c.category_code ~ '^[0-9]{2,8}$'),
     -- Every category code and title related to a contract's category: its subtree and its ancestors.
     related as (
       select k.id as contract_id, k.prefix as contract_prefix, g.code, lower(g.title) as title,
              ${codePrefix('g.code')} as prefix
         from scoped k join categories g
           on ${codePrefix('g.code')} like k.prefix || '%' or k.prefix like ${codePrefix('g.code')} || '%'),
     -- Payments matched to a related category by code, or (when they carry none) by category text = title.
     matches as (
       select s.id as line_id, s.amount, s.supplier_id, s.date, r.contract_id, r.contract_prefix, r.code, r.prefix
         from scoped k
         join spend_lines s on ${inTerm('k', 's.date')} and s.supplier_id <> k.supplier_id
         join related r on r.contract_id = k.id and r.title = lower(btrim(s.category))
        where s.category_code is null and ${condByTitle}
       union all
       select s.id, s.amount, s.supplier_id, s.date, r.contract_id, r.contract_prefix, r.code, r.prefix
         from scoped k
         join spend_lines s on ${inTerm('k', 's.date')} and s.supplier_id <> k.supplier_id
         join related r on r.contract_id = k.id and r.code = btrim(s.category_code)
        where s.category_code is not null and ${condByCode}),
     other as (
       select distinct on (m.line_id) 'other_supplier_contract' as reason, m.line_id, m.amount, m.contract_id,
              m.code as matched_code,
              -- As narrow as the contract's category or narrower: strong; broader (an ancestor): weaker.
              round(0.5 + 0.3 * least(1, length(m.prefix)::numeric / greatest(1, length(m.contract_prefix))), 2) as score
         from matches m
        where not exists (
            select 1 from scoped own
             where own.supplier_id = m.supplier_id and ${inTerm('own', 'm.date')}
               and (own.prefix like m.prefix || '%' or m.prefix like own.prefix || '%'))
        order by m.line_id, length(m.prefix) desc, m.contract_id),
     flagged as (select * from expired union all select * from other),
     ranked as (
       select f.*, count(*) over ()::int as found from flagged f order by f.score desc, f.amount desc, f.line_id limit ${lim})
     select r.reason, r.score::text as score, r.found, s.supplier_id::text as supplier_id, sp.name as supplier_name,
            s.currency::text as currency, s.amount::text as at_stake, s.date::text as pay_date, s.category,
            c.id::text as contract_id, c.contract_number, c.title as contract_title, cs.name as contract_supplier,
            c.start_date::text as contract_start, c.end_date::text as contract_end, c.category_code as contract_category,
            r.matched_code, g.title as matched_title, ${spendEvidenceColumns('s', 's_')}
       from ranked r
       join spend_lines s on s.id = r.line_id
       join suppliers sp on sp.id = s.supplier_id
       join contracts c on c.id = r.contract_id
       left join suppliers cs on cs.id = c.supplier_id
       left join categories g on g.code = r.matched_code
      order by r.score desc, r.amount desc, s.id`,
    params,
  );
  const findings = rows.map((r): Finding => {
    const contract: Evidence = {
      source: 'contract',
      id: r.contract_id,
      date: r.contract_end ?? r.contract_start,
      amount: null,
      currency: null,
      invoiceNumber: null,
      reference: r.contract_number,
      description: r.contract_title,
      sourceFile: null,
      sourceLine: null,
    };
    return {
      kind: 'off_contract',
      score: Number(r.score),
      supplier: { id: r.supplier_id, name: r.supplier_name },
      amountAtStake: r.at_stake,
      currency: r.currency,
      details: {
        kind: 'off_contract',
        reason: r.reason,
        paymentDate: r.pay_date,
        category: r.category,
        contractNumber: r.contract_number,
        contractTitle: r.contract_title,
        contractSupplier: r.contract_supplier,
        contractEnd: r.contract_end,
        contractCategory: r.contract_category,
        matchedCode: r.matched_code,
        matchedTitle: r.matched_title,
      },
      evidence: [spendEvidence(r, 's_'), contract],
    };
  });
  return { findings, found: Number(rows[0]?.found ?? 0) };
}
