// Spend anomalies found in SQL: duplicate payments (payment pairs and invoice pairs) and split purchases. Pairs
// are found set-based (sorts and windows bounded by the date window, never a comparison of every payment with
// every other), and scored in SQL so only the strongest leave the database.
import type { Database } from '../client.js';
import { findOffContractSpend, findPriceVariances } from './spend-contract-anomalies.js';
import {
  type AnomalyOptions,
  type AnomalyKind,
  type Evidence,
  type Finding,
  fileNameSql,
  paymentsForInvoices,
  spendConditions,
  spendEvidence,
  spendEvidenceColumns,
} from './spend-evidence.js';

export type AnomalyReport = { findings: Finding[]; found: Record<AnomalyKind, number> };

// Invoice numbers compared without punctuation, case or leading zeros: "APX-7781" = "apx 7781" = "0APX7781".
const normInvoice = (col: string) => `ltrim(upper(translate(coalesce(${col}, ''), ' -_/.#:\\', '')), '0')`;

// 'same' | 'similar' (one is the other plus a one- or two-character suffix, e.g. APX7781 / APX7781A)
// | 'missing' (either side has none) | 'different'.
function invoiceRelation(a: string, b: string): string {
  const na = normInvoice(a);
  const nb = normInvoice(b);
  return `case
      when nullif(btrim(${a}), '') is null or nullif(btrim(${b}), '') is null then 'missing'
      when ${na} = ${nb} then 'same'
      when (length(${nb}) - length(${na}) between 1 and 2 and left(${nb}, length(${na})) = ${na})
        or (length(${na}) - length(${nb}) between 1 and 2 and left(${na}, length(${nb})) = ${nb}) then 'similar'
      else 'different' end`;
}

// Equal amounts weigh most; a shared or near-identical invoice number is near-proof, two different invoice
// numbers argue for two genuine bills (recurring charges), so they pull the score down.
const PAIR_SCORE = `least(1, greatest(0,
    (case when amount_equal then 0.45 else 0.30 end)
  + (case when days = 0 then 0.15 when days <= 3 then 0.10 else 0.05 end)
  + (case relation when 'same' then 0.40 when 'similar' then 0.30 when 'missing' then 0.10 else -0.20 end)))`;

type PairRow = Record<string, unknown> & {
  supplier_id: string;
  supplier_name: string;
  currency: string;
  days: number;
  amount_equal: boolean;
  relation: 'same' | 'similar' | 'missing' | 'different';
  score: string;
  at_stake: string;
  found: number;
};

// Amounts mapped so that "near" is about one unit everywhere: below 200 the tolerance is 1.00, above it 0.5%, and
// 200 + 200·ln(x/200) turns a 0.5% ratio into ~1.0 while joining the linear part smoothly at 200.
const NEAR_SCALE = `case when s.amount < 200 then s.amount else 200 + 200 * ln(s.amount / 200) end`;

async function duplicatePayments(database: Database, o: AnomalyOptions, cap: number): Promise<{ rows: PairRow[] }> {
  const params: unknown[] = [];
  const cond = spendConditions('s', o.filters, params);
  params.push(o.windowDays, o.minScore, cap);
  const [win, min, lim] = [params.length - 2, params.length - 1, params.length].map((i) => `$${i}`);
  // Candidate pairs come from sorting, not from probing: payments are bucketed by supplier, currency and scaled
  // amount (buckets 2.2 wide, on two grids offset by half a bucket, so any near pair shares a bucket on one of
  // them), and a window over each bucket's payments in date order collects those within the window. The work is
  // two sorts of the payments in range, however many payments a supplier receives per window.
  const frame = `order by date range between current row and make_interval(days => ${win}::int) following`;
  const rows = await database.query<PairRow>(
    `with base as materialized (
       select s.id, s.supplier_id, s.currency, s.date, s.amount, s.invoice_number, ${NEAR_SCALE} as f
         from spend_lines s where s.amount > 0 and ${cond}),
     windows as (
       select id as a_id, array_agg(id) over (partition by supplier_id, currency, floor(f / 2.2) ${frame}) as ids
         from base
       union all
       select id, array_agg(id) over (partition by supplier_id, currency, floor((f + 1.1) / 2.2) ${frame})
         from base),
     candidates as (
       select distinct w.a_id, b_id from windows w cross join lateral unnest(w.ids) as b_id
        where cardinality(w.ids) > 1 and b_id <> w.a_id),
     pairs as (
       select a.id as a_id, b.id as b_id, a.supplier_id, a.currency::text as currency, (b.date - a.date)::int as days,
              a.amount = b.amount as amount_equal, least(a.amount, b.amount) as at_stake,
              ${invoiceRelation('a.invoice_number', 'b.invoice_number')} as relation
         from candidates c join base a on a.id = c.a_id join base b on b.id = c.b_id
        where (b.date > a.date or (b.date = a.date and b.id > a.id))
          and abs(b.amount - a.amount) <= greatest(1.00, a.amount * 0.005)),
     scored as (select p.*, round(${PAIR_SCORE}, 2) as score from pairs p),
     top as (
       select s.*, count(*) over ()::int as found from scored s where s.score >= ${min}::numeric
        order by s.score desc, s.at_stake desc, s.a_id desc limit ${lim})
     select t.currency, t.days, t.amount_equal, t.relation, t.score::text as score, t.at_stake::text as at_stake,
            t.found, t.supplier_id::text as supplier_id, sp.name as supplier_name,
            ${spendEvidenceColumns('a', 'a_')}, ${spendEvidenceColumns('b', 'b_')}
       from top t
       join spend_lines a on a.id = t.a_id
       join spend_lines b on b.id = t.b_id
       join suppliers sp on sp.id = t.supplier_id
      order by t.score desc, t.at_stake desc, t.a_id desc`,
    params,
  );
  return { rows };
}

type InvoicePairRow = {
  supplier_id: string;
  supplier_name: string;
  currency: string;
  days: number;
  amount_equal: boolean;
  relation: 'same' | 'similar' | 'missing' | 'different';
  score: string;
  at_stake: string;
  found: number;
  a_id: string;
  a_number: string;
  a_date: string;
  a_total: string;
  a_file: string | null;
  b_id: string;
  b_number: string;
  b_date: string;
  b_total: string;
  b_file: string | null;
};

async function duplicateInvoices(database: Database, o: AnomalyOptions, cap: number): Promise<InvoicePairRow[]> {
  const params: unknown[] = [];
  const where: string[] = ['a.total > 0'];
  const add = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (o.filters.supplierId) where.push(`a.supplier_id = ${add(o.filters.supplierId)}::uuid`);
  if (o.filters.dateFrom) where.push(`a.invoice_date >= ${add(o.filters.dateFrom)}::date`);
  if (o.filters.dateTo) where.push(`b.invoice_date <= ${add(o.filters.dateTo)}::date`);
  if (o.filters.currency) where.push(`a.currency = ${add(o.filters.currency)}`);
  const win = add(o.windowDays);
  const min = add(o.minScore);
  const lim = add(cap);
  return database.query<InvoicePairRow>(
    `with pairs as (
       select a.supplier_id, a.currency::text as currency, (b.invoice_date - a.invoice_date)::int as days,
              a.total = b.total as amount_equal, least(a.total, b.total) as at_stake,
              ${invoiceRelation('a.invoice_number', 'b.invoice_number')} as relation,
              a.id::text as a_id, a.invoice_number as a_number, a.invoice_date::text as a_date, a.total::text as a_total,
              ${fileNameSql('ba.source_file')} as a_file,
              b.id::text as b_id, b.invoice_number as b_number, b.invoice_date::text as b_date, b.total::text as b_total,
              ${fileNameSql('bb.source_file')} as b_file
         from invoices a
         cross join lateral (
           select b.* from invoices b
            where b.supplier_id = a.supplier_id and b.currency = a.currency
              and b.invoice_date >= a.invoice_date and b.invoice_date <= a.invoice_date + ${win}::int
              and (b.invoice_date > a.invoice_date or b.id::text > a.id::text)
              and b.total > 0 and abs(b.total - a.total) <= greatest(1.00, a.total * 0.005)
           offset 0) b
         left join import_batches ba on ba.id = a.batch_id
         left join import_batches bb on bb.id = b.batch_id
        where ${where.join(' and ')}),
     scored as (select p.*, round(${PAIR_SCORE}, 2) as score from pairs p)
     select s.currency, s.days, s.amount_equal, s.relation, s.a_id, s.a_number, s.a_date, s.a_total, s.a_file,
            s.b_id, s.b_number, s.b_date, s.b_total, s.b_file,
            s.score::text as score, s.at_stake::text as at_stake, sp.name as supplier_name,
            s.supplier_id::text as supplier_id, count(*) over ()::int as found
       from scored s join suppliers sp on sp.id = s.supplier_id
      where s.score >= ${min}::numeric
      order by s.score desc, s.at_stake desc
      limit ${lim}`,
    params,
  );
}

function invoiceEvidence(id: string, num: string, date: string, total: string, currency: string, file: string | null): Evidence {
  return {
    source: 'invoice',
    id,
    date,
    amount: total,
    currency,
    invoiceNumber: num,
    reference: null,
    description: null,
    sourceFile: file,
    sourceLine: null,
  };
}

/** Duplicate payments: pairs of invoices and pairs of payments that look like the same bill, strongest first. */
export async function findDuplicatePayments(
  database: Database,
  o: AnomalyOptions,
): Promise<{ findings: Finding[]; found: number }> {
  const invoicePairs = await duplicateInvoices(database, o, o.limit);
  const paid = await paymentsForInvoices(
    database,
    invoicePairs.flatMap((p) => [
      { supplierId: p.supplier_id, invoiceNumber: p.a_number },
      { supplierId: p.supplier_id, invoiceNumber: p.b_number },
    ]),
  );
  const findings: Finding[] = [];
  const claimed = new Set<string>();
  for (const p of invoicePairs) {
    const payments = [...(paid.get(`${p.supplier_id}|${p.a_number}`) ?? []), ...(paid.get(`${p.supplier_id}|${p.b_number}`) ?? [])];
    for (const e of payments) claimed.add(e.id);
    // A duplicate invoice that has also been paid is money out of the door, not just a risk.
    const score = Math.min(1, Number(p.score) + (payments.length > 0 ? 0.1 : 0));
    findings.push({
      kind: 'duplicate_payment',
      score: Math.round(score * 100) / 100,
      supplier: { id: p.supplier_id, name: p.supplier_name },
      amountAtStake: p.at_stake,
      currency: p.currency,
      details: {
        kind: 'duplicate_payment',
        basis: 'invoices',
        daysApart: Number(p.days),
        amountsEqual: Boolean(p.amount_equal),
        invoiceRelation: p.relation,
        invoiceNumbers: [p.a_number, p.b_number],
        paymentsFound: payments.length,
      },
      evidence: [
        invoiceEvidence(p.a_id, p.a_number, p.a_date, p.a_total, p.currency, p.a_file),
        invoiceEvidence(p.b_id, p.b_number, p.b_date, p.b_total, p.currency, p.b_file),
        ...payments,
      ],
    });
  }
  const { rows } = await duplicatePayments(database, o, o.limit + claimed.size);
  for (const r of rows) {
    const a = spendEvidence(r, 'a_');
    const b = spendEvidence(r, 'b_');
    if (claimed.has(a.id) && claimed.has(b.id)) continue; // already told as a duplicate invoice
    findings.push({
      kind: 'duplicate_payment',
      score: Number(r.score),
      supplier: { id: r.supplier_id, name: r.supplier_name },
      amountAtStake: r.at_stake,
      currency: r.currency,
      details: {
        kind: 'duplicate_payment',
        basis: 'payments',
        daysApart: Number(r.days),
        amountsEqual: Boolean(r.amount_equal),
        invoiceRelation: r.relation,
        invoiceNumbers: [a.invoiceNumber, b.invoiceNumber],
        paymentsFound: 2,
      },
      evidence: [a, b],
    });
  }
  const found = Number(invoicePairs[0]?.found ?? 0) + Number(rows[0]?.found ?? 0);
  findings.sort((x, y) => y.score - x.score);
  return { findings: findings.slice(0, o.limit), found };
}

type SplitRow = Record<string, unknown> & {
  supplier_id: string;
  supplier_name: string;
  currency: string;
  grp: number;
  n: number;
  total: string;
  first_date: string;
  last_date: string;
  largest: string;
  score: string;
  found: number;
};

// Runs of two or more payments to one supplier, each just under the threshold and within the window of the
// previous one, together over the threshold.
/** Split purchases: runs of payments just under the threshold that together exceed it, strongest first. */
export async function findSplitPurchases(
  database: Database,
  o: AnomalyOptions,
): Promise<{ findings: Finding[]; found: number }> {
  const params: unknown[] = [];
  const cond = spendConditions('s', o.filters, params);
  params.push(o.threshold, o.bandPct, o.windowDays, o.limit);
  const [thr, band, win, lim] = [3, 2, 1, 0].map((k) => `$${params.length - k}`);
  const rows = await database.query<SplitRow>(
    `with near as (
       select s.*, s.supplier_id as sid,
              case when s.date - lag(s.date) over w <= ${win}::int then 0 else 1 end as brk
         from spend_lines s
        where s.amount < ${thr}::numeric and s.amount >= ${thr}::numeric * (1 - ${band}::numeric / 100) and ${cond}
       window w as (partition by s.supplier_id, s.currency order by s.date, s.id)),
     runs as (
       select n.*, sum(brk) over (partition by sid, currency order by date, id) as grp from near n),
     clusters as (
       select sid, currency, grp, count(*)::int as n, sum(amount) as total, min(date) as first_date,
              max(date) as last_date, max(amount) as largest,
              avg((amount - ${thr}::numeric * (1 - ${band}::numeric / 100)) / (${thr}::numeric * ${band}::numeric / 100)) as closeness
         from runs group by sid, currency, grp
        having count(*) >= 2 and sum(amount) > ${thr}::numeric),
     ranked as (
       select c.*, round(least(1, 0.5 + 0.3 * c.closeness + 0.05 * least(c.n - 2, 2)
                    + case when c.last_date - c.first_date <= 7 then 0.1 else 0 end), 2) as score,
              count(*) over ()::int as found
         from clusters c order by score desc, total desc limit ${lim})
     select r.sid::text as supplier_id, sp.name as supplier_name, r.currency::text as currency, r.grp::int as grp, r.n,
            r.total::text as total, r.first_date::text as first_date, r.last_date::text as last_date,
            r.largest::text as largest, r.score::text as score, r.found, ${spendEvidenceColumns('m', 'm_')}
       from ranked r
       join runs m on m.sid = r.sid and m.currency = r.currency and m.grp = r.grp
       join suppliers sp on sp.id = r.sid
      order by r.score desc, r.total desc, r.sid, r.grp, m.date, m.id`,
    params,
  );
  const byCluster = new Map<string, Finding>();
  for (const r of rows) {
    const key = `${r.supplier_id}|${r.currency}|${r.grp}`;
    let f = byCluster.get(key);
    if (!f) {
      f = {
        kind: 'split_purchase',
        score: Number(r.score),
        supplier: { id: r.supplier_id, name: r.supplier_name },
        amountAtStake: r.total,
        currency: r.currency,
        details: {
          kind: 'split_purchase',
          threshold: o.threshold,
          payments: Number(r.n),
          firstDate: r.first_date,
          lastDate: r.last_date,
          largest: r.largest,
        },
        evidence: [],
      };
      byCluster.set(key, f);
    }
    f.evidence.push(spendEvidence(r, 'm_'));
  }
  return { findings: [...byCluster.values()], found: Number(rows[0]?.found ?? 0) };
}

/** Runs the requested anomaly checks and returns each kind's strongest findings and how many each found. */
export async function findAnomalies(database: Database, o: AnomalyOptions): Promise<AnomalyReport> {
  const found: Record<AnomalyKind, number> = { duplicate_payment: 0, split_purchase: 0, price_variance: 0, off_contract: 0 };
  const findings: Finding[] = [];
  const checks: Record<AnomalyKind, () => Promise<{ findings: Finding[]; found: number }>> = {
    duplicate_payment: () => findDuplicatePayments(database, o),
    split_purchase: () => findSplitPurchases(database, o),
    price_variance: () => findPriceVariances(database, o),
    off_contract: () => findOffContractSpend(database, o),
  };
  // One after another: on the embedded database queries serialise anyway, and a server pool is left for others.
  for (const kind of o.kinds) {
    const r = await checks[kind]();
    found[kind] = r.found;
    findings.push(...r.findings);
  }
  // Strongest first across kinds; the sort is stable, so each kind keeps its own order within a score.
  findings.sort((a, b) => b.score - a.score);
  return { findings, found };
}
