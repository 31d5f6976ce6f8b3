// Where spend totals are read from: the rollups when they can answer the question, else spend_lines.
// A date range is cut into whole years, quarters, months and days at either end (rangeParts), each read at the
// coarsest grain the question allows: category, department and period questions read months from
// spend_month_rollup and the end days from spend_day_rollup; supplier questions (a supplier ranking or one
// supplier's figures, with or without a category filter) read whole years (when the grouping does not need
// months) from spend_supplier_year_rollup, whole quarters (without a category filter, when the grouping does not
// need months) from spend_supplier_quarter_rollup (migration 0026), months from spend_supplier_month_rollup (the
// year and month rollups keyed by category too, migration 0023) and the end days from spend_lines (its unique
// key's index carries supplier, currency, amount and category, so those days are read from the index alone,
// migration 0022; a run of months likewise from a covering index). A supplier ranking over all time without a
// category reads spend_supplier_rollup (migration 0024). The rollups (migrations 0014-0015, 0018-0020, 0023-0024,
// 0026) equal the lines, so any range gives the lines' exact sum.

import { addMonths } from '../../domain/months.js';

export type SpendSource = {
  /** A relation to alias `s`, with currency, date, supplier_id, category, category_code, department, amount. */
  from: string;
  /** The line count of a group of `s` rows. */
  count: string;
  /** Whether `from` already applies the date range (the caller's WHERE must not repeat it). */
  datesApplied: boolean;
  /** Whether `from` holds one row per currency and supplier already (a supplier grouping need not group again). */
  perSupplier?: true;
};

const LINES: SpendSource = { from: 'spend_lines', count: 'count(*)', datesApplied: false };

const PERIOD_GROUPS = ['month', 'quarter', 'year'];

// The filters each rollup can apply (to its own columns); any other filter in use means reading the lines.
const MONTH_ROLLUP_FILTERS = new Set(['category', 'categories', 'departments', 'currency', 'dateFrom', 'dateTo']);
const SUPPLIER_ROLLUP_FILTERS = new Set(['supplierId', 'category', 'categories', 'currency', 'dateFrom', 'dateTo']);

/**
 * Which rollup answers a grouping under these filters: spend_month_rollup has no supplier, and
 * spend_supplier_month_rollup no department; a question needing both reads the lines.
 */
function rollupFor(groupBy: string, filters: Readonly<Record<string, unknown>>): 'month' | 'supplier' | undefined {
  const used = Object.entries(filters)
    .filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0))
    .map(([k]) => k);
  const byPeriod = PERIOD_GROUPS.includes(groupBy);
  if (groupBy !== 'supplier' && used.every((k) => MONTH_ROLLUP_FILTERS.has(k))) return 'month';
  if ((byPeriod || groupBy === 'supplier' || groupBy === 'category') && used.every((k) => SUPPLIER_ROLLUP_FILTERS.has(k))) {
    return 'supplier';
  }
  return undefined;
}

/** The first day of the period before the one holding `iso` (what a trend reads to show the first change). */
export function previousPeriodStart(iso: string, period: 'month' | 'quarter' | 'year'): string {
  if (!ISO_DATE.test(iso)) return iso;
  return shiftMonths(grainStart(iso, period), -MONTHS_IN[period]);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The grains whole parts of a range are read at, coarsest first. */
export type Grain = 'year' | 'quarter' | 'month';
const MONTHS_IN: Record<Grain, number> = { year: 12, quarter: 3, month: 1 };

/** yyyy-mm-dd of the first day of the `grain` holding `iso`. */
function grainStart(iso: string, grain: Grain): string {
  const m = Number(iso.slice(5, 7));
  const start = m - ((m - 1) % MONTHS_IN[grain]);
  return `${iso.slice(0, 4)}-${String(start).padStart(2, '0')}-01`;
}

/** yyyy-mm-dd of `iso` if a `grain` starts on it, else of the first day of the next `grain`. */
function grainCeil(iso: string, grain: Grain): string {
  const start = grainStart(iso, grain);
  return start === iso ? iso : shiftMonths(start, MONTHS_IN[grain]);
}

/** The first day of the month `k` months after (or before, when negative) the one starting on `first`. */
function shiftMonths(first: string, k: number): string {
  return `${addMonths(first.slice(0, 7), k)}-01`;
}

/** Part of a date range at one grain: [from, to), either end open when undefined. */
export type RangePart = { grain: Grain | 'day'; from?: string; to?: string };

/**
 * Cuts the inclusive range [from, to] (either end open) into whole units of the coarsest of `grains` that fit,
 * the rest at either end into whole units of the next grain, and so on down to days, in date order.
 */
export function rangeParts(from: string | undefined, to: string | undefined, grains: readonly Grain[]): RangePart[] {
  const cut = (lo: string | undefined, hi: string | undefined, rest: readonly Grain[]): RangePart[] => {
    if (lo && hi && lo >= hi) return [];
    const [grain, ...finer] = rest;
    if (!grain) return [{ grain: 'day', from: lo, to: hi }];
    const a = lo ? grainCeil(lo, grain) : undefined;
    const b = hi ? grainStart(hi, grain) : undefined;
    if (a && b && a >= b) return cut(lo, hi, finer);
    return [
      ...(lo && a !== lo ? cut(lo, a, finer) : []),
      { grain, from: a, to: b },
      ...(hi && b !== hi ? cut(b, hi, finer) : []),
    ];
  };
  return cut(from, to ? addDay(to) : undefined, grains);
}

// Each rollup's relation and columns, as rows of `s`: currency, date, supplier_id, category, category_code,
// department, amount, n.
const GRAINS = {
  month: {
    year: undefined,
    quarter: undefined,
    month: {
      table: 'spend_month_rollup',
      date: 'month',
      columns: 'currency, month as date, null::uuid as supplier_id, category, category_code, department, total as amount, lines as n',
    },
    day: {
      table: 'spend_day_rollup',
      date: 'date',
      columns: 'currency, date, null::uuid as supplier_id, category, category_code, department, total as amount, lines as n',
    },
  },
  supplier: {
    // Without the category (a quarter keyed by category held about as many rows as a year and read no faster).
    quarter: {
      table: 'spend_supplier_quarter_rollup',
      date: 'quarter',
      columns: 'currency, quarter as date, supplier_id, null::text as category, null::text as category_code, null::text as department, total as amount, lines as n',
    },
    year: {
      table: 'spend_supplier_year_rollup',
      date: 'year',
      columns: 'currency, year as date, supplier_id, category, category_code, null::text as department, total as amount, lines as n',
    },
    month: {
      table: 'spend_supplier_month_rollup',
      date: 'month',
      columns: 'currency, month as date, supplier_id, category, category_code, null::text as department, total as amount, lines as n',
    },
    day: {
      table: 'spend_lines',
      date: 'date',
      // Only the columns the date-leading unique key carries, so the end days are read from that index alone.
      columns: 'currency, date, supplier_id, category, category_code, null::text as department, amount, 1 as n',
    },
  },
} as const;

const ALL_TIME_COLUMNS =
  'currency, null::date as date, supplier_id, null::text as category, null::text as category_code, null::text as department, total as amount, lines as n';

/**
 * The relation to read `groupBy` totals from for `dates` (inclusive ISO dates, either open), appending its
 * parameters to `params`. Other filters (supplier, category, currency) are the caller's, applied to `s`.
 */
export function spendSource(
  groupBy: string,
  filters: Readonly<Record<string, unknown>>,
  dates: { from?: string; to?: string },
  params: unknown[],
): SpendSource {
  const kind = rollupFor(groupBy, filters);
  if (!kind || (dates.from && !ISO_DATE.test(dates.from)) || (dates.to && !ISO_DATE.test(dates.to))) return LINES;
  const add = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  // A supplier ranking over all time, with no category, reads one row per supplier and currency.
  const category = Boolean(filters.category) || (Array.isArray(filters.categories) && filters.categories.length > 0);
  if (kind === 'supplier' && groupBy === 'supplier' && !dates.from && !dates.to && !category) {
    return { from: `(select ${ALL_TIME_COLUMNS} from spend_supplier_rollup)`, count: 'sum(s.n)', datesApplied: true, perSupplier: true };
  }
  // Year rows carry no month: only supplier rankings, category totals and yearly figures may read them. Quarter rows
  // carry no category either: supplier rankings, yearly and quarterly figures without a category filter.
  const years = kind === 'supplier' && ['supplier', 'category', 'year'].includes(groupBy);
  const quarters = kind === 'supplier' && !category && ['supplier', 'year', 'quarter'].includes(groupBy);
  const grains: Grain[] = [...(years ? (['year'] as const) : []), ...(quarters ? (['quarter'] as const) : []), 'month'];
  const parts = rangeParts(dates.from, dates.to, grains).map((part) => {
    const grain = GRAINS[kind][part.grain]!;
    const within = [
      ...(part.from ? [`${grain.date} >= ${add(part.from)}::date`] : []),
      ...(part.to ? [`${grain.date} < ${add(part.to)}::date`] : []),
    ];
    return `select ${grain.columns} from ${grain.table}${within.length > 0 ? ` where ${within.join(' and ')}` : ''}`;
  });
  return { from: `(${parts.join(' union all ')})`, count: 'sum(s.n)', datesApplied: true };
}

/** yyyy-mm-dd of the day after `iso`. */
function addDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
