// A real MCP client connected to one of our servers over the SDK's in-memory transport pair.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { mcpServers, type McpServerName } from '../../mcp-servers/index.js';
import type { McpDeps } from '../../mcp-servers/shared/deps.js';
import type { Database } from '../../src/db/client.js';
import { silentLogger } from '../../src/log.js';

/** Connects a client to the named server on `database`; `now` fixes the server's clock; `extra` adds deps (policyDir). */
export async function connectInMemory(
  name: McpServerName,
  database: Database,
  now: () => Date = () => new Date(),
  extra: Pick<McpDeps, 'policyDir'> = {},
): Promise<{ client: Client; close: () => Promise<void> }> {
  const { server, cleanup } = mcpServers[name]({ database, log: silentLogger, now, ...extra });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'qm-test', version: '1.0.0' });
  await client.connect(clientSide);
  return {
    client,
    async close() {
      await client.close();
      await cleanup();
    },
  };
}

/** Calls a tool and returns its result typed as a CallToolResult. */
export async function callTool(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}
