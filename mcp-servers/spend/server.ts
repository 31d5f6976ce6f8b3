// The spend MCP server: the spend agent's tools, also usable by any MCP client (stdio or Streamable HTTP).
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { version } from '../../src/version.js';
import type { McpDeps } from '../shared/deps.js';
import { spendTools } from './tools/index.js';

/** Builds a spend MCP server with every tool registered; `cleanup` closes it. */
export function createSpendServer(deps: McpDeps): { server: McpServer; cleanup: () => Promise<void> } {
  const server = new McpServer(
    { name: 'quartermaster-spend', title: 'Quartermaster spend', version },
    {
      instructions:
        'Answers questions about money paid to suppliers: totals and counts by supplier, category, period or department; trends; anomalies such as duplicate payments and split purchases; and UNSPSC classification of line descriptions. Amounts are exact decimals with their currency; never add different currencies together.',
    },
  );
  for (const register of spendTools) register(server, deps);
  return { server, cleanup: () => server.close() };
}
