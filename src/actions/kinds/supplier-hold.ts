// put_supplier_on_hold and release_supplier_hold: a hold blocks new purchase orders and payment release.
import { z } from 'zod';
import { setSupplierStatus } from '../../db/action-effects.js';
import { defineHandler } from '../handler.js';

const params = z.looseObject({ supplierId: z.uuid() });

export const putSupplierOnHold = defineHandler({
  kind: 'put_supplier_on_hold',
  params,
  async execute(tx, _action, p) {
    const s = await setSupplierStatus(tx, p.supplierId, 'on_hold');
    return {
      summary: `${s.name} is on hold: no new purchase orders or payment releases until the hold is cleared.`,
      result: { supplierId: p.supplierId, supplier: s.name, previousStatus: s.previous },
    };
  },
  async reverse(tx, result) {
    const previous = String(result.previousStatus ?? 'active');
    const s = await setSupplierStatus(tx, String(result.supplierId), previous === 'blocked' ? 'blocked' : previous === 'on_hold' ? 'on_hold' : 'active');
    return { summary: `${s.name}'s hold was reversed (status ${previous}).` };
  },
});

export const releaseSupplierHold = defineHandler({
  kind: 'release_supplier_hold',
  params,
  async execute(tx, _action, p) {
    const s = await setSupplierStatus(tx, p.supplierId, 'active');
    return { summary: `${s.name} is active again.`, result: { supplierId: p.supplierId, supplier: s.name, previousStatus: s.previous } };
  },
});
