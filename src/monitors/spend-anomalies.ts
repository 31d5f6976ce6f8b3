// The spend anomalies monitor: duplicate payments (to finance), purchases split to stay under an approval
// threshold (to the procurement manager), invoiced prices above the contract price (to the buyer) and spend
// outside contract (to the procurement manager), over the look-back window in monitors.yaml. The detection is
// the SQL behind the spend_anomalies tool; the approval thresholds are the amount bands of purchase orders in
// the authority matrix in force. A duplicate invoice not yet settled is proposed for rejection.
import { findAnomalies, findSplitPurchases } from '../db/queries/spend-anomalies.js';
import type { AnomalyKind, Evidence, Finding } from '../db/queries/spend-evidence.js';
import { invoiceHeaders } from '../db/queries/invoices.js';
import { compareDecimal, formatAmount, normaliseDecimal } from '../domain/money.js';
import type { Policy } from '../governance/policy.js';
import type { ProposedAction } from '../domain/proposed-action.js';
import { DEFAULT_MONITOR_SETTINGS } from './settings.js';
import type { FindingInput, Monitor, Severity } from './types.js';

const NAME = 'spend-anomalies';
const PROPOSER = `monitor:${NAME}`;
const OPEN_INVOICE = new Set(['received', 'held', 'matched']);

/** An approval threshold of purchase orders: the boundary of an amount band, with the rules it separates. */
export type ApprovalThreshold = { value: string; currency: string; rules: string[] };

/**
 * The approval thresholds a split purchase stays under: every boundary (min or below) of the amount bands of
 * create_purchase_order rules that apply to any category. Bands of category-specific rules (IT hardware from
 * 50,000) are left out, since spend lines rarely carry the category code they would need.
 */
export function approvalThresholds(policy: Policy): ApprovalThreshold[] {
  const out = new Map<string, ApprovalThreshold>();
  for (const rule of policy.authority.rules) {
    if (rule.deny || rule.when.category || !rule.when.amount) continue;
    if (!rule.actions.includes('create_purchase_order')) continue;
    for (const bound of [rule.when.amount.min, rule.when.amount.below]) {
      if (bound === undefined || compareDecimal(bound, '0') <= 0) continue;
      const key = normaliseDecimal(bound);
      const t = out.get(key) ?? { value: key, currency: policy.authority.currency, rules: [] };
      t.rules.push(rule.id);
      out.set(key, t);
    }
  }
  return [...out.values()].sort((a, b) => compareDecimal(a.value, b.value));
}

const money = (v: string, currency: string) => formatAmount(v, currency);

// High when the evidence is strong for its kind (a shared invoice number, a tight run just under the threshold,
// a big overcharge) or, for money simply spent off contract or overcharged, when 10,000 or more is at stake.
function severityOf(f: Finding): Severity {
  const big = compareDecimal(f.amountAtStake, '10000') >= 0;
  switch (f.kind) {
    case 'duplicate_payment':
      return f.score >= 0.9 ? 'high' : 'warning';
    case 'split_purchase':
      return f.score >= 0.85 ? 'high' : 'warning';
    case 'price_variance':
      return f.score >= 0.9 || big ? 'high' : 'warning';
    case 'off_contract':
      return big ? 'high' : 'warning';
  }
}

const ROUTE: Record<AnomalyKind, string[]> = {
  duplicate_payment: ['finance'],
  split_purchase: ['procurement_manager'],
  price_variance: ['buyer'],
  off_contract: ['procurement_manager'],
};

function keyOf(f: Finding, threshold?: string): string {
  const ids = f.evidence.map((e) => e.id);
  switch (f.details.kind) {
    case 'duplicate_payment':
      return `duplicate:${f.details.basis}:${ids[0]}:${ids[1]}`;
    case 'split_purchase':
      return `split:${threshold}:${f.supplier.id}:${ids[0]}`;
    case 'price_variance':
      return `price:${ids[0]}`;
    case 'off_contract':
      return `off-contract:${ids[0]}`;
  }
}

const evidenceRows = (evidence: Evidence[]): Record<string, unknown>[] => evidence.map((e) => ({ ...e }));

/** What happened, why it matters and what to do, from the finding's facts. */
function describe(f: Finding): Pick<FindingInput, 'title' | 'summary' | 'impact' | 'recommendation'> {
  const d = f.details;
  const who = f.supplier.name;
  const stake = money(f.amountAtStake, f.currency);
  switch (d.kind) {
    case 'duplicate_payment': {
      const [a, b] = f.evidence;
      const gap = d.daysApart === 0 ? 'on the same day' : `${d.daysApart} day${d.daysApart === 1 ? '' : 's'} apart`;
      const numbers = { same: 'the same invoice number', similar: 'invoice numbers that differ only by a suffix', missing: 'no invoice number on one side', different: 'different invoice numbers' }[
        d.invoiceRelation
      ];
      const what = d.basis === 'invoices' ? `Invoices ${d.invoiceNumbers.join(' and ')}` : `Two payments${d.invoiceNumbers[0] ? ` quoting ${[...new Set(d.invoiceNumbers)].join(' and ')}` : ''}`;
      const paid = d.basis === 'invoices' ? (d.paymentsFound > 0 ? `; ${d.paymentsFound} payment${d.paymentsFound === 1 ? ' has' : 's have'} been made against them` : '; no payment against them is recorded yet') : '';
      return {
        title: `Possible duplicate ${d.basis === 'invoices' ? 'invoice' : 'payment'} from ${who}: ${stake}`,
        summary: `${what} from ${who} are ${gap} (${a?.date} and ${b?.date}), ${d.amountsEqual ? `both ${stake}` : `${money(a?.amount ?? '0', f.currency)} and ${money(b?.amount ?? '0', f.currency)}`}, with ${numbers}${paid}.`,
        impact: `${stake} may be paid twice (match score ${f.score.toFixed(2)}).`,
        recommendation:
          d.basis === 'invoices'
            ? `Finance checks both against the order and delivery; rejects the duplicate if it is one, and asks ${who} for a credit note for anything already paid twice.`
            : `Finance checks both payments against the supplier's statement and recovers the duplicate if it is one.`,
      };
    }
    case 'split_purchase':
      return {
        title: `Possible split purchase from ${who}: ${stake} under ${money(d.threshold, f.currency)} approvals`,
        summary: `${d.payments} payments to ${who} between ${d.firstDate} and ${d.lastDate}, each under the ${money(d.threshold, f.currency)} approval threshold (largest ${money(d.largest, f.currency)}), add up to ${stake}.`,
        impact: `${stake} may have been bought without the approval its total needed.`,
        recommendation: `The procurement manager asks the buying department whether this was one purchase; if so, it is approved retrospectively at the right level and future orders go through one PO.`,
      };
    case 'price_variance':
      return {
        title: `${who} billed above the contract price on ${d.invoiceNumber}: ${stake} over`,
        summary: `Invoice ${d.invoiceNumber} (${d.invoiceDate}) bills "${d.item}" at ${money(d.invoicedPrice, f.currency)} against the contracted ${money(d.contractPrice, f.currency)}${d.contractNumber ? ` (contract ${d.contractNumber})` : ''}: ${d.variancePct}% over on ${normaliseDecimal(d.quantity)} units.`,
        impact: `${stake} overcharged against the contract.`,
        recommendation: `The buyer asks ${who} for a credit note for the difference and checks the contract's price list is applied to future invoices.`,
      };
    case 'off_contract': {
      const contract = `${d.contractNumber ? `${d.contractNumber} ` : ''}"${d.contractTitle}"`;
      return d.reason === 'expired_contract'
        ? {
            title: `${who} paid after its contract ended: ${stake}`,
            summary: `${who} was paid ${stake} on ${d.paymentDate}${d.category ? ` for "${d.category}"` : ''} after its contract ${contract} ended on ${d.contractEnd}; no contract covers the payment.`,
            impact: `${stake} spent without contractual terms (prices, liability, service levels).`,
            recommendation: 'The procurement manager renews or re-sources the contract, or stops orders to the supplier until one is in place.',
          }
        : {
            title: `Off-contract spend with ${who}: ${stake}`,
            summary: `${who} was paid ${stake} on ${d.paymentDate}${d.category ? ` for "${d.category}"` : ''} while ${contract} with ${d.contractSupplier} covered that category${d.matchedCode ? ` (UNSPSC ${d.matchedCode}${d.matchedTitle ? ` ${d.matchedTitle}` : ''})` : ''}.`,
            impact: `${stake} bought outside the contracted supplier's agreed prices and terms.`,
            recommendation: `The procurement manager tells the buying department to order from ${d.contractSupplier} under ${d.contractNumber ?? 'the contract'}, and checks whether the contract's scope needs widening.`,
          };
    }
  }
}

function toFinding(f: Finding, threshold?: string): FindingInput {
  return {
    key: keyOf(f, threshold),
    severity: severityOf(f),
    ...describe(f),
    amount: { value: f.amountAtStake, currency: f.currency },
    supplierId: f.supplier.id,
    subject: f.evidence[0] ? { type: f.evidence[0].source, id: f.evidence[0].id } : { type: 'supplier', id: f.supplier.id },
    evidence: evidenceRows(f.evidence),
    routeTo: ROUTE[f.kind],
  };
}

/** Proposes rejecting the later invoice of a duplicate pair when it has not been settled. */
function rejectDuplicate(finding: FindingInput, f: Finding, later: { id: string; invoiceNumber: string; total: string; currency: string }): ProposedAction {
  return {
    kind: 'reject_invoice',
    summary: `Reject invoice ${later.invoiceNumber} from ${f.supplier.name} (${money(later.total, later.currency)}) as a duplicate`,
    proposedBy: PROPOSER,
    rationale: `${finding.summary} ${finding.impact}`,
    params: { invoiceId: later.id, supplierId: f.supplier.id },
    amount: { value: later.total, currency: later.currency },
  };
}

function daysBefore(date: Date, days: number): string {
  return new Date(date.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

/** The spend anomalies monitor. */
export const spendAnomaliesMonitor: Monitor = {
  name: NAME,
  description:
    'Duplicate payments (to finance), purchases split under an approval threshold and off-contract spend (to the procurement manager), prices above contract (to the buyer), over the look-back window.',
  schedule: '30 2 * * *',
  async run(ctx) {
    const s = ctx.settings?.spendAnomalies ?? DEFAULT_MONITOR_SETTINGS.spendAnomalies;
    const now = ctx.now();
    const filters = { dateFrom: daysBefore(now, s.lookbackDays), dateTo: now.toISOString().slice(0, 10) };
    const options = {
      filters,
      limit: s.maxPerKind,
      windowDays: s.windowDays,
      bandPct: s.bandPercent,
      tolerancePct: s.pricePercent,
      minScore: s.minScore,
    };
    const report = await findAnomalies(ctx.database, { ...options, kinds: ['duplicate_payment', 'price_variance', 'off_contract'], threshold: '0' });
    // Invoices of duplicate pairs: a pair is settled once one of them is rejected and nothing was paid on either.
    const pairs = report.findings.filter((f) => f.details.kind === 'duplicate_payment' && f.details.basis === 'invoices');
    const headers = await invoiceHeaders(
      ctx.database,
      pairs.flatMap((f) => [f.evidence[0]!.id, f.evidence[1]!.id]),
    );
    const findings: FindingInput[] = [];
    for (const f of report.findings) {
      const finding = toFinding(f);
      if (f.details.kind === 'duplicate_payment' && f.details.basis === 'invoices') {
        const [first, later] = [headers.get(f.evidence[0]!.id), headers.get(f.evidence[1]!.id)];
        if (f.details.paymentsFound === 0 && (first?.status === 'rejected' || later?.status === 'rejected')) continue;
        // The later invoice still to be settled: propose rejecting it.
        if (later && OPEN_INVOICE.has(later.status)) finding.proposal = rejectDuplicate(finding, f, later);
      }
      findings.push(finding);
    }
    const truncated: AnomalyKind[] = (['duplicate_payment', 'price_variance', 'off_contract'] as const).filter((k) => report.found[k] > s.maxPerKind);

    // Split purchases, once per approval threshold of the authority matrix (in its currency).
    if (ctx.policy) {
      for (const t of approvalThresholds(ctx.policy)) {
        const split = await findSplitPurchases(ctx.database, { ...options, kinds: ['split_purchase'], threshold: t.value, filters: { ...filters, currency: t.currency } });
        for (const f of split.findings) findings.push(toFinding(f, t.value));
        if (split.found > s.maxPerKind) truncated.push('split_purchase');
      }
    } else {
      ctx.log.warn('spend anomalies without the authority matrix: split purchases are not checked (their thresholds come from it)');
    }
    if (truncated.length > 0) ctx.log.warn(`spend anomalies: more than ${s.maxPerKind} findings of ${[...new Set(truncated)].join(', ')}; only the strongest are kept (raise maxPerKind in monitors.yaml)`);

    return findings;
  },
};
