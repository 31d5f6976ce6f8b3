// What the spend tools share: the filter arguments (with texts a model can act on), their resolution into query
// filters (the supplier fuzzy-resolved, dates checked), and the echo of the filters that were applied.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { spendTerms } from '../../../src/db/queries/spend-terms.js';
import { resolveSupplier } from '../../../src/db/queries/supplier-lookup.js';
import { matchTerms, type Term } from '../../../src/domain/term-match.js';
import type { McpDeps } from '../../shared/deps.js';
import { toolError } from '../../shared/result.js';
import { loadTermAliases } from '../term-aliases.js';

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
      'Only spend in this category. With category_match "auto" (the default) a category named exactly this (any case) or by an alias listed in aliases.yaml is used alone and categories that merely contain the words are listed as related, not added; when none is named exactly, every category containing the text (or whose code starts with it, e.g. "4412") is included and listed. The result says which kind of match was used.',
    ),
  category_match: z
    .enum(['auto', 'exact', 'contains'])
    .optional()
    .describe('"auto" (default): exact name first, else every category containing the text. "exact": only a category named exactly this. "contains": every category containing the text.'),
  department: z
    .string()
    .min(1)
    .max(200, 'department must be at most 200 characters')
    .optional()
    .describe(
      'Only spend of this department: its name as the data spells it (any case), an alias listed in aliases.yaml, or its initials ("HR" for "Human Resources"). An unknown department is an error listing the departments there are.',
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
  category_match?: 'auto' | 'exact' | 'contains' | undefined;
  department?: string | undefined;
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
  category_matched_by: z
    .enum(['exact', 'alias', 'initials', 'contains'])
    .nullable()
    .optional()
    .describe('How the category was matched: exact name, alias, initials, or every category containing the text.'),
  categories: z.array(z.string()).optional().describe('The categories included, as the data spells them.'),
  related_categories: z
    .array(z.object({ label: z.string(), payments: z.number().int() }))
    .optional()
    .describe('Other categories whose names contain the text: named, not included.'),
  department: z
    .object({ name: z.string(), matched_by: z.enum(['exact', 'alias', 'initials', 'contains']) })
    .nullable()
    .optional(),
  date_from: z.string().nullable(),
  date_to: z.string().nullable(),
  currency: z.string().nullable(),
});

export type FiltersEcho = z.infer<typeof filtersOutput>;

export type ResolvedFilters = {
  supplierId?: string;
  category?: string;
  categories?: string[];
  departments?: string[];
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
  let categoryEcho: Pick<FiltersEcho, 'category_matched_by' | 'categories' | 'related_categories'> = {};
  if (category) {
    const c = await resolveCategory(deps, category, args.category_match ?? 'auto');
    if (!c.ok) return c;
    Object.assign(filters, c.filters);
    categoryEcho = c.echo;
  }
  let department: FiltersEcho['department'] = null;
  if (args.department?.trim()) {
    const d = await resolveDepartment(deps, args.department.trim());
    if (!d.ok) return d;
    filters.departments = d.departments;
    department = d.echo;
  }
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
      ...categoryEcho,
      ...(department ? { department } : {}),
      date_from: args.date_from ?? null,
      date_to: args.date_to ?? null,
      currency: currency ?? null,
    },
  };
}

const related = (terms: Term[]) => terms.slice(0, 10).map((t) => ({ label: t.label, payments: t.payments }));

// A category filter as asked: exact first (related names listed, not added), else the old substring match.
async function resolveCategory(
  deps: McpDeps,
  category: string,
  mode: 'auto' | 'exact' | 'contains',
): Promise<
  | { ok: true; filters: Pick<ResolvedFilters, 'category' | 'categories'>; echo: Pick<FiltersEcho, 'category_matched_by' | 'categories' | 'related_categories'> }
  | { ok: false; error: CallToolResult }
> {
  const [terms, aliases] = await Promise.all([spendTerms(deps.database, 'category'), loadTermAliases(deps.policyDir)]);
  const { matches, related: others } = matchTerms(category, terms, aliases.category, { initials: false });
  const precise = matches.length > 0 && matches[0]!.matchedBy !== 'contains';
  if (mode === 'exact' && !precise) {
    const near = matches.length > 0 ? ` Categories containing it: ${matches.slice(0, 10).map((m) => m.label).join('; ')}.` : '';
    return { ok: false, error: toolError(`No category is called exactly "${category}".${near}`, { related: related(matches) }) };
  }
  if (mode !== 'contains' && precise) {
    return {
      ok: true,
      filters: { categories: matches.map((m) => m.label) },
      echo: { category_matched_by: matches[0]!.matchedBy, categories: matches.map((m) => m.label), related_categories: related(others) },
    };
  }
  // Substring (the behaviour before exact matching, and what "contains" asks for): every category containing it.
  const containing = mode === 'contains' && precise ? [...matches, ...others] : matches;
  return {
    ok: true,
    filters: { category },
    echo: { category_matched_by: 'contains', categories: containing.map((m) => m.label), related_categories: [] },
  };
}

// A department by its name or initials, or an error naming the departments the data has.
async function resolveDepartment(
  deps: McpDeps,
  department: string,
): Promise<{ ok: true; departments: string[]; echo: NonNullable<FiltersEcho['department']> } | { ok: false; error: CallToolResult }> {
  const [terms, aliases] = await Promise.all([spendTerms(deps.database, 'department'), loadTermAliases(deps.policyDir)]);
  const { matches } = matchTerms(department, terms, aliases.department);
  if (matches.length === 0) {
    const known = terms.slice(0, 20).map((t) => t.label);
    return {
      ok: false,
      error: toolError(
        known.length > 0
          ? `No department is called "${department}". Departments in the spend data: ${known.join(', ')}.`
          : `No department is called "${department}": the spend data records no departments.`,
        { departments: known },
      ),
    };
  }
  return {
    ok: true,
    departments: matches.map((m) => m.label),
    echo: { name: matches.map((m) => m.label).join(' + '), matched_by: matches[0]!.matchedBy },
  };
}

/** A short phrase for the filters, for the first line of a tool's text ("for Refinitiv Ltd, 2012-01-01 to …"). */
export function describeFilters(echo: FiltersEcho, supplierWord: 'to' | 'for' = 'to'): string {
  const parts: string[] = [];
  if (echo.supplier) parts.push(`${supplierWord} ${echo.supplier.name}`);
  if (echo.department) parts.push(`in department ${echo.department.name}`);
  if (echo.category) {
    parts.push(
      echo.category_matched_by && echo.category_matched_by !== 'contains'
        ? `in category ${echo.categories?.join(' + ') ?? echo.category} (${echo.category_matched_by} match)`
        : `in categories containing "${echo.category}"`,
    );
  }
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
