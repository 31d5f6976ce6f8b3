// A forecast as a picture: the recent history, the forecast and its 80% range, as a Vega-Lite chart rendered on
// the server to SVG (for the web) or PNG (for chat uploads and MCP image content). No browser, no canvas.
import type * as vl from 'vega-lite';
import { renderPng, renderSvg } from '../charts/render.js';

export type ChartSeries = {
  title: string;
  /** What the values are in: a currency code or a unit. */
  measure: string;
  history: { period: string; value: number }[];
  forecast: { period: string; forecast: number; lo80: number; hi80: number }[];
};

/** Months of history drawn before the forecast. */
export const CHART_HISTORY_MONTHS = 36;

/** The Vega-Lite specification: history as a solid line, the forecast dashed, the 80% range as a band. */
export function chartSpec(s: ChartSeries, width = 640): vl.TopLevelSpec {
  const history = s.history.slice(-CHART_HISTORY_MONTHS).map((p) => ({ month: `${p.period}-01`, value: p.value, kind: 'History' }));
  const last = history.at(-1);
  // The forecast line starts from the last actual month so the two lines meet.
  const forecast = [
    ...(last ? [{ month: last.month, value: last.value, lo: last.value, hi: last.value, kind: 'Forecast' }] : []),
    ...s.forecast.map((p) => ({ month: `${p.period}-01`, value: p.forecast, lo: p.lo80, hi: p.hi80, kind: 'Forecast' })),
  ];
  const x = { field: 'month', type: 'temporal' as const, title: null, axis: { format: '%b %Y', labelAngle: -30 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: s.title,
    width,
    height: Math.round(width * 0.45),
    background: 'white',
    layer: [
      {
        data: { values: forecast },
        mark: { type: 'area', opacity: 0.25, color: '#4c78a8' },
        encoding: { x, y: { field: 'lo', type: 'quantitative', title: s.measure }, y2: { field: 'hi' } },
      },
      {
        data: { values: history },
        mark: { type: 'line', color: '#333333' },
        encoding: { x, y: { field: 'value', type: 'quantitative' } },
      },
      {
        data: { values: forecast },
        mark: { type: 'line', color: '#4c78a8', strokeDash: [6, 4] },
        encoding: { x, y: { field: 'value', type: 'quantitative' } },
      },
    ],
  };
}

/** The chart as SVG text. */
export function chartSvg(s: ChartSeries, width = 640): Promise<string> {
  return renderSvg(chartSpec(s, width));
}

/** The chart as a PNG image. */
export function chartPng(s: ChartSeries, width = 640): Promise<Buffer> {
  return renderPng(chartSpec(s, width), width);
}
