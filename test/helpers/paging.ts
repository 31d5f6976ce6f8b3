// Checks that a list tool pages: small pages with truncated/next_offset that follow on without overlap or gaps,
// a last page that says so, and a readable error for a limit over the tool's maximum.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import { callTool } from './mcp.js';

type Page = { truncated: boolean; next_offset: number | null } & Record<string, unknown>;

/**
 * Walks `tool` with `args` page by page (`limit` rows each) and expects the pages, joined, to begin with one page
 * of `max` rows (and to equal it when that page holds them all); `rows` picks the list out of the result and `key`
 * names a row. Returns the keys seen, in order.
 */
export async function expectPages(
  client: Client,
  tool: string,
  args: Record<string, unknown>,
  o: { limit: number; max: number; rows: (out: Page) => unknown[]; key: (row: never) => string },
): Promise<string[]> {
  const call = async (extra: Record<string, unknown>) => {
    const r = await callTool(client, tool, { ...args, ...extra });
    expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
    return r.structuredContent as Page;
  };
  const whole = await call({ limit: o.max, offset: 0 });
  const all = o.rows(whole).map((r) => o.key(r as never));
  expect(all.length, `${tool} needs more than one page of rows to test paging`).toBeGreaterThan(o.limit);
  const seen: string[] = [];
  let offset: number | null = 0;
  let pages = 0;
  while (offset !== null) {
    const page = await call({ limit: o.limit, offset });
    const keys = o.rows(page).map((r) => o.key(r as never));
    expect(keys.length).toBeLessThanOrEqual(o.limit);
    seen.push(...keys);
    if (!whole.truncated) expect(page.truncated).toBe(seen.length < all.length);
    expect(page.next_offset).toBe(page.truncated ? seen.length : null);
    if (page.truncated) expect(keys).toHaveLength(o.limit);
    offset = page.next_offset;
    pages += 1;
    expect(pages).toBeLessThan(100);
    // More rows than one large page: walking just past it is enough.
    if (whole.truncated && seen.length > all.length) break;
  }
  expect(seen.slice(0, all.length)).toEqual(all);
  if (!whole.truncated) expect(seen).toHaveLength(all.length);
  else expect(whole.next_offset).toBe(all.length);
  expect(new Set(seen).size).toBe(seen.length);
  return seen;
}

/** Expects `tool` to answer a limit over its maximum with a readable error naming the maximum. */
export async function expectLimitError(client: Client, tool: string, args: Record<string, unknown>, max: number): Promise<void> {
  const r = (await callTool(client, tool, { ...args, limit: max + 1 })) as CallToolResult;
  expect(r.isError).toBe(true);
  expect((r.content[0] as { text: string }).text).toMatch(new RegExp(`limit is at most ${max}`));
}
