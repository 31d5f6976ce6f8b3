// One request-body limit policy for every route: 1 MB, unless a route needs more and says why here. A body over
// its limit is refused with 413 before anything reads it (Content-Length, or counting a streamed body).
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';

const MB = 1024 * 1024;

/** The default limit. */
export const DEFAULT_BODY_LIMIT = MB;

/** Routes allowed more than the default, by path prefix, with the reason. */
export const LARGER_BODY_LIMITS: readonly { prefix: string; bytes: number; why: string }[] = [
  { prefix: '/mcp/', bytes: 4 * MB, why: 'MCP tool calls may carry whole contract texts as arguments' },
  { prefix: '/signals', bytes: 2 * MB, why: 'a feed may post up to 1,000 risk signals in one request' },
];

/** The largest body accepted on `path`. */
export function bodyLimitFor(path: string): number {
  // /<server>/mcp is the alias some MCP clients use for /mcp/<server>.
  const p = /^\/[^/]+\/mcp\/?$/.test(path) ? '/mcp/' : path;
  return LARGER_BODY_LIMITS.find((l) => p.startsWith(l.prefix))?.bytes ?? DEFAULT_BODY_LIMIT;
}

const limiters = new Map<number, ReturnType<typeof bodyLimit>>();

/** Middleware for the whole app: 413 beyond the route's limit. */
export function bodyLimits() {
  return (c: Context, next: () => Promise<void>) => {
    const max = bodyLimitFor(c.req.path);
    let limiter = limiters.get(max);
    if (!limiter) {
      limiter = bodyLimit({
        maxSize: max,
        onError: (ctx) => {
          const message = `Request body over ${max / MB} MB.`;
          // MCP clients read JSON-RPC errors; everyone else reads { error, message }.
          return ctx.req.path.includes('mcp')
            ? ctx.json({ jsonrpc: '2.0', id: null, error: { code: -32600, message } }, 413)
            : ctx.json({ error: 'too_large', message }, 413);
        },
      });
      limiters.set(max, limiter);
    }
    return limiter(c, next);
  };
}
