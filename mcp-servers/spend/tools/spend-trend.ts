// spend_trend: spend per period with its change against the period before, per currency.
import { z } from 'zod';
import { spendTrend } from '../../../src/db/queries/spend.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { formatMoney } from '../../../src/domain/money.js';
import { textTable } from '../../shared/format.js';
import { pageInput, pageOutput } from '../../shared/paging.js';
import { guarded, toolResult } from '../../shared/result.js';
import { describeFilters, filtersOutput, formatCount, READ_ONLY, resolveFilters, spendFilterShape } from './common.js';

const inputSchema = {
  period: z
    .enum(['month', 'quarter', 'year'])
    .default('month')
    .describe('Period length: "month" (default), "quarter" or "year".'),
  ...spendFilterShape,
  ...pageInput('periods of each currency, latest first (the page is shown oldest first)', 500, 24),
};

const pointOutput = z.object({
  key: z.string().describe('Period key: 2012-03, 2012-Q1 or 2012.'),
  label: z.string(),
  total: z.string().describe('Exact decimal total; "0" for a period without payments.'),
  count: z.number().int(),
  change: z.string().nullable().describe('Total minus the previous period\'s; null when there is no previous period.'),
  change_pct: z
    .string()
    .nullable()
    .describe('Percent change on the previous period, 1 decimal place; null when that period had no spend.'),
});

const outputSchema = z.object({
  period: z.enum(['month', 'quarter', 'year']),
  series: z.array(z.object({ currency: z.string(), points: z.array(pointOutput) })),
  filters: filtersOutput,
  ...pageOutput,
});

type Point = z.infer<typeof pointOutput>;

function signed(amount: string, currency: string): string {
  return amount.startsWith('-') ? `-${formatMoney(amount.slice(1), currency)}` : `+${formatMoney(amount, currency)}`;
}

function changeText(p: Point, prev: Point | undefined, currency: string): string {
  if (!prev || p.change === null) return '';
  const pct = p.change_pct === null ? '' : `${p.change_pct.startsWith('-') ? 'down' : 'up'} ${p.change_pct.replace('-', '')}%, `;
  return ` (${pct}${signed(p.change, currency)} on ${prev.label})`;
}

/** Registers `spend_trend`. */
export const registerSpendTrendTool: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'spend_trend',
    {
      title: 'Spend trend',
      description:
        'Spend per month, quarter or year with the absolute and percentage change against the previous period, per currency (never mixed). Periods without payments appear with total "0". Same filters as spend_summary: supplier, category, date range, currency.',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY,
    },
    guarded('spend_trend', deps.log, async (args) => {
      const resolved = await resolveFilters(deps, args);
      if (!resolved.ok) return resolved.error;
      const series = await spendTrend(deps.database, { period: args.period, filters: resolved.filters });
      // Pages run back in time: offset counts the latest periods already seen.
      const end = args.offset + args.limit;
      const truncated = series.some((s) => s.points.length > end);
      const out = {
        period: args.period,
        series: series.map((s) => {
          const n = s.points.length;
          return {
            currency: s.currency,
            points: s.points.slice(Math.max(0, n - end), Math.max(0, n - args.offset)).map((p) => ({
              key: p.key,
              label: p.label,
              total: p.total,
              count: p.count,
              change: p.change,
              change_pct: p.changePct,
            })),
          };
        }),
        filters: resolved.echo,
        truncated,
        next_offset: truncated ? end : null,
      };
      const scope = describeFilters(resolved.echo);
      const lines: string[] = [];
      if (out.series.every((s) => s.points.length === 0)) {
        lines.push(args.offset > 0 && series.length > 0 ? `No periods at offset ${args.offset}; use a lower offset.` : `No payments found${scope ? ` ${scope}` : ''}.`);
      }
      for (const s of out.series) {
        const last = s.points.at(-1);
        if (!last) continue;
        const prev = s.points.at(-2);
        lines.push(
          `${s.currency} spend by ${args.period}${scope ? ` ${scope}` : ''}: ${args.offset > 0 ? 'latest on this page' : 'latest'} ${last.label} ${formatMoney(last.total, s.currency)} in ${formatCount(last.count)} payment${last.count === 1 ? '' : 's'}${changeText(last, prev, s.currency)}.`,
        );
      }
      if (truncated) lines.push(`Showing ${args.offset > 0 ? `periods ${args.offset + 1}-${end} back` : `the last ${args.limit} periods`}; earlier ones with offset ${end} (next_offset), or narrow date_from.`);
      for (const s of out.series) {
        lines.push(
          '',
          textTable(
            [args.period, `total ${s.currency}`, 'payments', 'change', '%'],
            s.points.map((p) => [
              p.label,
              formatMoney(p.total, s.currency),
              formatCount(p.count),
              p.change === null ? '' : signed(p.change, s.currency),
              p.change_pct === null ? '' : `${p.change_pct}%`,
            ]),
          ),
        );
      }
      return toolResult(lines.join('\n'), out);
    }),
  );
};

/** What spend_trend returns as structured content (the SDK checks it against outputSchema). */
export type SpendTrendOutput = z.infer<typeof outputSchema>;
