// find_candidate_suppliers: who could supply a category, from our own spend, contracts, orders and supplier
// records, each with its evidence (spend, incumbency, price compliance, three-way-match exceptions, receipts,
// risk signals, our share of the category's spend with them).
import { z } from 'zod';
import { formatMoney } from '../../../src/domain/money.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { textTable } from '../../shared/format.js';
import { pageInput, pageOf, pageOutput, pageText } from '../../shared/paging.js';
import { guarded, toolError, toolResult } from '../../shared/result.js';
import { candidatesFor } from '../candidates.js';
import { resolveScope, scopeArgs, scopeSchema } from '../scope.js';

const inputSchema = z.object({ ...scopeArgs, ...pageInput('candidates (most 12-month spend first)', 100, 15) });

export const evidenceSchema = z.strictObject({
  supplierId: z.string(),
  name: z.string(),
  status: z.string(),
  country: z.string().nullable(),
  sources: z.array(z.string()).describe('Where the candidate was found: spend, contract, order, master'),
  currency: z.string().nullable(),
  categorySpend12m: z.string().describe('Decimal, paid in the category over the last 12 months'),
  categorySpendAll: z.string(),
  payments: z.number().int(),
  lastPaid: z.string().nullable(),
  categoryShare: z.string().nullable().describe("Fraction of the category's 12-month spend paid to this supplier"),
  activeContracts: z.array(z.strictObject({ id: z.string(), contractNumber: z.string().nullable(), title: z.string(), endDate: z.string().nullable() })),
  priceChecked: z.number().int(),
  priceExceptions: z.number().int(),
  invoices: z.number().int(),
  matchExceptions: z.number().int(),
  receiptLines: z.number().int(),
  medianReceiptDays: z.number().nullable(),
  maxSignalSeverity: z.number().int().nullable(),
  signals: z.array(z.strictObject({ kind: z.string(), severity: z.number(), title: z.string(), observedAt: z.string() })),
});

const outputSchema = z.strictObject({ scope: scopeSchema, candidates: z.array(evidenceSchema), ...pageOutput });

/** Registers find_candidate_suppliers. */
export const registerFindCandidateSuppliers: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'find_candidate_suppliers',
    {
      title: 'Find candidate suppliers',
      description:
        'Who could supply a sourcing event, a category (UNSPSC, with everything under it) or a need in words, from our own records: suppliers we paid for it, hold contracts for it (incumbents), ordered it from, or list under it; each with evidence (12-month spend, incumbency, price compliance, three-way-match exceptions, order-to-receipt days, risk signals, share of the category spend).',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded<z.infer<typeof inputSchema>>('find_candidate_suppliers', deps.log, async (args) => {
      const resolved = await resolveScope(deps, args);
      if (!resolved.ok) return toolError(resolved.message);
      // One more than a page, to know whether another follows.
      const { scope, candidates: fetched } = await candidatesFor(deps, resolved.scope, args.limit + 1, args.offset);
      const candidates = fetched.slice(0, args.limit);
      const page = pageOf(args.offset, candidates.length, { more: fetched.length > args.limit });
      const paging = pageText(args.offset, candidates.length, page, 'name a narrower category (a longer code) to narrow it');
      if (candidates.length === 0) {
        const none = `No supplier in our records has supplied ${scope.basis}. Candidates from outside would have to be found by the buyer.`;
        return toolResult(args.offset > 0 ? paging : none, { scope, candidates, ...page });
      }
      const incumbents = candidates.filter((c) => c.activeContracts.length > 0).map((c) => c.name);
      const counted = args.offset + candidates.length;
      const lead = `${counted}${page.truncated ? '+' : ''} candidate${counted === 1 ? '' : 's'} for ${scope.basis}${incumbents.length ? `; incumbent${incumbents.length === 1 ? '' : 's'}: ${incumbents.join(', ')}` : ''}.`;
      const table = textTable(
        ['Supplier', '12-month spend', 'Share', 'Contracts', 'Risk'],
        candidates.map((c) => [
          c.name,
          c.currency ? formatMoney(c.categorySpend12m, c.currency) : '-',
          c.categoryShare ? `${Math.round(Number(c.categoryShare) * 1000) / 10}%` : '-',
          String(c.activeContracts.length),
          c.status !== 'active' ? c.status : c.maxSignalSeverity ? `signal ${c.maxSignalSeverity}/5` : 'none',
        ]),
      );
      return toolResult(`${lead}\n\n${table}${paging ? `\n${paging}` : ''}`, { scope, candidates, ...page });
    }),
  );
};

export type FindCandidateSuppliersOutput = z.infer<typeof outputSchema>;
