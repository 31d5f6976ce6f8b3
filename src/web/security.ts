// The web app's request rules: the same Host allow-list and same-origin rule as the API (DNS rebinding, other
// local origins), security headers on every page, the signed session cookie (HttpOnly, SameSite=Lax, Secure when
// the app is served over https), and a CSRF token on every POST, derived from the session so it needs no storage.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { type SessionLimits, verifySession } from '../access/web-sessions.js';
import type { Database } from '../db/client.js';
import { hostname, isSameOrigin } from '../http/guard.js';
import type { SignedIn } from './signed.js';

export type WebSecurity = {
  database: Database;
  /** Host names accepted besides localhost and loopback addresses (QM_ALLOWED_HOSTS). */
  allowedHosts: readonly string[];
  /** QM_PUBLIC_URL: the origin browsers use; https makes cookies Secure. */
  publicUrl?: string | undefined;
  /** The key that signs cookies and CSRF tokens (kept in the database, shared by every instance; memoised). */
  key: () => Promise<string>;
  limits: SessionLimits;
  now: () => Date;
};

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]', '::1'];
const principals = new WeakMap<Request, SignedIn>();

/** The session cookie's name: the __Host- prefix (Secure, path /, no domain) whenever the cookie is Secure. */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-qm_session' : 'qm_session';
}

/** True when cookies must be Secure: the public URL is https, or this request came over https. */
export function isSecure(c: Context, sec: Pick<WebSecurity, 'publicUrl'>): boolean {
  if (sec.publicUrl) return sec.publicUrl.startsWith('https:');
  return new URL(c.req.url).protocol === 'https:';
}

/** The origin links and redirects use: QM_PUBLIC_URL, else the origin of this request. */
export function publicOrigin(c: Context, sec: Pick<WebSecurity, 'publicUrl'>): string {
  return sec.publicUrl ?? new URL(c.req.url).origin;
}

/** The CSRF token of a session: an HMAC of its id under the server key. */
export function csrfToken(key: string, sessionId: string): string {
  return createHmac('sha256', key).update(`csrf:${sessionId}`).digest('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The signed-in person of this request and their CSRF token (set by `webSecurity`), if any. */
export function signedIn(c: Context): SignedIn | undefined {
  return principals.get(c.req.raw);
}

/** Sets the session cookie. */
export async function setSessionCookie(c: Context, sec: WebSecurity, secret: string): Promise<void> {
  const secure = isSecure(c, sec);
  await setSignedCookie(c, sessionCookieName(secure), secret, await sec.key(), {
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    path: '/',
    maxAge: Math.floor(sec.limits.absoluteMs / 1000),
  });
}

/** Removes the session cookie. */
export function clearSessionCookie(c: Context, sec: WebSecurity): void {
  const secure = isSecure(c, sec);
  deleteCookie(c, sessionCookieName(secure), { path: '/', secure, ...(secure ? { prefix: 'host' as const } : {}) });
}

function refuse(c: Context, status: 400 | 403, message: string): Response {
  c.header('content-type', 'text/plain; charset=utf-8');
  return c.body(message, status);
}

/**
 * Middleware for every web route: Host allow-list, security headers, the session (when its signed cookie is
 * valid), and for POST the same-origin rule and the CSRF token (`_csrf` form field or `X-CSRF-Token` header).
 * A POST without a session is let through only to `open` paths (sign-in), which check their own secret.
 */
export function webSecurity(sec: WebSecurity, open: readonly string[]) {
  const allowed = new Set([...LOOPBACK_HOSTS, ...sec.allowedHosts.map((h) => h.toLowerCase())]);
  return async (c: Context, next: () => Promise<void>) => {
    const host = c.req.header('host');
    if (!host || !allowed.has(hostname(host))) {
      return refuse(c, 403, `Host "${host ?? ''}" is not allowed; add it to QM_ALLOWED_HOSTS to serve under that name.`);
    }
    c.header('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    c.header('X-Frame-Options', 'DENY');
    c.header('X-Content-Type-Options', 'nosniff');
    // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on form posts, which the origin rule refuses.
    c.header('Referrer-Policy', 'same-origin');
    c.header('Cache-Control', 'no-store');

    const secure = isSecure(c, sec);
    const key = await sec.key();
    const secret = await getSignedCookie(c, key, sessionCookieName(secure));
    const principal = typeof secret === 'string' && secret ? await verifySession(sec.database, secret, sec.now(), sec.limits) : undefined;
    if (principal) principals.set(c.req.raw, { principal, csrf: csrfToken(key, principal.sessionId) });

    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const origin = c.req.header('origin');
      if (origin !== undefined && !isSameOrigin(origin, host, sec.publicUrl)) {
        return refuse(c, 403, `Cross-origin request refused: Origin "${origin}" is not this server.`);
      }
      const site = c.req.header('sec-fetch-site');
      if (site !== undefined && site !== 'same-origin' && site !== 'none') {
        return refuse(c, 403, 'Cross-site request refused.');
      }
      if (!open.includes(c.req.path)) {
        if (!principal) return refuse(c, 403, 'Your session has ended: sign in again.');
        const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
        const form = type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data' ? await c.req.parseBody() : {};
        const given = c.req.header('x-csrf-token') ?? (typeof form._csrf === 'string' ? form._csrf : '');
        if (!given || !same(given, csrfToken(key, principal.sessionId))) {
          return refuse(c, 403, 'This form has expired or did not come from this site (CSRF check failed): reload the page and try again.');
        }
      }
    }
    await next();
  };
}
