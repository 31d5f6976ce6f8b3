// Web sign-in through a real OpenID Connect provider: the `oidc-provider` package runs in the test with its
// development login and consent pages, and Debian's chromium goes through the whole authorization code flow with
// PKCE. A person whose verified email is a user lands signed in; one who is not a user is refused.
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApprovalService, openApprovalService } from '../../src/approvals/service.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { loadDemo } from '../../src/demo/load.js';
import { createHttpApp } from '../../src/http/app.js';
import { listen, type RunningServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/log.js';
import { createOrchestrator, type Orchestrator } from '../../src/orchestrator/orchestrator.js';
import { projectPath } from '../../src/paths.js';
import { DEMO_DOMAIN as D } from '../helpers/purchases.js';

const CHROMIUM = process.env.QM_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('web sign-in through an OpenID Connect provider', () => {
  let database: Database;
  let approvals: ApprovalService;
  let orchestrator: Orchestrator;
  let server: RunningServer;
  let idp: Server;
  let browser: Browser;

  beforeAll(async () => {
    database = await openDatabase({ dataDir: 'memory' });
    await loadDemo({ database, log: silentLogger });
    approvals = await openApprovalService({ database, log: silentLogger, policy: { dir: projectPath('policies') } });
    orchestrator = await createOrchestrator({ database, log: silentLogger, now: () => new Date(), approvals });
    // The provider needs the app's callback URL and the app needs the provider's issuer: take a port for each first.
    idp = (await import('node:http')).createServer();
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
    let callback = '';
    const app = createHttpApp({
      database,
      log: silentLogger,
      mcp: { allowedHosts: [] },
      orchestrator,
      approvals,
      oidc: { issuer, clientId: 'quartermaster', clientSecret: 'a-client-secret-for-tests-only' },
    });
    server = await listen(app, { port: 0, host: '127.0.0.1', log: silentLogger });
    callback = `${server.url}/auth/callback`;
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: 'quartermaster',
          client_secret: 'a-client-secret-for-tests-only',
          redirect_uris: [callback],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      pkce: { required: () => true },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      // The development login page signs in whatever login is typed; the account's email is that login.
      findAccount: async (_ctx: unknown, sub: string) => ({
        accountId: sub,
        claims: async () => ({ sub, email: sub, email_verified: true, name: sub.split('@')[0] }),
      }),
    });
    idp.on('request', provider.callback());
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    idp?.close();
    await server?.close();
    await orchestrator?.close();
    await (approvals as Partial<{ close(): Promise<void> }> | undefined)?.close?.();
    await database?.close();
  });

  async function signInAs(login: string): Promise<Page> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole('link', { name: /Sign in with 127\.0\.0\.1/ }).click();
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((u) => u.origin === server.url);
    return page;
  }

  it('signs a user in by their verified email', async () => {
    const page = await signInAs(`Mia.Santos@${D}`);
    expect(page.url()).toBe(`${server.url}/`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Ask');
    expect(await page.getByText('Mia Santos').count()).toBeGreaterThan(0);
    const [row] = await database.query<{ method: string }>("select method from web_sessions order by created_at desc limit 1");
    expect(row!.method).toBe('oidc');
    await page.context().close();
  });

  it('refuses a person who is not a user, and a callback without the flow it started', async () => {
    const page = await signInAs('stranger@example.com');
    expect(await page.getByRole('alert').textContent()).toMatch(/stranger@example\.com is not an active Quartermaster user/);
    await page.goto(`${server.url}/auth/callback?code=forged&state=forged`);
    expect(await page.getByRole('alert').textContent()).toMatch(/start again/);
    await page.goto(`${server.url}/`);
    expect(page.url()).toBe(`${server.url}/sign-in`);
    await page.context().close();
  });
});
