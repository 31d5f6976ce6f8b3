// Tool results: a readable text that leads with the answer, plus structured content matching the outputSchema.
// A tool failure the caller can act on (unknown supplier, bad range) is data (`isError`), never a throw.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isAppError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';

/** A successful result: `text` first (the answer, then the evidence), `data` as structuredContent. */
export function toolResult(text: string, data: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: data };
}

/** A failure the caller can read and act on, e.g. an unknown name with the closest matches. */
export function toolError(message: string, data?: Record<string, unknown>): CallToolResult {
  return {
    content: [{ type: 'text', text: message }],
    ...(data ? { _meta: { 'quartermaster/error': data } } : {}),
    isError: true,
  };
}

/**
 * Wraps a tool handler: expected failures (AppError) become readable `isError` results; anything unexpected is
 * logged with its detail and reported to the caller without internals (database errors are never shown).
 */
export function guarded<A>(
  name: string,
  log: Logger,
  handler: (args: A) => Promise<CallToolResult>,
): (args: A) => Promise<CallToolResult> {
  return async (args) => {
    try {
      return await handler(args);
    } catch (err) {
      if (isAppError(err)) return toolError(err.message);
      log.error(`tool ${name} failed`, { error: (err as Error).message });
      return toolError(`${name} failed because of an internal error; the server log has the details.`);
    }
  };
}
