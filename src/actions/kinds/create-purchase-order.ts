// create_purchase_order: raises an open purchase order with one line for the approved amount.
import { z } from 'zod';
import { cancelPurchaseOrder, insertPurchaseOrder, refuse } from '../../db/action-effects.js';
import { formatMoney } from '../../domain/money.js';
import { defineHandler } from '../handler.js';

export const createPurchaseOrder = defineHandler({
  kind: 'create_purchase_order',
  params: z.looseObject({
    supplierId: z.uuid(),
    item: z.string().trim().min(1).max(300).optional(),
    quantity: z.union([z.number().positive(), z.string().regex(/^\d+(\.\d+)?$/)]).optional(),
    categoryCode: z.string().max(20).optional(),
    contractId: z.uuid().optional(),
  }),
  async execute(tx, action, p, ctx) {
    if (!action.amount) throw refuse('A purchase order needs an amount.');
    const poNumber = `QM-PO-${String(ctx.actionId).padStart(6, '0')}`;
    const quantity = p.quantity === undefined ? '1' : String(p.quantity);
    const po = await insertPurchaseOrder(tx, {
      poNumber,
      supplierId: p.supplierId,
      description: p.item ?? action.summary.slice(0, 300),
      quantity,
      total: action.amount.value,
      currency: action.amount.currency,
      requesterEmail: ctx.requester,
      categoryCode: p.categoryCode,
      contractId: p.contractId,
      orderDate: ctx.today,
    });
    return {
      summary: `Purchase order ${po.poNumber} raised with ${po.supplier} for ${formatMoney(action.amount.value, action.amount.currency)}.`,
      result: { purchaseOrderId: po.id, poNumber: po.poNumber, supplier: po.supplier },
    };
  },
  async reverse(tx, result) {
    const { poNumber } = await cancelPurchaseOrder(tx, String(result.purchaseOrderId));
    return { summary: `Purchase order ${poNumber} cancelled.` };
  },
});
