// hold_invoice: stops an invoice from being paid while an exception on it is open (three-way-match). Holding
// is protective, so the monitor that finds the exception may do it; releasing the invoice again is a person's
// decision (release_invoice, governed by the authority matrix).
import { z } from 'zod';
import { setInvoiceStatus } from '../../db/action-effects.js';
import { defineHandler } from '../handler.js';

export const holdInvoice = defineHandler({
  kind: 'hold_invoice',
  params: z.looseObject({ invoiceId: z.uuid(), reason: z.string().max(2000).optional() }),
  async execute(tx, _action, p) {
    const i = await setInvoiceStatus(tx, p.invoiceId, 'held', ['received', 'matched']);
    return {
      summary: `Invoice ${i.invoiceNumber} from ${i.supplier} is held${p.reason ? `: ${p.reason}` : '.'}`,
      result: { invoiceId: p.invoiceId, invoiceNumber: i.invoiceNumber, previousStatus: i.previous },
    };
  },
});
