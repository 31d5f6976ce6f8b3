// The demand MCP server: spend forecasts for the demand agent, also usable by any MCP client (stdio or Streamable HTTP).
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { version } from '../../src/version.js';
import { analyticsDeps, type McpDeps } from '../shared/deps.js';
import { demandTools } from './tools/index.js';

/** Builds a demand MCP server with every tool registered; `cleanup` closes it. */
export function createDemandServer(deps: McpDeps): { server: McpServer; cleanup: () => Promise<void> } {
  const server = new McpServer(
    { name: 'quartermaster-demand', title: 'Quartermaster demand', version },
    {
      instructions:
        'Forecasts spend from the organisation\'s own history: in total, or per category, supplier or department, for 1-24 months after the last complete month of the data; forecasts quantities per item or category from purchase orders or goods receipts (forecast_demand); and projects when spend against a contract passes its value (contract_burn). Each series is forecast by the method that did best in back-tests on its own past, with an 80% range from those back-test errors; amounts are exact decimals per currency, never added across currencies. Quote the range with the figure, and the notes (short or stopped histories, credit notes, level shifts).',
    },
  );
  // Forecasts only read history: a read replica serves them when there is one.
  for (const register of demandTools) register(server, analyticsDeps(deps));
  return { server, cleanup: () => server.close() };
}
