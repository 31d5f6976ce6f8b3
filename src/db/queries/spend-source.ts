// Where spend totals are read from: the monthly rollups when they can answer the question, else spend_lines.
// The rollups (migrations 0014-0015) hold whole months; a date range that cuts a month reads that part of the
// month from spend_lines and the whole months between from the rollup, so any range gives the lines' exact sum.

export type SpendSource = {
  /** A relation to alias `s`, with currency, date, supplier_id, category, category_code, department, amount. */
  from: string;
  /** The line count of a group of `s` rows. */
  count: string;
  /** Whether `from` already applies the date range (the caller's WHERE must not repeat it). */
  datesApplied: boolean;
};

const LINES: SpendSource = { from: 'spend_lines', count: 'count(*)', datesApplied: false };

const PERIOD_GROUPS = ['month', 'quarter', 'year'];

// The filters each rollup can apply (to its own columns); any other filter in use means reading the lines.
const MONTH_ROLLUP_FILTERS = new Set(['category', 'categories', 'departments', 'currency', 'dateFrom', 'dateTo']);
const SUPPLIER_ROLLUP_FILTERS = new Set(['supplierId', 'currency', 'dateFrom', 'dateTo']);

/**
 * Which rollup answers a grouping under these filters: spend_month_rollup has no supplier, and
 * spend_supplier_month_rollup no category or department; a question needing both reads the lines.
 */
function rollupFor(groupBy: string, filters: Readonly<Record<string, unknown>>): 'month' | 'supplier' | undefined {
  const used = Object.entries(filters)
    .filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0))
    .map(([k]) => k);
  const byPeriod = PERIOD_GROUPS.includes(groupBy);
  if (groupBy !== 'supplier' && used.every((k) => MONTH_ROLLUP_FILTERS.has(k))) return 'month';
  if ((byPeriod || groupBy === 'supplier') && used.every((k) => SUPPLIER_ROLLUP_FILTERS.has(k))) return 'supplier';
  return undefined;
}

/** The first day of the period before the one holding `iso` (what a trend reads to show the first change). */
export function previousPeriodStart(iso: string, period: 'month' | 'quarter' | 'year'): string {
  if (!ISO_DATE.test(iso)) return iso;
  const m = Number(iso.slice(5, 7));
  const startMonth = period === 'month' ? m : period === 'quarter' ? m - ((m - 1) % 3) : 1;
  const months = Number(iso.slice(0, 4)) * 12 + startMonth - 1 - (period === 'month' ? 1 : period === 'quarter' ? 3 : 12);
  return `${String(Math.floor(months / 12)).padStart(4, '0')}-${String((months % 12) + 1).padStart(2, '0')}-01`;
}

/** yyyy-mm-dd of the first day of the month after `iso`'s. */
function nextMonth(iso: string): string {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

const firstOfMonth = (iso: string) => `${iso.slice(0, 7)}-01`;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

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
  // Whole months [fullFrom, fullTo) come from the rollup; the days of [from, to] outside them from the lines.
  const fullFrom = dates.from ? (dates.from.endsWith('-01') ? dates.from : nextMonth(dates.from)) : undefined;
  // A range ending on a month's last day takes that whole month from the rollup.
  const fullTo = dates.to ? (addDay(dates.to).endsWith('-01') ? nextMonth(dates.to) : firstOfMonth(dates.to)) : undefined;
  const columns =
    kind === 'month'
      ? 'currency, month as date, null::uuid as supplier_id, category, category_code, department'
      : 'currency, month as date, supplier_id, null::text as category, null::text as category_code, null::text as department';
  const table = kind === 'month' ? 'spend_month_rollup' : 'spend_supplier_month_rollup';
  const lineColumns = 'currency, date, supplier_id, category, category_code, department, amount, 1 as n';
  const parts: string[] = [];
  if (fullFrom && fullTo && fullFrom >= fullTo) {
    // No whole month inside the range.
    parts.push(`select ${lineColumns} from spend_lines where date >= ${add(dates.from)}::date and date <= ${add(dates.to)}::date`);
  } else {
    const within = [
      ...(fullFrom ? [`month >= ${add(fullFrom)}::date`] : []),
      ...(fullTo ? [`month < ${add(fullTo)}::date`] : []),
    ];
    parts.push(`select ${columns}, total as amount, lines as n from ${table}${within.length > 0 ? ` where ${within.join(' and ')}` : ''}`);
    if (dates.from && fullFrom !== dates.from) {
      parts.push(`select ${lineColumns} from spend_lines where date >= ${add(dates.from)}::date and date < ${add(fullFrom)}::date`);
    }
    if (dates.to && fullTo && fullTo <= dates.to) {
      parts.push(`select ${lineColumns} from spend_lines where date >= ${add(fullTo)}::date and date <= ${add(dates.to)}::date`);
    }
  }
  return { from: `(${parts.join(' union all ')})`, count: 'sum(s.n)', datesApplied: true };
}

/** yyyy-mm-dd of the day after `iso`. */
function addDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
