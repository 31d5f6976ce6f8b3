// The forecasting methods against values worked out by hand from their textbook definitions, and the rules for
// messy spend histories (gaps, credit notes, short, stopped and shifted series).
import { describe, expect, it } from 'vitest';
import { errorBounds, maseScale, quantile, smapeTerm } from '../../src/forecast/accuracy.js';
import { backtest } from '../../src/forecast/backtest.js';
import { forecastSeries, levelShift } from '../../src/forecast/forecast.js';
import { holtWinters, holtWintersDamped, isSeasonal, mean12, seasonalNaive, ses, theta } from '../../src/forecast/methods.js';
import { addMonths, denseMonthly, monthsBetween } from '../../src/domain/months.js';

const PATTERN = [100, 80, 120, 90, 110, 130, 70, 60, 140, 100, 95, 105];

describe('forecasting methods', () => {
  it('seasonal naive repeats the same month a year earlier, the last value below a year', () => {
    const y = [...PATTERN, ...PATTERN.map((v) => v + 10)];
    expect(seasonalNaive(y, 14)).toEqual([...PATTERN.map((v) => v + 10), 110, 90]);
    expect(seasonalNaive([5, 7, 9], 2)).toEqual([9, 9]);
  });

  it('the trailing mean averages the last 12 months only', () => {
    expect(mean12([1000, ...PATTERN], 2)).toEqual([100, 100]);
    expect(mean12([2, 4], 1)).toEqual([3]);
  });

  it('simple exponential smoothing: alpha 0.5 on 1, 2, 3 ends at level 2.25 with SSE 3.25', () => {
    // l0 = 1; l1 = 1 + 0.5(1 − 1) = 1; l2 = 1 + 0.5(2 − 1) = 1.5; l3 = 1.5 + 0.5(3 − 1.5) = 2.25; SSE = 0 + 1 + 2.25.
    expect(ses([1, 2, 3], 0.5)).toEqual({ level: 2.25, sse: 3.25 });
  });

  it("Holt's linear method continues a straight line; damping by 0.5 adds b(φ + φ² + … + φ^h)", () => {
    const line = Array.from({ length: 10 }, (_, i) => i + 1);
    expect(holtWinters(line, 3, { alpha: 1, beta: 1, phi: 1 }).forecast).toEqual([11, 12, 13]);
    const damped = holtWinters(line, 3, { alpha: 1, beta: 1, phi: 0.5 }).forecast;
    // Level 10, trend 1 at the end (each step the trend is re-learnt exactly with beta 1).
    expect(damped[0]).toBeCloseTo(10 + 0.5, 9);
    expect(damped[1]).toBeCloseTo(10 + 0.5 + 0.25, 9);
    expect(damped[2]).toBeCloseTo(10 + 0.5 + 0.25 + 0.125, 9);
  });

  it('Holt-Winters reproduces an exactly repeating year', () => {
    const y = [...PATTERN, ...PATTERN, ...PATTERN];
    const f = holtWintersDamped(y, 12);
    for (const [i, v] of f.entries()) expect(v).toBeCloseTo(PATTERN[i]!, 6);
  });

  it('Theta forecasts a straight line with half its slope from the smoothed level (Hyndman & Billah 2003)', () => {
    const line = Array.from({ length: 10 }, (_, i) => i + 1);
    const f = theta(line, 4);
    // ŷ(h) = ℓn + (b/2)((h − 1) + (1 − (1 − α)^n)/α) with b = 1: consecutive forecasts differ by exactly b/2.
    expect(f[1]! - f[0]!).toBeCloseTo(0.5, 9);
    expect(f[3]! - f[2]!).toBeCloseTo(0.5, 9);
    // α fitted near 1 on a noiseless line: ℓn ≈ 10 and the first step ≈ 10.5.
    expect(f[0]!).toBeCloseTo(10.5, 1);
  });

  it('Theta detects a strong yearly season and keeps it in the forecast', () => {
    const y = [...PATTERN, ...PATTERN, ...PATTERN].map((v, i) => v + i * 0.1);
    expect(isSeasonal(y)).toBe(true);
    const f = theta(y, 12);
    // The peak month stays the peak, the trough the trough.
    expect(f.indexOf(Math.max(...f))).toBe(PATTERN.indexOf(140));
    expect(f.indexOf(Math.min(...f))).toBe(PATTERN.indexOf(60));
    expect(isSeasonal(Array.from({ length: 36 }, (_, i) => (i % 2 === 0 ? 10 : 11)))).toBe(false);
  });
});

describe('accuracy measures', () => {
  it('MASE scale is the mean yearly change with two years of history, the monthly change below', () => {
    expect(maseScale([1, 3, 2])).toBe(1.5);
    const y = [...PATTERN, ...PATTERN.map((v) => v + 12)];
    expect(maseScale(y)).toBe(12);
  });

  it('sMAPE and R-type-7 quantiles', () => {
    expect(smapeTerm(100, 50)).toBeCloseTo(66.667, 3);
    expect(smapeTerm(0, 0)).toBe(0);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.1)).toBeCloseTo(1.9, 12);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 12);
  });

  it('rolling origins: the latest ones whose horizon is known, each keeping the minimum training window', () => {
    const y = Array.from({ length: 40 }, (_, i) => 100 + (i % 12));
    const bt = backtest(y, 12, ['mean12', 'seasonal_naive'], { maxOrigins: 8, minTrain: 24 })!;
    expect(bt.origins).toBe(5); // origins 28, 27, 26, 25, 24
    expect(bt.scores.seasonal_naive!.mase).toBe(0);
    expect(bt.scores.seasonal_naive!.errors).toHaveLength(5 * 12);
    expect(backtest(y.slice(0, 30), 12, ['mean12'], { maxOrigins: 8, minTrain: 24 })).toBeUndefined();
  });
});

describe('messy histories', () => {
  it('months without spend are zero, not missing', () => {
    const totals = new Map([
      ['2012-01', 10],
      ['2012-04', -3],
      ['2012-07', 5],
    ]);
    expect(denseMonthly(totals, '2012-06')).toEqual({ start: '2012-01', values: [10, 0, 0, -3, 0, 0] });
    expect(addMonths('2012-11', 3)).toBe('2013-02');
    expect(monthsBetween('2012-11', '2013-02')).toBe(4);
  });

  it('picks a method per series by back-test and gives intervals from the back-test errors', () => {
    const y = Array.from({ length: 48 }, (_, i) => PATTERN[i % 12]! * (1 + i / 100) + ((i * 37) % 11) - 5);
    const f = forecastSeries(y, '2009-01', 3);
    expect(f.backtest!.origins).toBe(12);
    expect(f.points.map((p) => p.month)).toEqual(['2013-01', '2013-02', '2013-03']);
    const chosen = f.backtest!.methods[f.method as 'theta']!;
    for (const m of Object.values(f.backtest!.methods)) expect(chosen.mase!).toBeLessThanOrEqual(m.mase!);
    for (const p of f.points) expect(p.lo80).toBeLessThanOrEqual(p.hi80);
    expect(f.total.forecast).toBeCloseTo(f.points.reduce((s, p) => s + p.forecast, 0), 6);
  });

  it('credit notes make months negative and are flagged, not dropped', () => {
    const y = Array.from({ length: 30 }, (_, i) => (i === 20 ? -500 : 1000 + (i % 3) * 50));
    const f = forecastSeries(y, '2010-01', 3);
    expect(f.flags).toContainEqual({ kind: 'negative_months', months: ['2011-09'] });
  });

  it('a short series falls back and says so; too short to test at this horizon uses the average', () => {
    const y = [100, 120, 90, 110, 105, 95, 100, 130, 80, 100];
    const f = forecastSeries(y, '2013-01', 3);
    expect(f.flags[0]).toEqual({ kind: 'short', months: 10 });
    expect(f.backtest).not.toBeNull();
    const tiny = forecastSeries([100, 200, 150], '2013-01', 3);
    expect(tiny.method).toBe('mean12');
    expect(tiny.flags[0]).toEqual({ kind: 'no_backtest', months: 3 });
    expect(tiny.points[0]!.forecast).toBe(150);
  });

  it('a series with no spend in its last six months is not forecast to continue', () => {
    const y = [...Array.from({ length: 30 }, () => 1000), 0, 0, 0, 0, 0, 0];
    const f = forecastSeries(y, '2010-01', 3);
    expect(f.method).toBe('stopped');
    expect(f.flags[0]).toEqual({ kind: 'stopped', lastSpend: '2012-06' });
    expect(f.points.every((p) => p.forecast === 0)).toBe(true);
  });

  it('spend that resumes after a year without any starts the history afresh', () => {
    const y = [...Array.from({ length: 30 }, () => 5000), ...Array.from({ length: 14 }, () => 0), ...Array.from({ length: 10 }, () => 100)];
    const f = forecastSeries(y, '2010-01', 3);
    expect(f.flags).toContainEqual({ kind: 'restarted', at: '2013-09', emptyMonths: 14 });
    expect(f.flags).toContainEqual({ kind: 'short', months: 10 });
    expect(f.points[0]!.forecast).toBeCloseTo(100, 6);
  });

  it('a range always holds its own forecast', () => {
    // Rising steadily: every back-test of the trailing mean erred the same way.
    const y = Array.from({ length: 40 }, (_, i) => 100 + i * 10);
    const f = forecastSeries(y, '2010-01', 3);
    for (const p of f.points) expect(p.lo80 <= p.forecast && p.forecast <= p.hi80).toBe(true);
    expect(f.total.lo80 <= f.total.forecast && f.total.forecast <= f.total.hi80).toBe(true);
  });

  it('a clear level shift is noted with the month it happened; noise alone is not', () => {
    const y = Array.from({ length: 48 }, (_, i) => (i < 30 ? 1000 : 3000) + ((i * 37) % 11) * 10);
    expect(levelShift(y, '2009-01')).toMatchObject({ kind: 'level_shift', at: '2011-07' });
    const noisy = Array.from({ length: 48 }, (_, i) => 1000 + ((i * 37) % 11) * 10);
    expect(levelShift(noisy, '2009-01')).toBeUndefined();
  });
});

describe('prediction intervals', () => {
  it('take split-conformal order statistics of past errors, the extremes when there are few', () => {
    const errors = Array.from({ length: 19 }, (_, i) => i - 9); // -9 … 9
    // n = 19: the ⌊20·0.1⌋ = 2nd and ⌈20·0.9⌉ = 18th smallest.
    expect(errorBounds(errors)).toEqual({ lo: -8, hi: 8 });
    expect(errorBounds([3, -1, 2])).toEqual({ lo: -1, hi: 3 });
  });

  it('widen with the step ahead', () => {
    const y = Array.from({ length: 48 }, (_, i) => 1000 + ((i * 37) % 11) * 40);
    const f = forecastSeries(y, '2009-01', 6);
    const width = f.points.map((p) => p.hi80 - p.lo80);
    expect(width[5]! / width[0]!).toBeCloseTo(Math.sqrt(6), 6);
  });
});
