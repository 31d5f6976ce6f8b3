// Sign-in through an OpenID Connect provider (authorization code flow with PKCE, through openid-client). The
// provider's metadata is discovered on first use. /auth/oidc keeps the PKCE verifier, state and nonce in a signed,
// HttpOnly cookie for ten minutes and sends the browser to the provider; /auth/callback exchanges the code
// (verifying state, nonce, the ID token's signature, issuer and audience), maps the person to a user by their
// verified email, and starts a session. The redirect URI is QM_PUBLIC_URL (or this server's origin) + /auth/callback.
import type { Context, Hono } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { html } from 'hono/html';
import * as oidc from 'openid-client';
import { startSession } from '../access/web-sessions.js';
import { activeUserByEmail } from '../db/web-sessions.js';
import type { Logger } from '../log.js';
import { page } from './layout.js';
import { isSecure, publicOrigin, setSessionCookie, type WebSecurity } from './security.js';

export type OidcSettings = { issuer: string; clientId: string; clientSecret?: string | undefined };

const FLOW_COOKIE = 'qm_oidc';
const FLOW_SECONDS = 600;

/** http is accepted only for a provider on this machine (development and tests). */
function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** Mounts GET /auth/oidc and /auth/callback. */
export function mountOidc(app: Hono, sec: WebSecurity, settings: OidcSettings, log: Logger): void {
  const issuer = new URL(settings.issuer);
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = () => {
    discovered ??= oidc
      .discovery(issuer, settings.clientId, settings.clientSecret, undefined, isLoopbackHttp(issuer) ? { execute: [oidc.allowInsecureRequests] } : {})
      .catch((err) => {
        discovered = undefined;
        throw err;
      });
    return discovered;
  };
  const failed = (c: Context, message: string, status: 400 | 403 | 502 = 400) =>
    c.html(page({ title: 'Sign in' }, html`<p role="alert" class="error">${message}</p><p><a href="/sign-in">Back to sign-in</a></p>`), status);

  app.get('/auth/oidc', async (c) => {
    let config: oidc.Configuration;
    try {
      config = await configuration();
    } catch (err) {
      log.error('OIDC discovery failed', { issuer: settings.issuer, error: (err as Error).message });
      return failed(c, 'The identity provider cannot be reached just now; try again, or ask for a one-time sign-in link.', 502);
    }
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const secure = isSecure(c, sec);
    await setSignedCookie(c, FLOW_COOKIE, JSON.stringify({ verifier, state, nonce }), await sec.key(), {
      httpOnly: true,
      sameSite: 'Lax',
      secure,
      path: '/auth',
      maxAge: FLOW_SECONDS,
    });
    const target = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${publicOrigin(c, sec)}/auth/callback`,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return c.redirect(target.href, 302);
  });

  app.get('/auth/callback', async (c) => {
    const raw = await getSignedCookie(c, await sec.key(), FLOW_COOKIE);
    deleteCookie(c, FLOW_COOKIE, { path: '/auth' });
    let flow: { verifier: string; state: string; nonce: string };
    try {
      flow = JSON.parse(typeof raw === 'string' ? raw : '');
    } catch {
      return failed(c, 'This sign-in started too long ago or in another browser: start again.');
    }
    const here = new URL(c.req.url);
    const current = new URL(`${publicOrigin(c, sec)}${here.pathname}${here.search}`);
    let email: string | undefined;
    let name: string | undefined;
    try {
      const config = await configuration();
      const tokens = await oidc.authorizationCodeGrant(config, current, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true });
      const idToken = tokens.claims();
      if (!idToken) throw new Error('no ID token');
      // Providers that conform strictly put the email only in userinfo when an access token was issued.
      const claims: Record<string, unknown> =
        typeof idToken.email === 'string' ? idToken : await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub);
      if (typeof claims.email === 'string' && claims.email_verified !== false) email = claims.email;
      name = typeof claims.name === 'string' ? claims.name : undefined;
    } catch (err) {
      log.warn('OIDC sign-in refused', { error: (err as Error).message });
      return failed(c, 'The identity provider did not confirm this sign-in: start again.', 403);
    }
    if (!email) return failed(c, 'The identity provider gave no verified email address, so you cannot be matched to a Quartermaster user.', 403);
    const user = await activeUserByEmail(sec.database, email);
    if (!user) {
      return failed(c, `${email} is not an active Quartermaster user. Ask an administrator to add you (qm import users).`, 403);
    }
    const session = await startSession(sec.database, user, 'oidc', `through ${issuer.host}${name ? ` as ${name}` : ''}`, sec.now(), sec.limits);
    await setSessionCookie(c, sec, session.secret);
    return c.redirect('/', 303);
  });
}
