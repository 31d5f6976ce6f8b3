// list_findings: what the monitors found (invoice exceptions from the three-way match, spend anomalies, renewal
// deadlines, supplier risk), open by default, most recently seen first.
import { z } from 'zod';
import { listFindings } from '../../../src/db/findings.js';
import { formatMoney } from '../../../src/domain/money.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { textTable } from '../../shared/format.js';
import { pageInput, pageOf, pageOutput, pageText } from '../../shared/paging.js';
import { guarded, toolResult } from '../../shared/result.js';
import { READ_ONLY } from './read-only.js';

const MONITORS = ['three-way-match', 'spend-anomalies', 'renewal-deadlines', 'supplier-risk'] as const;

const inputSchema = {
  status: z.enum(['open', 'resolved', 'dismissed']).default('open').describe('Findings in this state (default open).'),
  monitor: z
    .enum(MONITORS)
    .optional()
    .describe('Only one monitor: "three-way-match" (invoice exceptions: price, quantity, no PO or receipt), "spend-anomalies", "renewal-deadlines", "supplier-risk".'),
  ...pageInput('findings', 200, 25),
};

const finding = z.object({
  id: z.string(),
  monitor: z.string(),
  severity: z.enum(['info', 'warning', 'high', 'critical']),
  title: z.string(),
  summary: z.string(),
  amount: z.string().nullable(),
  currency: z.string().nullable(),
  recommendation: z.string(),
  status: z.enum(['open', 'resolved', 'dismissed']),
  approval_id: z.string().nullable(),
  first_seen_at: z.string(),
  last_seen_at: z.string(),
});

const outputSchema = z.object({
  status: z.enum(['open', 'resolved', 'dismissed']),
  monitor: z.string().nullable(),
  findings: z.array(finding),
  ...pageOutput,
});

/** Registers `list_findings`. */
export const registerListFindings: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'list_findings',
    {
      title: 'Monitor findings',
      description:
        'What the scheduled monitors found: invoice exceptions from the three-way match (price or quantity over tolerance, no PO, no receipt), spend anomalies, contract renewal and notice deadlines, and supplier risk. Open findings by default, most recently seen first, each with its severity, money at stake, what to do, and the approval it led to if any.',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY,
    },
    guarded('list_findings', deps.log, async (args) => {
      const rows = await listFindings(deps.database, {
        status: args.status,
        ...(args.monitor ? { monitor: args.monitor } : {}),
        limit: args.limit + 1,
        offset: args.offset,
      });
      const shown = rows.slice(0, args.limit);
      const page = pageOf(args.offset, shown.length, { more: rows.length > args.limit });
      const out: z.infer<typeof outputSchema> = {
        status: args.status,
        monitor: args.monitor ?? null,
        findings: shown.map((f) => ({
          id: f.id,
          monitor: f.monitor,
          severity: f.severity,
          title: f.title,
          summary: f.summary,
          amount: f.amount,
          currency: f.currency,
          recommendation: f.recommendation,
          status: f.status,
          approval_id: f.approvalId,
          first_seen_at: f.firstSeenAt,
          last_seen_at: f.lastSeenAt,
        })),
        ...page,
      };
      const scope = `${args.status}${args.monitor ? ` ${args.monitor}` : ''} finding`;
      const paging = pageText(args.offset, shown.length, page, 'name a monitor to narrow it');
      const head =
        shown.length === 0
          ? args.offset > 0 ? paging : `No ${scope}s.`
          : `${args.offset + shown.length}${out.truncated ? '+' : ''} ${scope}${args.offset + shown.length === 1 ? '' : 's'}.${paging ? ` ${paging}` : ''}`;
      const table =
        shown.length === 0
          ? ''
          : `\n\n${textTable(
              ['Severity', 'Monitor', 'Finding', 'At stake'],
              shown.map((f) => [f.severity, f.monitor, f.title, f.amount && f.currency ? formatMoney(f.amount, f.currency) : '-']),
            )}`;
      return toolResult(`${head}${table}`, out);
    }),
  );
};

/** What list_findings returns as structured content. */
export type ListFindingsOutput = z.infer<typeof outputSchema>;
