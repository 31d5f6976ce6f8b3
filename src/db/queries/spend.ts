// Spend analytics over spend_lines: totals grouped by supplier, category, department or period, and period trends.
// Amounts stay `numeric` in SQL and come back as decimal strings; every total is per currency. Period groupings
// aggregate by day first (a few thousand rows even for millions of payments) and roll days up to periods, so
// the heavy step is one pass an index-only scan can feed.
import type { Database } from '../client.js';
import { previousPeriodStart, type SpendSource, spendSource } from './spend-source.js';

export type SpendFilters = {
  supplierId?: string;
  /** Matched against the category text (contains, any case) or as a prefix of the category code. */
  category?: string;
  /** Only these categories, each an exact category text (any case, outer spaces ignored) or category code. */
  categories?: string[];
  /** Only these departments, each exact (any case, outer spaces ignored). */
  departments?: string[];
  /** Inclusive ISO dates. */
  dateFrom?: string;
  dateTo?: string;
  currency?: string;
};

export type Period = 'month' | 'quarter' | 'year';
export type SpendGroupBy = 'supplier' | 'category' | 'department' | Period;

export type SpendGroup = { key: string; label: string; currency: string; total: string; count: number };
export type CurrencyTotal = { currency: string; total: string; count: number };

export type SpendSummary = { groups: SpendGroup[]; totals: CurrencyTotal[]; groupCount: number };

export type TrendPoint = {
  key: string;
  label: string;
  total: string;
  count: number;
  /** Versus the previous period; null for the first period shown when nothing precedes it. */
  change: string | null;
  /** Percent change rounded to 1 dp; null also when the previous period had no spend. */
  changePct: string | null;
};

export type TrendSeries = { currency: string; points: TrendPoint[] };

export const PERIODS: readonly Period[] = ['month', 'quarter', 'year'];

const PERIOD_KEY: Record<Period, string> = { month: 'YYYY-MM', quarter: 'YYYY-"Q"Q', year: 'YYYY' };
const PERIOD_LABEL: Record<Period, string> = { month: 'Mon YYYY', quarter: '"Q"Q YYYY', year: 'YYYY' };
const PERIOD_INTERVAL: Record<Period, string> = { month: '1 month', quarter: '3 months', year: '1 year' };

function isPeriod(g: SpendGroupBy): g is Period {
  return (PERIODS as readonly string[]).includes(g);
}

// Escapes LIKE wildcards so user text matches literally.
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

// Builds the WHERE clause for `s` (spend_lines) and appends its parameters.
function spendWhere(f: SpendFilters, params: unknown[], dateFromOverride?: string): string {
  const where: string[] = [];
  const add = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (f.supplierId) where.push(`s.supplier_id = ${add(f.supplierId)}::uuid`);
  const from = dateFromOverride ?? f.dateFrom;
  if (from) where.push(`s.date >= ${add(from)}::date`);
  if (f.dateTo) where.push(`s.date <= ${add(f.dateTo)}::date`);
  if (f.currency) where.push(`s.currency = ${add(f.currency)}`);
  if (f.category) {
    const p = add(likeLiteral(f.category.trim()));
    where.push(`(s.category ilike '%' || ${p} || '%' or s.category_code like ${p} || '%')`);
  }
  if (f.categories && f.categories.length > 0) {
    const p = add(f.categories.map((c) => c.trim().toLowerCase()));
    where.push(`(lower(btrim(s.category)) = any(${p}::text[]) or lower(btrim(s.category_code)) = any(${p}::text[]))`);
  }
  if (f.departments && f.departments.length > 0) {
    where.push(`lower(btrim(s.department)) = any(${add(f.departments.map((d) => d.trim().toLowerCase()))}::text[])`);
  }
  return where.length > 0 ? `where ${where.join(' and ')}` : '';
}

type SummaryRow = {
  row_kind: 'group' | 'total';
  currency: string;
  key: string | null;
  label: string | null;
  total: string;
  n: number;
  group_count: number | null;
};

// The grouped rows (`g`: currency, key, label, total, n) for one grouping.
function groupedCte(groupBy: SpendGroupBy, where: string, src: SpendSource): string {
  if (isPeriod(groupBy)) {
    return `days as (
        select s.currency::text as currency, s.date, sum(s.amount) as total, ${src.count}::int as n
          from ${src.from} s ${where} group by s.currency, s.date),
      g as (
        select currency, to_char(p, '${PERIOD_KEY[groupBy]}') as key, to_char(p, '${PERIOD_LABEL[groupBy]}') as label,
               total, n
          from (select currency, date_trunc('${groupBy}', date)::date as p, sum(total) as total, sum(n)::int as n
                  from days group by 1, 2) x)`;
  }
  if (groupBy === 'supplier') {
    // Grouping 40k rows that are one per supplier and currency already took ~50 of ~125 ms at 10M lines.
    const b = src.perSupplier
      ? `select s.currency::text as currency, s.supplier_id, s.amount as total, s.n::int as n from ${src.from} s ${where}`
      : `select s.currency::text as currency, s.supplier_id, sum(s.amount) as total, ${src.count}::int as n
          from ${src.from} s ${where} group by s.currency, s.supplier_id`;
    return `b as (
        ${b}),
      g as (
        select b.currency, b.supplier_id::text as key, sp.name as label, b.total, b.n
          from b join suppliers sp on sp.id = b.supplier_id)`;
  }
  // Category and department text is grouped case- and space-insensitively (exports spell one category several
  // ways), but only after grouping the raw values: normalising a few hundred distinct values beats a million.
  const raw = groupBy === 'category' ? 's.category_code, s.category' : 's.department';
  const keyExpr =
    groupBy === 'category'
      ? `coalesce(nullif(btrim(category_code), ''), lower(btrim(category)), '')`
      : `coalesce(lower(btrim(department)), '')`;
  const labelExpr = groupBy === 'category' ? 'max(coalesce(category, category_code))' : 'max(btrim(department))';
  const none = groupBy === 'category' ? '(uncategorised)' : '(no department)';
  return `r as (
        select s.currency::text as currency, ${raw}, sum(s.amount) as total, ${src.count}::int as n
          from ${src.from} s ${where} group by s.currency, ${raw}),
      g as (
        select currency, ${keyExpr} as key, coalesce(${labelExpr}, '${none}') as label, sum(total) as total,
               sum(n)::int as n
          from r group by currency, 2)`;
}

/** Spend totals and payment counts per group and per currency, one page of groups at a time. */
export async function spendSummary(
  database: Database,
  opts: { groupBy: SpendGroupBy; filters: SpendFilters; limit: number; offset: number; smallestFirst?: boolean },
): Promise<SpendSummary> {
  const params: unknown[] = [];
  const source = spendSource(opts.groupBy, opts.filters, { from: opts.filters.dateFrom, to: opts.filters.dateTo }, params);
  const filters = source.datesApplied ? { ...opts.filters, dateFrom: undefined, dateTo: undefined } : opts.filters;
  const where = spendWhere(filters, params);
  params.push(opts.limit, opts.offset);
  const limitP = `$${params.length - 1}`;
  const offsetP = `$${params.length}`;
  // Qualified: the output column `total` is text, and must not be what sorts.
  const order = isPeriod(opts.groupBy)
    ? 'g.key, g.currency'
    : `g.total ${opts.smallestFirst ? 'asc' : 'desc'}, g.label, g.currency`;
  const rows = await database.query<SummaryRow>(
    `with ${groupedCte(opts.groupBy, where, source)}
     (select 'group' as row_kind, currency, key, label, total::text as total, n, null::int as group_count
        from g order by ${order} limit ${limitP} offset ${offsetP})
     union all
     (select 'total', currency, null, null, sum(total)::text, sum(n)::int, (select count(*)::int from g)
        from g group by currency order by sum(total) desc, currency)`,
    params,
  );
  const groups: SpendGroup[] = [];
  const totals: CurrencyTotal[] = [];
  let groupCount = 0;
  for (const r of rows) {
    if (r.row_kind === 'group') {
      groups.push({ key: r.key ?? '', label: r.label ?? '', currency: r.currency, total: r.total, count: Number(r.n) });
    } else {
      totals.push({ currency: r.currency, total: r.total, count: Number(r.n) });
      groupCount = Number(r.group_count ?? 0);
    }
  }
  return { groups, totals, groupCount };
}

type TrendRow = {
  currency: string;
  key: string;
  label: string;
  total: string;
  n: number;
  change: string | null;
  change_pct: string | null;
};

/** Totals per period and currency, gaps filled with zero, each with its change on the previous period. */
export async function spendTrend(
  database: Database,
  opts: { period: Period; filters: SpendFilters },
): Promise<TrendSeries[]> {
  const { period, filters } = opts;
  const params: unknown[] = [];
  const add = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const unit = `'${PERIOD_INTERVAL[period]}'::interval`;
  const startP = filters.dateFrom ? add(filters.dateFrom) : null;
  const endP = filters.dateTo ? add(filters.dateTo) : null;
  const firstShown = startP ? `date_trunc('${period}', ${startP}::date)::date` : null;
  const readFrom = startP ? `(date_trunc('${period}', ${startP}::date) - ${unit})::date` : null;
  const from = filters.dateFrom ? previousPeriodStart(filters.dateFrom, period) : undefined;
  const source = spendSource(period, filters, { from, to: filters.dateTo }, params);
  const where = spendWhere({ ...filters, dateFrom: undefined, ...(source.datesApplied ? { dateTo: undefined } : {}) }, params);
  const fromClause = readFrom && !source.datesApplied ? `${where ? `${where} and` : 'where'} s.date >= ${readFrom}` : where;
  const rows = await database.query<TrendRow>(
    `with days as (
        select s.currency::text as currency, s.date, sum(s.amount) as total, ${source.count}::int as n
          from ${source.from} s ${fromClause} group by s.currency, s.date),
      per as (
        select currency, date_trunc('${period}', date)::date as p, sum(total) as total, sum(n)::int as n
          from days group by 1, 2),
      bounds as (
        select currency,
               ${readFrom ? `least(min(p), ${readFrom})` : 'min(p)'} as lo,
               ${endP ? `date_trunc('${period}', ${endP}::date)::date` : 'max(p)'} as hi
          from per group by currency),
      filled as (
        select b.currency, gs::date as p, coalesce(per.total, 0) as total, coalesce(per.n, 0) as n
          from bounds b
          cross join lateral generate_series(b.lo, b.hi, ${unit}) gs
          left join per on per.currency = b.currency and per.p = gs::date),
      lagged as (
        select currency, p, total, n, lag(total) over (partition by currency order by p) as prev from filled)
     select currency, to_char(p, '${PERIOD_KEY[period]}') as key, to_char(p, '${PERIOD_LABEL[period]}') as label,
            total::text as total, n,
            (total - prev)::text as change,
            round((total - prev) * 100 / nullif(prev, 0), 1)::text as change_pct
       from lagged
      ${firstShown ? `where p >= ${firstShown}` : ''}
      order by currency, p`,
    params,
  );
  const byCurrency = new Map<string, TrendPoint[]>();
  for (const r of rows) {
    const points = byCurrency.get(r.currency) ?? [];
    points.push({
      key: r.key,
      label: r.label,
      total: r.total,
      count: Number(r.n),
      change: r.change,
      changePct: r.change_pct,
    });
    byCurrency.set(r.currency, points);
  }
  return [...byCurrency.entries()].map(([currency, points]) => ({ currency, points }));
}
