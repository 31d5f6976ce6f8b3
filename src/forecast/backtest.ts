// Rolling-origin back-testing: each method forecasts the asked horizon from several earlier origins of the
// series' own history, and is scored on what actually followed. The scores choose the method; the errors give
// the prediction intervals (empirical quantiles, no normality assumed).
import { maseScale, smapeTerm } from './accuracy.js';
import { holtWintersDamped, METHODS, type MethodName } from './methods.js';

export type MethodScore = {
  /** Mean over origins of MASE (null when every training window was constant). */
  mase: number | null;
  /** Mean sMAPE over every back-test point, in percent. */
  smape: number;
  /** Every back-test error (actual − forecast), all origins and steps. */
  errors: number[];
  /** The same errors divided by the square root of their step ahead, so steps can be pooled (see forecast.ts). */
  scaledErrors: number[];
  /** Per origin, the error of the horizon's total (sum of actuals − sum of forecasts). */
  totalErrors: number[];
};

export type Backtest = { origins: number; horizon: number; scores: Partial<Record<MethodName, MethodScore>> };

/** Forecasts of every candidate from one history; the combination reuses the two models it averages. */
export function forecastAll(y: readonly number[], h: number, candidates: readonly MethodName[]): Partial<Record<MethodName, number[]>> {
  const out: Partial<Record<MethodName, number[]>> = {};
  const needHw = candidates.includes('holt_winters_damped') || candidates.includes('combination');
  const needTheta = candidates.includes('theta') || candidates.includes('combination');
  const hw = needHw ? holtWintersDamped(y, h) : undefined;
  const th = needTheta ? METHODS.theta(y, h) : undefined;
  for (const m of candidates) {
    if (m === 'holt_winters_damped') out[m] = hw!;
    else if (m === 'theta') out[m] = th!;
    else if (m === 'combination') out[m] = hw!.map((v, i) => (v + th![i]!) / 2);
    else out[m] = METHODS[m](y, h);
  }
  return out;
}

/**
 * Back-tests `candidates` on `y` for horizon `h` from up to `maxOrigins` origins (the latest ones whose whole
 * horizon is known, each keeping at least `minTrain` months to learn from). Undefined when no origin fits.
 */
export function backtest(
  y: readonly number[],
  h: number,
  candidates: readonly MethodName[],
  opts: { maxOrigins: number; minTrain: number },
): Backtest | undefined {
  const n = y.length;
  const origins: number[] = [];
  for (let o = n - h; o >= opts.minTrain && origins.length < opts.maxOrigins; o--) origins.push(o);
  if (origins.length === 0) return undefined;
  const acc = new Map<MethodName, { mase: number[]; smape: number[]; errors: number[]; scaledErrors: number[]; totalErrors: number[] }>(
    candidates.map((m) => [m, { mase: [], smape: [], errors: [], scaledErrors: [], totalErrors: [] }]),
  );
  for (const o of origins) {
    const train = y.slice(0, o);
    const test = y.slice(o, o + h);
    const scale = maseScale(train);
    const fc = forecastAll(train, h, candidates);
    for (const m of candidates) {
      const f = fc[m]!;
      const a = acc.get(m)!;
      let abs = 0;
      let total = 0;
      for (let i = 0; i < h; i++) {
        const e = test[i]! - f[i]!;
        abs += Math.abs(e);
        total += e;
        a.errors.push(e);
        a.scaledErrors.push(e / Math.sqrt(i + 1));
        a.smape.push(smapeTerm(test[i]!, f[i]!));
      }
      a.totalErrors.push(total);
      if (scale > 0) a.mase.push(abs / h / scale);
    }
  }
  const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const scores: Backtest['scores'] = {};
  for (const [m, a] of acc) {
    scores[m] = {
      mase: a.mase.length > 0 ? avg(a.mase) : null,
      smape: avg(a.smape),
      errors: a.errors,
      scaledErrors: a.scaledErrors,
      totalErrors: a.totalErrors,
    };
  }
  return { origins: origins.length, horizon: h, scores };
}
