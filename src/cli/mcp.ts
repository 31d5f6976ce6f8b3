// `qm mcp <spend|supplier|contract>`: one MCP server on stdio, for Claude Desktop, VS Code and other hosts.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Command } from 'commander';
import { isMcpServerName, MCP_SERVER_NAMES, mcpServers } from '../../mcp-servers/index.js';
import { AppError } from '../errors.js';
import { createApp } from '../runtime.js';
import { loadConfig } from '../config.js';

/** Adds the mcp command. */
export function registerMcp(program: Command, setExit: (code: number) => void): void {
  program
    .command('mcp')
    .description('Serve one MCP server on stdio (stdout carries only MCP messages; logs go to stderr)')
    .argument('<server>', MCP_SERVER_NAMES.join('|'))
    .action(async (name: string) => {
      if (!isMcpServerName(name)) {
        throw new AppError('mcp:usage', `unknown MCP server "${name}"; one of ${MCP_SERVER_NAMES.join(', ')}`);
      }
      const rt = await createApp(loadConfig(), { purpose: `qm mcp ${name}`, quiet: true });
      const { server, cleanup } = mcpServers[name]({ database: rt.database, log: rt.log, now: () => new Date(), policyDir: rt.config.policyDir });
      const transport = new StdioServerTransport();
      const closed = new Promise<void>((resolve) => {
        transport.onclose = () => resolve();
        process.stdin.once('end', () => resolve());
        process.once('SIGTERM', () => resolve());
        process.once('SIGINT', () => resolve());
      });
      await server.connect(transport);
      await closed;
      await cleanup().catch(() => {});
      await rt.close();
      setExit(0);
    });
}
