// The Forecast page: monthly spend forecasts in total or per category, supplier or department (per currency,
// never mixed), from the same history and methods as the forecast_spend tool (src/forecast): each series by the
// method that did best when back-tested on its own history, with its 80% range, drawn by the shared chart renderer
// (server-side SVG with a title and description) above a table of the months.
import type { Hono } from 'hono';
import { html, raw } from 'hono/html';
import { renderSvg } from '../../charts/render.js';
import type { Database } from '../../db/client.js';
import { formatMoney } from '../../domain/money.js';
import { chartSpec } from '../../forecast/chart.js';
import { forecastSeries } from '../../forecast/forecast.js';
import { type History, lastCompleteMonth, loadHistories, resolveKey } from '../../forecast/history.js';
import { METHOD_LABELS } from '../../forecast/methods.js';
import { approxMoney, decimalOf } from '../../forecast/money-text.js';
import { addMonths, monthLabel } from '../../domain/months.js';
import { page, table } from '../layout.js';
import type { Signed } from '../signed.js';

const GROUPS = ['total', 'category', 'supplier', 'department'] as const;
const MAX_SERIES = 5;

/** Mounts GET /forecast. */
export function mountForecast(app: Hono, deps: { database: Database; signed: Signed; now: () => Date }): void {
  app.get('/forecast', async (c) => {
    const s = deps.signed(c);
    if (!s) return c.redirect('/sign-in', 303);
    const q = (k: string) => (c.req.query(k) ?? '').trim().slice(0, 200);
    const groupBy = GROUPS.find((g) => g === q('group_by')) ?? 'total';
    const horizon = /^\d{1,2}$/.test(q('horizon')) && Number(q('horizon')) >= 1 && Number(q('horizon')) <= 24 ? Number(q('horizon')) : 12;
    const currency = /^[A-Za-z]{3}$/.test(q('currency')) ? q('currency').toUpperCase() : undefined;
    const key = groupBy === 'total' ? '' : q('key');
    const form = html`<form method="get" action="/forecast" class="filters">
<div><label for="group_by">Forecast</label><select id="group_by" name="group_by">${GROUPS.map((g) => html`<option value="${g}"${g === groupBy ? ' selected' : ''}>${g === 'total' ? 'all spend' : `by ${g}`}</option>`)}</select></div>
<div><label for="key">Name (optional)</label><input id="key" name="key" value="${key}"></div>
<div><label for="horizon">Months ahead</label><input id="horizon" name="horizon" type="number" min="1" max="24" value="${horizon}"></div>
<div><label for="currency">Currency</label><input id="currency" name="currency" maxlength="3" size="4" value="${currency ?? ''}"></div>
<button type="submit">Show</button></form>`;
    const done = (content: unknown) => c.html(page({ title: 'Forecast', path: '/forecast', principal: s.principal, csrf: s.csrf }, html`${form}${content}`));

    let keys: string[] | undefined;
    let combineAs: string | undefined;
    if (key && groupBy !== 'total') {
      const r = await resolveKey(deps, groupBy, key);
      if (!r.ok) return done(html`<p role="alert" class="error">${r.message}</p>`);
      keys = r.keys;
      if (r.matched.by === 'word' && r.keys.length > 1) combineAs = key;
    }
    const anchor = await lastCompleteMonth(deps);
    if (!anchor) return done(html`<p class="empty">No spend is recorded, so there is nothing to forecast from. Import spend with <code>npx qm import spend file.csv</code>.</p>`);
    let histories = await loadHistories(deps, groupBy, { ...(keys ? { keys } : {}), ...(currency ? { currency } : {}), last: anchor.month, ...(combineAs ? { combineAs } : {}) });
    const recent = (h: History) => h.values.slice(-12).reduce((sum, v) => sum + Math.abs(v), 0);
    const more = histories.length > MAX_SERIES;
    histories = [...histories].sort((a, b) => recent(b) - recent(a)).slice(0, MAX_SERIES);
    if (histories.length === 0) return done(html`<p class="empty">No spend matches up to ${monthLabel(anchor.month)}${currency ? ` in ${currency}` : ''}.</p>`);
    const from = addMonths(anchor.month, 1);
    const to = addMonths(anchor.month, horizon);
    const span = horizon === 1 ? monthLabel(from) : `${monthLabel(from)} – ${monthLabel(to)}`;

    const sections = await Promise.all(
      histories.map(async (h, i) => {
        const f = forecastSeries(h.values, h.start, horizon);
        const c3 = h.currency;
        const title = `${h.label} (${c3}): history and forecast, 80% range`;
        const how = f.method === 'stopped' ? 'nothing forecast: spend has stopped' : `${METHOD_LABELS[f.method]}${f.backtest ? `, back-tested from ${f.backtest.origins} origins` : ', not back-tested (short history)'}`;
        const headline =
          f.method === 'stopped'
            ? `${h.label} (${c3}), ${span}: nothing forecast, spend has stopped.`
            : `${h.label} (${c3}), ${span}: ${approxMoney(f.total.forecast, c3)}, likely between ${approxMoney(f.total.lo80, c3)} and ${approxMoney(f.total.hi80, c3)} (80%).`;
        const chart = {
          title,
          measure: c3,
          history: h.values.map((value, m) => ({ period: addMonths(h.start, m), value })),
          forecast: f.points.map((p) => ({ period: p.month, forecast: p.forecast, lo80: p.lo80, hi80: p.hi80 })),
        };
        const svg =
          f.method === 'stopped'
            ? ''
            : await renderSvg(chartSpec(chart), {
                id: `forecast-${i}`,
                title,
                description: `Line chart of monthly spend up to ${monthLabel(anchor.month)} and the forecast for ${span}, with its 80% range as a band. ${headline}`,
              });
        const money = (v: number) => formatMoney(decimalOf(v, c3), c3);
        return html`<section aria-labelledby="series-${i}"><h2 id="series-${i}">${h.label} (${c3})</h2>
<p class="headline">${headline}</p><p class="small">Method: ${how}.</p>
${svg ? html`<figure class="chart">${raw(svg)}</figure>` : ''}
${table(`Forecast for ${h.label} (${c3})`, ['Month', 'Forecast', 'Low 80%', 'High 80%'], f.points.map((p) => [monthLabel(p.month), money(p.forecast), money(p.lo80), money(p.hi80)]), 'Nothing forecast.')}</section>`;
      }),
    );
    return done(html`<p class="small">History up to ${monthLabel(anchor.month)}${anchor.note ? ` (${anchor.note})` : ''}.${more ? ` The ${MAX_SERIES} series with the most spend over their last 12 months are shown; name one for another.` : ''}</p>${sections}`);
  });
}
