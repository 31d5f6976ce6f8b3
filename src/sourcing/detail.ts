// A sourcing event as people and tools read it: its fields, lines and criteria, how many bids are in (never
// their prices: those are read through the sealed-bid check), and the bids in the shape the analysis takes.
import type { Queryable } from '../db/client.js';
import { bidCount, type BidderRisk, eventBids, eventLines, type EventLineRow, type SourcingEventRow, type StoredBid } from '../db/sourcing.js';
import { formatMoney } from '../domain/money.js';
import type { Bid } from './bids.js';
import type { SourcingPolicy } from './policy.js';
import { type SourcingStatus, STATUS_TEXT } from './status.js';

export type EventDetail = {
  id: string;
  number: number;
  title: string;
  status: SourcingStatus;
  statusText: string;
  description: string | null;
  categoryCode: string | null;
  estimatedValue: string | null;
  currency: string | null;
  requester: string | null;
  buyer: string | null;
  neededFrom: string | null;
  deadline: string | null;
  criteria: { key: string; label: string; weight: number }[];
  lines: EventLineRow[];
  bids: number;
  award: Record<string, unknown> | null;
  createdAt: string;
};

const iso = (d: Date | string | null) => (d === null ? null : d instanceof Date ? d.toISOString() : new Date(d).toISOString());

/** The event with its lines and the number of bids received. */
export async function eventDetail(q: Queryable, e: SourcingEventRow): Promise<EventDetail> {
  const [lines, bids] = await Promise.all([eventLines(q, e.id), bidCount(q, e.id)]);
  return {
    id: e.id,
    number: e.number,
    title: e.title,
    status: e.status,
    statusText: STATUS_TEXT[e.status],
    description: e.description,
    categoryCode: e.categoryCode,
    estimatedValue: e.estimatedValue,
    currency: e.currency,
    requester: e.requesterEmail,
    buyer: e.buyerEmail,
    neededFrom: e.neededFrom,
    deadline: iso(e.deadline),
    criteria: e.criteria,
    lines,
    bids,
    award: e.award ?? null,
    createdAt: iso(e.createdAt)!,
  };
}

/** The event for a terminal. */
export function renderEventText(d: EventDetail): string {
  const out = [`Sourcing event ${d.number}: ${d.title}`, `Status: ${d.statusText}`];
  if (d.description) out.push(`Scope: ${d.description}`);
  if (d.categoryCode) out.push(`Category: ${d.categoryCode}`);
  if (d.estimatedValue && d.currency) out.push(`Budget: ${formatMoney(d.estimatedValue, d.currency)}`);
  if (d.requester) out.push(`Requested by: ${d.requester}`);
  if (d.neededFrom) out.push(`Needed from: ${d.neededFrom}`);
  if (d.deadline) out.push(`Bids close: ${d.deadline}`);
  out.push(`Evaluation: ${d.criteria.map((c) => `${c.label} ${Math.round(c.weight * 100)}%`).join(', ') || 'no criteria'}`);
  out.push(d.lines.length === 0 ? 'Lines: none yet (the bid template or the first bids define them)' : 'Lines:');
  for (const l of d.lines) out.push(`  ${String(l.lineNo).padStart(3)}  ${l.itemCode ?? ''}  ${l.description}  ${l.quantity ?? ''} ${l.unit ?? ''}`.trimEnd());
  out.push(`Bids received: ${d.bids}`);
  if (d.award) out.push(`Award: ${String(d.award.kind ?? '')} ${String(d.award.total ?? '')} ${String(d.award.currency ?? '')}`.trimEnd());
  return out.join('\n');
}

/** Stored bids in the shape the analysis and the scenarios read. */
export function asBids(stored: readonly StoredBid[]): Bid[] {
  return stored.map((b) => ({
    bidder: b.bidder,
    supplierId: b.supplierId,
    currency: b.currency,
    lines: b.lines.map((l) => ({ lineNo: l.lineNo, quantity: l.quantity, unitPrice: l.unitPrice, lineTotal: l.lineTotal, leadTimeDays: l.leadTimeDays })),
  }));
}

/** The event's lines and bids, read together. */
export async function linesAndBids(q: Queryable, eventId: string): Promise<{ lines: EventLineRow[]; bids: StoredBid[] }> {
  const [lines, bids] = await Promise.all([eventLines(q, eventId), eventBids(q, eventId)]);
  return { lines, bids };
}

/** Bidders a risk check marks high risk, by bidder name, with why (status, sanctions, a severe signal). */
export function highRiskBidders(bids: readonly StoredBid[], risk: readonly BidderRisk[], policy: SourcingPolicy): Map<string, string> {
  const byId = new Map(risk.map((r) => [r.supplierId, r]));
  const out = new Map<string, string>();
  for (const b of bids) {
    const r = byId.get(b.supplierId);
    if (!r) continue;
    if (r.status === 'blocked' || r.status === 'on_hold') out.set(b.bidder, r.status === 'blocked' ? 'blocked' : 'on hold');
    else if (r.sanctions) out.set(b.bidder, 'a sanctions signal in the last year');
    else if ((r.maxSeverity ?? 0) >= policy.bids.highRiskSeverity) out.set(b.bidder, `a severity ${r.maxSeverity} risk signal in the last year`);
  }
  return out;
}
