// Forecasting methods for monthly series: seasonal naive, the trailing 12-month mean, damped-trend Holt-Winters
// (additive), the Theta method, and an equal-weight combination. Each takes a history (oldest first, zeros for
// months without spend) and a horizon, and returns point forecasts. Pure numeric code: statistics are estimated
// in floating point; amounts become exact decimal strings only where they are reported.

/** Months in a year: the seasonal period of monthly spend. */
export const SEASON = 12;

export type MethodName = 'seasonal_naive' | 'mean12' | 'holt_winters_damped' | 'theta' | 'combination';

/** A forecasting method: history in, `h` point forecasts out. */
export type Method = (y: readonly number[], h: number) => number[];

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return xs.length === 0 ? 0 : s / xs.length;
}

/** Each month repeats the same month a year earlier (the last value when there is less than a year). */
export const seasonalNaive: Method = (y, h) => {
  const n = y.length;
  if (n === 0) return new Array<number>(h).fill(0);
  if (n < SEASON) return new Array<number>(h).fill(y[n - 1]!);
  return Array.from({ length: h }, (_, i) => y[n - SEASON + (i % SEASON)]!);
};

/** The mean of the last 12 months (of all of them when there are fewer), flat. */
export const mean12: Method = (y, h) => new Array<number>(h).fill(mean(y.slice(-SEASON)));

/** Simple exponential smoothing with smoothing `alpha` from level `l0`: the final level and the one-step SSE. */
export function ses(y: readonly number[], alpha: number, l0 = y[0] ?? 0): { level: number; sse: number } {
  let level = l0;
  let sse = 0;
  for (const v of y) {
    const e = v - level;
    sse += e * e;
    level += alpha * e;
  }
  return { level, sse };
}

/** The smoothing parameter in (0, 1) minimising the one-step squared error of SES (a fine grid: no local minima missed). */
export function fitSesAlpha(y: readonly number[]): number {
  let best = { alpha: 0.5, sse: Number.POSITIVE_INFINITY };
  for (let a = 0.02; a < 1; a += 0.02) {
    const { sse } = ses(y, a);
    if (sse < best.sse) best = { alpha: a, sse };
  }
  return best.alpha;
}

export type HoltWintersParams = { alpha: number; beta: number; gamma: number; phi: number };

/**
 * Additive damped-trend Holt-Winters (Gardner & McKenzie's damped trend, additive seasonality), with the
 * classical start: level the mean of the first year, trend the yearly change of means, seasonal indices the
 * first year's deviations. Returns the one-step SSE over the history and the `h` forecasts. With `gamma`
 * undefined the model has no seasonal part (damped Holt), started from the first two values.
 */
export function holtWinters(
  y: readonly number[],
  h: number,
  p: { alpha: number; beta: number; gamma?: number; phi: number },
): { sse: number; forecast: number[] } {
  const n = y.length;
  const seasonal = p.gamma !== undefined;
  let level: number;
  let trend: number;
  const s = new Array<number>(SEASON).fill(0);
  if (seasonal) {
    const first = mean(y.slice(0, SEASON));
    level = first;
    trend = (mean(y.slice(SEASON, 2 * SEASON)) - first) / SEASON;
    for (let i = 0; i < SEASON; i++) s[i] = y[i]! - first;
  } else {
    level = y[0] ?? 0;
    trend = n > 1 ? y[1]! - y[0]! : 0;
  }
  const { alpha, beta, phi } = p;
  const gamma = p.gamma ?? 0;
  let sse = 0;
  for (let t = 0; t < n; t++) {
    const si = seasonal ? s[t % SEASON]! : 0;
    const e = y[t]! - (level + phi * trend + si);
    sse += e * e;
    const prevLevel = level;
    level = alpha * (y[t]! - si) + (1 - alpha) * (level + phi * trend);
    trend = beta * (level - prevLevel) + (1 - beta) * phi * trend;
    if (seasonal) s[t % SEASON] = gamma * (y[t]! - level) + (1 - gamma) * si;
  }
  const forecast: number[] = [];
  let damp = 0;
  let phiK = 1;
  for (let k = 1; k <= h; k++) {
    phiK *= phi;
    damp += phiK;
    forecast.push(level + damp * trend + (seasonal ? s[(n + k - 1) % SEASON]! : 0));
  }
  return { sse, forecast };
}

// The parameter grid searched by least one-step squared error. Spend is noisy: a grid bounded away from the
// edges (no alpha of 1, a damping factor below 1) keeps the fitted models from chasing single months.
const ALPHAS = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9];
const BETAS = [0.01, 0.05, 0.15];
const GAMMAS = [0.01, 0.1, 0.3];
const PHIS = [0.8, 0.9, 0.98];

/** Damped-trend Holt-Winters with parameters fitted on the history; damped Holt without seasons below two years. */
export const holtWintersDamped: Method = (y, h) => {
  if (y.length < 3) return mean12(y, h);
  const seasonal = y.length >= 2 * SEASON;
  let best: { sse: number; forecast: number[] } | undefined;
  for (const alpha of ALPHAS) {
    for (const beta of BETAS) {
      if (beta > alpha) continue;
      for (const gamma of seasonal ? GAMMAS : [undefined]) {
        if (gamma !== undefined && gamma > 1 - alpha) continue;
        for (const phi of PHIS) {
          const fit = holtWinters(y, h, { alpha, beta, phi, ...(gamma === undefined ? {} : { gamma }) });
          if (!best || fit.sse < best.sse) best = fit;
        }
      }
    }
  }
  return best!.forecast;
};

/** Autocorrelation of `y` at `lag`. */
function acf(y: readonly number[], lag: number): number {
  const m = mean(y);
  let num = 0;
  let den = 0;
  for (let t = 0; t < y.length; t++) {
    const d = y[t]! - m;
    den += d * d;
    if (t >= lag) num += d * (y[t - lag]! - m);
  }
  return den === 0 ? 0 : num / den;
}

/** True when the lag-12 autocorrelation is significant at 90% (the test the Theta method's authors use). */
export function isSeasonal(y: readonly number[]): boolean {
  const n = y.length;
  if (n < 2 * SEASON) return false;
  let sumSq = 0;
  for (let k = 1; k < SEASON; k++) sumSq += acf(y, k) ** 2;
  return Math.abs(acf(y, SEASON)) > 1.645 * Math.sqrt((1 + 2 * sumSq) / n);
}

/**
 * Seasonal indices by classical decomposition (centred 2x12 moving average): multiplicative when every month is
 * positive, additive otherwise (credit notes make months zero or negative, where ratios mean nothing).
 */
export function seasonalIndices(y: readonly number[]): { indices: number[]; multiplicative: boolean } {
  const n = y.length;
  const multiplicative = y.every((v) => v > 0);
  const sums = new Array<number>(SEASON).fill(0);
  const counts = new Array<number>(SEASON).fill(0);
  for (let t = SEASON / 2; t < n - SEASON / 2; t++) {
    let ma = (y[t - SEASON / 2]! + y[t + SEASON / 2]!) / 2;
    for (let k = t - SEASON / 2 + 1; k < t + SEASON / 2; k++) ma += y[k]!;
    ma /= SEASON;
    const i = t % SEASON;
    sums[i] = sums[i]! + (multiplicative ? y[t]! / ma : y[t]! - ma);
    counts[i] = counts[i]! + 1;
  }
  const raw = sums.map((s, i) => (counts[i] ? s / counts[i]! : multiplicative ? 1 : 0));
  const centre = mean(raw);
  return { indices: raw.map((r) => (multiplicative ? r / centre : r - centre)), multiplicative };
}

/**
 * The Theta method (Assimakopoulos & Nikolopoulos 2000) in Hyndman & Billah's (2003) form: simple exponential
 * smoothing of the seasonally adjusted series plus half the slope of its linear trend,
 * ŷ(h) = ℓn + (b/2)·((h − 1) + (1 − (1 − α)^n)/α), then re-seasonalised.
 */
export const theta: Method = (y, h) => {
  const n = y.length;
  if (n < 3) return mean12(y, h);
  const seasonal = isSeasonal(y);
  const { indices, multiplicative } = seasonal ? seasonalIndices(y) : { indices: [], multiplicative: false };
  const adjust = (v: number, t: number) => (!seasonal ? v : multiplicative ? v / indices[t % SEASON]! : v - indices[t % SEASON]!);
  const x = y.map(adjust);
  const alpha = fitSesAlpha(x);
  const { level } = ses(x, alpha);
  const tm = (n - 1) / 2;
  const xm = mean(x);
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < n; t++) {
    sxy += (t - tm) * (x[t]! - xm);
    sxx += (t - tm) ** 2;
  }
  const b = sxy / sxx;
  const drift = (1 - (1 - alpha) ** n) / alpha;
  return Array.from({ length: h }, (_, i) => {
    const f = level + (b / 2) * (i + drift);
    const idx = (n + i) % SEASON;
    return !seasonal ? f : multiplicative ? f * indices[idx]! : f + indices[idx]!;
  });
};

/** The equal-weight mean of damped Holt-Winters and Theta: combining two models usually beats either alone. */
export const combination: Method = (y, h) => {
  const a = holtWintersDamped(y, h);
  const b = theta(y, h);
  return a.map((v, i) => (v + b[i]!) / 2);
};

export const METHODS: Readonly<Record<MethodName, Method>> = {
  seasonal_naive: seasonalNaive,
  mean12,
  holt_winters_damped: holtWintersDamped,
  theta,
  combination,
};

/** How each method reads in a sentence. */
export const METHOD_LABELS: Readonly<Record<MethodName, string>> = {
  seasonal_naive: 'seasonal naive (same month last year)',
  mean12: 'trailing 12-month average',
  holt_winters_damped: 'damped-trend Holt-Winters',
  theta: 'Theta method',
  combination: 'combination of Holt-Winters and Theta',
};
