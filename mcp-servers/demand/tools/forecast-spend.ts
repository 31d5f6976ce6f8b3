// forecast_spend: monthly spend forecasts per series (the whole organisation, a category, a supplier or a
// department; per currency), each by the method that did best when back-tested on the series' own history at
// the asked horizon, with 80% ranges from those back-test errors.
import { z } from 'zod';
import { chartPng, chartSvg } from '../../../src/forecast/chart.js';
import { forecastSeries, type SeriesForecast } from '../../../src/forecast/forecast.js';
import { type History, lastCompleteMonth, loadHistories, type Matched, resolveKey } from '../../../src/forecast/history.js';
import { METHOD_LABELS, type MethodName } from '../../../src/forecast/methods.js';
import { approxMoney, decimalOf } from '../../../src/forecast/money-text.js';
import { addMonths, monthLabel } from '../../../src/domain/months.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { textTable } from '../../shared/format.js';
import { guarded, toolError, toolResult } from '../../shared/result.js';
import { READ_ONLY } from '../../spend/tools/common.js';
import { methodSummary, methodSummaryFields, seriesCore, seriesFields } from './series-output.js';

const inputSchema = {
  group_by: z
    .enum(['total', 'category', 'supplier', 'department'])
    .describe('What one series is: "total" (all spend), or one per category, supplier or department.'),
  key: z
    .string()
    .min(1)
    .max(200, 'key must be at most 200 characters')
    .optional()
    .describe(
      'Only this category, supplier or department. Matched by exact name first (any case); a category or department otherwise by whole word ("IT" → every category with the word IT, forecast as one series); a supplier by id, name, alias or close spelling.',
    ),
  horizon_months: z.number().int().min(1, 'horizon_months is 1 to 24').max(24, 'horizon_months is 1 to 24').describe('Months to forecast after the last complete month of the data, 1-24.'),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'currency must be a 3-letter ISO 4217 code such as GBP')
    .optional()
    .describe('Only spend in this ISO 4217 currency. Omit for every currency, each its own series.'),
  chart: z
    .enum(['png', 'svg'])
    .optional()
    .describe('Also return a chart of the first series (recent history, forecast, 80% range) as an image: "png" or "svg".'),
  limit: z
    .number()
    .int()
    .min(1)
    .max(50, 'limit is at most 50 series')
    .default(10)
    .describe('Without a key: the series with the most spend over their last 12 months, at most this many (default 10).'),
};

const amount = z.string().describe('Exact decimal in the series currency.');

const seriesOutput = z.object({ ...seriesFields(amount), currency: z.string() });

const outputSchema = z.object({
  group_by: z.enum(['total', 'category', 'supplier', 'department']),
  matched: z.object({ by: z.string(), names: z.array(z.string()) }).nullable().describe('What the key matched, and how.'),
  history_to: z.string().nullable().describe('The last complete month of the data (YYYY-MM): forecasts start the month after.'),
  horizon: z.object({ months: z.number().int(), from: z.string(), to: z.string() }).nullable(),
  series: z.array(seriesOutput),
  summary: z.object({
    ...methodSummaryFields,
    totals: z.array(z.object({ currency: z.string(), forecast: amount, lo80: amount, hi80: amount, series: z.number().int() })),
  }),
  notes: z.array(z.string()),
});

export type ForecastSpendOutput = z.infer<typeof outputSchema>;
type SeriesOut = z.infer<typeof seriesOutput>;

function seriesOut(h: History, f: SeriesForecast): SeriesOut {
  const c = h.currency;
  return { ...seriesCore(h, f, (v) => decimalOf(v, c), (v) => approxMoney(v, c)), currency: c };
}

function summarise(series: SeriesOut[], totals: Map<string, { f: number; lo: number; hi: number; n: number }>): ForecastSpendOutput['summary'] {
  return {
    ...methodSummary(series),
    totals: [...totals].map(([currency, t]) => ({
      currency,
      forecast: decimalOf(t.f, currency),
      lo80: decimalOf(t.lo, currency),
      hi80: decimalOf(t.hi, currency),
      series: t.n,
    })),
  };
}

function headline(s: SeriesOut, horizon: string): string {
  const c = s.currency;
  const range = `likely between ${approxMoney(Number(s.total.lo80), c)} and ${approxMoney(Number(s.total.hi80), c)}`;
  if (s.method === 'stopped') return `${s.label} (${c}), ${horizon}: nothing forecast (${s.flags[0]}).`;
  const how = s.backtest
    ? `${METHOD_LABELS[s.method as MethodName]}, back-tested from ${s.backtest.origins} origins: MASE ${s.backtest.mase ?? 'n/a'} (seasonal naive ${s.backtest.baselines.seasonal_naive.mase ?? 'n/a'}, 12-month mean ${s.backtest.baselines.mean12.mase ?? 'n/a'}), sMAPE ${s.backtest.smape}%`
    : 'trailing average, not back-tested';
  return `${s.label} (${c}), ${horizon}: ${approxMoney(Number(s.total.forecast), c)}, ${range} (80%). Method: ${how}.`;
}

/** Registers `forecast_spend`. */
export const registerForecastSpendTool: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'forecast_spend',
    {
      title: 'Forecast spend',
      description:
        'Forecasts monthly spend for the next 1-24 months from the organisation\'s own spend history up to the last complete month of the data: in total, or per category, supplier or department, per currency (never mixed). Each series gets the method (seasonal naive, trailing 12-month mean, damped Holt-Winters, Theta, or their combination) that did best in rolling-origin back-tests on its own history, with MASE/sMAPE against the naive baselines and 80% ranges from the back-test errors. Notes say when a history is short, stopped, has credit-note months or changed level.',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY,
    },
    guarded('forecast_spend', deps.log, async (args) => {
      const currency = args.currency?.toUpperCase();
      const notes: string[] = [];
      let matched: Matched | null = null;
      let keys: string[] | undefined;
      if (args.key !== undefined && args.group_by !== 'total') {
        const r = await resolveKey(deps, args.group_by, args.key);
        if (!r.ok) return toolError(r.message);
        matched = r.matched;
        keys = r.keys;
        if (r.matched.by === 'word' && r.keys.length > 1) {
          notes.push(`"${args.key}" is a word in ${r.keys.length} ${args.group_by === 'category' ? 'categories' : 'departments'}, forecast as one series: ${r.matched.names.join('; ')}.`);
        }
      } else if (args.key !== undefined) {
        notes.push('key is ignored with group_by "total".');
      }
      const anchor = await lastCompleteMonth(deps);
      const empty = { group_by: args.group_by, matched, history_to: null, horizon: null, series: [], notes };
      if (!anchor) {
        return toolResult('No spend is recorded, so there is nothing to forecast from.', { ...empty, summary: summarise([], new Map()) });
      }
      if (anchor.note) notes.push(anchor.note);
      const combineAs = matched && matched.by === 'word' && keys && keys.length > 1 ? args.key : undefined;
      let histories = await loadHistories(deps, args.group_by, {
        ...(keys ? { keys } : {}),
        ...(currency ? { currency } : {}),
        last: anchor.month,
        ...(combineAs ? { combineAs } : {}),
      });
      if (!keys && histories.length > args.limit) {
        const recent = (h: History) => h.values.slice(-12).reduce((s, v) => s + Math.abs(v), 0);
        histories = [...histories].sort((a, b) => recent(b) - recent(a)).slice(0, args.limit);
        notes.push(`The ${args.limit} series with the most spend over their last 12 months are shown; pass key for another.`);
      }
      const from = addMonths(anchor.month, 1);
      const to = addMonths(anchor.month, args.horizon_months);
      const series = histories.map((h) => seriesOut(h, forecastSeries(h.values, h.start, args.horizon_months)));
      const totals = new Map<string, { f: number; lo: number; hi: number; n: number }>();
      for (const s of series) {
        const t = totals.get(s.currency) ?? { f: 0, lo: 0, hi: 0, n: 0 };
        totals.set(s.currency, { f: t.f + Number(s.total.forecast), lo: t.lo + Number(s.total.lo80), hi: t.hi + Number(s.total.hi80), n: t.n + 1 });
      }
      if (series.length > 1) notes.push('Summary ranges add the series\' ranges, so they are wider than a joint range would be.');
      if (series.length === 0) notes.push(`No spend matches up to ${monthLabel(anchor.month)}${currency ? ` in ${currency}` : ''}.`);
      const out: ForecastSpendOutput = {
        ...empty,
        history_to: anchor.month,
        horizon: { months: args.horizon_months, from, to },
        series,
        summary: summarise(series, totals),
      };
      const span = args.horizon_months === 1 ? monthLabel(from) : `${monthLabel(from)} – ${monthLabel(to)}`;
      const lines = series.length === 0 ? [`Nothing to forecast: no spend matches up to ${monthLabel(anchor.month)}.`] : series.map((s) => headline(s, span));
      for (const s of series) {
        if (s.flags.length > 0) lines.push(`${s.label}: ${s.flags.join('; ')}.`);
      }
      lines.push(...notes);
      for (const s of series.slice(0, 3)) {
        lines.push(
          '',
          `${s.label} (${s.currency})`,
          textTable(['month', 'forecast', 'low 80%', 'high 80%'], s.points.map((p) => [monthLabel(p.period), p.forecast, p.lo80, p.hi80])),
        );
      }
      const result = toolResult(lines.join('\n'), out);
      const first = series[0];
      const firstHistory = histories[0];
      if (args.chart && first && firstHistory) {
        const chart = {
          title: `${first.label} (${first.currency}): history and forecast, 80% range`,
          measure: first.currency,
          history: firstHistory.values.map((value, i) => ({ period: addMonths(firstHistory.start, i), value })),
          forecast: first.points.map((p) => ({ period: p.period, forecast: Number(p.forecast), lo80: Number(p.lo80), hi80: Number(p.hi80) })),
        };
        result.content.push(
          args.chart === 'png'
            ? { type: 'image', mimeType: 'image/png', data: (await chartPng(chart)).toString('base64') }
            : { type: 'image', mimeType: 'image/svg+xml', data: Buffer.from(await chartSvg(chart)).toString('base64') },
        );
      }
      return result;
    }),
  );
};
