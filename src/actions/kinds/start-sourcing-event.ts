// start_sourcing_event: issues the RFx of a draft sourcing event (draft → rfx_issued, bids close at the event's
// deadline or `responseDays` from today). A proposal that names no event (an older one) opens an issued event
// for the category, with any suppliers named.
import { z } from 'zod';
import { insertSourcingEvent, refuse } from '../../db/action-effects.js';
import { isAppError } from '../../errors.js';
import { transitionIn } from '../../sourcing/events.js';
import { defineHandler } from '../handler.js';

const DAY = 86_400_000;

export const startSourcingEvent = defineHandler({
  kind: 'start_sourcing_event',
  params: z.looseObject({
    eventId: z.uuid().optional(),
    responseDays: z.number().int().min(1).max(365).optional(),
    categoryCode: z.string().max(20).optional(),
    supplierId: z.uuid().optional(),
    supplierIds: z.array(z.uuid()).max(50).optional(),
  }),
  async execute(tx, action, p, ctx) {
    if (p.eventId) {
      const closes = new Date(Date.parse(`${ctx.today}T17:00:00Z`) + (p.responseDays ?? 21) * DAY);
      // A missing event or one already issued will not change by retrying: refuse for good.
      const { moved, audit } = await transitionIn(tx, p.eventId, 'rfx_issued', {
        actor: { type: 'system', id: 'executor' },
        cause: `The RFx was issued${ctx.approvalNumber ? ` on approval #${ctx.approvalNumber}` : ''}${ctx.requester ? `, requested by ${ctx.requester}` : ''}.`,
        ...(ctx.approvalNumber ? { approvalNumber: ctx.approvalNumber } : {}),
        deadline: closes,
      }).catch((err: unknown) => {
        throw isAppError(err) && err.code.startsWith('sourcing:') ? refuse(err.message) : err;
      });
      const deadline = (moved.deadline ?? closes).toISOString();
      return {
        summary: `RFx issued for sourcing event ${moved.number} "${moved.title}"; bids close ${deadline.slice(0, 10)}.`,
        result: { sourcingEventId: moved.id, number: moved.number, status: moved.status, deadline },
        events: [audit],
      };
    }
    const suppliers = [...new Set([...(p.supplierIds ?? []), ...(p.supplierId ? [p.supplierId] : [])])];
    const e = await insertSourcingEvent(tx, {
      title: action.summary.slice(0, 300),
      categoryCode: p.categoryCode,
      supplierIds: suppliers,
      estimatedValue: action.amount?.value,
      currency: action.amount?.currency,
      ownerEmail: ctx.requester,
    });
    return { summary: `Sourcing event opened: ${action.summary}.`, result: { sourcingEventId: e.id, suppliers: suppliers.length } };
  },
});
