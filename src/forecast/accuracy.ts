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
