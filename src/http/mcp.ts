// MCP over Streamable HTTP at /mcp/<server>. Stateless: every POST gets a fresh server and transport, so any
// app instance behind a load balancer can answer any request. Guards, in order: Host/Origin (DNS rebinding),
// then authentication (bearer QM_MCP_TOKEN, or loopback callers only when no token is configured).
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { Context, Hono } from 'hono';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { type McpDeps, mcpServers } from '../../mcp-servers/index.js';
import type { McpCaller } from '../../mcp-servers/shared/deps.js';
import { type AccessOptions, accessGuard, type Caller, callerOf, publicOriginOf } from './guard.js';

export type McpHttpOptions = {
  deps: McpDeps;
  /** Who may call (bearer QM_MCP_TOKEN, the local credential, personal tokens; loopback only without a token). */
  access: AccessOptions;
  /** The servers to expose by name (default: spend, supplier, contract). */
  servers?: Readonly<Record<string, (deps: McpDeps) => { server: McpServer; cleanup: () => Promise<void> }>>;
};

function jsonRpcError(c: Context, status: 400 | 401 | 403 | 404 | 405, message: string, code = -32600) {
  return c.json({ jsonrpc: '2.0', id: null, error: { code, message } }, status);
}

/** The guard's caller as the MCP servers know it: a personal token is its person. */
function mcpCaller(caller: Caller): McpCaller {
  if (caller.kind === 'operator') return { kind: 'operator' };
  if (caller.kind === 'token') return { kind: 'person', email: caller.principal.email };
  return { kind: 'anonymous' };
}

/** Mounts /mcp/:server on the app. */
export function mountMcp(app: Hono, opts: McpHttpOptions): void {
  const servers: NonNullable<McpHttpOptions['servers']> = opts.servers ?? mcpServers;

  // Each server answers at /mcp/<name>, and also at /<name>/mcp for clients that expect a path ending in /mcp
  // (the MCP Inspector's CLI rewrites any other path to /mcp).
  const paths = ['/mcp/:server', '/:server/mcp'];
  // Body size is limited for every route by the app (src/http/limits.ts).
  const guard = accessGuard({ ...opts.access, refuse: jsonRpcError });
  const serve = async (c: Context) => {
      const name = c.req.param('server') ?? '';
      const create = Object.hasOwn(servers, name) ? servers[name] : undefined;
      if (!create) return jsonRpcError(c, 404, `No MCP server "${name}"; try ${Object.keys(servers).join(', ')}.`);
      // Each request's server answers as its caller (the governance tools read who that is).
      const { server, cleanup } = create({ ...opts.deps, caller: mcpCaller(callerOf(c)) });
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

  // Protected-resource metadata (RFC 9728) naming the identity provider each MCP server takes access tokens from.
  if (opts.access.oauth) {
    const issuer = opts.access.oauth.issuer;
    app.get('/.well-known/oauth-protected-resource/mcp/:server', (c) => {
      const name = c.req.param('server');
      if (!Object.hasOwn(servers, name)) return c.notFound();
      const resource = `${publicOriginOf(c, opts.access)}/mcp/${name}`;
      return c.json({ resource, authorization_servers: [issuer], bearer_methods_supported: ['header'], resource_name: `Quartermaster ${name} MCP server` });
    });
  }

  for (const path of paths) {
    const known = async (c: Context, next: () => Promise<void>) => {
      // /<name>/mcp is only an MCP path for a server that exists; anything else falls through to 404.
      if (path.startsWith('/:') && !Object.hasOwn(servers, c.req.param('server') ?? '')) return c.notFound();
      return guard(c, next);
    };
    app.post(path, known, serve);
    app.on(['GET', 'DELETE'], path, known, notAllowed);
  }
}
