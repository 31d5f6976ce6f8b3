// forecast_demand: monthly quantities forecast per item or category and unit of measure, from purchase order
// lines (ordered) or goods receipts (received), each series by the method that did best in back-tests on its
// own history; the same shape as forecast_spend with `unit` in place of `currency`.
import { z } from 'zod';
import { type DemandBasis, lastDemandDate, matchDemandKeys, monthlyDemand } from '../../../src/db/queries/demand-monthly.js';
import { forecastSeries } from '../../../src/forecast/forecast.js';
import { completeMonthOf } from '../../../src/forecast/history.js';
import { METHOD_LABELS, type MethodName } from '../../../src/forecast/methods.js';
import { addMonths, denseMonthly, monthLabel } from '../../../src/domain/months.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { textTable } from '../../shared/format.js';
import { guarded, toolError, toolResult } from '../../shared/result.js';
import { READ_ONLY } from '../../spend/tools/common.js';
import { methodSummary, methodSummaryFields, type SeriesCore, seriesCore, seriesFields } from './series-output.js';

const inputSchema = {
  group_by: z.enum(['item', 'category']).describe('One series per item (its SKU, else its description) or per category code.'),
  key: z
    .string()
    .min(1)
    .max(200, 'key must be at most 200 characters')
    .optional()
    .describe('Only this item (SKU or description, exact first, else a whole word of the description) or category code (exact, else a prefix such as "4321").'),
  horizon_months: z.number().int().min(1, 'horizon_months is 1 to 24').max(24, 'horizon_months is 1 to 24').describe('Months to forecast after the last complete month of the data, 1-24.'),
  basis: z
    .enum(['ordered', 'received'])
    .default('ordered')
    .describe('"ordered": quantities on purchase order lines by order date (default); "received": goods receipts by receipt date.'),
  limit: z.number().int().min(1).max(50, 'limit is at most 50 series').default(10).describe('Without a key: the series with the most units over their last 12 months, at most this many.'),
};

const quantity = z.string().describe('Quantity in the series unit, as a decimal string.');

const seriesOutput = z.object({ ...seriesFields(quantity), unit: z.string() });

const outputSchema = z.object({
  group_by: z.enum(['item', 'category']),
  basis: z.enum(['ordered', 'received']),
  matched: z.object({ by: z.string(), names: z.array(z.string()) }).nullable(),
  history_to: z.string().nullable(),
  horizon: z.object({ months: z.number().int(), from: z.string(), to: z.string() }).nullable(),
  series: z.array(seriesOutput),
  summary: z.object({ ...methodSummaryFields, totals: z.array(z.object({ unit: z.string(), forecast: quantity, series: z.number().int() })) }),
  notes: z.array(z.string()),
});

export type ForecastDemandOutput = z.infer<typeof outputSchema>;
type SeriesOut = z.infer<typeof seriesOutput>;

// Quantities keep two decimals at most ("12.5", "40").
const qty = (v: number) => {
  const s = (Math.round(v * 100) / 100).toFixed(2).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
};

/** Registers `forecast_demand`. */
export const registerForecastDemandTool: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'forecast_demand',
    {
      title: 'Forecast demand',
      description:
        'Forecasts monthly quantities per item or category for the next 1-24 months from purchase order lines (ordered) or goods receipts (received), up to the last complete month of that data; one series per unit of measure (never added across units). Each series gets the method that did best in rolling-origin back-tests on its own history, with MASE/sMAPE against the naive baselines and 80% ranges from the back-test errors.',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY,
    },
    guarded('forecast_demand', deps.log, async (args) => {
      const basis: DemandBasis = args.basis;
      const notes: string[] = [];
      let matched: ForecastDemandOutput['matched'] = null;
      let keys: string[] | undefined;
      if (args.key !== undefined) {
        const m = await matchDemandKeys(deps.database, args.group_by, args.key);
        if (m.keys.length === 0) return toolError(`No ${args.group_by === 'item' ? 'item has the SKU or description' : 'category code is or starts with'} "${args.key}" on any purchase order line.`);
        matched = { by: m.matchedBy, names: m.labels };
        keys = m.keys;
      }
      const last = await lastDemandDate(deps.database, basis);
      const empty = { group_by: args.group_by, basis, matched, history_to: null, horizon: null, series: [], notes };
      if (!last) {
        return toolResult(`No ${basis === 'ordered' ? 'purchase order lines' : 'goods receipts'} are recorded, so there is nothing to forecast from.`, {
          ...empty,
          summary: { ...methodSummary([]), totals: [] },
        });
      }
      const anchor = completeMonthOf(last, deps.now());
      if (anchor.note) notes.push(anchor.note);
      const groups = new Map<string, { key: string; label: string; unit: string; totals: Map<string, number>; lines: number }>();
      for (const r of await monthlyDemand(deps.database, args.group_by, basis, keys)) {
        const id = `${r.key}\u0000${r.unit}`;
        const g = groups.get(id) ?? { key: r.key, label: r.label, unit: r.unit, totals: new Map<string, number>(), lines: 0 };
        g.totals.set(r.month, Number(r.total));
        g.lines += r.lines;
        groups.set(id, g);
      }
      let histories = [...groups.values()].flatMap((g) => {
        const d = denseMonthly(g.totals, anchor.month);
        return d ? [{ ...g, ...d }] : [];
      });
      if (!keys && histories.length > args.limit) {
        const recent = (h: { values: number[] }) => h.values.slice(-12).reduce((s, v) => s + Math.abs(v), 0);
        histories = histories.sort((a, b) => recent(b) - recent(a)).slice(0, args.limit);
        notes.push(`The ${args.limit} series with the most units over their last 12 months are shown; pass key for another.`);
      }
      const words = basis === 'ordered' ? { word: 'orders', negatives: 'returns or corrections' } : { word: 'receipts', negatives: 'returns or corrections' };
      const series: SeriesOut[] = histories.map((h) => {
        const core: SeriesCore = seriesCore(h, forecastSeries(h.values, h.start, args.horizon_months), qty, (v) => `${qty(v)} ${h.unit}`, words);
        return { ...core, unit: h.unit };
      });
      const totals = new Map<string, { f: number; n: number }>();
      for (const s of series) {
        const t = totals.get(s.unit) ?? { f: 0, n: 0 };
        totals.set(s.unit, { f: t.f + Number(s.total.forecast), n: t.n + 1 });
      }
      if (series.length === 0) notes.push(`Nothing ${basis} up to ${monthLabel(anchor.month)} matches.`);
      const from = addMonths(anchor.month, 1);
      const to = addMonths(anchor.month, args.horizon_months);
      const out: ForecastDemandOutput = {
        ...empty,
        history_to: anchor.month,
        horizon: { months: args.horizon_months, from, to },
        series,
        summary: { ...methodSummary(series), totals: [...totals].map(([unit, t]) => ({ unit, forecast: qty(t.f), series: t.n })) },
      };
      const span = args.horizon_months === 1 ? monthLabel(from) : `${monthLabel(from)} – ${monthLabel(to)}`;
      const lines = series.map((s) => {
        if (s.method === 'stopped') return `${s.label}: nothing forecast for ${span} (${s.flags[0]}).`;
        const how = s.backtest ? `${METHOD_LABELS[s.method as MethodName]}, MASE ${s.backtest.mase ?? 'n/a'} over ${s.backtest.origins} origins` : 'trailing average, not back-tested';
        return `${s.label}, ${span}: ${s.total.forecast} ${s.unit}, likely between ${s.total.lo80} and ${s.total.hi80} (80%). Method: ${how}.`;
      });
      if (series.length === 0) lines.push(`Nothing to forecast: no ${basis} quantities match up to ${monthLabel(anchor.month)}.`);
      for (const s of series) if (s.flags.length > 0) lines.push(`${s.label}: ${s.flags.join('; ')}.`);
      lines.push(...notes);
      for (const s of series.slice(0, 3)) {
        lines.push('', `${s.label} (${s.unit})`, textTable(['month', 'forecast', 'low 80%', 'high 80%'], s.points.map((p) => [monthLabel(p.period), p.forecast, p.lo80, p.hi80])));
      }
      return toolResult(lines.join('\n'), out);
    }),
  );
};
