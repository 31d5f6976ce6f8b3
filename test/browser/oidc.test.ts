// Web sign-in through a real OpenID Connect provider: the `oidc-provider` package runs in the test with its
// development login and consent pages, and Debian's chromium goes through the whole authorization code flow with
// PKCE. A person whose verified email is a user lands signed in; one who is not a user is refused.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { RunningServer } from '../../src/http/server.js';
import { browserAvailable, launchBrowser, startWebApp, type WebApp } from '../helpers/browser.js';
import { DEMO_DOMAIN as D } from '../helpers/purchases.js';

describe.skipIf(!browserAvailable)('web sign-in through an OpenID Connect provider', () => {
  let web: WebApp;
  let database: Database;
  let server: RunningServer;
  const idp = createServer();
  let browser: Browser;

  beforeAll(async () => {
    // The provider needs the app's callback URL and the app needs the provider's issuer: take the provider's port first.
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
    web = await startWebApp({ oidc: { issuer, clientId: 'quartermaster', clientSecret: 'a-client-secret-for-tests-only' } });
    ({ database, server } = web);
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: 'quartermaster',
          client_secret: 'a-client-secret-for-tests-only',
          redirect_uris: [`${server.url}/auth/callback`],
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
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    idp.close();
    await web?.close();
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
