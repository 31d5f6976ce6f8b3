// Goods receipts against PO lines; the POs they touch then show how much of them has arrived.
import { z } from 'zod';
import { commitReceiptStage, createReceiptStage, RECEIPT_STAGE_COLUMNS, receiptStageLine } from '../../db/purchase-orders.js';
import type { Importer } from '../context.js';
import { email, isoDate, optional, quantity, text, validate } from '../fields.js';
import type { FieldSpec } from '../mapping.js';
import { isTabularFile, readableRecords } from '../records.js';

export const receiptFields: FieldSpec = {
  receipt_number: {
    required: true,
    aliases: ['receipt number', 'receipt no', 'receipt #', 'receipt', 'receipt id', 'grn', 'grn number', 'grn no',
      'goods receipt', 'goods receipt number', 'gr number', 'gr no', 'material document', 'delivery note', 'mblnr'],
  },
  po_number: {
    required: true,
    aliases: ['po number', 'po no', 'po num', 'po #', 'po', 'purchase order', 'purchase order number',
      'purchase order no', 'po_number', 'order number', 'order no', 'ebeln'],
  },
  line_no: {
    required: true,
    aliases: ['po line', 'po line no', 'po line number', 'line', 'line no', 'line number', 'line item', 'line #',
      'line_no', 'po item', 'item no', 'ebelp'],
  },
  quantity: {
    required: true,
    aliases: ['quantity', 'qty', 'received quantity', 'quantity received', 'qty received', 'receipt quantity',
      'received qty', 'menge'],
  },
  received_date: {
    required: true,
    aliases: ['received date', 'receipt date', 'date received', 'received on', 'gr date',
      'goods receipt date', 'delivery date', 'posting date', 'date', 'budat'],
  },
  receiver: { aliases: ['receiver', 'receiver email', 'received by', 'receiving user', 'recipient'] },
};

/** Imports goods receipts; rows naming a PO or PO line that does not exist are rejected. */
export const receiptsImporter: Importer = {
  kind: 'receipts',
  accepts: isTabularFile,
  async importFile(ctx, path) {
    const schema = z.object({
      receipt_number: text('missing receipt_number', 200),
      po_number: text('missing po_number', 200),
      line_no: z
        .string({ error: 'missing line_no' })
        .trim()
        .min(1, 'missing line_no')
        .regex(/^\d{1,9}(?:\.0+)?$/, 'is not a line number')
        .transform((s) => Number.parseInt(s, 10)),
      quantity: quantity(),
      received_date: isoDate(ctx.options.dateOrder ?? 'dmy', 'missing received_date'),
      receiver: optional(email()),
    });
    const tally = { read: 0 };
    const rows = async function* () {
      for await (const rec of readableRecords(ctx, path, receiptFields, tally)) {
        const v = validate(schema, rec.values);
        if (!v.ok) {
          ctx.reject(rec.line, v.reason, rec.raw);
          continue;
        }
        yield receiptStageLine({ ...v.value, line: rec.line, raw: rec.raw.slice(0, 2000) });
      }
    };
    return ctx.database.withConnection(async (conn) => {
      await createReceiptStage(conn);
      await conn.copyIn('receipt_stage', RECEIPT_STAGE_COLUMNS, rows());
      const result = await commitReceiptStage(conn, ctx.batchId);
      for (const r of result.rejected) ctx.reject(r.line, r.reason, r.raw);
      if (result.overReceived > 0) {
        ctx.log.warn('some PO lines have received more than was ordered', { lines: result.overReceived });
      }
      return { read: tally.read, imported: result.inserted, duplicates: result.staged - result.inserted };
    });
  },
};
