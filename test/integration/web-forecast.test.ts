// The web app's Forecast page over real HTTP, signed in: a supplier's monthly spend forecast (the same history and
// method as forecast_spend) as an accessible server-rendered chart above a table of the months after the last
// complete month, each within its 80% range; an unknown name is refused with a readable message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { formatMoney } from '../../src/domain/money.js';
import { forecastSeries } from '../../src/forecast/forecast.js';
import { lastCompleteMonth, loadHistories } from '../../src/forecast/history.js';
import { decimalOf } from '../../src/forecast/money-text.js';
import { addMonths, monthLabel } from '../../src/domain/months.js';
import { testDatabases } from '../helpers/databases.js';
import { type SignedInWeb, startSignedInWeb, tableRows } from '../helpers/web.js';
import { DEMO_DOMAIN as D } from '../helpers/purchases.js';

const TOKEN = 'web-forecast-operator-token-0123456789';
const START = new Date('2026-11-27T12:00:00Z');

describe.each(testDatabases)('web forecast page on $name', ({ open }) => {
  let database: Database;
  let web: SignedInWeb | undefined;
  let cookie = '';
  const base = () => web!.base;
  const get = (path: string, c = cookie) => fetch(`${base()}${path}`, { redirect: 'manual', headers: { cookie: c } });

  beforeAll(async () => {
    database = await open();
    web = await startSignedInWeb(database, { user: `alice.moreno@${D}`, now: START, token: TOKEN });
    cookie = web.cookie;
  }, 180_000);

  afterAll(async () => {
    await web?.close();
    await database?.close();
  });

  it("forecasts a supplier's spend with the forecast_spend method and range, charted and tabled", async () => {
    const [dell] = await database.query<{ id: string; last: string }>(
      `select s.id::text as id, max(l.date)::text as last from suppliers s join spend_lines l on l.supplier_id = s.id
        where s.name = 'Dell Technologies Ltd' and l.currency = 'GBP' group by s.id`,
    );
    const page = await (await get('/forecast?group_by=supplier&key=Dell%20Technologies%20Ltd&horizon=6&currency=gbp')).text();
    expect(page).toContain('<a href="/forecast" aria-current="page">Forecast</a>');
    const deps = { database, now: () => START };
    const anchor = (await lastCompleteMonth(deps))!;
    expect(anchor.month <= START.toISOString().slice(0, 7)).toBe(true);
    const [h] = await loadHistories(deps, 'supplier', { keys: [dell!.id], currency: 'GBP', last: anchor.month });
    const f = forecastSeries(h!.values, h!.start, 6);
    expect(f.method).not.toBe('stopped');
    const rows = tableRows(page, 'Forecast for Dell Technologies Ltd (GBP)');
    const money = (v: number) => formatMoney(decimalOf(v, 'GBP'), 'GBP');
    expect(rows).toEqual(f.points.map((p, i) => [monthLabel(addMonths(anchor.month, i + 1)), money(p.forecast), money(p.lo80), money(p.hi80)]));
    for (const p of f.points) expect(p.lo80 <= p.forecast && p.forecast <= p.hi80).toBe(true);
    const chart = /<figure class="chart">(<svg[^>]*>)<title id="([^"]+)">([^<]+)<\/title><desc id="[^"]+">([^<]+)<\/desc>/.exec(page);
    expect(chart, 'an inline SVG chart with a title and description').not.toBeNull();
    expect(chart![1]).toContain('role="img"');
    expect(chart![3]).toBe('Dell Technologies Ltd (GBP): history and forecast, 80% range');
    expect(page).toMatch(/Method: [a-zA-Z]/);

    const unknown = await (await get('/forecast?group_by=category&key=zzzz-no-such-thing')).text();
    expect(unknown).toMatch(/role="alert" class="error">No category is called &quot;zzzz-no-such-thing&quot;/);
    const all = await (await get('/forecast')).text();
    expect(all.match(/<section aria-labelledby="series-/g)?.length).toBeGreaterThan(0);
    expect((await get('/forecast', '')).headers.get('location')).toBe('/sign-in');
  });
});
