// The web app's insight pages over real HTTP, signed in: the Spend page's trend chart (server-rendered SVG with an
// accessible name) above a table whose figures are the database's sums; the Suppliers page's risk and exposure;
// the Ledger page's chain status and evidence-pack download.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPack } from '../../src/audit/export.js';
import type { Database } from '../../src/db/client.js';
import { insertFinding } from '../../src/db/findings.js';
import { PLANTED } from '../../src/demo/organisation.js';
import { formatMoney } from '../../src/domain/money.js';
import { SUPPLIER_RISK } from '../../src/monitors/supplier-risk-sanctions.js';
import { testDatabases } from '../helpers/databases.js';
import { type SignedInWeb, startSignedInWeb, tableRows } from '../helpers/web.js';
import { DEMO_DOMAIN as D } from '../helpers/purchases.js';

const TOKEN = 'web-insights-operator-token-0123456789';
const START = new Date('2026-11-27T12:00:00Z');

describe.each(testDatabases)('web insight pages on $name', ({ open }) => {
  let database: Database;
  let web: SignedInWeb | undefined;
  let cookie = '';
  const base = () => web!.base;
  const get = (path: string) => fetch(`${base()}${path}`, { redirect: 'manual', headers: { cookie } });
  const text = async (path: string) => {
    const res = await get(path);
    expect(res.status, path).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    database = await open();
    web = await startSignedInWeb(database, { user: `admin@${D}`, now: START, token: TOKEN });
    cookie = web.cookie;
  }, 180_000);

  afterAll(async () => {
    await web?.close();
    await database?.close();
  });

  it('draws the monthly spend trend as an accessible SVG chart above a table of the database sums', async () => {
    const from = '2025-12-01';
    const to = '2026-11-27';
    const page = await text(`/spend?from=${from}&to=${to}&period=month&department=Operations`);
    const chart = /<figure class="chart">(<svg[^>]*>)<title id="([^"]+)">([^<]+)<\/title><desc id="[^"]+">([^<]+)<\/desc>/.exec(page);
    expect(chart, 'an inline SVG chart with a title and description').not.toBeNull();
    expect(chart![1]).toContain('role="img"');
    expect(chart![1]).toContain(`aria-labelledby="${chart![2]}`);
    expect(chart![3]).toBe('Spend by month in GBP');
    expect(chart![4]).toMatch(/^Bar chart of \d+ months from \w{3} \d{4} to \w{3} \d{4}: highest/);
    expect(page.indexOf('<figure class="chart">')).toBeLessThan(page.indexOf('<caption>Spend by month (GBP)</caption>'));
    expect(page).not.toMatch(/<script(?! src="\/web\/)/); // the chart is drawn on the server: no inline script

    const sums = await database.query<{ label: string; total: string; n: number }>(
      `select to_char(date_trunc('month', date), 'Mon YYYY') as label, sum(amount)::text as total, count(*)::int as n
         from spend_lines where currency = 'GBP' and date between $1 and $2 and lower(trim(department)) = 'operations'
        group by date_trunc('month', date) order by date_trunc('month', date)`,
      [from, to],
    );
    expect(sums.length).toBeGreaterThan(0);
    const rows = tableRows(page, 'Spend by month (GBP)').filter((r) => r[2] !== '0');
    expect(rows.map((r) => [r[0], r[1], r[2]])).toEqual(sums.map((s) => [s.label, formatMoney(s.total, 'GBP'), String(s.n)]));
    // The description names the highest month, which is the largest of the sums.
    const top = [...sums].sort((a, b) => Number(b.total) - Number(a.total))[0]!;
    expect(chart![4]).toContain(`highest ${top.label} at ${formatMoney(top.total, 'GBP')}`);
  });

  it("shows each supplier's sanctions screening with the matched entry, its open risk findings and its exposure", async () => {
    const name = PLANTED.sanctionsHit.supplier;
    const [supplier] = await database.query<{ id: string }>('select id::text as id from suppliers where name = $1', [name]);
    await insertFinding(
      database,
      SUPPLIER_RISK,
      `web-insights:${supplier!.id}`,
      {
        severity: 'critical',
        title: `${name} matches a sanctions list entry`,
        summary: 'Planted for the page test.',
        impact: 'Paying a sanctioned party is unlawful.',
        amount: null,
        currency: null,
        supplierId: supplier!.id,
        subjectType: 'supplier',
        subjectId: supplier!.id,
        evidence: [],
        recommendation: 'Refer to compliance.',
        routeTo: ['compliance'],
        proposal: null,
      },
      START,
    );
    const page = await text('/suppliers');
    const rows = tableRows(page, (/<caption>(\d+ suppliers)<\/caption>/.exec(page) ?? [])[1] ?? 'suppliers');
    const row = rows.find((r) => r[0] === name);
    expect(row, name).toBeDefined();
    expect(row![3]).toMatch(new RegExp(`^Strong match \\(score [01]\\.\\d\\d\\)OFAC SDN \\S+ entry ${PLANTED.sanctionsHit.ofacEntry}: `));
    expect(row![4]).toBe(`1 open: critical: ${name} matches a sanctions list entry`);
    const [paid] = await database.query<{ total: string; n: number }>(
      `select sum(amount)::text as total, count(*)::int as n from spend_lines
        where supplier_id = $1 and currency = 'GBP' and date > '2025-11-27' and date <= '2026-11-27'`,
      [supplier!.id],
    );
    expect(paid!.n).toBeGreaterThan(0);
    expect(row![5]).toBe(`${formatMoney(paid!.total, 'GBP')} (${paid!.n} payment${paid!.n === 1 ? '' : 's'})`);
    // A supplier with nothing listed against it screens clean; contracts active today show their value.
    const [withContract] = await database.query<{ name: string; total: string; currency: string; n: number }>(
      `select s.name, sum(c.value)::text as total, c.currency, count(*)::int as n from contracts c join suppliers s on s.id = c.supplier_id
        where c.status = 'active' and (c.end_date is null or c.end_date >= '2026-11-27') and c.value is not null
        group by s.name, c.currency order by s.name limit 1`,
    );
    const other = rows.find((r) => r[0] === withContract!.name)!;
    expect(other[3]).toBe('no match');
    expect(other[4]).toBe('none');
    expect(other[6]).toBe(`${formatMoney(withContract!.total, withContract!.currency)} (${withContract!.n} contract${withContract!.n === 1 ? '' : 's'})`);
  });

  it('shows the chain verified and downloads the evidence pack of a period, which verifies', async () => {
    const ledger = await text('/ledger?verify=1');
    const [count] = await database.query<{ n: number; head: number }>('select count(*)::int as n, max(seq)::int as head from audit_events');
    expect(count!.n).toBeGreaterThan(0);
    expect(ledger).toMatch(new RegExp(`The chain verifies: ${count!.n} events, .* Head: event #${count!.head}, [0-9a-f]{64}\\.`));
    expect(ledger).toContain('action="/ledger/export"');

    const res = await get('/ledger/export?from=2000-01-01&to=2026-11-27');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="quartermaster-audit-2000-01-01-to-2026-11-27.jsonl"');
    const lines = (await res.text()).split('\n').filter((l) => l !== '');
    const verdict = await verifyPack(lines);
    expect(verdict.ok).toBe(true);
    const [inRange] = await database.query<{ n: number }>("select count(*)::int as n from audit_events where at < '2026-11-28'");
    expect(verdict.events).toBe(inRange!.n);
    const footer = JSON.parse(lines.at(-1)!) as { type: string; anchor: { seq: number } | null };
    expect(footer.type).toBe('footer');
    expect(footer.anchor?.seq).toBe(count!.head);
    // A tampered pack fails: the download is the real chain, not a summary of it.
    const tampered = lines.map((l, i) => (i === 1 ? l.replace(/"rationale":"/, '"rationale":"x') : l));
    expect((await verifyPack(tampered)).ok).toBe(false);

    expect((await get('/ledger/export?from=2026-11-27&to=2026-01-01')).status).toBe(400);
    expect((await get('/ledger/export?from=2026-02-30&to=2026-03-01')).status).toBe(400);
    expect((await fetch(`${base()}/ledger/export?from=2000-01-01&to=2026-11-27`, { redirect: 'manual' })).headers.get('location')).toBe('/sign-in');
  });
});
