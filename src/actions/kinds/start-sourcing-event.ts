// start_sourcing_event: opens an RFQ/tender record for the category, with any suppliers named.
import { z } from 'zod';
import { insertSourcingEvent } from '../../db/action-effects.js';
import { defineHandler } from '../handler.js';

export const startSourcingEvent = defineHandler({
  kind: 'start_sourcing_event',
  params: z.looseObject({
    categoryCode: z.string().max(20).optional(),
    supplierId: z.uuid().optional(),
    supplierIds: z.array(z.uuid()).max(50).optional(),
  }),
  async execute(tx, action, p, ctx) {
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
