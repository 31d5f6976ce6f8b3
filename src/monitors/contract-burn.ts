// The contract-burn monitor: contracts whose spend has passed their value, or is projected to pass it before
// they end and soon (within the contract's notice period, or within `withinMonths` months: monitors.yaml
// contractBurn), raise a finding for the contract owner and the procurement manager with a decision proposed
// through governance, not an alert: a renewal review (raise the value, renegotiate), or, for a contract that
// does not renew by itself and will run dry before it ends, a sourcing event for its category.
import { z } from 'zod';
import { burnContracts } from '../db/queries/contract-burn.js';
import { formatAmount } from '../domain/money.js';
import type { ProposedAction } from '../domain/proposed-action.js';
import { type ContractBurn, contractBurn } from '../forecast/contract-burn.js';
import { METHOD_LABELS, type MethodName } from '../forecast/methods.js';
import { decimalOf } from '../forecast/money-text.js';
import { monthLabel, monthsBetween } from '../domain/months.js';
import type { FindingInput, Monitor, Severity } from './types.js';

const NAME = 'contract-burn';
const PROPOSER = `monitor:${NAME}`;

/** This monitor's section of monitors.yaml. */
export const contractBurnSettingsSchema = z.strictObject({
  /** A projected run-out this many months ahead or nearer raises a finding (as does one within the notice period). */
  withinMonths: z.number().int().min(1).max(24).default(6),
});

export type ContractBurnSettings = z.output<typeof contractBurnSettingsSchema>;

/** When a burn needs a decision: passed already, or projected to pass the value within the window. */
export function burnAlarm(
  b: ContractBurn,
  today: string,
  withinMonths: number,
): { kind: 'exceeded' | 'runs_out'; month?: string; severity: Severity } | undefined {
  if (b.projection.exceeded) return { kind: 'exceeded', severity: 'high' };
  const month = b.projection.runsOut;
  if (!month) return undefined;
  const ahead = monthsBetween(today.slice(0, 7), month) - 1;
  const noticeMonths = b.contract.noticePeriodDays !== null ? Math.ceil(b.contract.noticePeriodDays / 30) : 0;
  if (ahead > Math.max(withinMonths, noticeMonths)) return undefined;
  return { kind: 'runs_out', month, severity: ahead <= 3 ? 'high' : 'warning' };
}

/**
 * The decision to ask for: a contract that does not renew by itself and runs out of value before its end needs
 * a replacement sourced; otherwise (it renews, or it has already passed its value) its terms need review.
 */
export function burnProposal(b: ContractBurn, ref: string, why: string, exceeded: boolean): ProposedAction {
  const c = b.contract;
  if (c.autoRenew === false && !exceeded) {
    return {
      kind: 'start_sourcing_event',
      summary: `Start sourcing a replacement for ${ref}${c.supplierName ? ` with ${c.supplierName}` : ''} before its value runs out${b.projection.runsOut ? ` in ${monthLabel(b.projection.runsOut)}` : ''}`,
      proposedBy: PROPOSER,
      rationale: why,
      params: { ...(c.categoryCode ? { categoryCode: c.categoryCode } : {}), ...(c.supplierId ? { supplierId: c.supplierId } : {}) },
      amount: { value: c.value!, currency: c.currency! },
    };
  }
  return review(b, ref, why);
}

function review(b: ContractBurn, ref: string, why: string): ProposedAction {
  const c = b.contract;
  return {
    kind: 'review_contract_renewal',
    summary: `Decide how to continue ${ref}${c.supplierName ? ` with ${c.supplierName}` : ''} as its value runs out: raise it, renegotiate or re-source`,
    proposedBy: PROPOSER,
    rationale: why,
    params: { contractId: c.id, ...(b.noticeDeadline ? { deadline: b.noticeDeadline } : {}), ...(c.supplierId ? { supplierId: c.supplierId } : {}) },
    amount: { value: c.value!, currency: c.currency! },
  };
}

/** The contract-burn monitor. */
export const contractBurnMonitor: Monitor = {
  name: NAME,
  description:
    'Contracts whose spend has passed their value, or is projected to pass it soon and before they end: the owner and the procurement manager decide whether to raise the value, renegotiate or re-source.',
  schedule: '30 6 * * *',
  async run(ctx) {
    const section = (ctx.settings as Record<string, unknown> | undefined)?.contractBurn;
    const parsed = contractBurnSettingsSchema.safeParse(section ?? {});
    if (!parsed.success) throw new Error(`policies/monitors.yaml contractBurn: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    const { withinMonths } = parsed.data;
    const today = ctx.now().toISOString().slice(0, 10);
    const findings: FindingInput[] = [];
    for (const c of await burnContracts(ctx.database, today)) {
      const b = await contractBurn(ctx.database, c, today);
      const alarm = burnAlarm(b, today, withinMonths);
      if (!alarm) continue;
      const cur = c.currency!;
      const ref = c.contractNumber ?? `"${c.title}"`;
      const value = formatAmount(c.value!, cur);
      const paid = `${formatAmount(b.spent, cur)} paid${b.committedOrders > 0 ? ` and ${formatAmount(b.committed, cur)} on ${b.committedOrders} open order${b.committedOrders === 1 ? '' : 's'}` : ''}`;
      const method = b.projection.method in METHOD_LABELS ? METHOD_LABELS[b.projection.method as MethodName] : 'no forecast';
      const summary =
        alarm.kind === 'exceeded'
          ? `${ref} "${c.title}"${c.supplierName ? ` with ${c.supplierName}` : ''} has passed its value of ${value}: ${paid}; it runs to ${c.endDate}.`
          : `${ref} "${c.title}"${c.supplierName ? ` with ${c.supplierName}` : ''} is projected to pass its value of ${value} in ${monthLabel(alarm.month!)}, before it ends on ${c.endDate}: ${paid} so far.`;
      const atEnd = b.projection.points.at(-1);
      const impact =
        alarm.kind === 'exceeded'
          ? `Payments beyond the contract value are outside what was agreed${c.autoRenew ? '; it also renews by itself' : ''}.`
          : `At the forecast rate (${method}) about ${formatAmount(decimalOf(atEnd?.cumulative ?? 0, cur), cur)} would be paid by ${atEnd ? monthLabel(atEnd.month) : c.endDate}${b.noticeDeadline ? `; notice must be given by ${b.noticeDeadline}` : ''}.`;
      findings.push({
        key: alarm.kind === 'exceeded' ? `contract:${c.id}:burn:exceeded` : `contract:${c.id}:burn:${alarm.month}`,
        severity: alarm.severity,
        title:
          alarm.kind === 'exceeded'
            ? `${ref}${c.supplierName ? ` (${c.supplierName})` : ''} has passed its value of ${value}`
            : `${ref}${c.supplierName ? ` (${c.supplierName})` : ''} runs out of value in ${monthLabel(alarm.month!)}, before it ends`,
        summary,
        impact,
        amount: { value: c.value!, currency: cur },
        ...(c.supplierId ? { supplierId: c.supplierId } : {}),
        subject: { type: 'contract', id: c.id },
        evidence: [
          { source: 'contract', contract: ref, title: c.title, supplier: c.supplierName, startDate: c.startDate, endDate: c.endDate, value: c.value, currency: cur, noticeDeadline: b.noticeDeadline },
          { source: 'burn', spent: b.spent, committed: b.committed, remaining: b.remaining, runsOut: b.projection.runsOut, runsOutHigh: b.projection.runsOutHigh, method: b.projection.method },
        ],
        recommendation:
          c.autoRenew === false && alarm.kind !== 'exceeded'
            ? `${c.ownerEmail ?? 'The contract owner'} starts sourcing a replacement now, or agrees a variation raising the value, before it runs out.`
            : `${c.ownerEmail ?? 'The contract owner'} decides before the value runs out: raise the contract value (a variation), renegotiate the rate, or re-source.`,
        routeTo: ['procurement_manager'],
        assignees: c.ownerEmail ? [c.ownerEmail] : [],
        proposal: burnProposal(b, ref, `${summary} ${impact}`, alarm.kind === 'exceeded'),
      });
    }
    return findings;
  },
};
