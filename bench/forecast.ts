// Spend forecasting: accuracy on real data and speed. Accuracy: the GLA payments archive (2008-2013), monthly,
// the total and the 10 largest categories (case-folded) with at least 36 months of history, horizons 3 and 12.
// For each series and horizon the whole procedure (inner back-test, choice of method, intervals) runs from each
// of the 6 latest outer origins on the history before it, and is scored on the months that followed: MASE and
// sMAPE of every method and of the chosen one, and how often the 80% ranges held the actual month. Speed: 1,000
// generated series of 60 months forecast 12 months ahead (every method, back-test, intervals).
// Usage: node --import tsx bench/forecast.ts [--verbose]. Prints one JSON line.
import { maseScale, smapeTerm } from '../src/forecast/accuracy.js';
import { forecastAll } from '../src/forecast/backtest.js';
import { forecastSeries } from '../src/forecast/forecast.js';
import type { MethodName } from '../src/forecast/methods.js';
import { denseMonthly, monthsBetween } from '../src/domain/months.js';
import { readCsv } from '../src/imports/csv.js';
import { readText } from '../src/imports/decode.js';
import { projectPath } from '../src/paths.js';

const verbose = process.argv.includes('--verbose');
const GLA = projectPath('data', 'spend', 'gla_spend_2008-2013.csv');
const METHODS: MethodName[] = ['seasonal_naive', 'mean12', 'holt_winters_damped', 'theta', 'combination'];
const OUTER_ORIGINS = 6;
const TOP_CATEGORIES = 10;
const MIN_HISTORY = 36;

type Series = { name: string; start: string; values: number[] };

/** Monthly totals of the archive: the whole and per case-folded category, zero-filled to the last month. */
async function glaSeries(): Promise<Series[]> {
  const total = new Map<string, number>();
  const byCategory = new Map<string, Map<string, number>>();
  let last = '';
  let header: string[] | undefined;
  for await (const rec of readCsv(readText(GLA, { encoding: 'latin1' }), { delimiter: ',' })) {
    if ('problem' in rec) continue;
    if (!header) {
      header = rec.fields;
      continue;
    }
    const get = (col: string) => rec.fields[header!.indexOf(col)] ?? '';
    const amount = Number(get('Amount'));
    const month = get('Date').slice(0, 7);
    if (!/^\d{4}-\d{2}$/.test(month) || !Number.isFinite(amount)) continue;
    if (month > last) last = month;
    total.set(month, (total.get(month) ?? 0) + amount);
    const cat = get('AccountDescription').trim().toLowerCase();
    if (!cat) continue;
    const m = byCategory.get(cat) ?? new Map<string, number>();
    m.set(month, (m.get(month) ?? 0) + amount);
    byCategory.set(cat, m);
  }
  const series: Series[] = [{ name: 'total', ...denseMonthly(total, last)! }];
  // History is what a category really has: from its first to its last payment, and still going at the end
  // (the accounts GLA renamed in 2010 have zeros from then on, which any method forecasts perfectly).
  const eligible = [...byCategory]
    .map(([name, m]) => ({ name, ...denseMonthly(m, last)!, sum: [...m.values()].reduce((s, v) => s + v, 0), lastPaid: [...m.keys()].sort().at(-1)! }))
    .filter((s) => monthsBetween(s.start, s.lastPaid) >= MIN_HISTORY && monthsBetween(s.lastPaid, last) <= 3)
    .sort((a, b) => b.sum - a.sum)
    .slice(0, TOP_CATEGORIES);
  return [...series, ...eligible.map(({ name, start, values }) => ({ name, start, values }))];
}

type Acc = { mase: number[]; smape: number[] };

function evaluate(series: Series[], h: number) {
  const perMethod = new Map<string, Acc>([...METHODS, 'chosen'].map((m) => [m, { mase: [], smape: [] }]));
  let covered = 0;
  let points = 0;
  const chosenCount: Record<string, number> = {};
  const perSeries: Record<string, unknown>[] = [];
  for (const s of series) {
    const n = s.values.length;
    const seriesMase: Record<string, number[]> = {};
    let seriesCovered = 0;
    let seriesPoints = 0;
    for (let k = 0; k < OUTER_ORIGINS; k++) {
      const T = n - h - k;
      const train = s.values.slice(0, T);
      const test = s.values.slice(T, T + h);
      const scale = maseScale(train);
      if (scale === 0) continue;
      const fc = forecastSeries(train, s.start, h);
      const all = forecastAll(train, h, METHODS);
      const score = (name: string, f: number[]) => {
        let abs = 0;
        const acc = perMethod.get(name)!;
        for (let i = 0; i < h; i++) {
          abs += Math.abs(test[i]! - f[i]!);
          acc.smape.push(smapeTerm(test[i]!, f[i]!));
        }
        acc.mase.push(abs / h / scale);
        seriesMase[name] = [...(seriesMase[name] ?? []), abs / h / scale];
      };
      for (const m of METHODS) score(m, all[m]!);
      score('chosen', fc.points.map((p) => p.forecast));
      chosenCount[fc.method] = (chosenCount[fc.method] ?? 0) + 1;
      for (let i = 0; i < h; i++) {
        points++;
        seriesPoints++;
        if (test[i]! >= fc.points[i]!.lo80 && test[i]! <= fc.points[i]!.hi80) {
          covered++;
          seriesCovered++;
        }
      }
    }
    if (verbose) {
      perSeries.push({
        series: s.name,
        months: n,
        coverage80: round(seriesCovered / seriesPoints),
        ...Object.fromEntries(Object.entries(seriesMase).map(([m, xs]) => [m, round(xs.reduce((a, b) => a + b, 0) / xs.length)])),
      });
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const med = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const methods = Object.fromEntries(
    [...perMethod].map(([m, a]) => [m, { mase_mean: round(mean(a.mase)), mase_median: round(med(a.mase)), smape: round(mean(a.smape), 1) }]),
  );
  if (verbose) for (const p of perSeries) console.error(JSON.stringify({ h, ...p }));
  return { methods, chosen_by_method: chosenCount, coverage80: round(covered / points), points };
}

function round(x: number, places = 3): number {
  const f = 10 ** places;
  return Math.round(x * f) / f;
}

// A deterministic generator, so every run forecasts the same series.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 1,000 monthly series like real spend: level, trend, season, heavy-tailed noise, empty months, credit notes. */
function generated(count: number, months: number): number[][] {
  const r = rng(42);
  return Array.from({ length: count }, () => {
    const level = 1000 + r() * 100_000;
    const trend = (r() - 0.5) * level * 0.02;
    const season = r() * 0.5;
    return Array.from({ length: months }, (_, t) => {
      const u = r();
      if (u < 0.05) return 0;
      if (u < 0.08) return -level * r() * 0.3;
      const noise = (r() - 0.5) * level * (r() < 0.1 ? 2 : 0.4);
      return level + trend * t + level * season * Math.sin((2 * Math.PI * t) / 12) + noise;
    });
  });
}

const series = await glaSeries();
const accuracy = { h3: evaluate(series, 3), h12: evaluate(series, 12) };
const many = generated(1000, 60);
const started = performance.now();
for (const y of many) forecastSeries(y, '2020-01', 12);
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    bench: 'forecast',
    data: 'GLA payments 2008-04..2013-04, monthly; total + 10 largest categories with >= 36 months',
    series: series.map((s) => `${s.name} (${s.values.length})`),
    outer_origins: OUTER_ORIGINS,
    accuracy,
    speed: { series: many.length, months: 60, horizon: 12, seconds: round(seconds, 2), target_seconds: 10 },
  }),
);
