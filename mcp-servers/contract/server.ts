// The contract MCP server: the contract agent's tools, also usable by any MCP client (stdio or Streamable HTTP).
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { version } from '../../src/version.js';
import type { McpDeps } from '../shared/deps.js';
import { contractTools } from './tools/index.js';

/** Builds a contract MCP server with every tool registered; `cleanup` closes it. */
export function createContractServer(deps: McpDeps): { server: McpServer; cleanup: () => Promise<void> } {
  const server = new McpServer(
    { name: 'quartermaster-contract', title: 'Quartermaster contract', version },
    {
      instructions:
        'Finds contracts, shows their terms, extracts clauses (governing law, renewal, notice, termination, liability caps, audit rights and more) from stored or given text with quoted spans, lists expiry and notice deadlines, and checks invoiced prices against contracted prices. Each contract text is also a resource.',
    },
  );
  for (const register of contractTools) register(server, deps);
  return { server, cleanup: () => server.close() };
}
