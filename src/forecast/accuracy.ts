// Forecast accuracy measures: MASE (Hyndman & Koehler 2006), symmetric MAPE, and empirical quantiles.
import { SEASON } from './methods.js';

/**
 * The MASE scale of a training history: the mean absolute change against the same month a year earlier (two
 * years or more of history), otherwise (or when every year repeats exactly) against the month before. Zero for
 * a constant series.
 */
export function maseScale(train: readonly number[]): number {
  const seasonal = train.length >= 2 * SEASON ? meanAbsChange(train, SEASON) : 0;
  return seasonal > 0 ? seasonal : meanAbsChange(train, 1);
}

function meanAbsChange(train: readonly number[], lag: number): number {
  let s = 0;
  let k = 0;
  for (let t = lag; t < train.length; t++) {
    s += Math.abs(train[t]! - train[t - lag]!);
    k++;
  }
  return k === 0 ? 0 : s / k;
}

/** Symmetric absolute percentage error of one point, in percent (0 when both are zero). */
export function smapeTerm(actual: number, forecast: number): number {
  const d = Math.abs(actual) + Math.abs(forecast);
  return d === 0 ? 0 : (200 * Math.abs(actual - forecast)) / d;
}

/** The `q` quantile of `xs` (linear interpolation between order statistics, R's type 7). */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/**
 * An 80% (by default) range from past errors, by the order statistics split-conformal prediction uses: the
 * ⌊(n+1)·0.1⌋-th and ⌈(n+1)·0.9⌉-th smallest of n errors (the extremes when n is too small for them), so a
 * handful of errors gives a wider range rather than an overconfident one.
 */
export function errorBounds(errors: readonly number[], level = 0.8): { lo: number; hi: number } {
  if (errors.length === 0) return { lo: 0, hi: 0 };
  const s = [...errors].sort((a, b) => a - b);
  const n = s.length;
  const tail = (1 - level) / 2;
  // The epsilon keeps binary rounding (20 × 0.9 = 18.000000000000004) from moving an order statistic.
  const lo = Math.max(1, Math.floor((n + 1) * tail + 1e-9));
  const hi = Math.min(n, Math.ceil((n + 1) * (1 - tail) - 1e-9));
  return { lo: s[lo - 1]!, hi: s[hi - 1]! };
}
