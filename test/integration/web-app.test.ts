// The web app over real HTTP (no browser): one-time sign-in links (single use, ten minutes, hashed), the signed
// session cookie and its expiry, sign-out, CSRF and cross-origin POSTs refused, asking through the orchestrator,
// and deciding an approval with the same enforcement as Slack and Teams. The browser suite drives the same pages.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignInLink } from '../../src/access/web-sessions.js';
import type { ApprovalService } from '../../src/approvals/service.js';
import type { App } from '../../src/runtime.js';
import { openTestApp } from '../helpers/app.js';
import type { Database } from '../../src/db/client.js';
import { insertFinding } from '../../src/db/findings.js';
import { loadDemo } from '../../src/demo/load.js';
import { createHttpApp } from '../../src/http/app.js';
import { listen, type RunningServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/log.js';
import type { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import { testDatabases } from '../helpers/databases.js';
import { DEMO_DOMAIN as D, requestDellPurchase } from '../helpers/purchases.js';

const TOKEN = 'web-test-operator-token-0123456789';
const START = new Date('2026-11-27T12:00:00Z');

describe.each(testDatabases)('web app on $name', ({ open }) => {
  let database: Database;
  let approvals: ApprovalService;
  let qm: App | undefined;
  let orchestrator: Orchestrator;
  let server: RunningServer;
  let clock = START;
  const base = () => `http://127.0.0.1:${server.port}`;

  beforeAll(async () => {
    database = await open();
    await loadDemo({ database, log: silentLogger, today: START });
    qm = await openTestApp(database, { now: () => clock });
    approvals = await qm.approvals();
    orchestrator = await qm.orchestrator();
    const app = createHttpApp({ database, log: silentLogger, now: () => clock, mcp: { token: TOKEN, allowedHosts: [] }, orchestrator, approvals });
    server = await listen(app, { port: 0, host: '127.0.0.1', log: silentLogger });
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    await qm?.close();
    await database?.close();
  });

  const get = (path: string, cookie?: string) => fetch(`${base()}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const post = (path: string, form: Record<string, string>, o: { cookie?: string; origin?: string | null } = {}) =>
    fetch(`${base()}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(o.cookie ? { cookie: o.cookie } : {}),
        ...(o.origin === null ? {} : { origin: o.origin ?? base() }),
      },
      body: new URLSearchParams(form).toString(),
    });

  /** Signs `email` in with a fresh link; returns the cookie header value and the page's CSRF token. */
  async function signIn(email: string): Promise<{ cookie: string; csrf: string }> {
    const link = await createSignInLink(database, { user: email, createdBy: 'test' }, clock);
    const res = await post('/auth/link', { token: link.token });
    expect(res.status).toBe(303);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const home = await (await get('/', cookie)).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home)![1]!;
    return { cookie, csrf };
  }

  it('signs in once with a link: HttpOnly SameSite=Lax cookie, hashed link, single use, ten minutes', async () => {
    const link = await createSignInLink(database, { user: `alice.moreno@${D}`, createdBy: 'test' }, clock);
    const [stored] = await database.query<{ token_hash: string }>('select token_hash from web_sign_in_links order by created_at desc limit 1');
    expect(stored!.token_hash).toBe(createHash('sha256').update(link.token).digest('hex'));
    expect(JSON.stringify(await database.query('select * from web_sign_in_links'))).not.toContain(link.token);

    // Opening the link uses nothing: the page posts it back.
    const page = await get(`/auth/link?token=${link.token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<button type="submit" class="primary">Sign in</button>');

    const res = await post('/auth/link', { token: link.token });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^qm_session=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const home = await get('/', setCookie.split(';')[0]);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Alice Moreno');

    const again = await post('/auth/link', { token: link.token });
    expect(again.status).toBe(400);
    expect(await again.text()).toMatch(/already used/);

    const late = await createSignInLink(database, { user: `alice.moreno@${D}`, createdBy: 'test' }, new Date(clock.getTime() - 11 * 60_000));
    const expired = await post('/auth/link', { token: late.token });
    expect(expired.status).toBe(400);
    expect(await expired.text()).toMatch(/expired/);
    await expect(createSignInLink(database, { user: 'nobody@example.com', createdBy: 'test' })).rejects.toThrow(/not a Quartermaster user/);
  });

  it('sends visitors without a session, or with a forged cookie, to sign in', async () => {
    expect((await get('/')).headers.get('location')).toBe('/sign-in');
    expect((await get('/approvals')).headers.get('location')).toBe('/sign-in');
    expect((await get('/', 'qm_session=forged.value')).headers.get('location')).toBe('/sign-in');
    const signInPage = await get('/sign-in');
    expect(await signInPage.text()).toContain('npx qm web link --as');
    expect(signInPage.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
  });

  it('refuses POSTs without the CSRF token or from another origin, and asks with both', async () => {
    const { cookie, csrf } = await signIn(`alice.moreno@${D}`);
    const thread = '0b9c1a52-6d7e-4f00-9a55-5f0c6a1e2b3c';
    const question = 'What did we spend with Dell in 2026?';
    expect((await post('/ask', { thread, question }, { cookie })).status).toBe(403);
    expect((await post('/ask', { thread, question, _csrf: 'wrong' }, { cookie })).status).toBe(403);
    expect((await post('/ask', { thread, question, _csrf: csrf }, { cookie, origin: 'http://evil.example' })).status).toBe(403);
    const [n] = await database.query<{ n: number }>('select count(*)::int as n from conversation_turns where text = $1', [question]);
    expect(n!.n).toBe(0);

    const asked = await post('/ask', { thread, question, _csrf: csrf }, { cookie });
    expect(asked.status).toBe(303);
    const page = await (await get(asked.headers.get('location')!, cookie)).text();
    expect(page).toContain('Dell Technologies Ltd');
    expect(page).toMatch(/£[\d,]+\.\d\d/);
    // The thread belongs to Alice: the same thread id shows nothing to Ben.
    const ben = await signIn(`ben.okafor@${D}`);
    expect(await (await get(`/?thread=${thread}`, ben.cookie)).text()).not.toContain(question);
  });

  it('decides an approval as the right approver only, recorded once', async () => {
    const number = await requestDellPurchase(database, approvals, 10, 'monitors', '2400.00');
    const ben = await signIn(`ben.okafor@${D}`);
    const benPage = await (await get(`/approvals/${number}`, ben.cookie)).text();
    expect(benPage).not.toContain('value="approve"');
    const refused = await post(`/approvals/${number}/decide`, { decision: 'approve', _csrf: ben.csrf }, { cookie: ben.cookie });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/budget holder/);

    const mia = await signIn(`mia.santos@${D}`);
    const queue = await (await get('/approvals', mia.cookie)).text();
    expect(queue).toContain(`href="/approvals/${number}"`);
    const miaPage = await (await get(`/approvals/${number}`, mia.cookie)).text();
    expect(miaPage).toContain('value="approve"');
    const noReason = await post(`/approvals/${number}/decide`, { decision: 'reject', _csrf: mia.csrf }, { cookie: mia.cookie });
    expect(noReason.status).toBe(409);
    const approved = await post(`/approvals/${number}/decide`, { decision: 'approve', _csrf: mia.csrf }, { cookie: mia.cookie });
    expect(approved.status).toBe(200);
    expect(await approved.text()).toMatch(/Approval #\d+ approved by Mia Santos/);
    const again = await post(`/approvals/${number}/decide`, { decision: 'approve', _csrf: mia.csrf }, { cookie: mia.cookie });
    expect(again.status).toBe(409);
    const decisions = await database.query('select 1 from approval_decisions d join approvals a on a.id = d.approval_id where a.number = $1', [number]);
    expect(decisions).toHaveLength(1);
  });

  it('ends sessions at sign-out, after eight idle hours and seven days after sign-in', async () => {
    const a = await signIn(`alice.moreno@${D}`);
    const out = await post('/auth/sign-out', { _csrf: a.csrf }, { cookie: a.cookie });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/qm_session=;/);
    expect((await get('/', a.cookie)).headers.get('location')).toBe('/sign-in');
    const ended = async () =>
      (await database.query<{ n: number }>("select count(*)::int as n from web_sessions s join users u on u.id = s.user_id where u.email = $1 and s.ended_at is not null", [`alice.moreno@${D}`]))[0]!.n;
    expect(await ended()).toBeGreaterThan(0);

    const b = await signIn(`alice.moreno@${D}`);
    expect(await ended()).toBe(0); // signing in again removed the finished session (the ledger keeps the record)
    try {
      clock = new Date(START.getTime() + 7 * 3_600_000);
      expect((await get('/', b.cookie)).status).toBe(200); // still active: seen seven hours later
      clock = new Date(START.getTime() + 15 * 3_600_000 + 60_000);
      expect((await get('/', b.cookie)).headers.get('location')).toBe('/sign-in'); // idle for eight hours
      clock = START;
      const c = await signIn(`alice.moreno@${D}`);
      for (let h = 6; h <= 7 * 24; h += 6) {
        clock = new Date(START.getTime() + h * 3_600_000);
        const res = await get('/', c.cookie);
        expect(res.status, `at ${h} h`).toBe(h < 7 * 24 ? 200 : 303);
      }
    } finally {
      clock = START;
    }
  });

  it('shows spend, suppliers, contracts, findings, ledger and metrics', async () => {
    const { cookie } = await signIn(`admin@${D}`);
    const text = async (path: string) => {
      const res = await get(path, cookie);
      expect(res.status, path).toBe(200);
      return res.text();
    };
    const spend = await text('/spend?from=2025-11-27&to=2026-11-27&period=quarter');
    expect(spend).toContain('Dell Technologies Ltd');
    expect(spend).toContain('£26,600.00');
    expect(await text('/spend?from=2025-11-27&to=2026-11-27&category=Market%20data')).not.toContain('Dell Technologies Ltd');
    expect(await text('/suppliers')).toContain('Refinitiv Ltd');
    const contracts = await text('/contracts');
    expect(contracts).toContain('Renewal calendar');
    expect(contracts).toContain('C-2024-002');
    expect(await text('/findings')).toMatch(/Findings \(open\)|No open findings/);
    expect(await text('/ledger?action=web_signed_in')).toContain('signed in to the web app with a one-time link');
    expect(await text('/ledger?verify=1')).toMatch(/The chain verifies: \d+ events/);
    expect(await text('/metrics')).toContain('Touchless rate');
    expect(await text('/autonomy')).toMatch(/Widening an envelope needs \d+% agreement/);
  });

  it('dismisses a finding with a reason, only for the roles it was routed to', async () => {
    const finding = await insertFinding(
      database,
      'test-monitor',
      'web-dismiss',
      {
        severity: 'warning',
        title: 'Possible duplicate payment to Apex FM',
        summary: 'Two payments of the same amount a week apart.',
        impact: '£4,800.00 paid twice',
        amount: '4800.00',
        currency: 'GBP',
        supplierId: null,
        subjectType: null,
        subjectId: null,
        evidence: [],
        recommendation: 'Ask Apex FM for a credit note.',
        routeTo: ['finance'],
        proposal: null,
      },
      clock,
    );
    const ben = await signIn(`ben.okafor@${D}`);
    expect(await (await get('/findings', ben.cookie)).text()).toContain('Possible duplicate payment to Apex FM');
    const refused = await post(`/findings/${finding!.id}/dismiss`, { reason: 'looks fine', _csrf: ben.csrf }, { cookie: ben.cookie });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/may not dismiss it/);
    const erin = await signIn(`erin.walsh@${D}`);
    expect((await post(`/findings/${finding!.id}/dismiss`, { reason: '', _csrf: erin.csrf }, { cookie: erin.cookie })).status).toBe(409);
    const done = await post(`/findings/${finding!.id}/dismiss`, { reason: 'A recurring charge, agreed in the contract.', _csrf: erin.csrf }, { cookie: erin.cookie });
    expect(done.status).toBe(200);
    const after = await done.text();
    expect(after).toContain('role="status"');
    expect(after).not.toContain(`/findings/${finding!.id}/dismiss`);
    const [row] = await database.query<{ status: string }>('select status from findings where id = $1', [finding!.id]);
    expect(row!.status).toBe('dismissed');
  });

  it('issues sign-in links through the server for the operator only', async () => {
    const call = (token?: string) =>
      fetch(`${base()}/api/web/links`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ user: `alice.moreno@${D}` }),
      });
    expect((await call()).status).toBe(401);
    const res = await call(TOKEN);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.url).toMatch(new RegExp(`^${base()}/auth/link\\?token=qm_link_`));
    expect(body.user).toBe(`alice.moreno@${D}`);
  });
});
