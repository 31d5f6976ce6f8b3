// The action executor: the only code that changes procurement state, and only for actions in the outbox
// (written there by a final approval or by an autonomy grant). Each action runs in one transaction that
// locks its outbox row, makes the change, marks it done and writes the ledger event, so a crash at any point
// leaves it either not done (and still pending) or done exactly once.
import { appendAuditIn } from '../audit/ledger.js';
import type { Database } from '../db/client.js';
import { findApproval } from '../db/approvals.js';
import { claimAction, failAction, findAction, pendingActionIds } from '../db/outbox.js';
import { completeAction } from '../db/outbox.js';
import { isAppError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ProposedAction } from '../domain/proposed-action.js';
import type { ActionHandler } from './handler.js';
import { actionHandlers } from './registry.js';

export type ExecutorDeps = {
  database: Database;
  log: Logger;
  now: () => Date;
  handlers?: ReadonlyMap<string, ActionHandler>;
  /** Attempts before a failing action is given up (permanent refusals fail at once). */
  maxAttempts?: number;
};

export type ExecutionReport = {
  actionId: number;
  kind: string;
  approvalId: string | null;
  /** done: executed now; failed: given up; retry: failed, will be retried; skipped: not pending or held by another worker. */
  status: 'done' | 'failed' | 'retry' | 'skipped';
  summary: string;
  result?: Record<string, unknown>;
};

class Refused extends Error {}

/** Executes one queued action (a no-op when it is done or another worker holds it). */
export async function executeAction(deps: ExecutorDeps, actionId: number): Promise<ExecutionReport> {
  const handlers = deps.handlers ?? actionHandlers;
  let claimed: { kind: string; approvalId: string | null } | undefined;
  try {
    return await deps.database.transaction(async (tx) => {
      const row = await claimAction(tx, actionId);
      if (!row) {
        const existing = await findAction(tx, { id: actionId });
        return {
          actionId,
          kind: existing?.kind ?? 'unknown',
          approvalId: existing?.approvalId ?? null,
          status: 'skipped' as const,
          summary: existing?.status === 'done' ? String(existing.result?.summary ?? 'Already done.') : 'Not pending, or being executed elsewhere.',
          ...(existing?.result ? { result: existing.result } : {}),
        };
      }
      claimed = { kind: row.kind, approvalId: row.approvalId };
      const approval = row.approvalId ? await findApproval(tx, row.approvalId) : undefined;
      const handler = handlers.get(row.kind);
      if (!handler) throw new Refused(`No executor exists for "${row.kind}" actions.`);
      const action = row.action as unknown as ProposedAction;
      const params = handler.params.safeParse(action.params ?? {});
      if (!params.success) {
        throw new Refused(`The action's parameters are invalid: ${params.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ')}`);
      }
      const outcome = await handler.execute(tx, action, params.data, {
        actionId,
        approvalNumber: approval?.number,
        requester: approval?.requester ?? (typeof action.params?.requester === 'string' ? action.params.requester : undefined),
        today: deps.now().toISOString().slice(0, 10),
      });
      const result = { ...outcome.result, summary: outcome.summary };
      await completeAction(tx, actionId, result);
      await appendAuditIn(tx, [
        {
          actorType: 'system',
          actor: 'executor',
          action: 'action_executed',
          subjectType: 'action',
          subjectId: String(actionId),
          rationale: outcome.summary,
          data: { kind: row.kind, approvalId: row.approvalId, authorisedBy: row.authorisedBy, proposedBy: action.proposedBy, result },
        },
        ...(outcome.events ?? []),
      ]);
      return { actionId, kind: row.kind, approvalId: row.approvalId, status: 'done' as const, summary: outcome.summary, result };
    });
  } catch (err) {
    const permanent = err instanceof Refused || isAppError(err, 'action:refused');
    const message = (err as Error).message;
    deps.log.warn('action failed', { actionId, kind: claimed?.kind, error: message, permanent });
    const status = await deps.database.transaction(async (tx) => {
      const s = await failAction(tx, actionId, message, permanent, deps.maxAttempts ?? 5);
      await appendAuditIn(tx, [
        {
          actorType: 'system',
          actor: 'executor',
          action: 'action_failed',
          subjectType: 'action',
          subjectId: String(actionId),
          rationale: `${s === 'failed' ? 'Given up' : 'Will retry'}: ${message}`,
          data: { kind: claimed?.kind ?? null, approvalId: claimed?.approvalId ?? null, error: message, permanent, final: s === 'failed' },
        },
      ]);
      return s;
    });
    return {
      actionId,
      kind: claimed?.kind ?? 'unknown',
      approvalId: claimed?.approvalId ?? null,
      status: status === 'failed' ? 'failed' : 'retry',
      summary: message,
    };
  }
}

/** Executes every pending action (after a restart, or on a schedule). */
export async function drainOutbox(deps: ExecutorDeps): Promise<ExecutionReport[]> {
  const reports: ExecutionReport[] = [];
  for (const id of await pendingActionIds(deps.database)) reports.push(await executeAction(deps, id));
  return reports;
}
