// price_compliance: invoiced unit prices checked against contracted prices, with a tolerance.
import { z } from 'zod';
import { checkInvoicedPrices } from '../../../src/db/queries/contracts.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { formatMoney } from '../../../src/domain/money.js';
import { pageInput, pageOf, pageOutput, pageText } from '../../shared/paging.js';
import { guarded, toolError, toolResult } from '../../shared/result.js';
import { contractName, isoDate, resolveContract, resolveSupplierRef } from '../lookup.js';

const inputSchema = z.object({
  supplier: z.string().min(1).max(200).optional().describe('Only invoices from this supplier (id, name, alias or close spelling)'),
  contract: z.string().min(1).max(200).optional().describe('Only prices from this contract (number or id)'),
  from: isoDate.optional().describe('Invoices dated on or after this day (yyyy-mm-dd)'),
  to: isoDate.optional().describe('Invoices dated on or before this day (yyyy-mm-dd)'),
  tolerancePct: z
    .number()
    .min(0)
    .max(100)
    .multipleOf(0.01)
    .default(2)
    .describe('Allowed difference from the contracted price, in percent (default 2)'),
  ...pageInput('lines (exceptions first)', 500, 50),
});

const lineSchema = z.strictObject({
  invoiceNumber: z.string(),
  invoiceDate: z.string(),
  supplierId: z.string(),
  supplierName: z.string(),
  poNumber: z.string().nullable(),
  lineNo: z.number().int(),
  description: z.string(),
  sku: z.string().nullable().describe('SKU of the PO line the invoice line bills'),
  quantity: z.string(),
  invoicedPrice: z.string().describe('Decimal string, per unit'),
  contractedPrice: z.string().describe('Decimal string, per unit'),
  currency: z.string(),
  contractId: z.string(),
  contractNumber: z.string().nullable(),
  matchedBy: z.enum(['sku', 'description']),
  varianceUnit: z.string().describe('Invoiced minus contracted, per unit'),
  varianceTotal: z.string().describe('Per-unit variance times quantity'),
  variancePct: z.string().nullable().describe('Per-unit variance as a percentage of the contracted price'),
  withinTolerance: z.boolean(),
});

const outputSchema = z.strictObject({
  tolerancePct: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  supplier: z.strictObject({ id: z.string(), name: z.string() }).nullable(),
  contract: z.strictObject({ id: z.string(), contractNumber: z.string().nullable(), title: z.string() }).nullable(),
  checked: z.number().int().describe('Invoice lines matched to a contracted price'),
  exceptions: z.number().int().describe('Matched lines priced outside the tolerance'),
  unmatched: z.number().int().describe('Invoice lines in scope with no contracted price to compare (0 when filtered by contract)'),
  lines: z.array(lineSchema),
  ...pageOutput,
});

const signed = (v: string) => (v.startsWith('-') ? v : `+${v}`);

/** Registers price_compliance. */
export const registerPriceCompliance: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'price_compliance',
    {
      title: 'Price compliance',
      description:
        'Checks invoiced unit prices against contracted prices (matched by the supplier plus the SKU of the billed PO line, else the normalised item description), by supplier, contract and invoice date range. Reports the variance per unit, in total and in percent; lines beyond the tolerance (default 2%) come first.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded<z.infer<typeof inputSchema>>('price_compliance', deps.log, async (args) => {
      if (args.from && args.to && args.from > args.to) {
        return toolError(`The date range is empty: from ${args.from} is after to ${args.to}.`);
      }
      let supplier: { id: string; name: string } | null = null;
      if (args.supplier) {
        const r = await resolveSupplierRef(deps.database, args.supplier);
        if (!r.ok) return toolError(r.message, { candidates: r.candidates });
        supplier = r.value;
      }
      let contract: { id: string; contractNumber: string | null; title: string } | null = null;
      if (args.contract) {
        const r = await resolveContract(deps.database, args.contract);
        if (!r.ok) return toolError(r.message, { candidates: r.candidates });
        contract = { id: r.value.id, contractNumber: r.value.contractNumber, title: r.value.title };
      }
      // The tolerance is a parameter, not money, but it is compared with money in SQL: pass it as an exact decimal.
      const tolerancePct = args.tolerancePct.toFixed(2);
      const shownPct = tolerancePct.replace(/\.?0+$/, '');
      const result = await checkInvoicedPrices(deps.database, {
        supplierId: supplier?.id,
        contractId: contract?.id,
        dateFrom: args.from,
        dateTo: args.to,
        tolerancePct,
        limit: args.limit,
        offset: args.offset,
      });
      const scope = [
        supplier && `from ${supplier.name}`,
        contract && `against ${contractName(contract)}`,
        args.from && `dated from ${args.from}`,
        args.to && `dated to ${args.to}`,
      ]
        .filter(Boolean)
        .join(', ');
      const data = {
        tolerancePct,
        from: args.from ?? null,
        to: args.to ?? null,
        supplier,
        contract,
        ...result,
        ...pageOf(args.offset, result.lines.length, { total: result.checked }),
      };
      const unmatched = result.unmatched > 0 ? ` ${result.unmatched} line${result.unmatched === 1 ? ' has' : 's have'} no contracted price to compare.` : '';
      if (result.checked === 0) {
        return toolResult(`No invoice lines${scope ? ` ${scope}` : ''} could be matched to a contracted price.${unmatched}`, data);
      }
      const lead =
        result.exceptions === 0
          ? `All ${result.checked} invoice line${result.checked === 1 ? '' : 's'}${scope ? ` ${scope}` : ''} ${result.checked === 1 ? 'is' : 'are'} within ${shownPct}% of the contracted price.`
          : `${result.exceptions} of ${result.checked} invoice lines${scope ? ` ${scope}` : ''} ${result.exceptions === 1 ? 'is' : 'are'} priced outside the ${shownPct}% tolerance.`;
      const detail = result.lines
        .filter((l) => !l.withinTolerance)
        .map(
          (l) =>
            `- ${l.invoiceNumber} line ${l.lineNo} (${l.supplierName}, ${l.invoiceDate}) "${l.description}": billed ${formatMoney(l.invoicedPrice, l.currency)} per unit against ${formatMoney(l.contractedPrice, l.currency)} on ${l.contractNumber ?? 'the contract'} (by ${l.matchedBy}): ${signed(formatMoney(l.varianceUnit, l.currency))} per unit (${signed(l.variancePct ?? '?')}%), ${signed(formatMoney(l.varianceTotal, l.currency))} on ${l.quantity} units.`,
        );
      const paging = pageText(args.offset, result.lines.length, data, 'name a supplier, a contract or dates to narrow it', result.checked);
      const shown = paging ? `\n${paging}` : '';
      const parts = [`${lead}${unmatched}`];
      if (detail.length > 0) parts.push('', ...detail);
      return toolResult(parts.join('\n') + shown, data);
    }),
  );
};

/** What price_compliance returns as structured content (the SDK checks it against outputSchema). */
export type PriceComplianceOutput = z.infer<typeof outputSchema>;
