// MCP over Streamable HTTP at /mcp/<server>. Stateless: every POST gets a fresh server and transport, so any
// app instance behind a load balancer can answer any request. Guards, in order: Host/Origin (DNS rebinding),
// then authentication (bearer QM_MCP_TOKEN, or loopback callers only when no token is configured).
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { type McpDeps, mcpServers } from '../../mcp-servers/index.js';

export type McpHttpOptions = {
  deps: McpDeps;
  /** Bearer token; unset → only loopback clients. */
  token?: string;
  /** Host names accepted besides localhost and loopback addresses. */
  allowedHosts: readonly string[];
  /** Largest request body accepted (bytes). */
  maxBodyBytes?: number;
  /** The servers to expose by name (default: spend, supplier, contract). */
  servers?: Readonly<Record<string, (deps: McpDeps) => { server: McpServer; cleanup: () => Promise<void> }>>;
};

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]', '::1'];

function jsonRpcError(c: Context, status: 400 | 401 | 403 | 404 | 405 | 413, message: string, code = -32600) {
  return c.json({ jsonrpc: '2.0', id: null, error: { code, message } }, status);
}

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

/** Mounts /mcp/:server on the app. */
export function mountMcp(app: Hono, opts: McpHttpOptions): void {
  const allowed = new Set([...LOOPBACK_HOSTS, ...opts.allowedHosts.map((h) => h.toLowerCase())]);
  const maxBody = opts.maxBodyBytes ?? 4 * 1024 * 1024;
  const servers: NonNullable<McpHttpOptions['servers']> = opts.servers ?? mcpServers;

  // Each server answers at /mcp/<name>, and also at /<name>/mcp for clients that expect a path ending in /mcp
  // (the MCP Inspector's CLI rewrites any other path to /mcp).
  const paths = ['/mcp/:server', '/:server/mcp'];
  const guard = async (c: Context, next: () => Promise<void>) => {
    const host = c.req.header('host');
    if (!host || !allowed.has(hostname(host))) {
      return jsonRpcError(c, 403, `Host "${host ?? ''}" is not allowed; add it to QM_ALLOWED_HOSTS to serve MCP under that name.`);
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
        return jsonRpcError(c, 403, `Origin "${origin}" is not allowed.`);
      }
    }
    if (opts.token) {
      const auth = c.req.header('authorization') ?? '';
      const match = /^Bearer\s+(.+)$/i.exec(auth);
      if (!match || !sameToken(match[1]!.trim(), opts.token)) {
        c.header('WWW-Authenticate', 'Bearer realm="quartermaster-mcp"');
        return jsonRpcError(c, 401, 'Missing or invalid bearer token.');
      }
    } else {
      const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
      if (!isLoopbackAddress(incoming?.socket.remoteAddress)) {
        return jsonRpcError(c, 403, 'MCP over HTTP without QM_MCP_TOKEN accepts loopback clients only.');
      }
    }
    await next();
  };

  const limit = bodyLimit({
    maxSize: maxBody,
    onError: (c) => jsonRpcError(c, 413, `Request body larger than ${Math.round(maxBody / 1024 / 1024)} MB.`),
  });
  const serve = async (c: Context) => {
      const name = c.req.param('server') ?? '';
      const create = Object.hasOwn(servers, name) ? servers[name] : undefined;
      if (!create) return jsonRpcError(c, 404, `No MCP server "${name}"; try ${Object.keys(servers).join(', ')}.`);
      const { server, cleanup } = create(opts.deps);
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      try {
        await server.connect(transport);
        return await transport.handleRequest(c.req.raw);
      } finally {
        // With JSON responses the reply is complete once handleRequest resolves.
        await transport.close().catch(() => {});
        await cleanup().catch(() => {});
      }
  };

  // Stateless mode has no server-initiated stream to open (GET) or session to end (DELETE).
  const notAllowed = (c: Context) => {
    c.header('Allow', 'POST');
    return jsonRpcError(c, 405, 'This MCP endpoint is stateless: use POST.');
  };

  for (const path of paths) {
    const known = async (c: Context, next: () => Promise<void>) => {
      // /<name>/mcp is only an MCP path for a server that exists; anything else falls through to 404.
      if (path.startsWith('/:') && !Object.hasOwn(servers, c.req.param('server') ?? '')) return c.notFound();
      return guard(c, next);
    };
    app.post(path, known, limit, serve);
    app.on(['GET', 'DELETE'], path, known, notAllowed);
  }
}
