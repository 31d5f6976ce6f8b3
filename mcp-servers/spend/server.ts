// The spend MCP server: the spend agent's tools, also usable by any MCP client (stdio or Streamable HTTP).
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { version } from '../../src/version.js';
import { analyticsDeps, type McpDeps, type ToolRegistrar } from '../shared/deps.js';
import { registerClassifySpendTool } from './tools/classify-spend.js';
import { registerFindSpendTermsTool } from './tools/find-spend-terms.js';
import { spendTools } from './tools/index.js';
import { registerSpendAnomaliesTool } from './tools/spend-anomalies.js';
import { registerSpendSummaryTool } from './tools/spend-summary.js';
import { registerSpendTrendTool } from './tools/spend-trend.js';

/** Tools over imported spend only, which may read a replica; order and invoice status read the primary (fresh writes). */
const ANALYTICS = new Set<ToolRegistrar>([registerSpendSummaryTool, registerSpendTrendTool, registerSpendAnomaliesTool, registerClassifySpendTool, registerFindSpendTermsTool]);

/** Builds a spend MCP server with every tool registered; `cleanup` closes it. */
export function createSpendServer(deps: McpDeps): { server: McpServer; cleanup: () => Promise<void> } {
  const server = new McpServer(
    { name: 'quartermaster-spend', title: 'Quartermaster spend', version },
    {
      instructions:
        'Answers questions about money paid to suppliers: totals and counts by supplier, category, period or department; trends; anomalies such as duplicate payments and split purchases; and UNSPSC classification of line descriptions. Amounts are exact decimals with their currency; never add different currencies together.',
    },
  );
  for (const register of spendTools) register(server, ANALYTICS.has(register) ? analyticsDeps(deps) : deps);
  return { server, cleanup: () => server.close() };
}
