// list_approvals: the approvals the calling person asks about: waiting for their decision, requested by them, or
// all, by status. Answers as the caller, whoever the arguments name.
import { z } from 'zod';
import type { Approval } from '../../../src/approvals/types.js';
import { listApprovals } from '../../../src/db/approvals.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { textTable } from '../../shared/format.js';
import { pageInput, pageOf, pageOutput, pageText } from '../../shared/paging.js';
import { guarded, toolError, toolResult } from '../../shared/result.js';
import { formatMoney } from '../../../src/domain/money.js';
import { callerEcho, callerView } from '../caller.js';
import { approvalOutput, approvalRules, viewApproval } from './approval-view.js';
import { READ_ONLY } from './read-only.js';

const STATUSES = ['pending', 'approved', 'rejected', 'expired', 'cancelled'] as const;

const inputSchema = {
  scope: z
    .enum(['waiting_for_me', 'requested_by_me', 'all'])
    .default('all')
    .describe('"waiting_for_me": pending approvals the calling person may decide now; "requested_by_me": those they asked for; "all" (default).'),
  status: z.enum(STATUSES).optional().describe('Only approvals in this status (for "waiting_for_me" always pending).'),
  ...pageInput('approvals (newest first)', 200, 25),
};

const outputSchema = z.object({
  caller: z.object({ kind: z.enum(['operator', 'person', 'anonymous']), email: z.string().nullable(), known_user: z.boolean() }),
  scope: z.enum(['waiting_for_me', 'requested_by_me', 'all']),
  status: z.enum(STATUSES).nullable(),
  approvals: z.array(approvalOutput),
  ...pageOutput,
});

type Output = z.infer<typeof outputSchema>;

// Reading approvals to filter them by person in memory: enough for any real queue, bounded. "all" pages in SQL.
const SCAN = 500;

/** Registers `list_approvals`. */
export const registerListApprovals: ToolRegistrar = (server, deps) => {
  const mayDecide = approvalRules(deps);
  server.registerTool(
    'list_approvals',
    {
      title: 'List approvals',
      description:
        'Approval requests as the calling person sees them: those waiting for their decision now, those they requested, or all, optionally by status. Each with its amount, supplier, requester, the level deciding now and whether the caller may decide it. The caller is whoever is connected (their personal token or chat identity), never someone named in the arguments.',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY,
    },
    guarded('list_approvals', deps.log, async (args) => {
      const view = await callerView(deps);
      if (args.scope !== 'all' && !view.user) {
        return toolError(
          view.caller.kind === 'person'
            ? `${view.caller.email} is not an active Quartermaster user, so nothing is waiting for them or requested by them.`
            : `Approvals "${args.scope === 'waiting_for_me' ? 'waiting for me' : 'requested by me'}" need a person: connect with your personal API token (qm tokens create) or ask in chat.`,
        );
      }
      const status = args.scope === 'waiting_for_me' ? 'pending' : args.status;
      const me = view.user;
      let shown: Approval[];
      let total: number | undefined;
      let more: boolean;
      if (args.scope === 'all') {
        const rows = await listApprovals(deps.database, { ...(status ? { status } : {}), limit: args.limit + 1, offset: args.offset });
        shown = rows.slice(0, args.limit);
        more = rows.length > args.limit;
      } else {
        const kept = (await listApprovals(deps.database, { ...(status ? { status } : {}), limit: SCAN })).filter((a) =>
          args.scope === 'waiting_for_me'
            ? mayDecide(a, me)
            : a.requesterUserId === me!.id || a.requester.toLowerCase() === me!.email.toLowerCase(),
        );
        shown = kept.slice(args.offset, args.offset + args.limit);
        total = kept.length;
        more = args.offset + shown.length < total;
      }
      const page = pageOf(args.offset, shown.length, { more });
      const out: Output = {
        caller: callerEcho(view),
        scope: args.scope,
        status: status ?? null,
        approvals: shown.map((a) => viewApproval(a, mayDecide(a, me))),
        ...page,
      };
      const what =
        args.scope === 'waiting_for_me'
          ? `waiting for ${view.label}'s decision`
          : args.scope === 'requested_by_me'
            ? `requested by ${view.label}${status ? `, ${status}` : ''}`
            : status ?? 'in any status';
      const counted = total ?? args.offset + shown.length;
      const paging = pageText(args.offset, shown.length, page, args.scope === 'all' ? 'pass a status or scope to narrow it' : 'pass a status to narrow it', total);
      const head =
        shown.length === 0 && args.offset === 0
          ? `No approvals ${what}.`
          : `${counted}${total === undefined && more ? '+' : ''} approval${counted === 1 ? '' : 's'} ${what}.${paging ? ` ${paging}` : ''}`;
      const table =
        out.approvals.length === 0
          ? ''
          : `\n\n${textTable(
              ['#', 'Status', 'Request', 'Amount', 'Requester', 'Waiting on'],
              out.approvals.map((a) => [
                String(a.number),
                a.status,
                a.summary,
                a.amount && a.currency ? formatMoney(a.amount, a.currency) : '-',
                a.requester,
                a.waiting_on ? `${a.waiting_on.name ?? `level ${a.waiting_on.level}`} (${a.waiting_on.roles.join(', ')})` : '-',
              ]),
            )}`;
      return toolResult(`${head}${table}`, out);
    }),
  );
};

/** What list_approvals returns as structured content. */
export type ListApprovalsOutput = Output;
