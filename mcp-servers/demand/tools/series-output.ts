// What forecast_spend and forecast_demand share: one forecast series as structured output (method, back-test
// against the baselines, points, total, flags in words), its schema, and the summary over series.
import { z } from 'zod';
import type { SeriesFlag, SeriesForecast } from '../../../src/forecast/forecast.js';
import { addMonths, monthLabel } from '../../../src/domain/months.js';

const METHOD_NAMES = ['seasonal_naive', 'mean12', 'holt_winters_damped', 'theta', 'combination'] as const;

const mase = z.number().nullable().describe('Mean absolute scaled error over the back-test (below 1 beats the in-sample seasonal naive step); null for a constant history.');

/** The fields every forecast series has; `amount` describes its figures (money or quantities). */
export function seriesFields(amount: z.ZodString) {
  return {
    key: z.string(),
    label: z.string(),
    method: z.enum([...METHOD_NAMES, 'stopped']).describe('The method chosen by back-test, or "stopped" for a series with nothing in its last 6 months.'),
    backtest: z
      .object({
        origins: z.number().int().describe('Rolling origins tested, each forecasting horizon_months ahead.'),
        mase,
        smape: z.number().describe('Symmetric MAPE in percent.'),
        baselines: z.object({ seasonal_naive: z.object({ mase }), mean12: z.object({ mase }) }),
        methods: z.record(z.string(), z.object({ mase, smape: z.number() })).describe('Every method tried, by name.'),
      })
      .nullable()
      .describe('Null when the history is too short to test at this horizon, or the series stopped.'),
    history: z
      .object({
      from: z.string(),
      to: z.string(),
      months: z.number().int(),
      lines: z.number().int(),
      last12: amount.describe('The last 12 months of history summed (all of it when shorter): what a forecast is compared with.'),
    })
      .describe('The history forecast from: after a restart (a year or more without any), only what followed it.'),
    points: z.array(z.object({ period: z.string().describe('YYYY-MM'), forecast: amount, lo80: amount, hi80: amount })),
    total: z.object({ forecast: amount, lo80: amount, hi80: amount }).describe('The horizon summed, with its own 80% range.'),
    flags: z.array(z.string()).describe('What to know about this history: short, stopped, negative months, level shift, restart.'),
  };
}

/** How the methods fared over the series (the summary every forecast tool returns besides its totals). */
export const methodSummaryFields = {
  series: z.number().int(),
  methods: z.record(z.string(), z.number().int()).describe('How many series each method was chosen for.'),
  backtested: z.number().int(),
  beat_seasonal_naive: z.number().int().describe('Back-tested series whose chosen method had a lower MASE than seasonal naive.'),
  beat_mean12: z.number().int(),
  median_mase: z.number().nullable(),
};

type Fields = ReturnType<typeof seriesFields>;
export type SeriesCore = { [K in keyof Fields]: z.infer<Fields[K]> };

const r3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);

/** What a series counts, in words: "spend" and credit notes, or "orders" and returns. */
export type SeriesWords = { word: string; negatives: string };

/** A flag in words; `amount` writes a level (money or a quantity). */
export function flagText(f: SeriesFlag, amount: (v: number) => string, { word, negatives }: SeriesWords = { word: 'spend', negatives: 'credit notes' }): string {
  switch (f.kind) {
    case 'stopped':
      return `no ${word} since ${monthLabel(f.lastSpend)}: not forecast to continue`;
    case 'short':
      return `only ${f.months} month${f.months === 1 ? '' : 's'} of history: seasonal methods need 24, so their non-seasonal forms were tested`;
    case 'no_backtest':
      return `only ${f.months} month${f.months === 1 ? '' : 's'} of history, too few to back-test at this horizon: the plain average, with the spread of past months as the range`;
    case 'negative_months':
      return `${f.months.length} month${f.months.length === 1 ? '' : 's'} net negative (${negatives}), kept as they are: ${f.months.slice(0, 5).map(monthLabel).join(', ')}${f.months.length > 5 ? ', …' : ''}`;
    case 'zero_months':
      return `${f.count} month${f.count === 1 ? '' : 's'} without ${word} counted as zero`;
    case 'restarted':
      return `history taken from ${monthLabel(f.at)}, when ${word} resumed after ${f.emptyMonths} months without any`;
    case 'level_shift':
      return `level changed around ${monthLabel(f.at)}: about ${amount(f.before)} a month before, ${amount(f.after)} after`;
  }
}

/** One series' output, `format` writing its figures as exact decimal strings. */
export function seriesCore(
  h: { key: string; label: string; start: string; values: number[]; lines: number },
  f: SeriesForecast,
  format: (v: number) => string,
  text: (v: number) => string,
  words?: SeriesWords,
): SeriesCore {
  const bt = f.backtest;
  return {
    key: h.key,
    label: h.label,
    method: f.method,
    backtest: bt
      ? {
          origins: bt.origins,
          mase: r3(bt.chosen.mase),
          smape: Math.round(bt.chosen.smape * 10) / 10,
          baselines: {
            seasonal_naive: { mase: r3(bt.methods.seasonal_naive?.mase ?? null) },
            mean12: { mase: r3(bt.methods.mean12?.mase ?? null) },
          },
          methods: Object.fromEntries(Object.entries(bt.methods).map(([m, a]) => [m, { mase: r3(a.mase), smape: Math.round(a.smape * 10) / 10 }])),
        }
      : null,
    history: {
      from: f.start,
      to: addMonths(f.start, f.months - 1),
      months: f.months,
      lines: h.lines,
      last12: format(h.values.slice(-Math.min(12, f.months)).reduce((a, v) => a + v, 0)),
    },
    points: f.points.map((p) => ({ period: p.month, forecast: format(p.forecast), lo80: format(p.lo80), hi80: format(p.hi80) })),
    total: { forecast: format(f.total.forecast), lo80: format(f.total.lo80), hi80: format(f.total.hi80) },
    flags: f.flags.map((x) => flagText(x, text, words)),
  };
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Methods chosen, series back-tested, and how many beat each baseline. */
export function methodSummary(series: SeriesCore[]) {
  const methods: Record<string, number> = {};
  for (const s of series) methods[s.method] = (methods[s.method] ?? 0) + 1;
  const tested = series.filter((s) => s.backtest?.mase != null);
  const beat = (b: 'seasonal_naive' | 'mean12') =>
    tested.filter((s) => s.backtest!.baselines[b].mase !== null && s.backtest!.mase! < s.backtest!.baselines[b].mase!).length;
  return {
    series: series.length,
    methods,
    backtested: series.filter((s) => s.backtest).length,
    beat_seasonal_naive: beat('seasonal_naive'),
    beat_mean12: beat('mean12'),
    median_mase: r3(median(tested.map((s) => s.backtest!.mase!))),
  };
}
