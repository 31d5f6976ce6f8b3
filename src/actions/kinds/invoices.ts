// release_invoice and reject_invoice: the outcome of a held invoice (three-way-match exceptions).
import { z } from 'zod';
import { setInvoiceStatus } from '../../db/action-effects.js';
import { defineHandler } from '../handler.js';

const params = z.looseObject({ invoiceId: z.uuid() });

export const releaseInvoice = defineHandler({
  kind: 'release_invoice',
  params,
  async execute(tx, _action, p) {
    const i = await setInvoiceStatus(tx, p.invoiceId, 'approved', ['received', 'matched', 'held']);
    return {
      summary: `Invoice ${i.invoiceNumber} from ${i.supplier} is released for payment.`,
      result: { invoiceId: p.invoiceId, invoiceNumber: i.invoiceNumber, previousStatus: i.previous },
    };
  },
  async reverse(tx, result) {
    const i = await setInvoiceStatus(tx, String(result.invoiceId), 'held', ['approved']);
    return { summary: `Invoice ${i.invoiceNumber} is held again.` };
  },
});

export const rejectInvoice = defineHandler({
  kind: 'reject_invoice',
  params,
  async execute(tx, _action, p) {
    const i = await setInvoiceStatus(tx, p.invoiceId, 'rejected', ['received', 'matched', 'held']);
    return {
      summary: `Invoice ${i.invoiceNumber} from ${i.supplier} is rejected.`,
      result: { invoiceId: p.invoiceId, invoiceNumber: i.invoiceNumber, previousStatus: i.previous },
    };
  },
});
