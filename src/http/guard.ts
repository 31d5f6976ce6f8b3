// Access checks shared by the programmatic endpoints (MCP, the ask and approvals APIs, signals): Host and Origin
// against an allow-list (DNS rebinding, other local origins), then credentials, which also say who the caller
// is. A caller is the operator (bearer QM_MCP_TOKEN, or the local credential the server wrote into its data
// directory), a person (bearer personal token), or, only when QM_MCP_TOKEN is unset, an anonymous loopback
// client. A request relayed by a proxy is never loopback: its forwarding headers give it away.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { type AccessTokenVerifier, looksLikeJwt } from '../access/oauth-resource.js';
import { TOKEN_PREFIX, type TokenPrincipal, verifyToken } from '../access/tokens.js';
import type { Database } from '../db/client.js';

export type AccessOptions = {
  /** QM_MCP_TOKEN: the operator's bearer token; when set, nobody gets in without a credential. */
  token?: string;
  /** The local credential this server wrote into its data directory (operator access for the local `qm`). */
  localCredential?: string;
  /** Host names accepted besides localhost and loopback addresses (QM_ALLOWED_HOSTS). */
  allowedHosts: readonly string[];
  /** The origin browsers see this server under behind a proxy (QM_PUBLIC_URL), accepted as an Origin. */
  publicUrl?: string;
  /** Where personal API tokens are checked; without it only the operator's credentials are known. */
  database?: Database;
  /** OAuth access tokens from the identity provider (QM_OIDC_ISSUER), each valid for one resource (MCP server). */
  oauth?: AccessTokenVerifier;
  now?: () => Date;
};

export type GuardOptions = AccessOptions & {
  /** How a refusal is written (JSON-RPC for MCP, plain JSON elsewhere). */
  refuse: (c: Context, status: 401 | 403, message: string) => Response | Promise<Response>;
};

/** Who is calling, as the guard established it. */
export type Caller =
  | { kind: 'operator'; via: 'mcp-token' | 'local-credential' }
  | { kind: 'anonymous' }
  | { kind: 'token'; principal: TokenPrincipal };

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]', '::1'];
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip', 'true-client-ip', 'x-client-ip'];

const callers = new WeakMap<Request, Caller>();

/** The host name of a Host header, lower-cased, without the port (an IPv6 literal keeps its brackets). */
export function hostname(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

/** True when the peer is on this machine. */
export function isLoopbackAddress(addr: string | undefined): boolean {
  return addr === '::1' || (addr?.startsWith('127.') ?? false) || (addr?.startsWith('::ffff:127.') ?? false);
}

/** True when the request came straight from a loopback peer, not relayed by a proxy. */
export function isDirectLoopback(c: Context): boolean {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!isLoopbackAddress(incoming?.socket.remoteAddress)) return false;
  return FORWARDING_HEADERS.every((h) => c.req.header(h) === undefined);
}

/**
 * True when an Origin header names this server: scheme http(s), and host and port equal to the Host the request
 * was sent to (so another port on localhost is a different origin), or the configured public URL.
 */
export function isSameOrigin(origin: string, hostHeader: string, publicUrl?: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.origin === 'null') return false;
  if (publicUrl) {
    try {
      if (new URL(publicUrl).origin === url.origin) return true;
    } catch {
      // an invalid public URL is refused by the config; nothing matches it here
    }
  }
  // Read the Host header under the Origin's scheme, so default ports compare equal (localhost:80 = localhost).
  let target: URL;
  try {
    target = new URL(`${url.protocol}//${hostHeader.trim()}`);
  } catch {
    return false;
  }
  if (target.host === url.host) return true;
  // localhost, 127.0.0.1 and [::1] on the same port are this same server.
  const loopback = (h: string) => h === 'localhost' || h === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(h);
  return target.port === url.port && loopback(target.hostname) && loopback(url.hostname);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The origin clients reach this server under: QM_PUBLIC_URL, else the request's own. */
export function publicOriginOf(c: Context, opts: Pick<AccessOptions, 'publicUrl'>): string {
  return opts.publicUrl ?? new URL(c.req.url).origin;
}

/** The caller the guard let through (anonymous when no guard ran). */
export function callerOf(c: Context): Caller {
  return callers.get(c.req.raw) ?? { kind: 'anonymous' };
}

/** A hono middleware that lets a request through only if its Host, Origin and credentials pass. */
export function accessGuard(opts: GuardOptions) {
  const allowed = new Set([...LOOPBACK_HOSTS, ...opts.allowedHosts.map((h) => h.toLowerCase())]);
  const now = opts.now ?? (() => new Date());
  return async (c: Context, next: () => Promise<void>) => {
    const host = c.req.header('host');
    if (!host || !allowed.has(hostname(host))) {
      return opts.refuse(c, 403, `Host "${host ?? ''}" is not allowed; add it to QM_ALLOWED_HOSTS to serve under that name.`);
    }
    const origin = c.req.header('origin');
    if (origin !== undefined && !isSameOrigin(origin, host, opts.publicUrl)) {
      return opts.refuse(c, 403, `Origin "${origin}" is not allowed: only pages of this server (same scheme, host and port) may call it.`);
    }
    const caller = await identify(c, opts, now);
    if ('refusal' in caller) {
      if (caller.refusal.status === 401) {
        // With an identity provider, a client learns where to get a token from the resource's metadata.
        const metadata = opts.oauth ? `, resource_metadata="${publicOriginOf(c, opts)}/.well-known/oauth-protected-resource${c.req.path}"` : '';
        c.header('WWW-Authenticate', `Bearer realm="quartermaster"${metadata}`);
      }
      return opts.refuse(c, caller.refusal.status, caller.refusal.message);
    }
    callers.set(c.req.raw, caller);
    await next();
  };
}

async function identify(
  c: Context,
  opts: AccessOptions,
  now: () => Date,
): Promise<Caller | { refusal: { status: 401 | 403; message: string } }> {
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const secret = match?.[1];
    if (!secret) return { refusal: { status: 401, message: 'Malformed Authorization header: send "Bearer <token>".' } };
    if (opts.token && sameSecret(secret, opts.token)) return { kind: 'operator', via: 'mcp-token' };
    if (opts.localCredential && sameSecret(secret, opts.localCredential)) return { kind: 'operator', via: 'local-credential' };
    if (secret.startsWith(TOKEN_PREFIX) && opts.database) {
      const verdict = await verifyToken(opts.database, secret, now());
      if (verdict.ok) return { kind: 'token', principal: verdict.principal };
      return { refusal: { status: 401, message: `Personal token refused: ${verdict.reason}.` } };
    }
    if (opts.oauth && looksLikeJwt(secret)) {
      const verdict = await opts.oauth.verify(secret, `${publicOriginOf(c, opts)}${c.req.path}`);
      if (verdict.ok) return { kind: 'token', principal: verdict.principal };
      return { refusal: { status: 401, message: `OAuth ${verdict.reason}.` } };
    }
    return { refusal: { status: 401, message: 'Missing or invalid bearer token.' } };
  }
  if (opts.token) return { refusal: { status: 401, message: 'Missing or invalid bearer token.' } };
  // A remote client is told (401 with the resource metadata) to get an access token from the identity provider.
  if (opts.oauth && !isDirectLoopback(c)) return { refusal: { status: 401, message: 'Send an access token from the identity provider, or a personal token.' } };
  if (!isDirectLoopback(c)) {
    return {
      refusal: {
        status: 403,
        message: 'Without QM_MCP_TOKEN this endpoint accepts direct loopback clients only (not requests relayed by a proxy); send a personal token (qm tokens create).',
      },
    };
  }
  return { kind: 'anonymous' };
}

/** Who a request acts as, or why it may not. */
export type Acting = { ok: true; email?: string; via?: string } | { ok: false; message: string };

/**
 * The user a request acts as, given the caller and the `as` it passed. The operator may name anyone; a
 * personal token acts as its user and may name another only when it was issued `--on-behalf` (then `via`
 * names the token's user, for the ledger); an anonymous loopback caller may not name anyone.
 */
export function actingAs(caller: Caller, as: string | undefined): Acting {
  const named = as?.trim() || undefined;
  switch (caller.kind) {
    case 'operator':
      return { ok: true, ...(named ? { email: named } : {}) };
    case 'token': {
      const self = caller.principal.email;
      if (!named || named.toLowerCase() === self.toLowerCase()) return { ok: true, email: self };
      if (!caller.principal.onBehalf) {
        return { ok: false, message: `This personal token acts as ${self}; it may not act as ${named} ("as" is refused). Issue an --on-behalf token for an integration.` };
      }
      return { ok: true, email: named, via: `${self} (token "${caller.principal.tokenName}")` };
    }
    case 'anonymous':
      if (!named) return { ok: true };
      return {
        ok: false,
        message: `Acting as ${named} needs a credential: the qm command reads the server's local credential, other clients send a personal token (qm tokens create) or QM_MCP_TOKEN.`,
      };
  }
}
