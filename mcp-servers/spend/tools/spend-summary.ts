// spend_summary: how much was paid, and in how many payments, grouped one way, per currency.
import { z } from 'zod';
import { type SpendGroupBy, spendSummary } from '../../../src/db/queries/spend.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { formatMoney } from '../../../src/domain/money.js';
import { textTable } from '../../shared/format.js';
import { pageInput, pageOutput } from '../../shared/paging.js';
import { guarded, toolResult } from '../../shared/result.js';
import { describeFilters, filtersOutput, formatCount, READ_ONLY, resolveFilters, spendFilterShape } from './common.js';

const GROUPINGS = ['supplier', 'category', 'month', 'quarter', 'year', 'department'] as const;

const inputSchema = {
  group_by: z
    .enum(GROUPINGS)
    .describe(
      'How to group: "supplier", "category", "department" (largest total first) or "month", "quarter", "year" (chronological).',
    ),
  ...spendFilterShape,
  order: z
    .enum(['largest', 'smallest'])
    .default('largest')
    .describe('For supplier, category or department groups: largest totals first (default) or smallest first.'),
  ...pageInput('groups', 500, 20),
};

const outputSchema = z.object({
  group_by: z.enum(GROUPINGS),
  groups: z.array(
    z.object({
      key: z.string().describe('Stable key: supplier id, normalised category/department, or period (2012-03, 2012-Q1, 2012).'),
      label: z.string(),
      currency: z.string(),
      total: z.string().describe('Exact decimal amount in `currency`.'),
      count: z.number().int(),
    }),
  ),
  totals: z.array(z.object({ currency: z.string(), total: z.string(), count: z.number().int() })),
  group_count: z.number().int().describe('Groups in all pages (a group is one key in one currency).'),
  filters: filtersOutput,
  ...pageOutput,
});

type Output = z.infer<typeof outputSchema>;

function leadLine(out: Output, filterText: string): string {
  const scope = filterText ? ` ${filterText}` : '';
  if (out.totals.length === 0) return `No payments found${scope}.`;
  const parts = out.totals.map(
    (t) => `${formatMoney(t.total, t.currency)} across ${formatCount(t.count)} payment${t.count === 1 ? '' : 's'}`,
  );
  return `Total ${parts.join('; ')}${scope}.`;
}

/** Registers `spend_summary`. */
export const registerSpendSummaryTool: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'spend_summary',
    {
      title: 'Spend summary',
      description:
        'Totals and payment counts of spend (money paid to suppliers), grouped by supplier, category, department, month, quarter or year, with optional filters (supplier, category, date range, currency). Amounts are exact decimal strings and are never added across currencies: every group and total carries its currency. Paginated with limit/offset.',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY,
    },
    guarded('spend_summary', deps.log, async (args) => {
      const resolved = await resolveFilters(deps, args);
      if (!resolved.ok) return resolved.error;
      const groupBy: SpendGroupBy = args.group_by;
      const r = await spendSummary(deps.database, {
        groupBy,
        filters: resolved.filters,
        limit: args.limit,
        offset: args.offset,
        smallestFirst: args.order === 'smallest',
      });
      const shownTo = args.offset + r.groups.length;
      const truncated = shownTo < r.groupCount;
      const out: Output = {
        group_by: args.group_by,
        groups: r.groups,
        totals: r.totals,
        group_count: r.groupCount,
        filters: resolved.echo,
        truncated,
        next_offset: truncated ? shownTo : null,
      };
      const lines = [leadLine(out, describeFilters(resolved.echo))];
      if (r.groups.length > 0) {
        lines.push(
          `By ${args.group_by}: ${formatCount(r.groupCount)} group${r.groupCount === 1 ? '' : 's'}, showing ${args.offset + 1}-${shownTo}${truncated ? ` (next_offset ${shownTo})` : ''}.`,
          '',
          textTable(
            [args.group_by, 'total', 'payments'],
            r.groups.map((g) => [g.label, formatMoney(g.total, g.currency), formatCount(g.count)]),
          ),
        );
      } else if (r.groupCount > 0) {
        lines.push(`No groups at offset ${args.offset}; there are ${formatCount(r.groupCount)}.`);
      }
      return toolResult(lines.join('\n'), out);
    }),
  );
};

/** What spend_summary returns as structured content (the SDK checks it against outputSchema). */
export type SpendSummaryOutput = z.infer<typeof outputSchema>;
