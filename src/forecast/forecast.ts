// Forecasts one monthly series the way a careful analyst would: read what kind of history it is (stopped, short,
// credit-note months, a level shift), back-test the methods that suit it on its own past at the asked horizon,
// keep the one with the lowest MASE, and give 80% intervals from that method's back-test errors.
import { errorBounds, quantile } from './accuracy.js';
import { backtest, forecastAll } from './backtest.js';
import { type MethodName, SEASON } from './methods.js';
import { addMonths } from '../domain/months.js';

/** Two years: what seasonal methods need to see a season twice. */
export const FULL_HISTORY = 2 * SEASON;
/** Back-test origins per series (the latest ones). */
export const MAX_ORIGINS = 12;
/** Months without spend at the end that mean the series stopped. */
export const STOPPED_AFTER = 6;
/** A run of empty months this long, then spend again, starts the history afresh. */
export const RESTART_AFTER = 12;
/** The smallest training window a short series is back-tested from. */
const MIN_SHORT_TRAIN = 6;

// Every method is a candidate; below two years of history the models drop their seasonal part by themselves.
const CANDIDATES: readonly MethodName[] = ['seasonal_naive', 'mean12', 'holt_winters_damped', 'theta', 'combination'];

/** Something about a history the reader of a forecast should know. */
export type SeriesFlag =
  | { kind: 'stopped'; lastSpend: string }
  | { kind: 'short'; months: number }
  | { kind: 'no_backtest'; months: number }
  | { kind: 'negative_months'; months: string[] }
  | { kind: 'zero_months'; count: number }
  | { kind: 'level_shift'; at: string; before: number; after: number }
  | { kind: 'restarted'; at: string; emptyMonths: number };

export type MethodAccuracy = { mase: number | null; smape: number };

export type SeriesForecast = {
  /** The history the forecast was made from: its first month and length (later than the input's after a restart). */
  start: string;
  months: number;
  method: MethodName | 'stopped';
  candidates: MethodName[];
  backtest: { origins: number; chosen: MethodAccuracy; methods: Partial<Record<MethodName, MethodAccuracy>> } | null;
  /** One point per month after the history's last month. */
  points: { month: string; forecast: number; lo80: number; hi80: number }[];
  /** The horizon's total with its own 80% interval (from the back-test errors of horizon totals). */
  total: { forecast: number; lo80: number; hi80: number };
  flags: SeriesFlag[];
};

/** The largest, clearest change in the series' level, when one stands out (see `flags`). */
export function levelShift(y: readonly number[], start: string): SeriesFlag | undefined {
  const n = y.length;
  if (n < FULL_HISTORY) return undefined;
  const prefix = [0];
  const prefixSq = [0];
  for (const v of y) {
    prefix.push(prefix.at(-1)! + v);
    prefixSq.push(prefixSq.at(-1)! + v * v);
  }
  let best: { t: number; k: number; m1: number; m2: number } | undefined;
  for (let k = SEASON; k <= n - SEASON; k++) {
    const n1 = k;
    const n2 = n - k;
    const m1 = prefix[k]! / n1;
    const m2 = (prefix[n]! - prefix[k]!) / n2;
    const v1 = Math.max(0, prefixSq[k]! / n1 - m1 * m1);
    const v2 = Math.max(0, (prefixSq[n]! - prefixSq[k]!) / n2 - m2 * m2);
    const se = Math.sqrt(v1 / n1 + v2 / n2);
    const t = se === 0 ? (m1 === m2 ? 0 : Number.POSITIVE_INFINITY) : Math.abs(m1 - m2) / se;
    if (!best || t > best.t) best = { t, k, m1, m2 };
  }
  // The maximum over every split point is inflated by the search itself: only a large statistic and a change of
  // more than half the level count as a break.
  if (!best || best.t < 5) return undefined;
  const rel = Math.abs(best.m2 - best.m1) / Math.max(Math.abs(best.m1), Math.abs(best.m2));
  if (rel < 0.5) return undefined;
  return { kind: 'level_shift', at: addMonths(start, best.k), before: best.m1, after: best.m2 };
}

// A range from error bounds around a forecast. When the method erred one way in every back-test the bounds lie
// on one side; the range is stretched to hold the forecast itself, so it never reads "£157k, between £189k and …".
function around(forecast: number, lo: number, hi: number): { lo80: number; hi80: number } {
  return { lo80: Math.min(forecast, forecast + lo), hi80: Math.max(forecast, forecast + hi) };
}

// The empty months just before index `at`.
function restartRun(y: readonly number[], at: number): number {
  let k = 0;
  while (at - 1 - k >= 0 && y[at - 1 - k] === 0) k++;
  return k;
}

function sum(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0);
}

function choose(scores: NonNullable<ReturnType<typeof backtest>>['scores'], candidates: readonly MethodName[]): MethodName {
  let best = candidates[0]!;
  for (const m of candidates) {
    const a = scores[m]!;
    const b = scores[best]!;
    const better = a.mase !== null && b.mase !== null ? a.mase < b.mase : a.smape < b.smape;
    if (better) best = m;
  }
  return best;
}

/**
 * Forecasts `y` (monthly, oldest first, from `start`; zeros for months without spend) `h` months ahead of its
 * last month.
 */
export function forecastSeries(history: readonly number[], from: string, h: number): SeriesForecast {
  // Spend that resumes after a year or more without any is a new series (a contract re-let, an archive joined to
  // today's ledger): what came before says little about it and would swamp the error scale.
  let restartAt = 0;
  for (let t = history.length - 1, run = 0; t >= 0; t--) {
    if (history[t] === 0) run++;
    else if (run >= RESTART_AFTER && t + run + 1 < history.length) {
      restartAt = t + run + 1;
      break;
    } else run = 0;
  }
  const y = history.slice(restartAt);
  const start = addMonths(from, restartAt);
  const restarted: SeriesFlag[] = restartAt > 0 ? [{ kind: 'restarted', at: start, emptyMonths: restartRun(history, restartAt) }] : [];
  const n = y.length;
  const last = addMonths(start, n - 1);
  const months = Array.from({ length: h }, (_, i) => addMonths(last, i + 1));
  const flags: SeriesFlag[] = [...restarted];
  const negatives = y.flatMap((v, i) => (v < 0 ? [addMonths(start, i)] : []));
  if (negatives.length > 0) flags.push({ kind: 'negative_months', months: negatives });
  const zeros = y.filter((v) => v === 0).length;
  if (zeros > 0) flags.push({ kind: 'zero_months', count: zeros });

  let lastSpendIndex = n - 1;
  while (lastSpendIndex >= 0 && y[lastSpendIndex] === 0) lastSpendIndex--;
  if (n - 1 - lastSpendIndex >= STOPPED_AFTER) {
    flags.unshift({ kind: 'stopped', lastSpend: addMonths(start, Math.max(0, lastSpendIndex)) });
    return {
      start,
      months: n,
      method: 'stopped',
      candidates: [],
      backtest: null,
      points: months.map((month) => ({ month, forecast: 0, lo80: 0, hi80: 0 })),
      total: { forecast: 0, lo80: 0, hi80: 0 },
      flags,
    };
  }
  const shift = levelShift(y, start);
  if (shift) flags.push(shift);

  const full = n >= FULL_HISTORY;
  const candidates = CANDIDATES;
  if (!full) flags.unshift({ kind: 'short', months: n });
  // The latest origins of a long series keep two years or more to learn from anyway; a shorter one still gets
  // tested from a year on (the models drop their seasonal part when a window holds less than two years).
  const bt = backtest(y, h, candidates, { maxOrigins: MAX_ORIGINS, minTrain: full ? SEASON : MIN_SHORT_TRAIN });

  if (!bt) {
    // Too little history to test anything at this horizon: the plain average, with the spread of the months
    // around it as the range, said plainly.
    // Said instead of "short": nothing was tested at all.
    const shortAt = flags.findIndex((x) => x.kind === 'short');
    if (shortAt >= 0) flags.splice(shortAt, 1);
    flags.unshift({ kind: 'no_backtest', months: n });
    const f = forecastAll(y, h, ['mean12']).mean12!;
    const resid = y.slice(-SEASON).map((v) => v - f[0]!);
    const lo = quantile(resid, 0.1);
    const hi = quantile(resid, 0.9);
    return {
      start,
      months: n,
      method: 'mean12',
      candidates: ['mean12'],
      backtest: null,
      points: months.map((month, i) => ({ month, forecast: f[i]!, ...around(f[i]!, lo, hi) })),
      total: { forecast: sum(f), ...around(sum(f), lo * h, hi * h) },
      flags,
    };
  }

  const method = choose(bt.scores, candidates);
  const score = bt.scores[method]!;
  const f = forecastAll(y, h, [method])[method]!;
  // Ranges from how wrong this series' back-tests were: every tested method's errors, not only the chosen one's
  // (chosen for having the smallest, its own errors are too narrow for its next ones), as absolute errors (a
  // handful of errors that happen to lean one way would give a lopsided range). Errors grow with the step
  // ahead: they are divided by √step, pooled, their 80% bound taken by split-conformal order statistics, and
  // scaled back per month. Empirical quantiles, no distribution assumed; only the √step growth is.
  const pooled = (pick: (sc: NonNullable<typeof score>) => number[]) => candidates.flatMap((m) => pick(bt.scores[m]!)).map(Math.abs);
  const q = errorBounds(pooled((sc) => sc.scaledErrors), 0.6).hi;
  const tq = errorBounds(pooled((sc) => sc.totalErrors), 0.6).hi;
  const [lo, hi, tlo, thi] = [-q, q, -tq, tq];
  const methods: Partial<Record<MethodName, MethodAccuracy>> = {};
  for (const m of candidates) methods[m] = { mase: bt.scores[m]!.mase, smape: bt.scores[m]!.smape };
  return {
    start,
    months: n,
    method,
    candidates: [...candidates],
    backtest: { origins: bt.origins, chosen: { mase: score.mase, smape: score.smape }, methods },
    points: months.map((month, i) => ({ month, forecast: f[i]!, ...around(f[i]!, lo * Math.sqrt(i + 1), hi * Math.sqrt(i + 1)) })),
    total: { forecast: sum(f), ...around(sum(f), tlo, thi) },
    flags,
  };
}
