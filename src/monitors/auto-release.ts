// What the three-way match does to invoices itself, always through the action outbox and the executor, each
// with its ledger entry: an invoice matched within tolerance is released for payment (where the authority
// matrix lets release happen without a person), and an invoice with an exception is held. The action and the
// decision that allowed it are written in one transaction; the executor then runs it exactly once.
import { executeAction, type ExecutionReport } from '../actions/executor.js';
import { appendAuditIn } from '../audit/ledger.js';
import { enqueueAction } from '../db/outbox.js';
import type { ProposedAction } from '../domain/proposed-action.js';
import type { ThreeWayMatchTolerances } from './settings.js';
import type { MonitorContext } from './types.js';

export const THREE_WAY_MATCH = 'three-way-match';
const PROPOSER = `monitor:${THREE_WAY_MATCH}`;

export type InvoiceRef = { id: string; number: string; supplier: string; total: string; currency: string };

type Allowed = {
  kind: 'release_invoice' | 'hold_invoice';
  action: ProposedAction;
  authorisedBy: string;
  ruleId: string;
  rationale: string;
  policyVersion?: string;
  data: Record<string, unknown>;
};

async function enqueueAndRun(ctx: MonitorContext, a: Allowed): Promise<ExecutionReport> {
  const actionId = await ctx.database.transaction(async (tx) => {
    const id = await enqueueAction(tx, { kind: a.kind, action: a.action as unknown as Record<string, unknown>, authorisedBy: a.authorisedBy });
    await appendAuditIn(tx, [
      {
        actorType: 'system',
        actor: 'governance',
        action: 'policy_decision',
        subjectType: 'invoice',
        subjectId: String(a.action.params.invoiceId),
        rationale: a.rationale,
        ...(a.policyVersion ? { policyVersion: a.policyVersion } : {}),
        data: {
          outcome: 'auto',
          ruleId: a.ruleId,
          actionKind: a.kind,
          proposedBy: PROPOSER,
          planner: null,
          ...(a.action.amount ? { amount: a.action.amount.value, currency: a.action.amount.currency } : {}),
          actionId: id ?? null,
          ...a.data,
        },
      },
    ]);
    return id!;
  });
  const report = await executeAction({ database: ctx.database, log: ctx.log, now: ctx.now }, actionId);
  if (report.status !== 'done') ctx.log.warn(`three-way match: ${a.kind} did not run`, { actionId, status: report.status, summary: report.summary });
  return report;
}

/**
 * Releases an invoice that matched its order and receipts within tolerance. `matrixRule` is the authority
 * rule that governs releasing it, which allows release without a person (maxAutonomy: autonomous).
 */
export function autoReleaseInvoice(
  ctx: MonitorContext,
  invoice: InvoiceRef,
  tolerances: ThreeWayMatchTolerances,
  matrixRule: { id: string; policyVersion: string },
): Promise<ExecutionReport> {
  const amount = { value: invoice.total, currency: invoice.currency };
  const why = `Invoice ${invoice.number} from ${invoice.supplier} matches its purchase order and goods receipts within tolerance (price at most ${tolerances.pricePercent}% and ${tolerances.amount} ${invoice.currency} over, at most ${tolerances.quantity} units invoiced beyond receipt), so it is released for payment without a person; rule ${matrixRule.id} allows that for this amount.`;
  return enqueueAndRun(ctx, {
    kind: 'release_invoice',
    action: {
      kind: 'release_invoice',
      summary: `Release invoice ${invoice.number} from ${invoice.supplier} for payment`,
      proposedBy: PROPOSER,
      rationale: why,
      params: { invoiceId: invoice.id },
      amount,
    },
    authorisedBy: `tolerance:${THREE_WAY_MATCH}`,
    ruleId: 'three-way-match-within-tolerance',
    rationale: why,
    policyVersion: matrixRule.policyVersion,
    data: { tolerances: { ...tolerances }, matrixRule: matrixRule.id },
  });
}

/** Holds an invoice with a match exception, so it is not paid until a person releases or rejects it. */
export function holdInvoiceOnException(ctx: MonitorContext, invoice: InvoiceRef, reasons: string[]): Promise<ExecutionReport> {
  const reason = reasons.join('; ');
  const why = `Invoice ${invoice.number} from ${invoice.supplier} does not match its purchase order and receipts (${reason}), so it is held until a person releases or rejects it.`;
  return enqueueAndRun(ctx, {
    kind: 'hold_invoice',
    action: {
      kind: 'hold_invoice',
      summary: `Hold invoice ${invoice.number} from ${invoice.supplier}`,
      proposedBy: PROPOSER,
      rationale: why,
      params: { invoiceId: invoice.id, reason },
      amount: { value: invoice.total, currency: invoice.currency },
    },
    authorisedBy: PROPOSER,
    ruleId: 'three-way-match-exception-hold',
    rationale: why,
    data: { exceptions: reasons },
  });
}
