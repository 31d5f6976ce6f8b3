// expiring_contracts: live contracts whose end date or notice deadline falls within the next N days, earliest
// deadline first, each with the action it needs.
import { z } from 'zod';
import { contractDeadlines } from '../../../src/db/queries/contracts.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { formatMoney } from '../../../src/domain/money.js';
import { textTable } from '../../shared/format.js';
import { pageInput, pageOf, pageOutput, pageText } from '../../shared/paging.js';
import { guarded, toolError, toolResult } from '../../shared/result.js';
import {
  addDays,
  contractName,
  contractSummarySchema,
  daysBetween,
  deadlineAction,
  relativeDays,
  resolveSupplierRef,
  todayIso,
} from '../lookup.js';

const inputSchema = z.object({
  withinDays: z.number().int().min(1).max(3650).default(90).describe('Look this many days ahead (1-3650, default 90)'),
  supplier: z.string().min(1).max(200).optional().describe('Only this supplier (id, name, alias or close spelling)'),
  ...pageInput('contracts', 200, 50),
});

const outputSchema = z.strictObject({
  today: z.string(),
  until: z.string(),
  withinDays: z.number().int(),
  total: z.number().int().describe('How many contracts have a deadline in the window, regardless of limit'),
  contracts: z.array(
    contractSummarySchema.extend({
      deadline: z.string().describe('The earliest deadline still ahead: the notice deadline, else the end date'),
      deadlineKind: z.enum(['notice_deadline', 'end']),
      daysUntilDeadline: z.number().int(),
      daysUntilEnd: z.number().int(),
      action: z.string(),
    }),
  ),
  ...pageOutput,
});

/** Registers expiring_contracts. */
export const registerExpiringContracts: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'expiring_contracts',
    {
      title: 'Expiring contracts and notice deadlines',
      description:
        'Lists live contracts whose end date or notice deadline (end date minus notice period) falls within the next N days (default 90), earliest deadline first, each with the action needed, e.g. "give notice by 2026-12-27 or it renews automatically".',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded<z.infer<typeof inputSchema>>('expiring_contracts', deps.log, async (args) => {
      let supplier: { id: string; name: string } | undefined;
      if (args.supplier) {
        const r = await resolveSupplierRef(deps.database, args.supplier);
        if (!r.ok) return toolError(r.message, { candidates: r.candidates });
        supplier = r.value;
      }
      const today = todayIso(deps.now());
      const until = addDays(today, args.withinDays);
      const { contracts, total } = await contractDeadlines(deps.database, {
        from: today,
        to: until,
        supplierId: supplier?.id,
        limit: args.limit,
        offset: args.offset,
      });
      const rows = contracts.map((c) => {
        const notice = c.noticeDeadline !== null && c.noticeDeadline >= today;
        const deadline = notice ? c.noticeDeadline! : c.endDate!;
        return {
          ...c,
          deadline,
          deadlineKind: notice ? ('notice_deadline' as const) : ('end' as const),
          daysUntilDeadline: daysBetween(today, deadline),
          daysUntilEnd: daysBetween(today, c.endDate!),
          action: deadlineAction(c, today),
        };
      });
      const scope = `${supplier ? ` with ${supplier.name}` : ''} in the next ${args.withinDays} days (to ${until})`;
      const page = pageOf(args.offset, rows.length, { total });
      const paging = pageText(args.offset, rows.length, page, 'narrow withinDays or name a supplier for fewer', total);
      if (rows.length === 0) {
        const none = `No live contract${scope} reaches its end date or notice deadline.`;
        return toolResult(total > 0 ? paging : none, { today, until, withinDays: args.withinDays, total, contracts: [], ...page });
      }
      const first = rows[0]!;
      const lead = `${total} contract${total === 1 ? '' : 's'} reach${total === 1 ? 'es' : ''} a deadline${scope}. ${args.offset > 0 ? 'First on this page' : 'First'}: ${contractName(first)}${first.supplierName ? ` with ${first.supplierName}` : ''}: ${first.action} (${relativeDays(first.daysUntilDeadline)}).`;
      const table = textTable(
        ['Deadline', 'In', 'Contract', 'Supplier', 'Ends', 'Value', 'Action'],
        rows.map((r) => [
          r.deadline,
          `${r.daysUntilDeadline}d`,
          r.contractNumber ?? r.title,
          r.supplierName ?? '-',
          r.endDate!,
          r.value && r.currency ? formatMoney(r.value, r.currency) : '-',
          r.action,
        ]),
      );
      const more = paging ? `\n${paging}` : '';
      return toolResult(`${lead}\n\n${table}${more}`, { today, until, withinDays: args.withinDays, total, contracts: rows, ...page });
    }),
  );
};

/** What expiring_contracts returns as structured content (the SDK checks it against outputSchema). */
export type ExpiringContractsOutput = z.infer<typeof outputSchema>;
