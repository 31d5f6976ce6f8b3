// award_contract: carries out an approved award of a sourcing event. The bids are read again and each awarded
// total recomputed: if a bid changed since the award was proposed the action is refused, never applied to prices
// nobody approved. Each awarded supplier gets an active contract with its line prices (so invoices are checked
// against them); the event becomes awarded with the scenario on it, and both are in the ledger.
import { z } from 'zod';
import { refuse } from '../../db/action-effects.js';
import { insertAwardContract, requireSourcingEvent, sourcingEventByRef } from '../../db/sourcing.js';
import { addDecimal, compareDecimal, fixDecimal } from '../../domain/money.js';
import { pricedBids } from '../../sourcing/bids.js';
import { asBids, linesAndBids } from '../../sourcing/detail.js';
import { transitionIn } from '../../sourcing/events.js';
import { AWARDABLE } from '../../sourcing/status.js';
import type { AuditEventInput } from '../../audit/types.js';
import type { Session } from '../../db/client.js';
import { defineHandler } from '../handler.js';

const award = z.object({
  bidder: z.string().min(1).max(300),
  supplierId: z.uuid(),
  total: z.string().regex(/^\d+(\.\d+)?$/),
  share: z.string(),
  lines: z.array(z.number().int().min(1)).min(1),
});

export const awardContract = defineHandler({
  kind: 'award_contract',
  params: z.looseObject({
    eventId: z.uuid(),
    scenario: z.string().min(1).max(40),
    currency: z.string().length(3),
    total: z.string().regex(/^\d+(\.\d+)?$/),
    awards: z.array(award).min(1).max(500),
  }),
  async execute(tx, _action, p, ctx) {
    const e = await requireSourcingEvent(tx, p.eventId, true).catch((err: Error) => {
      throw refuse(err.message);
    });
    if (!AWARDABLE.includes(e.status)) throw refuse(`Event ${e.number} is ${e.status}: it can no longer be awarded.`);
    const { lines, bids } = await linesAndBids(tx, e.id);
    const priced = pricedBids(lines, asBids(bids));
    const byNo = new Map(lines.map((l) => [l.lineNo, l]));
    const seen = new Set<number>();
    for (const a of p.awards) {
      const bid = bids.find((b) => b.supplierId === a.supplierId);
      if (!bid) throw refuse(`${a.bidder} has no bid on event ${e.number} any more.`);
      let total = '0';
      for (const n of a.lines) {
        if (seen.has(n)) throw refuse(`Line ${n} is awarded twice.`);
        seen.add(n);
        const v = priced.get(bid.bidder)?.get(n)?.value;
        if (v === null || v === undefined) throw refuse(`${a.bidder} no longer prices line ${n} of event ${e.number}.`);
        total = addDecimal(total, v);
      }
      if (compareDecimal(fixDecimal(total, 2), a.total) !== 0) {
        throw refuse(`${a.bidder}'s bid on event ${e.number} changed since the award was proposed (${a.total} then, ${fixDecimal(total, 2)} now): propose the award again.`);
      }
    }
    const events: AuditEventInput[] = [];
    const actor = { type: 'system' as const, id: 'executor' };
    let ref = e.id;
    if (e.status === 'bids_open') {
      const closed = await transitionIn(tx, ref, 'evaluating', { actor, cause: 'Bidding closed by the approved award.' });
      events.push(closed.audit);
      ref = closed.moved.id;
    }
    const contracts: { id: string; contractNumber: string; supplierId: string; bidder: string; value: string }[] = [];
    for (const [i, a] of p.awards.entries()) {
      const bid = bids.find((b) => b.supplierId === a.supplierId)!;
      const mine = new Map(bid.lines.map((l) => [l.lineNo, l]));
      const c = await insertAwardContract(tx, {
        contractNumber: `SE${e.number}-${i + 1}`,
        title: `${e.title} (sourcing event ${e.number}, ${a.lines.length === lines.length ? 'all lines' : `lines ${a.lines.join(', ')}`})`.slice(0, 500),
        supplierId: a.supplierId,
        value: a.total,
        currency: p.currency,
        categoryCode: e.categoryCode,
        startDate: e.neededFrom ?? ctx.today,
        ownerEmail: e.buyerEmail ?? e.requesterEmail ?? ctx.requester ?? null,
        prices: a.lines.flatMap((n) => {
          const unitPrice = priced.get(bid.bidder)!.get(n)!.unitPrice;
          const line = byNo.get(n);
          return unitPrice && line ? [{ sku: line.itemCode, description: line.description, unit: line.unit ?? mine.get(n)?.unit ?? null, unitPrice }] : [];
        }),
      });
      contracts.push({ ...c, supplierId: a.supplierId, bidder: a.bidder, value: a.total });
    }
    const awarded = await transitionIn(tx, ref, 'awarded', {
      actor,
      cause: `Awarded by ${p.scenario.replace(/_/g, ' ')}${ctx.approvalNumber ? ` on approval #${ctx.approvalNumber}` : ''}: ${contracts.map((c) => `${c.bidder} ${c.value} ${p.currency} (contract ${c.contractNumber})`).join(', ')}.`,
      ...(ctx.approvalNumber ? { approvalNumber: ctx.approvalNumber } : {}),
      award: { kind: p.scenario, total: p.total, currency: p.currency, awards: p.awards, contracts: contracts.map((c) => ({ id: c.id, contractNumber: c.contractNumber, supplierId: c.supplierId })) },
    });
    events.push(awarded.audit);
    return {
      summary: `Sourcing event ${e.number} awarded (${p.scenario.replace(/_/g, ' ')}): ${contracts.map((c) => `${c.bidder} under contract ${c.contractNumber}`).join(', ')}.`,
      result: { sourcingEventId: e.id, number: e.number, contracts },
      events,
    };
  },
  awaiting: {
    // The event waits for the award's approval (bidding closes first if it was still open) ...
    async filed(tx, params, { approvalNumber, actor }) {
      const e = await eventOf(tx, params);
      if (!e || (e.status !== 'bids_open' && e.status !== 'evaluating')) return [];
      const events: AuditEventInput[] = [];
      if (e.status === 'bids_open') events.push((await transitionIn(tx, e.id, 'evaluating', { actor, cause: 'Bidding closed to propose the award.' })).audit);
      const scenario = String(params.scenario ?? 'award').replace(/_/g, ' ');
      events.push((await transitionIn(tx, e.id, 'award_proposed', { actor, cause: `Award by ${scenario} proposed (approval #${approvalNumber}).`, approvalNumber })).audit);
      return events;
    },
    // ... and is back in evaluation when that approval is rejected or expires, ready for another proposal.
    async closed(tx, params, { approvalNumber, actor, status }) {
      const e = await eventOf(tx, params);
      if (e?.status !== 'award_proposed') return [];
      const cause = `The proposed award was ${status === 'expired' ? 'not decided in time' : 'rejected'} (approval #${approvalNumber}).`;
      return [(await transitionIn(tx, e.id, 'evaluating', { actor, cause, approvalNumber })).audit];
    },
  },
});

async function eventOf(tx: Session, params: Record<string, unknown>) {
  const id = typeof params.eventId === 'string' ? params.eventId : undefined;
  return id ? sourcingEventByRef(tx, id, true) : undefined;
}
