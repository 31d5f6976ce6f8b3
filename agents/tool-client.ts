// How an agent reaches its MCP server: an SDK Client over an in-process transport (default) or over
// Streamable HTTP to a remote URL. `recording` wraps a client to time and keep one turn's calls.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { type McpDeps, type McpServerName, mcpServers } from '../mcp-servers/index.js';
import type { ToolCall } from '../src/orchestrator/types.js';

/** An image a tool returned (MCP image content): its MIME type and base64 bytes. */
export type ToolImage = { mimeType: string; data: string };

export type ToolOutcome = { isError: boolean; text: string; data: Record<string, unknown> | undefined; images?: ToolImage[] };

/** An MCP client bound to one server, recording each call. */
export type ToolClient = {
  server: McpServerName;
  listTools(): Promise<Tool[]>;
  call(tool: string, args: Record<string, unknown>): Promise<ToolOutcome>;
  close(): Promise<void>;
};

export type ToolClientOptions = { deps: McpDeps; remoteUrl?: string; token?: string; timeoutMs?: number };

/** Opens a client to `server`: in-process unless a remote URL is configured for it. */
export async function openToolClient(server: McpServerName, opts: ToolClientOptions): Promise<ToolClient> {
  const client = new Client({ name: `quartermaster-${server}-agent`, version: '1.0.0' });
  let cleanup: () => Promise<void> = async () => {};
  if (opts.remoteUrl) {
    const headers: Record<string, string> = opts.token ? { authorization: `Bearer ${opts.token}` } : {};
    await client.connect(new StreamableHTTPClientTransport(new URL(opts.remoteUrl), { requestInit: { headers } }));
  } else {
    const created = mcpServers[server](opts.deps);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await created.server.connect(serverSide);
    await client.connect(clientSide);
    cleanup = created.cleanup;
  }
  // A server's tool list is fixed for its lifetime: list it once.
  let tools: Promise<Tool[]> | undefined;
  return {
    server,
    listTools() {
      tools ??= client.listTools().then((r) => r.tools);
      tools.catch(() => {
        tools = undefined;
      });
      return tools;
    },
    async call(tool, args) {
      let result: CallToolResult;
      try {
        result = (await client.callTool({ name: tool, arguments: args }, undefined, {
          timeout: opts.timeoutMs ?? 30_000,
        })) as CallToolResult;
      } catch (err) {
        return { isError: true, text: (err as Error).message, data: undefined };
      }
      const isError = result.isError === true;
      const text = result.content
        .filter((c): c is { type: 'text'; text: string } => c.type === 'text')
        .map((c) => c.text)
        .join('\n');
      const images = result.content
        .filter((c): c is { type: 'image'; data: string; mimeType: string } => c.type === 'image')
        .map((c) => ({ mimeType: c.mimeType, data: c.data }));
      return { isError, text, data: result.structuredContent as Record<string, unknown> | undefined, ...(images.length > 0 ? { images } : {}) };
    },
    async close() {
      await client.close().catch(() => {});
      await cleanup().catch(() => {});
    },
  };
}

/** A tool's result read through its output type: on success `data` is the tool's structured content. */
export type TypedOutcome<T> =
  | { isError: false; text: string; data: T; images?: ToolImage[] }
  | { isError: true; text: string; data: Record<string, unknown> | undefined };

/** Calls to one server's tools, each answering with its own output type (`Outputs`: tool name → output). */
export type TypedTools<Outputs> = {
  call<K extends keyof Outputs & string>(tool: K, args: Record<string, unknown>): Promise<TypedOutcome<Outputs[K]>>;
};

/**
 * Reads `client` through a server's output map (e.g. `SpendToolOutputs`, the `z.infer` of each tool's
 * outputSchema). The only cast at the agent↔MCP boundary, and a sound one: the server checks structured content
 * against the tool's outputSchema before it answers, and a successful call always carries it.
 */
export function typed<Outputs>(client: ToolClient): TypedTools<Outputs> {
  return {
    async call<K extends keyof Outputs & string>(tool: K, args: Record<string, unknown>): Promise<TypedOutcome<Outputs[K]>> {
      const r = await client.call(tool, args);
      if (r.isError) return { isError: true, text: r.text, data: r.data };
      if (!r.data) throw new Error(`${client.server} tool ${tool} answered without structured content`);
      return { isError: false, text: r.text, data: r.data as Outputs[K], ...(r.images ? { images: r.images } : {}) };
    },
  };
}

/** A view of `client` that records every call made through it (for one agent in one turn). */
export function recording(client: ToolClient): ToolClient & { calls: ToolCall[] } {
  const calls: ToolCall[] = [];
  return {
    ...client,
    calls,
    async call(tool, args) {
      const started = performance.now();
      const outcome = await client.call(tool, args);
      calls.push({ tool, args, ms: Math.round(performance.now() - started), isError: outcome.isError });
      return outcome;
    },
  };
}

/** The first line of a tool's text: tools lead with the answer. */
export function firstLine(text: string): string {
  return text.split('\n', 1)[0]?.trim() ?? '';
}
