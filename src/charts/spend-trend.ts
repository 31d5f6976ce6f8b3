// The spend trend as a chart: one bar per period (month, quarter or year) for one currency, the same series the
// Spend page's table lists. The figures are drawn from the exact decimal totals; the table beside it stays the record.
import type * as vl from 'vega-lite';
import type { Period, TrendSeries } from '../db/queries/spend.js';
import { formatMoney } from '../domain/money.js';
import type { ChartLabel } from './render.js';

/** The Vega-Lite specification: bars per period, in the order the periods run. */
export function spendTrendSpec(series: TrendSeries, period: Period, width = 640): vl.TopLevelSpec {
  const values = series.points.map((p) => ({ period: p.label, spend: Number(p.total), payments: p.count }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width,
    height: Math.round(width * 0.35),
    background: 'white',
    data: { values },
    mark: { type: 'bar', color: '#4c78a8' },
    encoding: {
      x: { field: 'period', type: 'ordinal', sort: null, title: period[0]!.toUpperCase() + period.slice(1), axis: { labelAngle: values.length > 12 ? -45 : 0 } },
      y: { field: 'spend', type: 'quantitative', title: `Spend (${series.currency})`, axis: { format: ',.0f' } },
    },
  };
}

/** What the chart says, for screen readers: the range, the total and the highest and lowest periods. */
export function spendTrendLabel(series: TrendSeries, period: Period): ChartLabel {
  const points = series.points;
  const title = `Spend by ${period} in ${series.currency}`;
  if (points.length === 0) return { id: `trend-${period}-${series.currency}`, title, description: 'No spend in this period.' };
  const money = (v: string) => formatMoney(v, series.currency);
  const byTotal = [...points].sort((a, b) => Number(a.total) - Number(b.total));
  const low = byTotal[0]!;
  const high = byTotal.at(-1)!;
  return {
    id: `trend-${period}-${series.currency}`,
    title,
    description: `Bar chart of ${points.length} ${period}s from ${points[0]!.label} to ${points.at(-1)!.label}: highest ${high.label} at ${money(high.total)}, lowest ${low.label} at ${money(low.total)}. The table below lists every ${period}.`,
  };
}
