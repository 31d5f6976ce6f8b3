// The MCP servers Quartermaster serves, by the name used in `qm mcp <name>` and `/mcp/<name>`.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { createContractServer } from './contract/server.js';
import { createDemandServer } from './demand/server.js';
import { createGovernanceServer } from './governance/server.js';
import type { McpCaller, McpDeps } from './shared/deps.js';
import { createSourcingServer } from './sourcing/server.js';
import { createSpendServer } from './spend/server.js';
import { createSupplierServer } from './supplier/server.js';

export const MCP_SERVER_NAMES = ['spend', 'supplier', 'contract', 'demand', 'governance', 'sourcing'] as const;
export type McpServerName = (typeof MCP_SERVER_NAMES)[number];

export const mcpServers: Readonly<
  Record<McpServerName, (deps: McpDeps) => { server: McpServer; cleanup: () => Promise<void> }>
> = {
  spend: createSpendServer,
  supplier: createSupplierServer,
  contract: createContractServer,
  demand: createDemandServer,
  governance: createGovernanceServer,
  sourcing: createSourcingServer,
};

/** True when `name` is one of the servers. */
export function isMcpServerName(name: string): name is McpServerName {
  return (MCP_SERVER_NAMES as readonly string[]).includes(name);
}

export type { McpCaller, McpDeps };
