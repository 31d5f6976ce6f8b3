// The web app in a real browser: Debian's chromium driven by playwright-core (no browser download). Sign in with a
// one-time link, ask a question and see the right figure, decide an approval with the Approve button as the right
// approver (recorded once) while the wrong one is refused on the page, CSRF and cross-origin POSTs refused, an
// axe-core check of every page with no serious violations, and the pages at 360 px wide. With QM_SCREENSHOTS=1 a
// screenshot of each page is written to docs/screenshots/.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignInLink, signInUrl } from '../../src/access/web-sessions.js';
import type { ApprovalService } from '../../src/approvals/service.js';
import type { Database } from '../../src/db/client.js';
import { recordTurn } from '../../src/db/conversations.js';
import type { RunningServer } from '../../src/http/server.js';
import { projectPath } from '../../src/paths.js';
import { browserAvailable, launchBrowser, startWebApp, type WebApp } from '../helpers/browser.js';
import { DEMO_DOMAIN as D } from '../helpers/purchases.js';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = process.env.QM_SCREENSHOTS === '1' ? projectPath('docs', 'screenshots') : undefined;
const PAGES = ['/', '/approvals', '/spend', '/forecast', '/sourcing', '/suppliers', '/contracts', '/findings', '/ledger', '/autonomy', '/metrics'];

describe.skipIf(!browserAvailable)('the web app in chromium', () => {
  let web: WebApp;
  let database: Database;
  let approvals: ApprovalService;
  let server: RunningServer;
  let browser: Browser;
  let elsewhere: Server;
  const url = (path: string) => `${server.url}${path}`;

  beforeAll(async () => {
    web = await startWebApp();
    ({ database, approvals, server } = web);
    browser = await launchBrowser();
    // Another origin on this machine, whose page posts a form to the app (a cross-origin request forgery).
    elsewhere = createServer((req, res) => {
      const target = new URL(req.url ?? '/', 'http://x').searchParams.get('to') ?? '';
      res.setHeader('content-type', 'text/html');
      res.end(`<form id="f" method="post" action="${target}"><input name="question" value="forged question"></form><script>document.getElementById('f').submit()</script>`);
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    elsewhere?.close();
    await web?.close();
  });

  /** A fresh browser profile signed in as `email` through a one-time link and its Sign in button. */
  async function signIn(email: string, opts: { width?: number; bypassCSP?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: opts.width ?? 1200, height: 900 }, bypassCSP: opts.bypassCSP ?? false });
    const page = await context.newPage();
    const link = await createSignInLink(database, { user: email, createdBy: 'browser test' });
    await page.goto(signInUrl(server.url, link.token));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.url()).toBe(url('/'));
    return { context, page };
  }

  const askIn = async (page: Page, question: string) => {
    await page.getByRole('textbox', { name: /ask/i }).fill(question);
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    await page.waitForURL(/thread=/);
  };

  it('signs in with a link, asks and sees the right figure, and passes an accessibility check on every page', async () => {
    const { context, page } = await signIn(`admin@${D}`, { bypassCSP: true });
    try {
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Ask');
      await askIn(page, 'How much did we spend with Dell in the last 12 months?');
      await expect.poll(() => page.locator('#latest').textContent()).toContain('£26,600.00');
      // The same reply as the Adaptive Card Teams shows, drawn by the adaptivecards renderer; its follow-up button asks.
      await page.locator('#latest details.teams summary').click();
      await expect.poll(() => page.locator('#latest .ac').textContent()).toContain('£26,600.00');
      await page.locator('#latest .ac').getByRole('button').first().click();
      await expect.poll(() => page.locator('.turns > li').count()).toBe(2);
      const thread = page.url();

      if (SHOTS) mkdirSync(SHOTS, { recursive: true });
      for (const path of PAGES) {
        await page.goto(path === '/' ? thread : url(path));
        await page.addScriptTag({ content: AXE });
        const violations = (await page.evaluate(async () => {
          const axe = (window as unknown as { axe: { run(o: unknown): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe;
          return (await axe.run({ resultTypes: ['violations'] })).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
        })) as { id: string; impact: string }[];
        expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), path).toEqual([]);
        if (SHOTS) await page.screenshot({ path: `${SHOTS}/${path === '/' ? 'ask' : path.slice(1)}.png`, timeout: 120_000 });
      }
    } finally {
      await context.close();
    }
  }, 300_000);

  it('decides an approval with the Approve button as the right approver, once; the wrong user is refused', async () => {
    const alice = await signIn(`alice.moreno@${D}`);
    await askIn(alice.page, 'Can we buy 10 monitors from Dell for £2,400?');
    const link = alice.page.locator('#latest').getByRole('link', { name: /approval #\d+/ });
    const number = Number(/#(\d+)/.exec((await link.first().textContent()) ?? '')![1]);
    await alice.context.close();

    const ben = await signIn(`ben.okafor@${D}`);
    await ben.page.goto(url(`/approvals/${number}`));
    expect(await ben.page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await ben.page.getByText('You cannot decide this step').count()).toBe(1);
    // Posting the decision anyway (with Ben's own valid CSRF token) is refused by the approvals service.
    const refused = await ben.page.evaluate(async (n) => {
      const csrf = (document.querySelector('input[name="_csrf"]') as HTMLInputElement).value;
      const res = await fetch(`/approvals/${n}/decide`, { method: 'POST', body: new URLSearchParams({ decision: 'approve', _csrf: csrf }) });
      return { status: res.status, text: await res.text() };
    }, number);
    expect(refused.status).toBe(403);
    await ben.context.close();

    const mia = await signIn(`mia.santos@${D}`, { width: 360 });
    await mia.page.getByRole('link', { name: 'Approvals' }).click();
    await mia.page.getByRole('link', { name: `#${number}` }).first().click();
    await mia.page.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => mia.page.getByRole('status').first().textContent()).toMatch(new RegExp(`Approval #${number} approved by Mia Santos`));
    expect(await mia.page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    // At 360 px the page does not scroll sideways.
    expect(await mia.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await mia.context.close();

    const decided = await approvals.get(String(number));
    expect(decided?.status).toBe('approved');
    expect(decided?.decisions.map((d) => d.userName)).toEqual(['Mia Santos']);
  });

  it("decides with the Approve button of the approval card on the Ask page, through the approval's decide route", async () => {
    const alice = await signIn(`alice.moreno@${D}`);
    await askIn(alice.page, 'Can we buy 12 monitors from Dell for £2,880?');
    const number = Number(/#(\d+)/.exec((await alice.page.locator('#latest').getByRole('link', { name: /approval #\d+/ }).first().textContent()) ?? '')![1]);
    expect(await alice.page.locator('.decide-cards').count()).toBe(0); // the requester may not decide
    await alice.context.close();

    // Mia's thread holds a reply naming the approval (as a turn attached to it does).
    const a = (await approvals.get(String(number)))!;
    const [mia] = await database.query<{ id: string }>('select id::text as id from users where email = $1', [`mia.santos@${D}`]);
    const thread = randomUUID();
    await recordTurn(database, {
      conversationId: `web:${mia!.id}:${thread}`,
      channel: 'web',
      userEmail: `mia.santos@${D}`,
      text: 'Can we buy 12 monitors from Dell?',
      planner: 'rule',
      plan: {},
      agents: [],
      reply: {
        headline: `A matching request is already waiting: approval #${number}.`,
        facts: [],
        sources: [],
        actions: [],
        decisions: [{ kind: 'create_purchase_order', summary: 'Raise a purchase order with Dell', outcome: 'needs_approval', reason: 'Over the limit.', approval: { id: a.id, number, waitingFor: ['budget holder'], attached: true } }],
        suggestions: [],
        degraded: [],
        rationale: [],
      },
      durationMs: 1,
    });
    const m = await signIn(`mia.santos@${D}`);
    await m.page.goto(url(`/?thread=${thread}`));
    const card = m.page.locator('.decide-cards .ac');
    await expect.poll(() => card.getByRole('button', { name: 'Approve' }).count()).toBe(1);
    await card.getByRole('textbox').first().fill('Within the quarter budget.');
    await card.getByRole('button', { name: 'Approve' }).click();
    await m.page.waitForURL(url(`/approvals/${number}/decide`));
    await expect.poll(() => m.page.getByRole('status').first().textContent()).toMatch(new RegExp(`Approval #${number} approved by Mia Santos`));
    await m.context.close();
    const decided = await approvals.get(String(number));
    expect(decided?.status).toBe('approved');
    expect(decided?.decisions.map((d) => [d.userName, d.reason])).toEqual([['Mia Santos', 'Within the quarter budget.']]);
  });

  it('refuses a POST without the CSRF token and a form posted from another origin', async () => {
    const { context, page } = await signIn(`alice.moreno@${D}`);
    try {
      const noToken = await page.evaluate(async () => (await fetch('/ask', { method: 'POST', body: new URLSearchParams({ question: 'no token' }) })).status);
      expect(noToken).toBe(403);
      const port = (elsewhere.address() as AddressInfo).port;
      const response = page.waitForResponse((r) => r.url() === url('/ask'));
      await page.goto(`http://127.0.0.1:${port}/?to=${encodeURIComponent(url('/ask'))}`);
      expect((await response).status()).toBe(403);
      const [n] = await database.query<{ n: number }>("select count(*)::int as n from conversation_turns where text in ('no token', 'forged question')");
      expect(n!.n).toBe(0);
    } finally {
      await context.close();
    }
  });
});
