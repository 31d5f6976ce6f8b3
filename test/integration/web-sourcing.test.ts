// The web app's Sourcing pages over real HTTP, signed in: the events newest first with number, title, status,
// deadline and estimated value, filtered by status; one event with its lines, criteria and weights and how many
// bids are in (never their prices); unknown numbers are a 404 and the pages need a session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignInLink } from '../../src/access/web-sessions.js';
import type { Database } from '../../src/db/client.js';
import { insertSourcingEventDraft, setSourcingStatus, upsertBid, upsertBidLine } from '../../src/db/sourcing.js';
import { loadDemo } from '../../src/demo/load.js';
import { createHttpApp } from '../../src/http/app.js';
import { listen, type RunningServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/log.js';
import type { App } from '../../src/runtime.js';
import { openTestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { DEMO_DOMAIN as D } from '../helpers/purchases.js';

const TOKEN = 'web-sourcing-operator-token-0123456789';
const START = new Date('2026-11-27T12:00:00Z');

/** The cells of each body row of the table captioned `caption`. */
function tableRows(page: string, caption: string): string[][] {
  const at = page.indexOf(`<caption>${caption}</caption>`);
  expect(at, `table "${caption}"`).toBeGreaterThan(-1);
  const body = page.slice(at, page.indexOf('</table>', at));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].slice(1).map((r) => [...r[1]!.matchAll(/<td>(.*?)<\/td>/gs)].map((c) => c[1]!.replace(/<[^>]+>/g, '').trim()));
}

describe.each(testDatabases)('web sourcing pages on $name', ({ open }) => {
  let database: Database;
  let qm: App | undefined;
  let server: RunningServer;
  let cookie = '';
  const base = () => `http://127.0.0.1:${server.port}`;
  const get = (path: string, c = cookie) => fetch(`${base()}${path}`, { redirect: 'manual', headers: { cookie: c } });

  beforeAll(async () => {
    database = await open();
    await loadDemo({ database, log: silentLogger, today: START });
    qm = await openTestApp(database, { now: () => START });
    const [approvals, orchestrator] = [await qm.approvals(), await qm.orchestrator()];
    const app = createHttpApp({ database, log: silentLogger, now: () => START, mcp: { token: TOKEN, allowedHosts: [] }, orchestrator, approvals });
    server = await listen(app, { port: 0, host: '127.0.0.1', log: silentLogger });
    const link = await createSignInLink(database, { user: `alice.moreno@${D}`, createdBy: 'test' }, START);
    const res = await fetch(`${base()}/auth/link`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base() },
      body: new URLSearchParams({ token: link.token }).toString(),
    });
    expect(res.status).toBe(303);
    cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    await qm?.close();
    await database?.close();
  });

  it('lists events by status and shows one with its lines, criteria and bid count, prices sealed', async () => {
    const criteria = [
      { key: 'price', label: 'Price', weight: 0.6 },
      { key: 'quality', label: 'Quality & <service>', weight: 0.4 },
    ];
    const laptops = await insertSourcingEventDraft(
      database,
      { title: 'Laptops for the field team', estimatedValue: '48000.00', currency: 'GBP', deadline: new Date('2026-12-15T17:00:00Z'), criteria },
      [
        { lineNo: 1, itemCode: 'LT-14', description: '14-inch laptop', quantity: '40', unit: 'each' },
        { lineNo: 2, itemCode: null, description: 'Three-year warranty', quantity: '40', unit: 'each' },
      ],
    );
    const chairs = await insertSourcingEventDraft(database, { title: 'Office chairs', criteria: [] }, []);
    expect(await setSourcingStatus(database, laptops.id, 'draft', 'rfx_issued')).toBeDefined();
    const [dell] = await database.query<{ id: string }>(`select id::text from suppliers where name = 'Dell Technologies Ltd'`);
    const bid = await upsertBid(database, { eventId: laptops.id, supplierId: dell!.id, bidder: 'Dell Technologies Ltd', currency: 'GBP', batchId: null });
    await upsertBidLine(database, bid.id, { lineNo: 1, itemCode: 'LT-14', description: null, quantity: '40', unit: 'each', unitPrice: '987.65', lineTotal: '39506.00', leadTimeDays: 10, notes: null, flags: [], sourceLine: 2 });

    const list = await (await get('/sourcing')).text();
    expect(list).toContain('<a href="/sourcing" aria-current="page">Sourcing</a>');
    const rows = tableRows(list, '2 sourcing events');
    expect(rows).toEqual([
      [String(chairs.number), 'Office chairs', 'draft (not yet issued)', '–', '–'],
      [String(laptops.number), 'Laptops for the field team', 'RFx issued, waiting for bids', '2026-12-15', '£48,000.00'],
    ]);
    const issued = await (await get('/sourcing?status=rfx_issued')).text();
    expect(issued).toContain(`href="/sourcing/${laptops.number}"`);
    expect(issued).not.toContain(`href="/sourcing/${chairs.number}"`);

    const res = await get(`/sourcing/${laptops.number}`);
    expect(res.status).toBe(200);
    const detail = await res.text();
    expect(detail).toContain(`Sourcing event ${laptops.number}: Laptops for the field team`);
    expect(tableRows(detail, 'Lines')).toEqual([
      ['1', 'LT-14', '14-inch laptop', '40', 'each'],
      ['2', '–', 'Three-year warranty', '40', 'each'],
    ]);
    expect(tableRows(detail, 'Evaluation criteria')).toEqual([
      ['Price', '60%'],
      ['Quality &amp; &lt;service&gt;', '40%'],
    ]);
    expect(detail).toMatch(/<dt>Bids received<\/dt><dd>1<\/dd>/);
    expect(detail).toContain('1 bid received.');
    expect(detail).not.toContain('987.65');

    expect((await get('/sourcing/999999')).status).toBe(404);
    expect((await get('/sourcing/abc')).status).toBe(404);
    expect((await get('/sourcing', '')).headers.get('location')).toBe('/sign-in');
  });
});
