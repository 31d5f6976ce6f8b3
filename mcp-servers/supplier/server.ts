// The supplier MCP server: the supplier agent's tools, also usable by any MCP client (stdio or Streamable HTTP).
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { version } from '../../src/version.js';
import type { McpDeps } from '../shared/deps.js';
import { supplierTools } from './tools/index.js';

/** Builds a supplier MCP server with every tool registered; `cleanup` closes it. */
export function createSupplierServer(deps: McpDeps): { server: McpServer; cleanup: () => Promise<void> } {
  const server = new McpServer(
    { name: 'quartermaster-supplier', title: 'Quartermaster supplier', version },
    {
      instructions:
        'Finds suppliers by fuzzy name (including aliases), profiles them (master data, spend, contracts, open purchase orders, risk signals), screens names against imported sanctions lists with explained matches, weighs risk against exposure, and lists candidate duplicate supplier records.',
    },
  );
  for (const register of supplierTools) register(server, deps);
  return { server, cleanup: () => server.close() };
}
