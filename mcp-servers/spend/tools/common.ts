// What the spend tools share: the filter arguments (with texts a model can act on), their resolution into query
// filters (the supplier fuzzy-resolved, dates checked), and the echo of the filters that were applied.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { resolveSupplier } from '../../../src/db/queries/supplier-lookup.js';
import type { McpDeps } from '../../shared/deps.js';
import { toolError } from '../../shared/result.js';

// True when `s` (YYYY-MM-DD) names a real calendar day.
function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && y >= 1900 && y <= 2199;
}

/** An ISO calendar date argument. */
export function isoDate(what: string) {
  return z
    .string()
    .max(10, `${what} must be a date as YYYY-MM-DD`)
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${what} must be a date as YYYY-MM-DD`)
    .refine(isCalendarDate, { message: `${what} must be a real date as YYYY-MM-DD, between 1900 and 2199` });
}

/** The filter arguments every spend tool accepts. */
export const spendFilterShape = {
  supplier: z
    .string()
    .min(1)
    .max(200, 'supplier must be at most 200 characters')
    .optional()
    .describe(
      'Only this supplier: its id, name or any known alias; a close misspelling is resolved. If the name is unknown or ambiguous the tool returns an error listing the closest suppliers; retry with one of them.',
    ),
  category: z
    .string()
    .min(1)
    .max(200, 'category must be at most 200 characters')
    .optional()
    .describe(
      'Only spend whose category text contains this (any case), e.g. "agency staff", or whose category code starts with it, e.g. "4412".',
    ),
  date_from: isoDate('date_from').optional().describe('First payment date included, YYYY-MM-DD.'),
  date_to: isoDate('date_to').optional().describe('Last payment date included, YYYY-MM-DD.'),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'currency must be a 3-letter ISO 4217 code such as GBP')
    .optional()
    .describe('Only payments in this ISO 4217 currency, e.g. "GBP". Omit for all; totals are always per currency.'),
};

export type SpendFilterArgs = {
  supplier?: string | undefined;
  category?: string | undefined;
  date_from?: string | undefined;
  date_to?: string | undefined;
  currency?: string | undefined;
};

/** The filters as applied, echoed in every result so the caller sees what was resolved. */
export const filtersOutput = z.object({
  supplier: z
    .object({ id: z.string(), name: z.string(), matched_by: z.enum(['id', 'name', 'alias', 'fuzzy']) })
    .nullable(),
  category: z.string().nullable(),
  date_from: z.string().nullable(),
  date_to: z.string().nullable(),
  currency: z.string().nullable(),
});

export type FiltersEcho = z.infer<typeof filtersOutput>;

export type ResolvedFilters = {
  supplierId?: string;
  category?: string;
  dateFrom?: string;
  dateTo?: string;
  currency?: string;
};

/** Resolves filter arguments: the supplier to one record, dates checked in order; or a readable error result. */
export async function resolveFilters(
  deps: McpDeps,
  args: SpendFilterArgs,
): Promise<{ ok: true; filters: ResolvedFilters; echo: FiltersEcho } | { ok: false; error: CallToolResult }> {
  if (args.date_from && args.date_to && args.date_from > args.date_to) {
    return {
      ok: false,
      error: toolError(
        `date_from (${args.date_from}) is after date_to (${args.date_to}); swap them or widen the range.`,
      ),
    };
  }
  const filters: ResolvedFilters = {};
  let supplier: FiltersEcho['supplier'] = null;
  if (args.supplier !== undefined) {
    const r = await resolveSupplier(deps.database, args.supplier);
    if (!r.ok) return { ok: false, error: toolError(r.message, { candidates: r.candidates }) };
    filters.supplierId = r.supplier.id;
    supplier = { id: r.supplier.id, name: r.supplier.name, matched_by: r.matchedBy };
  }
  const category = args.category?.trim();
  if (category) filters.category = category;
  if (args.date_from) filters.dateFrom = args.date_from;
  if (args.date_to) filters.dateTo = args.date_to;
  const currency = args.currency?.toUpperCase();
  if (currency) filters.currency = currency;
  return {
    ok: true,
    filters,
    echo: {
      supplier,
      category: category || null,
      date_from: args.date_from ?? null,
      date_to: args.date_to ?? null,
      currency: currency ?? null,
    },
  };
}

/** A short phrase for the filters, for the first line of a tool's text ("for Refinitiv Ltd, 2012-01-01 to …"). */
export function describeFilters(echo: FiltersEcho, supplierWord: 'to' | 'for' = 'to'): string {
  const parts: string[] = [];
  if (echo.supplier) parts.push(`${supplierWord} ${echo.supplier.name}`);
  if (echo.category) parts.push(`in categories matching "${echo.category}"`);
  if (echo.date_from && echo.date_to) parts.push(`from ${echo.date_from} to ${echo.date_to}`);
  else if (echo.date_from) parts.push(`from ${echo.date_from}`);
  else if (echo.date_to) parts.push(`up to ${echo.date_to}`);
  if (echo.currency) parts.push(`in ${echo.currency}`);
  return parts.join(', ');
}

/** Read-only, closed-world tool annotations: these tools only read the system of record. */
export const READ_ONLY = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
} as const;

/** "1,234" */
export function formatCount(n: number): string {
  return n.toLocaleString('en-GB');
}
