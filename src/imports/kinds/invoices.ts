// Supplier invoices: one row per invoice line (a header-only export is one line per invoice).
import { z } from 'zod';
import { commitInvoiceStage, createInvoiceStage, INVOICE_STAGE_COLUMNS, invoiceStageLine } from '../../db/invoices.js';
import type { Importer } from '../context.js';
import { amount, currency, isoDate, optional, quantity, text, validate } from '../fields.js';
import type { FieldSpec } from '../mapping.js';
import { isTabularFile, readableRecords } from '../records.js';
import { divideDecimal } from '../../domain/money.js';
import { lineMoney, rowCurrency } from './purchase-orders.js';

export const invoiceFields: FieldSpec = {
  invoice_number: {
    required: true,
    aliases: ['invoice number', 'invoice no', 'invoice num', 'invoice #', 'invoice', 'invoice id', 'invoice ref',
      'invoice reference', 'supplier invoice number', 'vendor invoice number', 'supplier invoice', 'bill number',
      'invoice_number', 'xblnr'],
  },
  supplier: {
    required: true,
    aliases: ['supplier', 'supplier name', 'vendor', 'vendor name', 'seller', 'payee', 'supplier_name', 'vendor_name'],
  },
  po_number: {
    aliases: ['po number', 'po no', 'po num', 'po #', 'po', 'purchase order', 'purchase order number',
      'purchase order no', 'po_number', 'order number', 'ebeln'],
  },
  invoice_date: {
    required: true,
    aliases: ['invoice date', 'date', 'document date', 'bill date', 'invoice_date', 'issue date', 'posting date',
      'bldat'],
  },
  due_date: { aliases: ['due date', 'payment due', 'payment due date', 'net due date', 'due', 'due_date'] },
  currency: { aliases: ['currency', 'currency code', 'ccy', 'cur', 'waers'] },
  line_no: { aliases: ['line', 'line no', 'line number', 'invoice line', 'invoice line no', 'line #', 'line_no', 'ln'] },
  po_line_no: {
    aliases: ['po line', 'po line no', 'po line number', 'po item', 'order line', 'po_line_no', 'ebelp'],
  },
  description: {
    aliases: ['description', 'line description', 'item description', 'item', 'text', 'narrative', 'details',
      'product', 'service'],
  },
  quantity: { aliases: ['quantity', 'qty', 'invoiced quantity', 'quantity invoiced', 'units', 'menge'] },
  unit_price: { aliases: ['unit price', 'price', 'net price', 'price per unit', 'unit cost', 'rate', 'unit rate'] },
  amount: {
    aliases: ['line amount', 'amount', 'line total', 'net amount', 'net value', 'line value', 'extended price',
      'extended amount', 'invoice amount', 'value', 'total', 'wrbtr'],
  },
};

const lineNumber = () =>
  optional(
    z
      .string()
      .trim()
      .regex(/^\d{1,9}(?:\.0+)?$/, 'is not a line number')
      .transform((s) => Number.parseInt(s, 10))
      .refine((n) => n > 0, 'must be 1 or more'),
  );

/** Imports invoice lines; invoices are created from their first row, suppliers resolved by name. */
export const invoicesImporter: Importer = {
  kind: 'invoices',
  accepts: isTabularFile,
  async importFile(ctx, path) {
    const dateOrder = ctx.options.dateOrder ?? 'dmy';
    const schema = z.object({
      invoice_number: text('missing invoice_number', 200),
      supplier: text('missing supplier', 500),
      po_number: optional(z.string().trim().max(200, 'longer than 200 characters')),
      invoice_date: isoDate(dateOrder, 'missing invoice_date'),
      due_date: optional(isoDate(dateOrder)),
      currency: optional(currency()),
      line_no: lineNumber(),
      po_line_no: lineNumber(),
      description: optional(z.string().trim().max(4000, 'longer than 4000 characters')),
      quantity: optional(quantity()),
      unit_price: optional(amount()),
      amount: optional(amount()),
    });
    // Rows without a line number take the next number within their invoice, counted in file order.
    const running = new Map<string, number>();
    const tally = { read: 0 };
    const rows = async function* () {
      for await (const rec of readableRecords(ctx, path, invoiceFields, tally)) {
        const key = `${rec.values.supplier?.trim() ?? ''}\u0000${rec.values.invoice_number?.trim() ?? ''}`;
        const position = (running.get(key) ?? 0) + 1;
        running.set(key, position);
        const v = validate(schema, rec.values);
        if (!v.ok) {
          ctx.reject(rec.line, v.reason, rec.raw);
          continue;
        }
        const row = v.value;
        const cur = rowCurrency(ctx, row.currency, row.unit_price, row.amount);
        if (!cur.ok) {
          ctx.reject(rec.line, cur.reason, rec.raw);
          continue;
        }
        // Without a quantity a line is one unit (header-level exports carry only the invoice amount), unless
        // both price and amount are given, which imply it.
        const implied =
          row.quantity === undefined && row.unit_price && row.amount
            ? divideDecimal(row.amount.amount, row.unit_price.amount, 4)
            : undefined;
        const qty = row.quantity ?? implied ?? '1';
        const money = lineMoney(qty, row.unit_price?.amount, row.amount?.amount);
        if (!money.ok) {
          ctx.reject(rec.line, money.reason, rec.raw);
          continue;
        }
        yield invoiceStageLine({
          ...row,
          line: rec.line,
          raw: rec.raw.slice(0, 2000),
          currency: cur.currency,
          line_no: row.line_no ?? position,
          quantity: qty,
          unit_price: money.unitPrice,
          amount: money.amount,
        });
      }
    };
    return ctx.database.withConnection(async (conn) => {
      await createInvoiceStage(conn);
      await conn.copyIn('invoice_stage', INVOICE_STAGE_COLUMNS, rows());
      const result = await commitInvoiceStage(conn, ctx.batchId);
      for (const r of result.rejected) ctx.reject(r.line, r.reason, r.raw);
      if (result.unknownPos.length > 0) {
        ctx.log.warn('invoices name POs that are not imported; they stay unlinked', { pos: result.unknownPos.slice(0, 20) });
      }
      return { read: tally.read, imported: result.inserted, duplicates: result.staged - result.inserted };
    });
  },
};
