// find_suppliers: fuzzy search of the supplier master by name and alias, with status, country and spend.
import { z } from 'zod';
import { findSupplierCandidates } from '../../../src/db/queries/supplier-lookup.js';
import { spendTotalsBySupplier, suppliersByIds } from '../../../src/db/queries/suppliers.js';
import { suppliersByStatus } from '../../../src/db/queries/suppliers-by-status.js';
import type { McpDeps, ToolRegistrar } from '../../shared/deps.js';
import { textTable } from '../../shared/format.js';
import { pageInput, pageOf, pageOutput, pageText } from '../../shared/paging.js';
import { guarded, toolError, toolResult } from '../../shared/result.js';
import { money, moneySchema, moneyText } from '../lookup.js';

// The lookup ranks at most this many suppliers; pages are cut from them.
const MAX_RANKED = 50;

const inputSchema = z.object({
  query: z
    .string({ error: 'query must be a string.' })
    .trim()
    .min(1, 'Give part of a supplier name to search for.')
    .max(200, 'A search is at most 200 characters.')
    .optional()
    .describe(
      'Supplier name or alias to search for; spelling, case, punctuation and legal suffixes may differ. May be left out when status is given, to list every supplier in that status ("which suppliers are on hold?").',
    ),
  status: z
    .enum(['active', 'on_hold', 'blocked', 'inactive'])
    .optional()
    .describe('Only suppliers with this master-data status'),
  country: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, 'country is an ISO 3166 alpha-2 code such as GB or US.')
    .optional()
    .describe('Only suppliers registered in this country (ISO 3166 alpha-2, e.g. GB)'),
  ...pageInput('suppliers', 25, 10),
});

const outputSchema = z.strictObject({
  query: z.string().describe('The search, or "" when suppliers were listed by status'),
  matched: z.number().int().describe('Suppliers that matched the search and filters (ranked, at most 50)'),
  offset: z.number().int(),
  suppliers: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      matchedAlias: z.string().nullable().describe('The alias that matched, when it was not the name itself'),
      score: z.number().min(0).max(1).describe('Name similarity, 1 = exact after normalisation'),
      shortFor: z
        .enum(['first word', 'initials'])
        .optional()
        .describe('Set when the query is a short name of this supplier: the first word of its name ("IBM") or its initials ("HP")'),
      status: z.string(),
      country: z.string().nullable(),
      externalId: z.string().nullable(),
      spend: z.array(moneySchema).describe('All-time spend per currency'),
    }),
  ),
  ...pageOutput,
});

/** Registers find_suppliers. */
export const registerFindSuppliers: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'find_suppliers',
    {
      title: 'Find suppliers',
      description:
        'Searches the supplier master by name, including every recorded alias and spelling, tolerating typos, case, punctuation and legal suffixes. Returns ranked suppliers with match score, status, country and all-time spend per currency. Filter by status or country; page with limit/offset.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded<z.infer<typeof inputSchema>>('find_suppliers', deps.log, async (args) => {
      if (args.query === undefined && !args.status) return toolError('Give a supplier name to search for, or a status to list (e.g. "on_hold").');
      if (args.query === undefined) return listByStatus(deps, { ...args, status: args.status! });
      const ranked = await findSupplierCandidates(deps.database, args.query, MAX_RANKED);
      const records = new Map(
        (
          await suppliersByIds(
            deps.database,
            ranked.map((c) => c.id),
          )
        ).map((s) => [s.id, s]),
      );
      const country = args.country?.toUpperCase();
      const kept = ranked.filter((c) => {
        const s = records.get(c.id);
        return s && (!args.status || s.status === args.status) && (!country || s.country?.toUpperCase() === country);
      });
      const page = kept.slice(args.offset, args.offset + args.limit);
      const spend = await spendTotalsBySupplier(
        deps.database,
        page.map((c) => c.id),
      );
      const suppliers = page.map((c) => {
        const s = records.get(c.id)!;
        return {
          id: c.id,
          name: s.name,
          matchedAlias: c.matchedAlias ?? null,
          score: c.score,
          ...(c.shortFor ? { shortFor: c.shortFor } : {}),
          status: s.status,
          country: s.country,
          externalId: s.externalId,
          spend: (spend.get(c.id) ?? []).map((m) => ({ ...m, total: money(m.total) })),
        };
      });
      const filters = [args.status ? `status ${args.status}` : '', country ? `country ${country}` : '']
        .filter(Boolean)
        .join(', ');
      const what = `"${args.query}"${filters ? ` (${filters})` : ''}`;
      const paging = pageOf(args.offset, suppliers.length, { total: kept.length });
      let text: string;
      if (suppliers.length === 0) {
        text =
          kept.length > 0
            ? `No suppliers on this page: ${kept.length} match ${what}; use an offset below ${kept.length}.`
            : `No supplier matches ${what}.`;
      } else {
        const best = suppliers[0]!;
        const head =
          args.offset === 0
            ? `${kept.length} supplier${kept.length === 1 ? '' : 's'} match${kept.length === 1 ? 'es' : ''} ${what}; best: ${best.name} (score ${best.score.toFixed(2)}${best.matchedAlias ? `, via alias "${best.matchedAlias}"` : ''}).`
            : `Suppliers ${args.offset + 1}-${args.offset + suppliers.length} of ${kept.length} matching ${what}.`;
        const table = textTable(
          ['Supplier', 'Score', 'Status', 'Country', 'Spend (all time)', 'Id'],
          suppliers.map((s) => [
            s.matchedAlias ? `${s.name} (alias "${s.matchedAlias}")` : s.name,
            s.score.toFixed(2),
            s.status,
            s.country ?? '-',
            moneyText(s.spend, '-'),
            s.id,
          ]),
        );
        const more = pageText(args.offset, suppliers.length, paging, 'filter by status or country, or spell the name more fully, to narrow it', kept.length);
        text = `${head}\n\n${table}${more ? `\n${more}` : ''}`;
      }
      return toolResult(text, { query: args.query, matched: kept.length, offset: args.offset, suppliers, ...paging });
    }),
  );
};

const STATUS_WORDS: Record<string, string> = { active: 'active', on_hold: 'on hold', blocked: 'blocked', inactive: 'inactive' };

// Every supplier in one status, by name, with all-time spend: "which suppliers are on hold?".
async function listByStatus(
  deps: McpDeps,
  args: Omit<z.infer<typeof inputSchema>, 'status'> & { status: NonNullable<z.infer<typeof inputSchema>['status']> },
) {
  const { ids, total } = await suppliersByStatus(deps.database, { status: args.status, ...(args.country ? { country: args.country } : {}), limit: args.limit, offset: args.offset });
  const records = new Map((await suppliersByIds(deps.database, ids)).map((s) => [s.id, s]));
  const spend = await spendTotalsBySupplier(deps.database, ids);
  const suppliers = ids.flatMap((id) => {
    const s = records.get(id);
    if (!s) return [];
    return [{ id, name: s.name, matchedAlias: null, score: 1, status: s.status, country: s.country, externalId: s.externalId, spend: (spend.get(id) ?? []).map((m) => ({ ...m, total: money(m.total) })) }];
  });
  const word = STATUS_WORDS[args.status] ?? args.status;
  const where = args.country ? ` in ${args.country.toUpperCase()}` : '';
  const page = pageOf(args.offset, ids.length, { total });
  const more = pageText(args.offset, ids.length, page, 'filter by country to narrow it', total);
  const text =
    total === 0
      ? `No supplier${where} is ${word}.`
      : suppliers.length === 0
        ? more
        : `${total} supplier${total === 1 ? ' is' : 's are'} ${word}${where}${suppliers.length < total ? ` (showing ${args.offset + 1}-${args.offset + suppliers.length})` : ''}: ${suppliers.map((s) => s.name).join(', ')}.

${textTable(
          ['Supplier', 'Status', 'Country', 'Spend (all time)', 'Id'],
          suppliers.map((s) => [s.name, s.status, s.country ?? '-', moneyText(s.spend, '-'), s.id]),
        )}${more ? `\n${more}` : ''}`;
  return toolResult(text, { query: '', matched: total, offset: args.offset, suppliers, ...page });
}

/** What find_suppliers returns as structured content (the SDK checks it against outputSchema). */
export type FindSuppliersOutput = z.infer<typeof outputSchema>;
