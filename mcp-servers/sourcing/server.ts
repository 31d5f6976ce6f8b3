// The sourcing MCP server: the sourcing agent's tools (events, candidate suppliers and their scores, the RFx, bid
// analysis and award scenarios), also usable by any MCP client over stdio or Streamable HTTP.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { version } from '../../src/version.js';
import type { McpDeps } from '../shared/deps.js';
import { sourcingTools } from './tools/index.js';

/** Builds a sourcing MCP server with every tool registered; `cleanup` closes it. */
export function createSourcingServer(deps: McpDeps): { server: McpServer; cleanup: () => Promise<void> } {
  const server = new McpServer(
    { name: 'quartermaster-sourcing', title: 'Quartermaster sourcing', version },
    {
      instructions:
        'Runs sourcing events (RFQ/tender): records a need as a draft, finds and scores candidate suppliers from our own records with the evidence, drafts the RFx (also the resource rfx://{event}), analyses bids (sealed until the deadline) and lays out award scenarios with their trade-offs. Issuing and awarding are governed actions, never done here.',
    },
  );
  for (const register of sourcingTools) register(server, deps);
  return { server, cleanup: () => server.close() };
}
