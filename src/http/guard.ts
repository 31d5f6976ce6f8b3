// Access checks shared by the programmatic endpoints (MCP, the ask API): Host and Origin against an allow-list
// (DNS rebinding), then a bearer token compared in constant time, or loopback callers only when none is set.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

export type GuardOptions = {
  token?: string;
  allowedHosts: readonly string[];
  /** How a refusal is written (JSON-RPC for MCP, plain JSON elsewhere). */
  refuse: (c: Context, status: 401 | 403, message: string) => Response | Promise<Response>;
};

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]', '::1'];

function hostname(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

function isLoopbackAddress(addr: string | undefined): boolean {
  return addr === '127.0.0.1' || addr === '::1' || addr === '::ffff:127.0.0.1' || (addr?.startsWith('127.') ?? false);
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A hono middleware that lets a request through only if its Host, Origin and credentials pass. */
export function accessGuard(opts: GuardOptions) {
  const allowed = new Set([...LOOPBACK_HOSTS, ...opts.allowedHosts.map((h) => h.toLowerCase())]);
  return async (c: Context, next: () => Promise<void>) => {
    const host = c.req.header('host');
    if (!host || !allowed.has(hostname(host))) {
      return opts.refuse(c, 403, `Host "${host ?? ''}" is not allowed; add it to QM_ALLOWED_HOSTS to serve under that name.`);
    }
    const origin = c.req.header('origin');
    if (origin) {
      let originHost = '';
      try {
        originHost = new URL(origin).hostname.toLowerCase();
      } catch {
        // unparsable origin: rejected below
      }
      if (!allowed.has(originHost) && !allowed.has(`[${originHost}]`)) {
        return opts.refuse(c, 403, `Origin "${origin}" is not allowed.`);
      }
    }
    if (opts.token) {
      const match = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '');
      if (!match || !sameToken(match[1]!.trim(), opts.token)) {
        c.header('WWW-Authenticate', 'Bearer realm="quartermaster"');
        return opts.refuse(c, 401, 'Missing or invalid bearer token.');
      }
    } else {
      const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
      if (!isLoopbackAddress(incoming?.socket.remoteAddress)) {
        return opts.refuse(c, 403, 'Without QM_MCP_TOKEN this endpoint accepts loopback clients only.');
      }
    }
    await next();
  };
}
