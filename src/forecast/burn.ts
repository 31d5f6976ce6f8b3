// Contract burn: when cumulative spend against a contract passes its value. What is paid and committed so far,
// plus the supplier's monthly spend forecast (chosen by back-test like any series, see forecast.ts) to the
// contract's end, month by month; the month the running total first passes the value, at the forecast and at
// the high end of its 80% range.
import { forecastSeries, type SeriesFlag } from './forecast.js';
import type { MethodName } from './methods.js';
import { addMonths, monthsBetween } from '../domain/months.js';

/** Months ahead a burn is projected at most (the forecasts' own limit). */
export const MAX_BURN_MONTHS = 24;

export type BurnInput = {
  value: number;
  /** Paid before the current month, and in it so far. */
  spentBefore: number;
  spentThisMonth: number;
  /** Ordered and not yet paid. */
  committed: number;
  /** Monthly spend from `historyStart` to the month before `currentMonth`, zeros included. */
  history: number[];
  historyStart: string;
  currentMonth: string;
  endMonth: string;
};

export type BurnProjection = {
  method: MethodName | 'stopped' | 'none';
  flags: SeriesFlag[];
  points: { month: string; spend: number; cumulative: number; cumulativeHi: number }[];
  /** Already past the value on what is paid and committed. */
  exceeded: boolean;
  /** The first month the projected running total passes the value (null: not before the contract ends). */
  runsOut: string | null;
  /** The same at the high end of the 80% range: the earliest it plausibly runs out. */
  runsOutHigh: string | null;
  /** True when the contract ends beyond the projection horizon. */
  truncated: boolean;
};

/** Projects the running total of a contract's spend to its end month (at most 24 months ahead). */
export function projectBurn(input: BurnInput): BurnProjection {
  const months = Math.max(1, monthsBetween(input.currentMonth, input.endMonth));
  const h = Math.min(MAX_BURN_MONTHS, months);
  const base = input.spentBefore + input.committed;
  const exceeded = base + input.spentThisMonth > input.value;
  let method: BurnProjection['method'] = 'none';
  let flags: SeriesFlag[] = [];
  let monthly: { forecast: number; hi80: number }[] = new Array(h).fill({ forecast: 0, hi80: 0 });
  if (input.history.some((v) => v !== 0)) {
    const f = forecastSeries(input.history, input.historyStart, h);
    method = f.method;
    flags = f.flags;
    monthly = f.points.map((p) => ({ forecast: p.forecast, hi80: p.hi80 }));
  }
  let cumulative = base;
  let cumulativeHi = base;
  let runsOut: string | null = null;
  let runsOutHigh: string | null = null;
  const points: BurnProjection['points'] = [];
  for (let i = 0; i < h; i++) {
    const month = addMonths(input.currentMonth, i);
    // The current month: what is already paid in it counts, the forecast only when it is higher.
    const spend = i === 0 ? Math.max(monthly[i]!.forecast, input.spentThisMonth) : Math.max(0, monthly[i]!.forecast);
    const spendHi = i === 0 ? Math.max(monthly[i]!.hi80, input.spentThisMonth) : Math.max(0, monthly[i]!.hi80);
    cumulative += spend;
    cumulativeHi += spendHi;
    if (runsOut === null && cumulative > input.value) runsOut = month;
    if (runsOutHigh === null && cumulativeHi > input.value) runsOutHigh = month;
    points.push({ month, spend, cumulative, cumulativeHi });
  }
  return { method, flags, points, exceeded, runsOut, runsOutHigh, truncated: months > h };
}
