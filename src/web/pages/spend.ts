// The Spend page: the trend by month, quarter or year and the top suppliers, categories and departments, with a
// period and filters. The same queries the spend MCP tools answer from; every figure per currency, exact.
import type { Hono } from 'hono';
import { html, raw } from 'hono/html';
import { renderSvg } from '../../charts/render.js';
import { spendTrendLabel, spendTrendSpec } from '../../charts/spend-trend.js';
import type { Database } from '../../db/client.js';
import { PERIODS, type Period, type SpendFilters, spendSummary, spendTrend } from '../../db/queries/spend.js';
import { formatMoney } from '../../domain/money.js';
import { page, table } from '../layout.js';
import type { Signed } from '../signed.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const TOP = 10;

/** Mounts GET /spend. */
export function mountSpend(app: Hono, deps: { database: Database; signed: Signed; now: () => Date }): void {
  app.get('/spend', async (c) => {
    const s = deps.signed(c);
    if (!s) return c.redirect('/sign-in', 303);
    const q = (k: string) => (c.req.query(k) ?? '').trim().slice(0, 200);
    const today = deps.now().toISOString().slice(0, 10);
    const from = ISO_DATE.test(q('from')) ? q('from') : `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`;
    const to = ISO_DATE.test(q('to')) ? q('to') : today;
    const period: Period = PERIODS.find((p) => p === q('period')) ?? 'month';
    const filters: SpendFilters = {
      dateFrom: from,
      dateTo: to,
      ...(q('category') ? { category: q('category') } : {}),
      ...(q('department') ? { departments: [q('department')] } : {}),
    };
    const [trend, suppliers, categories, departments] = await Promise.all([
      spendTrend(deps.database, { period, filters }),
      spendSummary(deps.database, { groupBy: 'supplier', filters, limit: TOP, offset: 0 }),
      spendSummary(deps.database, { groupBy: 'category', filters, limit: TOP, offset: 0 }),
      spendSummary(deps.database, { groupBy: 'department', filters, limit: TOP, offset: 0 }),
    ]);
    // Each currency's trend as a chart above its table (rendered here to SVG: no script, nothing fetched).
    const charts = await Promise.all(trend.map((series) => renderSvg(spendTrendSpec(series, period), spendTrendLabel(series, period))));
    const top = (title: string, sum: typeof suppliers) =>
      table(title, ['Name', 'Spend', 'Payments'], sum.groups.map((g) => [g.label, formatMoney(g.total, g.currency), String(g.count)]), 'No spend in this period.');
    const body = html`<form method="get" action="/spend" class="filters">
<div><label for="from">From</label><input id="from" name="from" type="date" value="${from}"></div>
<div><label for="to">To</label><input id="to" name="to" type="date" value="${to}"></div>
<div><label for="period">Trend by</label><select id="period" name="period">${PERIODS.map((p) => html`<option value="${p}"${p === period ? ' selected' : ''}>${p}</option>`)}</select></div>
<div><label for="category">Category</label><input id="category" name="category" value="${q('category')}"></div>
<div><label for="department">Department</label><input id="department" name="department" value="${q('department')}"></div>
<button type="submit">Show</button></form>
<p class="headline">${suppliers.totals.length === 0 ? 'No spend in this period.' : `Total: ${suppliers.totals.map((t) => `${formatMoney(t.total, t.currency)} in ${t.count} payments`).join('; ')}`}</p>
${
  trend.length === 0
    ? html`<p class="empty">No spend matches. Import spend with <code>npx qm import spend file.csv</code>, or widen the period.</p>`
    : trend.map(
        (series, i) => html`<figure class="chart">${raw(charts[i])}</figure>
${table(`Spend by ${period} (${series.currency})`, [period[0]!.toUpperCase() + period.slice(1), 'Spend', 'Payments', 'Change'], series.points.map((p) => [p.label, formatMoney(p.total, series.currency), String(p.count), p.changePct === null ? '–' : `${Number(p.changePct) > 0 ? '+' : ''}${p.changePct}%`]), '')}`,
      )
}
${top('Top suppliers', suppliers)}
${top('Top categories', categories)}
${top('Top departments', departments)}`;
    return c.html(page({ title: 'Spend', path: '/spend', principal: s.principal, csrf: s.csrf }, body));
  });
}
