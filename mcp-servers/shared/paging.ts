// Paging for list tools: the same `limit`/`offset` input and `truncated`/`next_offset` output on every tool, so an
// MCP host with a token limit can always ask for a bounded page and knows how to get the next one.
import { z } from 'zod';

/** The `limit`/`offset` input fields: `limit` up to `max` (default `fallback`), counted in `unit` (e.g. "contracts"). */
export function pageInput(unit: string, max: number, fallback: number) {
  return {
    limit: z
      .number()
      .int()
      .min(1)
      .max(max, `limit is at most ${max}; page with offset for more`)
      .default(fallback)
      .describe(`${unit[0]!.toUpperCase()}${unit.slice(1)} per page, 1-${max} (default ${fallback}).`),
    offset: z
      .number()
      .int()
      .min(0)
      .max(10_000_000)
      .default(0)
      .describe(`${unit[0]!.toUpperCase()}${unit.slice(1)} to skip, for the next page: pass the previous result's next_offset.`),
  };
}

/** The `truncated`/`next_offset` output fields. */
export const pageOutput = {
  truncated: z.boolean().describe('True when more rows follow this page.'),
  next_offset: z.number().int().nullable().describe('The offset of the next page, or null on the last page.'),
};

export interface Page {
  truncated: boolean;
  next_offset: number | null;
}

/** Where a page of `shown` rows starting at `offset` ends, given there are `more` rows after it (or the `total`). */
export function pageOf(offset: number, shown: number, rest: { total: number } | { more: boolean }): Page {
  const end = offset + shown;
  const truncated = 'total' in rest ? end < rest.total : rest.more;
  return { truncated, next_offset: truncated ? end : null };
}

/**
 * The sentence saying which rows a page holds and how to get more: "Showing 21-40 of 95 (next_offset 40); narrow
 * the supplier or dates to see fewer." Empty when everything fits on a first page.
 */
export function pageText(offset: number, shown: number, page: Page, hint: string, total?: number): string {
  if (offset === 0 && !page.truncated) return '';
  const of = total === undefined ? '' : ` of ${total}`;
  if (shown === 0) return `Nothing at offset ${offset}${of}; use a lower offset.`;
  const range = `Showing ${offset + 1}-${offset + shown}${of}`;
  return page.truncated ? `${range} (next_offset ${page.next_offset}); ${hint}.` : `${range}.`;
}
