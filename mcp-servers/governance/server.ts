// The governance MCP server: read-only views of approvals and monitor findings, answered as the calling person
// (what they may see and decide). Deciding is not here: it goes through the approvals service and its checks.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { version } from '../../src/version.js';
import type { McpDeps } from '../shared/deps.js';
import { governanceTools } from './tools/index.js';

/** Builds a governance MCP server with every tool registered; `cleanup` closes it. */
export function createGovernanceServer(deps: McpDeps): { server: McpServer; cleanup: () => Promise<void> } {
  const server = new McpServer(
    { name: 'quartermaster-governance', title: 'Quartermaster governance', version },
    {
      instructions:
        'Read-only views of governance: approval requests (waiting for the caller, requested by them, or all; one by its number) and what the monitors found (invoice exceptions, spend anomalies, renewal deadlines, supplier risk). Answers as the connected person; nothing here approves or changes anything.',
    },
  );
  for (const register of governanceTools) register(server, deps);
  return { server, cleanup: () => server.close() };
}
