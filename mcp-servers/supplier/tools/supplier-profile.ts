// supplier_profile: one supplier's master data, aliases, spend, contracts, open purchase orders, risk signals and
// the sanctions screening of its name.
import { z } from 'zod';
import {
  suppliersByIds,
  supplierAliases,
  supplierContracts,
  supplierOpenPurchaseOrders,
  supplierRiskSignals,
  supplierSpendWindows,
  supplierTopCategories,
} from '../../../src/db/queries/suppliers.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { formatMoney } from '../../../src/domain/money.js';
import { textTable } from '../../shared/format.js';
import { guarded, toolResult } from '../../shared/result.js';
import {
  contractSchema,
  contractState,
  money,
  moneySchema,
  moneyText,
  resolvedSchema,
  resolveSupplierArg,
  riskSignalSchema,
  sanctionsSentence,
  sanctionsStatus,
  sanctionsStatusSchema,
  sumByCurrency,
  supplierArg,
  todayIso,
  yearsBefore,
} from '../lookup.js';

const TOP_CATEGORIES = 5;

const inputSchema = z.object({ supplier: supplierArg });

const outputSchema = z.strictObject({
  today: z.string(),
  supplier: z.strictObject({
    id: z.string(),
    name: z.string(),
    externalId: z.string().nullable(),
    status: z.string(),
    country: z.string().nullable(),
    taxId: z.string().nullable(),
    email: z.string().nullable(),
    categoryCode: z.string().nullable(),
  }),
  resolved: resolvedSchema,
  aliases: z.array(z.string()).describe('Other spellings recorded for this supplier'),
  spend: z.strictObject({
    byCurrency: z.array(
      z.strictObject({
        currency: z.string(),
        total: z.string().describe('All time, decimal string'),
        count: z.number().int(),
        last12Months: z.string().describe('The 12 months up to and including today'),
        last12Count: z.number().int().describe('Payments in those 12 months'),
        prior12Months: z.string().describe('The 12 months before those'),
        firstDate: z.string().nullable(),
        lastDate: z.string().nullable(),
      }),
    ),
    topCategories: z.array(
      z.strictObject({ category: z.string(), currency: z.string(), total: z.string(), count: z.number().int() }),
    ),
  }),
  contracts: z.array(contractSchema),
  activeContractValue: z.array(moneySchema),
  openPurchaseOrders: z.strictObject({
    totals: z.array(moneySchema),
    orders: z.array(
      z.strictObject({
        poNumber: z.string(),
        status: z.string(),
        orderDate: z.string(),
        currency: z.string(),
        total: z.string(),
      }),
    ),
  }),
  riskSignals: z.array(riskSignalSchema),
  sanctions: sanctionsStatusSchema,
});

/** Registers supplier_profile. */
export const registerSupplierProfile: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'supplier_profile',
    {
      title: 'Supplier profile',
      description:
        "One supplier's profile: master data and aliases; spend per currency (all time, the last 12 months against the 12 before, top categories); contracts (active or expired, value, end date); open purchase orders with their value; recorded risk signals; and a sanctions screening of its name against the latest imported lists.",
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded<z.infer<typeof inputSchema>>('supplier_profile', deps.log, async (args) => {
      const r = await resolveSupplierArg(deps.database, args.supplier);
      if (!r.ok) return r.result;
      const { supplier, resolved } = r.value;
      const today = todayIso(deps.now());
      const db = deps.database;
      const [[record], aliases, windows, categories, contractRows, orders, signals, sanctions] = await Promise.all([
        suppliersByIds(db, [supplier.id]),
        supplierAliases(db, supplier.id),
        supplierSpendWindows(db, supplier.id, {
          today,
          yearAgo: yearsBefore(today, 1),
          twoYearsAgo: yearsBefore(today, 2),
        }),
        supplierTopCategories(db, supplier.id, TOP_CATEGORIES),
        supplierContracts(db, supplier.id),
        supplierOpenPurchaseOrders(db, supplier.id),
        supplierRiskSignals(db, supplier.id),
        sanctionsStatus(db, supplier.name, supplier.country),
      ]);
      if (!record) throw new Error(`supplier ${supplier.id} vanished while being profiled`);
      const byCurrency = windows.map((w) => ({
        ...w,
        total: money(w.total),
        last12Months: money(w.last12Months),
        prior12Months: money(w.prior12Months),
      }));
      const contracts = contractRows.map((c) => ({
        ...c,
        value: c.value === null ? null : money(c.value),
        state: contractState(c, today),
      }));
      const active = contracts.filter((c) => c.state === 'active');
      const activeContractValue = sumByCurrency(
        active.flatMap((c) => (c.value && c.currency ? [{ currency: c.currency, amount: c.value }] : [])),
      );
      const openTotals = sumByCurrency(orders.map((o) => ({ currency: o.currency, amount: o.total })));
      const topCategories = categories.map((c) => ({ ...c, total: money(c.total) }));

      const last12 = byCurrency.map((w) => ({ currency: w.currency, total: w.last12Months }));
      const prior12 = byCurrency.map((w) => ({ currency: w.currency, total: w.prior12Months }));
      const nextEnd = active.filter((c) => c.endDate).sort((a, b) => a.endDate!.localeCompare(b.endDate!))[0];
      const lead = [
        `${record.name} (${record.status}${record.country ? `, ${record.country}` : ''})`,
        `${moneyText(last12)} spent in the last 12 months (${moneyText(prior12)} in the 12 before)`,
        active.length === 0
          ? 'no active contract'
          : `${active.length} active contract${active.length === 1 ? '' : 's'} worth ${moneyText(activeContractValue, 'an unrecorded value')}${nextEnd ? `, next ending ${nextEnd.endDate}` : ''}`,
        orders.length === 0
          ? 'no open purchase orders'
          : `${orders.length} open PO${orders.length === 1 ? '' : 's'} worth ${moneyText(openTotals)}`,
        sanctionsSentence(sanctions),
      ];
      const lines = [`${lead.join('; ')}.`, ''];
      lines.push(
        textTable(
          ['Field', 'Value'],
          [
            ['Id', record.id],
            ['External id', record.externalId ?? '-'],
            ['Tax id', record.taxId ?? '-'],
            ['Email', record.email ?? '-'],
            ['Category', record.categoryCode ?? '-'],
            ['Aliases', aliases.length ? aliases.map((a) => a.name).join('; ') : '-'],
          ],
        ),
      );
      if (byCurrency.length > 0) {
        lines.push('', 'Spend:');
        lines.push(
          textTable(
            ['Currency', 'All time', 'Last 12 months', 'Prior 12 months', 'Payments', 'Last paid'],
            byCurrency.map((w) => [
              w.currency,
              formatMoney(w.total, w.currency),
              formatMoney(w.last12Months, w.currency),
              formatMoney(w.prior12Months, w.currency),
              String(w.count),
              w.lastDate ?? '-',
            ]),
          ),
        );
        if (topCategories.length > 0) {
          lines.push(
            'Top categories: ' +
              topCategories.map((c) => `${c.category} ${formatMoney(c.total, c.currency)}`).join('; '),
          );
        }
      } else {
        lines.push('', 'No spend recorded.');
      }
      if (contracts.length > 0) {
        lines.push('', 'Contracts:');
        lines.push(
          textTable(
            ['Contract', 'Title', 'State', 'Value', 'Ends'],
            contracts.map((c) => [
              c.contractNumber ?? '-',
              c.title.length > 50 ? `${c.title.slice(0, 49)}…` : c.title,
              c.state,
              c.value && c.currency ? formatMoney(c.value, c.currency) : '-',
              c.endDate ?? '-',
            ]),
          ),
        );
      }
      if (orders.length > 0) {
        lines.push('', 'Open purchase orders:');
        lines.push(
          textTable(
            ['PO', 'Status', 'Ordered', 'Value'],
            orders.map((o) => [o.poNumber, o.status, o.orderDate, formatMoney(o.total, o.currency)]),
          ),
        );
      }
      lines.push(
        '',
        signals.length
          ? `Risk signals: ${signals.map((s) => `${s.kind} (severity ${s.severity}): ${s.title}`).join('; ')}`
          : 'No risk signals recorded.',
      );
      if (sanctions.topMatch) lines.push(`Why it matched: ${sanctions.topMatch.why.join('; ')}.`);

      return toolResult(lines.join('\n'), {
        today,
        supplier: {
          id: record.id,
          name: record.name,
          externalId: record.externalId,
          status: record.status,
          country: record.country,
          taxId: record.taxId,
          email: record.email,
          categoryCode: record.categoryCode,
        },
        resolved,
        aliases: aliases.map((a) => a.name),
        spend: { byCurrency, topCategories },
        contracts,
        activeContractValue,
        openPurchaseOrders: { totals: openTotals, orders: orders.map((o) => ({ ...o, total: money(o.total) })) },
        riskSignals: signals,
        sanctions,
      });
    }),
  );
};

/** What supplier_profile returns as structured content (the SDK checks it against outputSchema). */
export type SupplierProfileOutput = z.infer<typeof outputSchema>;
