// find_contracts: contracts by supplier (fuzzy), words in the title or text, status, category and end date.
import { z } from 'zod';
import { findContracts } from '../../../src/db/queries/contracts.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { formatMoney } from '../../../src/domain/money.js';
import { textTable } from '../../shared/format.js';
import { pageInput, pageOf, pageOutput, pageText } from '../../shared/paging.js';
import { guarded, toolError, toolResult } from '../../shared/result.js';
import { contractName, contractSummarySchema, isoDate, resolveSupplierRef } from '../lookup.js';

const inputSchema = z.object({
  supplier: z.string().min(1).max(200).optional().describe('Supplier id, name or alias; close spellings are matched'),
  query: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('Words that must all appear in the contract number, title or full text (any case), e.g. "data processing"'),
  status: z.enum(['draft', 'active', 'expired', 'terminated']).optional().describe('Only contracts with this status'),
  category: z.string().min(1).max(100).optional().describe('UNSPSC code prefix (e.g. "4323") or words of the category title'),
  expiringBefore: isoDate.optional().describe('Only contracts ending on or before this date (yyyy-mm-dd)'),
  ...pageInput('contracts', 100, 20),
});

const outputSchema = z.strictObject({
  total: z.number().int().describe('How many contracts match, regardless of limit and offset'),
  offset: z.number().int(),
  supplier: z.strictObject({ id: z.string(), name: z.string() }).nullable().describe('The supplier the filter resolved to'),
  contracts: z.array(contractSummarySchema.extend({ excerpt: z.string().nullable().describe('Text around the first query word') })),
  ...pageOutput,
});

/** Registers find_contracts. */
export const registerFindContracts: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'find_contracts',
    {
      title: 'Find contracts',
      description:
        'Finds contracts by supplier (id, name, alias or close spelling), words in the number, title or full text, status, category, and end date; soonest-ending first, with paging. Use contract_details for one contract.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded<z.infer<typeof inputSchema>>('find_contracts', deps.log, async (args) => {
      let supplier: { id: string; name: string } | null = null;
      if (args.supplier) {
        const r = await resolveSupplierRef(deps.database, args.supplier);
        if (!r.ok) return toolError(r.message, { candidates: r.candidates });
        supplier = r.value;
      }
      const words = args.query?.split(/\s+/).filter((w) => w !== '').slice(0, 10);
      const { contracts, total } = await findContracts(deps.database, {
        supplierId: supplier?.id,
        words,
        status: args.status,
        category: args.category,
        endsBefore: args.expiringBefore,
        limit: args.limit,
        offset: args.offset,
      });
      const filters = [
        supplier && `with ${supplier.name}`,
        args.query && `mentioning "${args.query}"`,
        args.status && `with status ${args.status}`,
        args.category && `in category "${args.category}"`,
        args.expiringBefore && `ending by ${args.expiringBefore}`,
      ]
        .filter(Boolean)
        .join(', ');
      const scope = filters ? ` ${filters}` : '';
      const page = pageOf(args.offset, contracts.length, { total });
      if (contracts.length === 0) {
        const text = total > 0 ? `No contracts on this page: ${total} match${scope}; lower the offset.` : `No contracts found${scope}.`;
        return toolResult(text, { total, offset: args.offset, supplier, contracts: [], ...page });
      }
      const paging = pageText(args.offset, contracts.length, page, 'add a supplier, words, status or end date to narrow it');
      const head = `${total} contract${total === 1 ? '' : 's'} found${scope}: ${contracts
        .slice(0, 3)
        .map(contractName)
        .join(', ')}${contracts.length > 3 ? ', ...' : ''}.`;
      const table = textTable(
        ['Number', 'Title', 'Supplier', 'Status', 'Ends', 'Notice by', 'Value'],
        contracts.map((c) => [
          c.contractNumber ?? '-',
          c.title.length > 50 ? `${c.title.slice(0, 47)}...` : c.title,
          c.supplierName ?? '-',
          c.status,
          c.endDate ?? '-',
          c.noticeDeadline ?? '-',
          c.value && c.currency ? formatMoney(c.value, c.currency) : '-',
        ]),
      );
      const excerpts = contracts
        .filter((c) => c.excerpt)
        .slice(0, 5)
        .map((c) => `${c.contractNumber ?? c.title}: "...${c.excerpt!.replace(/\s+/g, ' ').trim()}..."`);
      const text = [head, '', table, ...(paging ? [paging] : []), ...(excerpts.length ? ['', 'Where the words appear:', ...excerpts] : [])].join('\n');
      return toolResult(text, { total, offset: args.offset, supplier, contracts, ...page });
    }),
  );
};

/** What find_contracts returns as structured content (the SDK checks it against outputSchema). */
export type FindContractsOutput = z.infer<typeof outputSchema>;
