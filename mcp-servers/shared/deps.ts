// What every MCP server is built from: the database, a logger, and a clock (so tests can fix "today").
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Database } from '../../src/db/client.js';
import type { Logger } from '../../src/log.js';

/**
 * Who is calling a server: the operator (stdio `qm mcp`, the operator's token), a person (a personal token, or the
 * person a chat turn is for), or nobody known. Servers that answer "as the calling person" read this, never a name
 * given in a tool's arguments.
 */
export type McpCaller = { kind: 'operator' } | { kind: 'person'; email: string } | { kind: 'anonymous' };

export type McpDeps = {
  database: Database;
  log: Logger;
  /** Today's date and time; tests pass a fixed one. */
  now: () => Date;
  /** Where read-only analytics may read (a streaming replica, src/db/replica.ts); unset → `database`. */
  readDatabase?: Database;
  /** Who is calling; unset means the local operator (stdio). */
  caller?: McpCaller;
  /** The policy folder (QM_POLICY_DIR) for servers that read policies/*.yaml; unset → the packaged policies. */
  policyDir?: string;
};

/** The deps for tools that only read analytics: their database is the read replica when there is one. */
export const analyticsDeps = (deps: McpDeps): McpDeps => (deps.readDatabase ? { ...deps, database: deps.readDatabase } : deps);

/** Registers one tool (or resource) on a server: each tool file exports one of these. */
export type ToolRegistrar = (server: McpServer, deps: McpDeps) => void;
