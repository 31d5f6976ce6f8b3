// Signing in and out of the web app. A one-time link (`qm web link --as <email>`) opens a page whose button posts
// the link's secret back: opening the link alone (a chat's link preview, a mail scanner) uses nothing. Using it
// starts a session and sets the signed cookie; sign-out ends the session on the server, not just in the browser.
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { endSession, redeemSignInLink } from '../access/web-sessions.js';
import { page } from './layout.js';
import { clearSessionCookie, signedIn, setSessionCookie, type WebSecurity } from './security.js';

/** Paths that take a POST without a session (they check their own secret). */
export const OPEN_POSTS: readonly string[] = ['/auth/link'];

const TOKEN = /^qm_link_[A-Za-z0-9_-]{20,100}$/;

/** Mounts /sign-in, /auth/link and /auth/sign-out; `oidc` adds the identity provider's button. */
export function mountAuth(app: Hono, sec: WebSecurity, opts: { oidcName?: string | undefined }): void {
  app.get('/sign-in', (c) => {
    if (signedIn(c)) return c.redirect('/', 303);
    const ended = c.req.query('ended') === '1';
    const body = html`${ended ? html`<p role="status" class="ok">You are signed out.</p>` : ''}
${opts.oidcName ? html`<p><a class="button primary" href="/auth/oidc">Sign in with ${opts.oidcName}</a></p>` : ''}
<p>${opts.oidcName ? 'Or ask' : 'Ask'} an administrator for a one-time sign-in link. On the server, run:</p>
<pre><code>npx qm web link --as you@example.com</code></pre>
<p class="small">Each link works once, for 10 minutes.</p>`;
    return c.html(page({ title: 'Sign in' }, body));
  });

  app.get('/auth/link', (c) => {
    const token = c.req.query('token') ?? '';
    if (!TOKEN.test(token)) {
      return c.html(page({ title: 'Sign in' }, html`<p role="alert" class="error">This sign-in link is not valid. Ask for a new one (qm web link --as &lt;email&gt;).</p>`), 400);
    }
    const body = html`<form method="post" action="/auth/link"><input type="hidden" name="token" value="${token}">
<p>Continue to sign in with this one-time link.</p>
<button type="submit" class="primary">Sign in</button></form>`;
    return c.html(page({ title: 'Sign in' }, body));
  });

  app.post('/auth/link', async (c) => {
    const form = await c.req.parseBody();
    const token = typeof form.token === 'string' ? form.token : '';
    const result = TOKEN.test(token) ? await redeemSignInLink(sec.database, token, sec.now(), sec.limits) : { ok: false as const, reason: 'This sign-in link is not valid.' };
    if (!result.ok) return c.html(page({ title: 'Sign in' }, html`<p role="alert" class="error">${result.reason}</p>`), 400);
    await setSessionCookie(c, sec, result.secret);
    return c.redirect('/', 303);
  });

  app.post('/auth/sign-out', async (c) => {
    const s = signedIn(c);
    if (s) await endSession(sec.database, s.principal.sessionId, sec.now());
    clearSessionCookie(c, sec);
    return c.redirect('/sign-in?ended=1', 303);
  });
}
