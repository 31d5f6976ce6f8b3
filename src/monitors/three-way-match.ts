// The three-way match monitor: every invoice still to be settled is matched, line by line, to its purchase
// order line and the goods received against it. Each exception is its own finding, routed to who can fix it:
// a price above the PO's to the buyer, more invoiced than received to the receiver, no PO or nothing received
// to the requester. An invoice with an exception is held, and its release is proposed to the approvers the
// authority matrix names; an invoice within tolerance is released at once where the matrix allows release
// without a person, and otherwise proposed for release too.
import { subjectFacts } from '../db/governance-context.js';
import {
  type CandidateOrder,
  candidateOrders,
  invoicesAwaitingDecision,
  invoicesToMatch,
  type MatchLine,
  type Receipt,
  receiptsOf,
} from '../db/queries/three-way-match.js';
import { compareDecimal, formatAmount } from '../domain/money.js';
import { decide } from '../governance/decide.js';
import { type Policy, ruleById } from '../governance/policy.js';
import type { ProposedAction } from '../domain/proposed-action.js';
import { autoReleaseInvoice, holdInvoiceOnException, type InvoiceRef, THREE_WAY_MATCH } from './auto-release.js';
import { judgeInvoice, type MatchException } from './match-tolerance.js';
import { DEFAULT_MONITOR_SETTINGS, type ThreeWayMatchTolerances } from './settings.js';
import type { FindingInput, Monitor, MonitorContext, Severity } from './types.js';

const PROPOSER = `monitor:${THREE_WAY_MATCH}`;

/** Severity by the money at stake, in the invoice's currency. */
function severityOf(stake: string): Severity {
  if (compareDecimal(stake, '100000') >= 0) return 'critical';
  if (compareDecimal(stake, '10000') >= 0) return 'high';
  return 'warning';
}

type Invoice = InvoiceRef & { status: MatchLine['invoiceStatus']; supplierId: string; supplierCategory: string | null; lines: MatchLine[] };

function groupInvoices(lines: MatchLine[]): Invoice[] {
  const out = new Map<string, Invoice>();
  for (const l of lines) {
    let inv = out.get(l.invoiceId);
    if (!inv) {
      inv = {
        id: l.invoiceId,
        number: l.invoiceNumber,
        supplier: l.supplierName,
        total: l.invoiceTotal,
        currency: l.currency,
        status: l.invoiceStatus,
        supplierId: l.supplierId,
        supplierCategory: l.supplierCategory,
        lines: [],
      };
      out.set(l.invoiceId, inv);
    }
    inv.lines.push(l);
  }
  return [...out.values()];
}

const money = (v: string, currency: string) => formatAmount(v, currency);

// Evidence never carries the invoice's status: the monitor itself changes it (holding), which is not a new fact.
function invoiceEvidence(inv: Invoice): Record<string, unknown> {
  return { source: 'invoice', invoice: inv.number, supplier: inv.supplier, total: inv.total, currency: inv.currency, invoiceDate: inv.lines[0]?.invoiceDate };
}

function candidateEvidence(c: CandidateOrder): Record<string, unknown> {
  return { source: 'candidate_po', po: c.poNumber, status: c.status, orderDate: c.orderDate, total: c.total, requester: c.requesterEmail, buyer: c.buyerEmail };
}

function lineEvidence(l: MatchLine): Record<string, unknown> {
  return {
    source: 'invoice_line',
    invoice: l.invoiceNumber,
    line: l.lineNo,
    description: l.description,
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    amount: l.amount,
    currency: l.currency,
    invoiceDate: l.invoiceDate,
  };
}

function poLineEvidence(l: MatchLine): Record<string, unknown> {
  return {
    source: 'po_line',
    po: l.poNumber,
    line: l.poLineNo,
    description: l.poLineDescription,
    ordered: l.ordered,
    unitPrice: l.poUnitPrice,
    currency: l.poCurrency,
    matchedBy: l.matchedBy,
    requester: l.requesterEmail,
    buyer: l.buyerEmail,
  };
}

function receiptEvidence(r: Receipt): Record<string, unknown> {
  return { source: 'goods_receipt', receipt: r.receiptNumber, quantity: r.quantity, receivedOn: r.receivedOn, receiver: r.receiverEmail };
}

/** The release proposal every finding on an invoice carries: one approval per invoice, whatever its exceptions. */
function releaseProposal(inv: Invoice, why: string): ProposedAction {
  return {
    kind: 'release_invoice',
    summary: `Release invoice ${inv.number} from ${inv.supplier} (${money(inv.total, inv.currency)}) for payment`,
    proposedBy: PROPOSER,
    rationale: why,
    params: { invoiceId: inv.id },
    amount: { value: inv.total, currency: inv.currency },
  };
}

const only = <T>(values: (T | null | undefined)[]): T[] => [...new Set(values.filter((v): v is T => v !== null && v !== undefined))];

/** The finding for one exception. */
function exceptionFinding(inv: Invoice, e: MatchException, receipts: Map<string, Receipt[]>, candidates: CandidateOrder[]): FindingInput {
  const base = {
    supplierId: inv.supplierId,
    subject: { type: 'invoice', id: inv.id },
    amount: { value: e.stake, currency: inv.currency },
    severity: severityOf(e.stake),
  };
  const invoiceRow = invoiceEvidence(inv);
  const held = `Invoice ${inv.number} is held until it is released or rejected.`;
  switch (e.kind) {
    case 'missing_po': {
      const head = inv.lines[0]!;
      const quoted = head.quotedPo ? `quotes ${head.quotedPo}, which is not a purchase order on record` : 'quotes no purchase order';
      const likely = candidates.length === 1 ? candidates[0]! : undefined;
      const summary = `Invoice ${inv.number} from ${inv.supplier} (${money(inv.total, inv.currency)}) ${quoted}${likely ? `; ${likely.poNumber} (${likely.orderDate}, ${money(likely.total, inv.currency)}, requested by ${likely.requesterEmail ?? 'nobody recorded'}) matches its supplier and amount` : ''}.`;
      const proposal = releaseProposal(inv, `${summary} Release only once the order behind it is confirmed.`);
      return {
        ...base,
        key: `invoice:${inv.id}:missing-po`,
        title: `Invoice ${inv.number} from ${inv.supplier} has no purchase order`,
        summary,
        impact: `${money(inv.total, inv.currency)} would be paid without an approved order behind it. ${held}`,
        evidence: [invoiceRow, ...inv.lines.map(lineEvidence), ...candidates.map(candidateEvidence)],
        recommendation: likely
          ? `${likely.requesterEmail ?? 'The requester'} confirms the invoice belongs to ${likely.poNumber}; the supplier reissues it quoting the PO, then finance releases it.`
          : 'The requester raises (or names) the purchase order the invoice belongs to, or finance rejects the invoice.',
        routeTo: ['requester'],
        assignees: only([likely?.requesterEmail]),
        proposal,
      };
    }
    case 'po_line': {
      const l = e.line;
      const summary = `Line ${l.lineNo} of invoice ${inv.number} ("${l.description}", ${money(l.amount, inv.currency)}) bills nothing on ${l.poNumber}.`;
      return {
        ...base,
        key: `invoice:${inv.id}:po-line:${l.lineNo}`,
        title: `Invoice ${inv.number} bills an item not on ${l.poNumber}`,
        summary,
        impact: `${money(l.amount, inv.currency)} is billed outside the approved order. ${held}`,
        evidence: [invoiceRow, lineEvidence(l), { source: 'po', po: l.poNumber, requester: l.requesterEmail, buyer: l.buyerEmail }],
        recommendation: `${l.requesterEmail ?? 'The requester'} confirms whether the item was ordered (and the PO is amended), or finance rejects the invoice.`,
        routeTo: ['requester'],
        assignees: only([l.requesterEmail]),
        proposal: releaseProposal(inv, summary),
      };
    }
    case 'receipt': {
      const l = e.line;
      const summary = `Invoice ${inv.number} bills ${l.quantity} × "${l.description}" on ${l.poNumber} line ${l.poLineNo}, but nothing has been received against that line.`;
      return {
        ...base,
        key: `invoice:${inv.id}:receipt:${l.lineNo}`,
        title: `Nothing received yet for invoice ${inv.number} (${l.poNumber})`,
        summary,
        impact: `${money(l.amount, inv.currency)} would be paid for goods or services not confirmed as received. ${held}`,
        evidence: [invoiceRow, lineEvidence(l), poLineEvidence(l)],
        recommendation: `${l.requesterEmail ?? 'The requester'} confirms delivery and records the goods receipt, or tells finance to reject the invoice.`,
        routeTo: ['requester'],
        assignees: only([l.requesterEmail]),
        proposal: releaseProposal(inv, summary),
      };
    }
    case 'quantity': {
      const l = e.line;
      const got = receipts.get(l.poLineId!) ?? [];
      const earlier = l.earlierInvoices.length > 0 ? ` (with ${l.earlierInvoices.join(', ')} before it)` : '';
      const summary = `${l.poNumber} line ${l.poLineNo} ("${l.poLineDescription}") has ${l.invoicedToDate} invoiced${earlier} but ${l.received} received: invoice ${inv.number} bills ${e.excess} more than has arrived.`;
      return {
        ...base,
        key: `invoice:${inv.id}:quantity:${l.lineNo}`,
        title: `Invoice ${inv.number} bills ${e.excess} more than received on ${l.poNumber}`,
        summary,
        impact: `${money(e.stake, inv.currency)} would be paid for quantities not received${l.earlierInvoices.length > 0 ? ', or billed twice' : ''}. ${held}`,
        evidence: [invoiceRow, lineEvidence(l), poLineEvidence(l), ...got.map(receiptEvidence), ...l.earlierInvoices.map((n) => ({ source: 'earlier_invoice', invoice: n }))],
        recommendation: `The receiver checks what was delivered and records any missing receipt; if nothing more arrived, finance asks ${inv.supplier} for a credit note${l.earlierInvoices.length > 0 ? ' or rejects the duplicate' : ''}.`,
        routeTo: ['receiver'],
        assignees: only(got.map((r) => r.receiverEmail)),
        proposal: releaseProposal(inv, summary),
      };
    }
    case 'price': {
      const l = e.line;
      const summary =
        e.reason === 'currency'
          ? `Invoice ${inv.number} bills "${l.description}" in ${inv.currency}, but ${l.poNumber} was ordered in ${l.poCurrency}.`
          : `Invoice ${inv.number} bills "${l.description}" at ${money(l.unitPrice, inv.currency)} against ${money(l.poUnitPrice!, inv.currency)} on ${l.poNumber}: ${l.pricePercent}% over on ${l.quantity} units, ${money(l.overcharge!, inv.currency)} in all.`;
      return {
        ...base,
        key: `invoice:${inv.id}:price:${l.lineNo}`,
        title: `Invoice ${inv.number} is priced above ${l.poNumber}`,
        summary,
        impact:
          e.reason === 'currency'
            ? `${money(l.amount, inv.currency)} cannot be checked against the order's price. ${held}`
            : `${money(e.stake, inv.currency)} more than the agreed price would be paid. ${held}`,
        evidence: [invoiceRow, lineEvidence(l), poLineEvidence(l)],
        recommendation: `The buyer asks ${inv.supplier} for a credit note or corrected invoice at the ordered price, or confirms an agreed price change (and amends the PO) so finance can release it.`,
        routeTo: ['buyer'],
        assignees: only([l.buyerEmail]),
        proposal: releaseProposal(inv, summary),
      };
    }
  }
}

/** How the authority matrix would treat releasing this invoice: deny, or the rule that routes it. */
async function releaseRule(ctx: MonitorContext, policy: Policy, inv: Invoice, today: string) {
  const facts = await subjectFacts(ctx.database, { supplierId: inv.supplierId }, today);
  const decision = decide(
    { kind: 'release_invoice', proposedBy: PROPOSER, amount: { value: inv.total, currency: inv.currency }, categoryCode: inv.supplierCategory },
    { ...(facts.supplierRisk ? { supplierRisk: facts.supplierRisk } : {}), ...(facts.supplierStatus ? { supplierStatus: facts.supplierStatus } : {}) },
    policy,
  );
  const rule = ruleById(policy, decision.ruleId);
  return { decision, autonomous: decision.outcome !== 'deny' && rule !== undefined && !rule.deny && rule.maxAutonomy === 'autonomous' };
}

/** Findings for an invoice that matched within tolerance but is not released by the monitor itself. */
function cleanFinding(inv: Invoice, why: 'held' | 'approval', ruleText: string): FindingInput {
  const summary =
    why === 'held'
      ? `Invoice ${inv.number} from ${inv.supplier} (${money(inv.total, inv.currency)}) now matches its order and receipts within tolerance, but it is held.`
      : `Invoice ${inv.number} from ${inv.supplier} (${money(inv.total, inv.currency)}) matches its order and receipts within tolerance. ${ruleText}`;
  return {
    key: `invoice:${inv.id}:release`,
    severity: 'info',
    title: `Invoice ${inv.number} from ${inv.supplier} is ready to release`,
    summary,
    impact: `Payment of ${money(inv.total, inv.currency)} waits for a person's release.`,
    amount: { value: inv.total, currency: inv.currency },
    supplierId: inv.supplierId,
    subject: { type: 'invoice', id: inv.id },
    evidence: [
      invoiceEvidence(inv),
      ...inv.lines.flatMap((l) => [lineEvidence(l), poLineEvidence(l)]),
    ],
    recommendation: 'Finance releases it for payment.',
    routeTo: ['finance'],
    proposal: releaseProposal(inv, summary),
  };
}

/** The three-way match monitor. */
export const threeWayMatchMonitor: Monitor = {
  name: THREE_WAY_MATCH,
  description:
    'Matches every invoice still to be settled to its purchase order and goods receipts: holds and reports exceptions (price to the buyer, quantity to the receiver, no PO or no receipt to the requester), releases invoices within tolerance.',
  schedule: '15 * * * *',
  async run(ctx) {
    const tolerances: ThreeWayMatchTolerances = ctx.settings?.threeWayMatch ?? DEFAULT_MONITOR_SETTINGS.threeWayMatch;
    const today = ctx.now().toISOString().slice(0, 10);
    const invoices = groupInvoices(await invoicesToMatch(ctx.database, today));
    const receipts = await receiptsOf(ctx.database, only(invoices.flatMap((i) => i.lines.map((l) => l.poLineId))), today);
    const candidates = await candidateOrders(
      ctx.database,
      invoices.filter((i) => !i.lines[0]?.poId).map((i) => i.id),
      tolerances.amount,
    );
    const deciding = await invoicesAwaitingDecision(
      ctx.database,
      invoices.map((i) => i.id),
    );
    if (!ctx.policy) ctx.log.warn('three-way match without the authority matrix: nothing is released, exceptions are still held and reported');
    const findings: FindingInput[] = [];
    for (const inv of invoices) {
      const exceptions = judgeInvoice(inv.lines, tolerances);
      if (exceptions.length > 0) {
        findings.push(...exceptions.map((e) => exceptionFinding(inv, e, receipts, candidates.get(inv.id) ?? [])));
        if (inv.status !== 'held') await holdInvoiceOnException(ctx, inv, exceptions.map(exceptionLabel));
        continue;
      }
      if (!ctx.policy) continue;
      const { decision, autonomous } = await releaseRule(ctx, ctx.policy, inv, today);
      if (decision.outcome === 'deny') {
        findings.push({
          key: `invoice:${inv.id}:blocked`,
          severity: 'high',
          title: `Invoice ${inv.number} matches but cannot be released`,
          summary: `Invoice ${inv.number} from ${inv.supplier} (${money(inv.total, inv.currency)}) matches its order and receipts, but ${decision.reason}`,
          impact: `${money(inv.total, inv.currency)} stays unpaid while the supplier's status blocks payment.`,
          amount: { value: inv.total, currency: inv.currency },
          supplierId: inv.supplierId,
          subject: { type: 'invoice', id: inv.id },
          evidence: [invoiceEvidence(inv)],
          recommendation: 'Compliance decides on the supplier first; finance releases or rejects the invoice after.',
          routeTo: ['finance', 'compliance'],
        });
      } else if (inv.status === 'held') {
        // Held by an exception that has since cleared, or by a person: releasing it is a person's decision.
        findings.push(cleanFinding(inv, 'held', ''));
      } else if (!autonomous) {
        findings.push(cleanFinding(inv, 'approval', decision.reason));
      } else if (!deciding.has(inv.id)) {
        await autoReleaseInvoice(ctx, inv, tolerances, { id: decision.ruleId, policyVersion: decision.policyVersion });
      }
    }
    return findings;
  },
};

function exceptionLabel(e: MatchException): string {
  switch (e.kind) {
    case 'missing_po':
      return 'no purchase order';
    case 'po_line':
      return `line ${e.line.lineNo} is not on the order`;
    case 'receipt':
      return `nothing received for line ${e.line.lineNo}`;
    case 'quantity':
      return `line ${e.line.lineNo} bills ${e.excess} more than received`;
    case 'price':
      return `line ${e.line.lineNo} is priced ${e.reason === 'currency' ? 'in another currency' : `${e.line.pricePercent}% above the order`}`;
  }
}
