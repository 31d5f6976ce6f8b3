// The web app's Sourcing pages over real HTTP, signed in: the events newest first with number, title, status,
// deadline and estimated value, filtered by status; one event with its lines, criteria and weights and how many
// bids are in (never their prices); unknown numbers are a 404 and the pages need a session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { insertSourcingEventDraft, setSourcingStatus, upsertBid, upsertBidLine } from '../../src/db/sourcing.js';
import { testDatabases } from '../helpers/databases.js';
import { type SignedInWeb, startSignedInWeb, tableRows } from '../helpers/web.js';
import { DEMO_DOMAIN as D } from '../helpers/purchases.js';

const TOKEN = 'web-sourcing-operator-token-0123456789';
const START = new Date('2026-11-27T12:00:00Z');

describe.each(testDatabases)('web sourcing pages on $name', ({ open }) => {
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
