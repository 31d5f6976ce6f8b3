// The renewal deadlines monitor: contracts whose notice deadline (end date minus notice period) is 90, 30 or
// 7 days away or less (monitors.yaml) raise a finding for the contract owner and the procurement manager,
// with what is at stake (the last 12 months' spend with the supplier, how often invoices kept to the contract
// price, the supplier's risk) and a proposed renewal review. Each window is its own finding, more urgent as
// the deadline nears; a passed deadline on a contract that renews by itself is reported once more.
import { subjectFacts } from '../db/governance-context.js';
import { checkInvoicedPrices } from '../db/queries/contracts.js';
import { type NoticeDeadline, noticeDeadlines } from '../db/queries/renewal-deadlines.js';
import { supplierSpendWindows } from '../db/queries/suppliers.js';
import { formatAmount } from '../domain/money.js';
import type { ProposedAction } from '../domain/proposed-action.js';
import { DEFAULT_MONITOR_SETTINGS } from './settings.js';
import type { FindingInput, Monitor, MonitorContext, Severity } from './types.js';

const NAME = 'renewal-deadlines';
const PROPOSER = `monitor:${NAME}`;

/** The window a deadline `daysLeft` away falls in (the narrowest that holds it), or 'passed'. */
export function windowOf(daysLeft: number, windows: readonly number[]): number | 'passed' | undefined {
  if (daysLeft < 0) return 'passed';
  return [...windows].sort((a, b) => a - b).find((w) => daysLeft <= w);
}

/** The narrowest window is critical, the next high, the rest warnings; a passed deadline is a warning. */
export function severityOfWindow(window: number | 'passed', windows: readonly number[]): Severity {
  if (window === 'passed') return 'warning';
  const rank = [...windows].sort((a, b) => a - b).indexOf(window);
  return rank === 0 ? 'critical' : rank === 1 ? 'high' : 'warning';
}

function isoDaysBefore(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** What is at stake with the contract's supplier: spend, price compliance and risk, as evidence and as words. */
async function stakes(ctx: MonitorContext, c: NoticeDeadline, today: string, tolerancePct: string) {
  const evidence: Record<string, unknown>[] = [];
  const words: string[] = [];
  if (c.supplierId) {
    const windows = await supplierSpendWindows(ctx.database, c.supplierId, {
      today,
      yearAgo: isoDaysBefore(today, 365),
      twoYearsAgo: isoDaysBefore(today, 730),
    });
    const recent = windows.filter((w) => w.last12Count > 0);
    for (const w of recent) evidence.push({ source: 'spend', currency: w.currency, last12Months: w.last12Months, payments: w.last12Count });
    words.push(
      recent.length > 0
        ? `${recent.map((w) => `${formatAmount(w.last12Months, w.currency)} in ${w.last12Count} payment${w.last12Count === 1 ? '' : 's'}`).join(' and ')} paid to ${c.supplierName} in the last 12 months`
        : `nothing paid to ${c.supplierName} in the last 12 months`,
    );
  }
  const prices = await checkInvoicedPrices(ctx.database, { contractId: c.id, tolerancePct, limit: 1 });
  if (prices.checked > 0) {
    const kept = prices.checked - prices.exceptions;
    const share = Math.round((kept * 1000) / prices.checked) / 10;
    evidence.push({ source: 'price_compliance', invoiceLines: prices.checked, atContractPrice: kept, exceptions: prices.exceptions, sharePercent: share, tolerancePercent: tolerancePct });
    words.push(`${share}% of ${prices.checked} invoice line${prices.checked === 1 ? '' : 's'} at the contract price`);
  } else {
    evidence.push({ source: 'price_compliance', invoiceLines: 0 });
    words.push('no invoice lines to check against the contract prices');
  }
  const facts = await subjectFacts(ctx.database, { contractId: c.id }, today);
  if (facts.supplierRisk || facts.supplierStatus) {
    evidence.push({ source: 'supplier_risk', risk: facts.supplierRisk ?? null, status: facts.supplierStatus ?? null });
    words.push(`supplier risk ${facts.supplierRisk ?? 'not assessed'}${facts.supplierStatus && facts.supplierStatus !== 'active' ? ` (supplier ${facts.supplierStatus.replace('_', ' ')})` : ''}`);
  }
  const spend = evidence.find((e) => e.source === 'spend' && e.currency === c.currency) as { last12Months?: string } | undefined;
  return { evidence, words, spend: spend?.last12Months };
}

function review(c: NoticeDeadline, ref: string, why: string): ProposedAction {
  return {
    kind: 'review_contract_renewal',
    summary: `Decide whether to renew ${ref}${c.supplierName ? ` with ${c.supplierName}` : ''} or give notice by ${c.deadline}`,
    proposedBy: PROPOSER,
    rationale: why,
    params: { contractId: c.id, deadline: c.deadline, ...(c.supplierId ? { supplierId: c.supplierId } : {}) },
    ...(c.value && c.currency ? { amount: { value: c.value, currency: c.currency } } : {}),
  };
}

/** The renewal deadlines monitor. */
export const renewalDeadlinesMonitor: Monitor = {
  name: NAME,
  description:
    'Contracts whose notice deadline is 90, 30 or 7 days away: the owner and the procurement manager are told what is at stake and asked to decide whether to renew or give notice.',
  schedule: '0 6 * * *',
  async run(ctx) {
    const windows = ctx.settings?.renewalDeadlines.windows ?? DEFAULT_MONITOR_SETTINGS.renewalDeadlines.windows;
    const tolerancePct = ctx.settings?.threeWayMatch.pricePercent ?? DEFAULT_MONITOR_SETTINGS.threeWayMatch.pricePercent;
    const today = ctx.now().toISOString().slice(0, 10);
    const findings: FindingInput[] = [];
    for (const c of await noticeDeadlines(ctx.database, today, Math.max(...windows))) {
      const window = windowOf(c.daysLeft, windows);
      if (window === undefined || (window === 'passed' && !c.autoRenew)) continue;
      const ref = c.contractNumber ?? `"${c.title}"`;
      const { evidence, words, spend } = await stakes(ctx, c, today, tolerancePct);
      const value = c.value && c.currency ? formatAmount(c.value, c.currency) : undefined;
      const renews = c.autoRenew ? `it renews automatically${c.renewalTerm ? ` for ${c.renewalTerm}` : ''}` : `it ends on ${c.endDate} (it does not renew by itself)`;
      const contractRow = {
        source: 'contract',
        contract: ref,
        title: c.title,
        supplier: c.supplierName,
        endDate: c.endDate,
        noticePeriodDays: c.noticePeriodDays,
        deadline: c.deadline,
        autoRenew: c.autoRenew,
        renewalTerm: c.renewalTerm,
        value: c.value,
        currency: c.currency,
        owner: c.ownerEmail,
      };
      const base = {
        severity: severityOfWindow(window, windows),
        supplierId: c.supplierId ?? undefined,
        subject: { type: 'contract', id: c.id },
        evidence: [contractRow, ...evidence],
        routeTo: ['procurement_manager'],
        assignees: c.ownerEmail ? [c.ownerEmail] : [],
        ...(c.value && c.currency ? { amount: { value: c.value, currency: c.currency } } : spend && c.currency ? { amount: { value: spend, currency: c.currency } } : {}),
      };
      const stakesText = words.length > 0 ? `${words.join('; ')}.` : '';
      if (window === 'passed') {
        findings.push({
          ...base,
          key: `contract:${c.id}:notice:${c.deadline}:passed`,
          title: `Notice deadline on ${ref} passed on ${c.deadline}: it renews on ${c.endDate}`,
          summary: `The ${c.noticePeriodDays}-day notice deadline on ${ref} "${c.title}"${c.supplierName ? ` with ${c.supplierName}` : ''} passed on ${c.deadline} without notice recorded; ${renews} on ${c.endDate}.`,
          impact: `${value ? `A contract worth ${value} is committed for another term. ` : 'The contract is committed for another term. '}${stakesText}`,
          recommendation: `${c.ownerEmail ?? 'The contract owner'} checks whether notice was given outside Quartermaster; if not, negotiates the renewal terms or an early exit with ${c.supplierName ?? 'the supplier'}.`,
        });
        continue;
      }
      const summary = `${ref} "${c.title}"${c.supplierName ? ` with ${c.supplierName}` : ''} ends on ${c.endDate}: notice (${c.noticePeriodDays} days) must be given by ${c.deadline}, or ${renews}.`;
      const impact = `${c.autoRenew ? `Missing the deadline commits ${value ?? 'the contract'} for another term` : `Without a decision by then the service lapses on ${c.endDate}${value ? ` (contract value ${value})` : ''}`}. ${stakesText}`;
      findings.push({
        ...base,
        key: `contract:${c.id}:notice:${c.deadline}:${window}`,
        title: `Notice on ${ref}${c.supplierName ? ` (${c.supplierName})` : ''} due by ${c.deadline}: within ${window} days`,
        summary,
        impact,
        recommendation: `${c.ownerEmail ?? 'The contract owner'} reviews the spend, price compliance and supplier risk and decides by ${c.deadline}: renew (renegotiating if prices slipped), re-source, or give notice.`,
        proposal: review(c, ref, `${summary} ${impact}`),
      });
    }
    return findings;
  },
};
