// Capability scoring: each candidate scored 0-100 on the criteria of policies/sourcing.yaml from the evidence in our
// own records, each score explained in words that cite that evidence, and a weighted total. A criterion with no
// evidence scores a neutral 50 and says so, so a supplier we know little about is neither rewarded nor punished.
import type { CandidateEvidence } from '../db/queries/sourcing-candidates.js';
import { addDecimal, compareDecimal, fixDecimal, formatMoney, multiplyDecimal } from '../domain/money.js';
import type { CapabilityKey, SourcingPolicy } from './policy.js';

export type CriterionScore = { key: CapabilityKey; weight: string; score: number; explanation: string };

export type CandidateScore = {
  supplierId: string;
  name: string;
  total: string;
  criteria: CriterionScore[];
  /** Findings that are not part of the score but matter to the decision (concentration, hold, block). */
  warnings: string[];
};

const NEUTRAL = 50;

function pct(part: number, whole: number): string {
  return `${Math.round((100 * part) / whole)}%`;
}

function experience(e: CandidateEvidence): [number, string] {
  const paid = e.currency && compareDecimal(e.categorySpend12m, '0') > 0 ? formatMoney(e.categorySpend12m, e.currency) : undefined;
  if (e.activeContracts.length > 0) {
    const c = e.activeContracts[0]!;
    return [100, `Incumbent: active contract ${c.contractNumber ?? c.title}${c.endDate ? ` (ends ${c.endDate})` : ''} in the category${paid ? `, ${paid} paid in the last 12 months` : ''}.`];
  }
  if (paid) return [80, `Paid ${paid} in the category in the last 12 months (${e.payments} payment${e.payments === 1 ? '' : 's'} in all, last ${e.lastPaid}).`];
  if (e.payments > 0 && e.currency) return [50, `Supplied the category before: ${formatMoney(e.categorySpendAll, e.currency)} in all, last paid ${e.lastPaid}, nothing in the last 12 months.`];
  return [25, `Named for the category by ${e.sources.join(' and ')} records, but never paid for it.`];
}

function priceCompliance(e: CandidateEvidence): [number, string] {
  if (e.priceChecked === 0) return [NEUTRAL, 'No invoice line could be compared with a contracted price: neutral score.'];
  const ok = e.priceChecked - e.priceExceptions;
  return [Math.round((100 * ok) / e.priceChecked), `${ok} of ${e.priceChecked} invoice lines billed at or within 2% of the contracted price (${e.priceExceptions} above).`];
}

function invoiceAccuracy(e: CandidateEvidence): [number, string] {
  if (e.invoices === 0) return [NEUTRAL, 'No invoices on file: neutral score.'];
  const rate = Math.min(1, e.matchExceptions / e.invoices);
  return [Math.round(100 * (1 - rate)), `${e.matchExceptions} of ${e.invoices} invoices raised a three-way-match exception (${pct(e.matchExceptions, e.invoices)}).`];
}

function delivery(e: CandidateEvidence): [number, string] {
  if (e.receiptLines === 0 || e.medianReceiptDays === null) return [NEUTRAL, 'No goods receipts on file: neutral score.'];
  const d = e.medianReceiptDays;
  const score = d <= 7 ? 100 : d <= 14 ? 80 : d <= 30 ? 60 : 40;
  return [score, `Median ${Math.round(d)} days from order to receipt over ${e.receiptLines} receipt${e.receiptLines === 1 ? '' : 's'} (100 within a week, 80 within two, 60 within a month, 40 beyond).`];
}

function risk(e: CandidateEvidence, highRisk: number): [number, string] {
  if (e.status === 'blocked') return [0, 'Blocked in the supplier master.'];
  if (e.status === 'on_hold') return [10, 'On hold in the supplier master.'];
  if (e.maxSignalSeverity === null) return [100, 'No risk signals in the last 12 months.'];
  const top = e.signals[0];
  const score = Math.max(0, 100 - 20 * e.maxSignalSeverity);
  return [score, `Risk signal of severity ${e.maxSignalSeverity}/5${top ? `: "${top.title}" (${top.kind}, ${top.observedAt})` : ''}${e.maxSignalSeverity >= highRisk ? ' — high risk' : ''}.`];
}

/** True when the evidence marks the candidate high risk (blocked, on hold, or a severe signal within a year). */
export function isHighRisk(e: Pick<CandidateEvidence, 'status' | 'maxSignalSeverity'>, policy: SourcingPolicy): boolean {
  return e.status === 'blocked' || e.status === 'on_hold' || (e.maxSignalSeverity ?? 0) >= policy.bids.highRiskSeverity;
}

/** Scores each candidate on the policy's criteria; best first. */
export function scoreCandidates(evidence: readonly CandidateEvidence[], policy: SourcingPolicy): CandidateScore[] {
  const out = evidence.map((e) => {
    const criteria = policy.capability.criteria.map(({ key, weight }) => {
      const [score, explanation] =
        key === 'category_experience' ? experience(e)
        : key === 'price_compliance' ? priceCompliance(e)
        : key === 'invoice_accuracy' ? invoiceAccuracy(e)
        : key === 'delivery' ? delivery(e)
        : risk(e, policy.bids.highRiskSeverity);
      return { key, weight, score, explanation };
    });
    const total = criteria.reduce((s, c) => addDecimal(s, multiplyDecimal(String(c.score), c.weight, 4)), '0');
    const warnings: string[] = [];
    if (e.categoryShare && compareDecimal(e.categoryShare, policy.capability.concentrationWarning) >= 0) {
      warnings.push(`already holds ${fixDecimal(multiplyDecimal(e.categoryShare, '100', 1), 1)}% of our spend in the category over the last 12 months: awarding more deepens the dependence`);
    }
    if (isHighRisk(e, policy)) warnings.push(`high risk: ${risk(e, policy.bids.highRiskSeverity)[1]}`);
    return { supplierId: e.supplierId, name: e.name, total: fixDecimal(total, 1), criteria, warnings };
  });
  return out.sort((a, b) => compareDecimal(b.total, a.total) || a.name.localeCompare(b.name));
}
