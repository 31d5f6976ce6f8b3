// spend_anomalies: duplicate payments, split purchases, price variances and off-contract spend, each finding with
// the money at stake, a plain-language explanation and the rows that prove it.
import { z } from 'zod';
import { findAnomalies } from '../../../src/db/queries/spend-anomalies.js';
import { ANOMALY_KINDS, type Finding } from '../../../src/db/queries/spend-evidence.js';
import { addDecimal, formatMoney } from '../../../src/domain/money.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { pageInput, pageOutput } from '../../shared/paging.js';
import { guarded, toolError, toolResult } from '../../shared/result.js';
import { describeFilters, filtersOutput, isoDate, READ_ONLY, resolveFilters, spendFilterShape } from './common.js';

const LOOKBACK_DAYS = 365;

const decimalAmount = z
  .union([
    z.string().max(20).regex(/^\d{1,15}(\.\d{1,4})?$/, 'threshold must be a positive decimal such as "10000.00"'),
    z.number().positive().max(1e15),
  ])
  .describe('The approval threshold, as a decimal string ("10000.00") or number; default 10000.');

const { category: _category, category_match: _match, department: _department, ...filterShape } = spendFilterShape;

const inputSchema = {
  kinds: z
    .array(z.enum(ANOMALY_KINDS))
    .min(1)
    .max(4)
    .optional()
    .describe(
      'Checks to run (default all): "duplicate_payment" (same supplier, same or near amount, close dates, equal or similar invoice numbers; payments and invoices), "split_purchase" (several payments just under the approval threshold within a short window that together exceed it), "price_variance" (invoice line prices above the contract price), "off_contract" (payments after the supplier\'s contract ended, or in a category another supplier has a live contract for).',
    ),
  ...filterShape,
  date_from: isoDate('date_from')
    .optional()
    .describe(`First date checked, YYYY-MM-DD. Default: ${LOOKBACK_DAYS} days before date_to (or today).`),
  ...pageInput('findings of each kind (strongest first)', 100, 10),
  window_days: z
    .number()
    .int()
    .min(1)
    .max(90, 'window_days is at most 90')
    .default(14)
    .describe('Days within which payments count as duplicates or as parts of one split purchase (default 14).'),
  threshold: decimalAmount.optional(),
  band_pct: z
    .number()
    .min(1)
    .max(90)
    .default(20)
    .describe('"Just under" the threshold means within this percent below it (default 20: 8,000-9,999.99 for 10,000).'),
  tolerance_pct: z
    .number()
    .min(0)
    .max(100)
    .default(2)
    .describe('Price variance tolerated before it is reported, percent over the contract price (default 2).'),
  min_score: z
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe('Duplicate pairs scoring below this (0-1) are left out (default 0.5).'),
};

const evidenceOutput = z.object({
  source: z.enum(['spend_line', 'invoice', 'invoice_line', 'contract', 'contract_price']),
  id: z.string(),
  date: z.string().nullable(),
  amount: z.string().nullable(),
  currency: z.string().nullable(),
  invoice_number: z.string().nullable(),
  reference: z.string().nullable().describe('PO number, contract number or SKU.'),
  description: z.string().nullable(),
  source_file: z.string().nullable(),
  source_line: z.number().int().nullable().describe('Line in the imported file as an editor shows it.'),
});

const outputSchema = z.object({
  findings: z.array(
    z.object({
      kind: z.enum(ANOMALY_KINDS),
      score: z.number().describe('0-1: how strongly the evidence points to a real problem.'),
      supplier: z.object({ id: z.string(), name: z.string() }),
      amount_at_stake: z.string(),
      currency: z.string(),
      explanation: z.string(),
      evidence: z.array(evidenceOutput),
    }),
  ),
  found: z.record(z.string(), z.number().int()).describe('Findings per kind before limit was applied.'),
  filters: filtersOutput,
  parameters: z.object({
    window_days: z.number().int(),
    threshold: z.string(),
    band_pct: z.number(),
    tolerance_pct: z.number(),
    min_score: z.number(),
  }),
  ...pageOutput,
});

function trimDecimal(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

function daysBefore(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

// The plain-language account of one finding, written from its facts.
function explainFinding(f: Finding): string {
  const money = (a: string) => formatMoney(a, f.currency);
  const d = f.details;
  const who = f.supplier.name;
  switch (d.kind) {
    case 'duplicate_payment': {
      const [a, b] = d.invoiceNumbers;
      const [first, second] = f.evidence;
      const amounts = d.amountsEqual
        ? `both ${money(f.amountAtStake)}`
        : `${money(first?.amount ?? '0')} and ${money(second?.amount ?? '0')}`;
      const gap = d.daysApart === 0 ? 'on the same day' : `${d.daysApart} day${d.daysApart === 1 ? '' : 's'} apart`;
      if (d.basis === 'invoices') {
        const numbers = {
          same: 'they carry the same number',
          similar: 'their numbers differ only by a suffix',
          missing: 'one has no number',
          different: 'their numbers differ',
        }[d.invoiceRelation];
        const paid =
          d.paymentsFound > 0
            ? `${d.paymentsFound} payment${d.paymentsFound === 1 ? ' has' : 's have'} been made against them`
            : 'no payment against them is recorded yet';
        return `Invoices ${a} (${first?.date}) and ${b} (${second?.date}) from ${who} are ${gap} (${amounts}) and ${numbers}; ${paid}. Likely one bill invoiced twice: ${money(f.amountAtStake)} at stake.`;
      }
      const numbers = {
        same: `quote the same invoice number ${a}`,
        similar: `quote near-identical invoice numbers ${a} and ${b}`,
        missing: 'do not both carry an invoice number',
        different: `quote different invoice numbers ${a} and ${b}, so this may be a recurring charge`,
      }[d.invoiceRelation];
      return `Two payments to ${who} ${gap} (${amounts}) ${numbers}. Possibly paid twice: ${money(f.amountAtStake)} at stake.`;
    }
    case 'split_purchase':
      return `${d.payments} payments to ${who} between ${d.firstDate} and ${d.lastDate}, each under the ${money(d.threshold)} approval threshold (largest ${money(d.largest)}), add up to ${money(f.amountAtStake)}: possibly one purchase split to stay under the threshold.`;
    case 'price_variance':
      return `Invoice ${d.invoiceNumber} (${d.invoiceDate}) from ${who} bills "${d.item}" at ${money(d.invoicedPrice)} each against the contracted ${money(d.contractPrice)}${d.contractNumber ? ` (contract ${d.contractNumber}, matched by ${d.matchedBy === 'sku' ? 'SKU' : 'description'})` : ''}: ${d.variancePct}% over on ${trimDecimal(d.quantity)} units, ${money(f.amountAtStake)} overcharged.`;
    case 'off_contract': {
      const what = d.category ? ` for "${d.category}"` : '';
      const contract = `${d.contractNumber ? `contract ${d.contractNumber} ` : ''}"${d.contractTitle}"`;
      if (d.reason === 'expired_contract') {
        return `${who} was paid ${money(f.amountAtStake)} on ${d.paymentDate}${what} after its ${contract} ended on ${d.contractEnd}, with no contract covering the payment.`;
      }
      const matched = d.matchedCode ? ` (UNSPSC ${d.matchedCode}${d.matchedTitle ? ` ${d.matchedTitle}` : ''})` : '';
      return `${who} was paid ${money(f.amountAtStake)} on ${d.paymentDate}${what}${matched} while ${contract} with ${d.contractSupplier}${d.contractCategory ? ` (category ${d.contractCategory})` : ''} was live: this spend probably belonged under that contract.`;
    }
  }
}

/** Registers `spend_anomalies`. */
export const registerSpendAnomaliesTool: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'spend_anomalies',
    {
      title: 'Spend anomalies',
      description: `Finds possible duplicate payments, split purchases, price variances against contract prices, and off-contract spend. Each finding has a score (0-1), the supplier, the amount at stake with its currency, a plain-language explanation and the evidence rows (ids, dates, amounts, invoice numbers, source file and line). Checks the ${LOOKBACK_DAYS} days up to date_to (or today) unless date_from is given. Findings are leads for a person to review, not conclusions.`,
      inputSchema,
      outputSchema,
      annotations: READ_ONLY,
    },
    guarded('spend_anomalies', deps.log, async (args) => {
      const today = deps.now().toISOString().slice(0, 10);
      const dateFrom = args.date_from ?? daysBefore(args.date_to ?? today, LOOKBACK_DAYS);
      const resolved = await resolveFilters(deps, { ...args, date_from: dateFrom });
      if (!resolved.ok) return resolved.error;
      const threshold = args.threshold === undefined ? '10000' : String(args.threshold);
      if (!/^\d{1,15}(\.\d{1,4})?$/.test(threshold)) {
        return toolError(`threshold ${threshold} is not a plain decimal amount such as "10000.00".`);
      }
      const kinds = args.kinds ? [...new Set(args.kinds)] : [...ANOMALY_KINDS];
      const report = await findAnomalies(deps.database, {
        kinds,
        filters: resolved.filters,
        // Each kind's strongest findings up to the end of this page; the page is cut from them below.
        limit: args.offset + args.limit,
        windowDays: args.window_days,
        threshold,
        bandPct: args.band_pct,
        tolerancePct: args.tolerance_pct,
        minScore: args.min_score,
      });
      const rank = new Map<string, number>();
      const onPage = report.findings.filter((f) => {
        const n = rank.get(f.kind) ?? 0;
        rank.set(f.kind, n + 1);
        return n >= args.offset;
      });
      const findings = onPage.map((f) => ({
        kind: f.kind,
        score: f.score,
        supplier: f.supplier,
        amount_at_stake: f.amountAtStake,
        currency: f.currency,
        explanation: explainFinding(f),
        evidence: f.evidence.map((e) => ({
          source: e.source,
          id: e.id,
          date: e.date,
          amount: e.amount,
          currency: e.currency,
          invoice_number: e.invoiceNumber,
          reference: e.reference,
          description: e.description,
          source_file: e.sourceFile,
          source_line: e.sourceLine,
        })),
      }));
      const found = Object.fromEntries(kinds.map((k) => [k, report.found[k]]));
      const end = args.offset + args.limit;
      const truncated = kinds.some((k) => report.found[k] > end);
      const page = { truncated, next_offset: truncated ? end : null };
      const out = {
        findings,
        found,
        filters: resolved.echo,
        parameters: {
          window_days: args.window_days,
          threshold,
          band_pct: args.band_pct,
          tolerance_pct: args.tolerance_pct,
          min_score: args.min_score,
        },
        ...page,
      };
      return toolResult(renderText(out, describeFilters(resolved.echo, 'for'), args.offset), out);
    }),
  );
};

type Rendered = {
  findings: { kind: string; score: number; currency: string; amount_at_stake: string; explanation: string }[];
  found: Record<string, number>;
  truncated: boolean;
  next_offset: number | null;
};

function renderText(out: Rendered, scope: string, offset: number): string {
  const where = scope ? ` ${scope}` : '';
  if (out.findings.length === 0) return offset > 0 ? `No anomalies at offset ${offset}${where}; use a lower offset.` : `No anomalies found${where}.`;
  // Totals at stake per currency, summed exactly from the decimal strings.
  const stake = new Map<string, string>();
  for (const f of out.findings) stake.set(f.currency, addDecimal(stake.get(f.currency) ?? '0', f.amount_at_stake));
  const stakeText = [...stake.entries()].map(([c, a]) => formatMoney(a, c)).join(' + ');
  const counts = Object.entries(out.found)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const lines = [
    `${out.findings.length} possible anomal${out.findings.length === 1 ? 'y' : 'ies'}${where}, ${stakeText} at stake in those shown (found: ${counts}${out.truncated ? `; next_offset ${out.next_offset}, or narrow by kind, supplier or dates` : ''}).`,
    '',
    ...out.findings.map((f, i) => `${i + 1}. [${f.kind}, score ${f.score.toFixed(2)}] ${f.explanation}`),
  ];
  return lines.join('\n');
}

/** What spend_anomalies returns as structured content (the SDK checks it against outputSchema). */
export type SpendAnomaliesOutput = z.infer<typeof outputSchema>;
