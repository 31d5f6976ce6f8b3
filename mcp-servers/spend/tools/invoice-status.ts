// invoice_status: has invoice X been paid? Its recorded status, the payments the spend data shows against it,
// and any open invoice exception (three-way match) about it.
import { z } from 'zod';
import { invoiceStatus, paymentsByInvoiceNumber } from '../../../src/db/queries/document-status.js';
import { formatMoney } from '../../../src/domain/money.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { guarded, toolError, toolResult } from '../../shared/result.js';
import { READ_ONLY } from './common.js';

const inputSchema = {
  invoice: z.string().trim().min(1, 'Give the invoice number.').max(100, 'invoice must be at most 100 characters').describe('The invoice number as the supplier wrote it, e.g. "DL-90377" (any case).'),
};

const outputSchema = z.object({
  invoice: z.string(),
  invoices: z.array(
    z.object({
      invoice_number: z.string(),
      supplier: z.string(),
      status: z.enum(['received', 'matched', 'held', 'approved', 'paid', 'rejected']),
      total: z.string(),
      currency: z.string(),
      invoice_date: z.string(),
      due_date: z.string().nullable(),
      po_number: z.string().nullable(),
      paid: z.boolean().describe('True when recorded as paid or when payments cover the total.'),
      paid_total: z.string().nullable().describe('Sum of the payments in the spend data with this invoice number and supplier.'),
      payments: z.number().int(),
      last_paid_on: z.string().nullable(),
      open_exceptions: z.array(z.string()).describe('Open monitor findings about this invoice (three-way match exceptions).'),
    }),
  ),
  payments_without_invoice: z
    .array(z.object({ supplier: z.string(), currency: z.string(), total: z.string(), payments: z.number().int(), last_paid_on: z.string() }))
    .describe('Payments under this number when no invoice record has it.'),
});

type Output = z.infer<typeof outputSchema>;
type Row = Output['invoices'][number];

/** One sentence for where an invoice stands. */
function sentence(i: Row): string {
  const total = formatMoney(i.total, i.currency);
  const paid = i.paid_total ? formatMoney(i.paid_total, i.currency) : '';
  const state = i.paid
    ? `has been paid${paid ? ` (${paid} on ${i.last_paid_on})` : ''}`
    : i.payments > 0
      ? `is part paid: ${paid} of ${total} (last payment ${i.last_paid_on})`
      : `has not been paid: it is ${i.status}${i.due_date ? `, due ${i.due_date}` : ''}`;
  const exceptions = i.open_exceptions.length > 0 ? ` Open exception: ${i.open_exceptions.join('; ')}.` : '';
  return `Invoice ${i.invoice_number} from ${i.supplier} for ${total} ${state}.${exceptions}`;
}

/** Registers `invoice_status`. */
export const registerInvoiceStatusTool: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'invoice_status',
    {
      title: 'Invoice status',
      description:
        'Whether an invoice has been paid and where it stands: its recorded status (received, matched, held, approved, paid, rejected), the payments the spend data shows under its number, its purchase order and any open three-way-match exception. An invoice number may belong to several suppliers; each is listed.',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY,
    },
    guarded('invoice_status', deps.log, async (args) => {
      const rows = await invoiceStatus(deps.database, args.invoice);
      const invoices: Row[] = rows.map((r) => ({
        invoice_number: r.invoiceNumber,
        supplier: r.supplier,
        status: r.status as Row['status'],
        total: r.total,
        currency: r.currency,
        invoice_date: r.invoiceDate,
        due_date: r.dueDate,
        po_number: r.poNumber,
        paid: r.status === 'paid' || (r.paidTotal !== null && Number(r.paidTotal) >= Number(r.total)),
        paid_total: r.paidTotal,
        payments: r.payments,
        last_paid_on: r.lastPaidOn,
        open_exceptions: r.openExceptions,
      }));
      const loose = invoices.length === 0 ? await paymentsByInvoiceNumber(deps.database, args.invoice) : [];
      const out: Output = {
        invoice: args.invoice,
        invoices,
        payments_without_invoice: loose.map((p) => ({ supplier: p.supplier, currency: p.currency, total: p.total, payments: p.payments, last_paid_on: p.lastPaidOn })),
      };
      if (invoices.length === 0 && loose.length === 0) {
        return toolError(`No invoice numbered "${args.invoice}" is recorded, and no payment carries that number.`);
      }
      const text =
        invoices.length > 0
          ? invoices.map(sentence).join('\n')
          : loose
              .map((p) => `No invoice record is numbered ${args.invoice}, but ${p.supplier} was paid ${formatMoney(p.total, p.currency)} under that number (last on ${p.lastPaidOn}).`)
              .join('\n');
      return toolResult(text, out);
    }),
  );
};

/** What invoice_status returns as structured content. */
export type InvoiceStatusOutput = Output;
