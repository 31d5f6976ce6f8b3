// What every MCP server is built from: the database, a logger, and a clock (so tests can fix "today").
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Database } from '../../src/db/client.js';
import type { Logger } from '../../src/log.js';

export type McpDeps = {
  database: Database;
  log: Logger;
  /** Today's date and time; tests pass a fixed one. */
  now: () => Date;
};

/** Registers one tool (or resource) on a server: each tool file exports one of these. */
export type ToolRegistrar = (server: McpServer, deps: McpDeps) => void;
