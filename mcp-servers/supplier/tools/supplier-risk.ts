// supplier_risk: a supplier's risk verdict (sanctions screening, recorded signals, master-data status) weighed
// against what is at stake with it: active contracts, open orders, unpaid invoices and the last 12 months' spend.
import { z } from 'zod';
import {
  type RiskSignalRow,
  suppliersByIds,
  supplierContracts,
  supplierOpenPurchaseOrders,
  supplierRiskSignals,
  supplierSpendWindows,
  supplierUnpaidInvoices,
} from '../../../src/db/queries/suppliers.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { formatMoney } from '../../../src/domain/money.js';
import { textTable } from '../../shared/format.js';
import { guarded, toolResult } from '../../shared/result.js';
import {
  contractState,
  type Money,
  money,
  moneyText,
  resolvedSchema,
  resolveSupplierArg,
  riskSignalSchema,
  type SanctionsStatus,
  sanctionsSentence,
  sanctionsStatus,
  sanctionsStatusSchema,
  sumByCurrency,
  supplierArg,
  todayIso,
  yearsBefore,
} from '../lookup.js';

// Signal severities run 1 (minor) to 5 (critical).
const HIGH_SEVERITY = 4;
const ELEVATED_SEVERITY = 3;

const inputSchema = z.object({ supplier: supplierArg });

const exposureSchema = z.strictObject({
  currency: z.string(),
  activeContractValue: z.string().describe('Value of contracts active today'),
  openPurchaseOrders: z.string().describe('Value of purchase orders open or partially received'),
  unpaidInvoices: z.string().describe('Invoices not yet paid or rejected'),
  trailing12MonthSpend: z.string().describe('Paid in the 12 months up to and including today'),
});

const outputSchema = z.strictObject({
  today: z.string(),
  supplier: z.strictObject({ id: z.string(), name: z.string(), status: z.string(), country: z.string().nullable() }),
  resolved: resolvedSchema,
  verdict: z
    .enum(['high', 'elevated', 'low', 'unknown'])
    .describe('unknown: nothing adverse, but no sanctions list to screen against'),
  summary: z.string().describe('Plain-language summary, verdict first'),
  reasons: z.array(z.string()),
  sanctions: sanctionsStatusSchema,
  signals: z.array(riskSignalSchema),
  exposure: z.array(exposureSchema).describe('Per currency; amounts are decimal strings'),
  counts: z.strictObject({
    activeContracts: z.number().int(),
    openPurchaseOrders: z.number().int(),
    unpaidInvoices: z.number().int(),
    paymentsLast12Months: z.number().int(),
  }),
});

type Verdict = 'high' | 'elevated' | 'low' | 'unknown';

/** The verdict and its reasons, most serious first. */
function assess(
  status: string,
  sanctions: SanctionsStatus,
  signals: RiskSignalRow[],
): { verdict: Verdict; reasons: string[] } {
  const high: string[] = [];
  const elevated: string[] = [];
  if (sanctions.verdict === 'strong_match') high.push(sanctionsSentence(sanctions));
  if (sanctions.verdict === 'possible_match') elevated.push(`${sanctionsSentence(sanctions)} (needs review)`);
  if (status === 'blocked') high.push('the supplier is blocked in master data');
  if (status === 'on_hold') elevated.push('the supplier is on hold in master data');
  for (const s of signals) {
    const text = `${s.kind} signal, severity ${s.severity}: ${s.title}${s.source ? ` (${s.source})` : ''}`;
    if (s.severity >= HIGH_SEVERITY) high.push(text);
    else if (s.severity >= ELEVATED_SEVERITY) elevated.push(text);
  }
  const reasons = [...high, ...elevated];
  if (high.length > 0) return { verdict: 'high', reasons };
  if (elevated.length > 0) return { verdict: 'elevated', reasons };
  if (sanctions.verdict === 'not_screened') return { verdict: 'unknown', reasons: [sanctionsSentence(sanctions)] };
  const minor =
    signals.length > 0
      ? `${signals.length} minor signal${signals.length === 1 ? '' : 's'} on record`
      : 'no risk signals on record';
  return { verdict: 'low', reasons: [sanctionsSentence(sanctions), minor] };
}

function merge(parts: { key: keyof Omit<z.infer<typeof exposureSchema>, 'currency'>; totals: Money[] }[]) {
  const out = new Map<string, z.infer<typeof exposureSchema>>();
  for (const { key, totals } of parts) {
    for (const t of totals) {
      const row = out.get(t.currency) ?? {
        currency: t.currency,
        activeContractValue: '0.00',
        openPurchaseOrders: '0.00',
        unpaidInvoices: '0.00',
        trailing12MonthSpend: '0.00',
      };
      row[key] = money(t.total);
      out.set(t.currency, row);
    }
  }
  return [...out.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

/** Registers supplier_risk. */
export const registerSupplierRisk: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'supplier_risk',
    {
      title: 'Supplier risk and exposure',
      description:
        "Assesses one supplier's risk: a sanctions screening of its name, recorded risk signals (severity 1-5) and its master-data status, weighed against exposure per currency: value of contracts active today, open purchase orders, unpaid invoices, and spend in the trailing 12 months. Leads with a verdict (high, elevated, low, or unknown when no sanctions list is imported) and the reasons.",
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded<z.infer<typeof inputSchema>>('supplier_risk', deps.log, async (args) => {
      const r = await resolveSupplierArg(deps.database, args.supplier);
      if (!r.ok) return r.result;
      const { supplier, resolved } = r.value;
      const today = todayIso(deps.now());
      const db = deps.database;
      const [[record], contracts, orders, invoices, windows, signals, sanctions] = await Promise.all([
        suppliersByIds(db, [supplier.id]),
        supplierContracts(db, supplier.id),
        supplierOpenPurchaseOrders(db, supplier.id),
        supplierUnpaidInvoices(db, supplier.id),
        supplierSpendWindows(db, supplier.id, {
          today,
          yearAgo: yearsBefore(today, 1),
          twoYearsAgo: yearsBefore(today, 2),
        }),
        supplierRiskSignals(db, supplier.id),
        sanctionsStatus(db, supplier.name, supplier.country),
      ]);
      const status = record?.status ?? supplier.status;
      const active = contracts.filter((c) => contractState(c, today) === 'active');
      const contractTotals = sumByCurrency(
        active.flatMap((c) => (c.value && c.currency ? [{ currency: c.currency, amount: c.value }] : [])),
      );
      const orderTotals = sumByCurrency(orders.map((o) => ({ currency: o.currency, amount: o.total })));
      const invoiceTotals = sumByCurrency(invoices.map((i) => ({ currency: i.currency, amount: i.total })));
      const spendTotals: Money[] = windows
        .filter((w) => w.last12Count > 0)
        .map((w) => ({ currency: w.currency, total: money(w.last12Months), count: w.last12Count }));
      const payments = spendTotals.reduce((n, t) => n + t.count, 0);
      const exposure = merge([
        { key: 'activeContractValue', totals: contractTotals },
        { key: 'openPurchaseOrders', totals: orderTotals },
        { key: 'unpaidInvoices', totals: invoiceTotals },
        { key: 'trailing12MonthSpend', totals: spendTotals },
      ]);
      const { verdict, reasons } = assess(status, sanctions, signals);

      const label = { high: 'HIGH RISK', elevated: 'Elevated risk', low: 'Low risk', unknown: 'Risk unknown' }[verdict];
      const stake = [
        `${moneyText(spendTotals, 'nothing')} paid in the last 12 months`,
        active.length
          ? `${active.length} active contract${active.length === 1 ? '' : 's'} worth ${moneyText(contractTotals, 'an unrecorded value')}`
          : 'no active contracts',
        orders.length
          ? `${orders.length} open PO${orders.length === 1 ? '' : 's'} worth ${moneyText(orderTotals)}`
          : 'no open POs',
        invoices.length
          ? `${invoices.length} unpaid invoice${invoices.length === 1 ? '' : 's'} totalling ${moneyText(invoiceTotals)}`
          : 'no unpaid invoices',
      ].join('; ');
      const next =
        verdict === 'high'
          ? ' Refer to compliance before any further order or payment.'
          : verdict === 'elevated'
            ? ' Review the reasons before committing further spend.'
            : verdict === 'unknown'
              ? ' Import a sanctions list to screen it.'
              : '';
      const summary = `${label}: ${supplier.name} — ${reasons[0] ?? 'nothing adverse found'}. Exposure: ${stake}.${next}`;
      const lines = [summary];
      if (reasons.length > 1) lines.push('', 'Reasons:', ...reasons.map((x) => `- ${x}`));
      if (exposure.length > 0) {
        lines.push('', 'Exposure:');
        lines.push(
          textTable(
            ['Currency', 'Active contracts', 'Open POs', 'Unpaid invoices', 'Paid, last 12 months'],
            exposure.map((e) => [
              e.currency,
              formatMoney(e.activeContractValue, e.currency),
              formatMoney(e.openPurchaseOrders, e.currency),
              formatMoney(e.unpaidInvoices, e.currency),
              formatMoney(e.trailing12MonthSpend, e.currency),
            ]),
          ),
        );
      }
      if (sanctions.topMatch) lines.push('', `Why the name matched: ${sanctions.topMatch.why.join('; ')}.`);
      return toolResult(lines.join('\n'), {
        today,
        supplier: { id: supplier.id, name: supplier.name, status, country: record?.country ?? supplier.country },
        resolved,
        verdict,
        summary,
        reasons,
        sanctions,
        signals,
        exposure,
        counts: {
          activeContracts: active.length,
          openPurchaseOrders: orders.length,
          unpaidInvoices: invoices.length,
          paymentsLast12Months: payments,
        },
      });
    }),
  );
};

/** What supplier_risk returns as structured content (the SDK checks it against outputSchema). */
export type SupplierRiskOutput = z.infer<typeof outputSchema>;
