// purchase_order_status: where a purchase order stands: its status, how much of it was received, and the
// invoices against it.
import { z } from 'zod';
import { purchaseOrderStatus } from '../../../src/db/queries/document-status.js';
import { formatMoney } from '../../../src/domain/money.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { guarded, toolError, toolResult } from '../../shared/result.js';
import { READ_ONLY } from './common.js';

const inputSchema = {
  po: z.string().trim().min(1, 'Give the purchase order number.').max(100, 'po must be at most 100 characters').describe('The purchase order number, e.g. "PO-1003" (any case).'),
};

const outputSchema = z.object({
  po_number: z.string(),
  supplier: z.string(),
  status: z.enum(['draft', 'open', 'partially_received', 'received', 'closed', 'cancelled']),
  order_date: z.string(),
  total: z.string(),
  currency: z.string(),
  requester: z.string().nullable(),
  department: z.string().nullable(),
  lines: z.number().int(),
  lines_fully_received: z.number().int(),
  invoiced: z.string().describe('Total of the invoices against this order, in its currency.'),
  invoices: z.array(z.object({ number: z.string(), status: z.string(), total: z.string() })),
});

type Output = z.infer<typeof outputSchema>;

/** Registers `purchase_order_status`. */
export const registerPurchaseOrderStatusTool: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'purchase_order_status',
    {
      title: 'Purchase order status',
      description:
        'Where a purchase order stands: its status (open, partially received, received, closed, cancelled), supplier, total, how many lines are fully received, and the invoices against it with their status.',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY,
    },
    guarded('purchase_order_status', deps.log, async (args) => {
      const r = await purchaseOrderStatus(deps.database, args.po);
      if (!r) return toolError(`No purchase order is numbered "${args.po}".`);
      const out: Output = {
        po_number: r.poNumber,
        supplier: r.supplier,
        status: r.status as Output['status'],
        order_date: r.orderDate,
        total: r.total,
        currency: r.currency,
        requester: r.requester,
        department: r.department,
        lines: r.lines,
        lines_fully_received: r.linesFullyReceived,
        invoiced: r.invoiced,
        invoices: r.invoices,
      };
      const invoices =
        r.invoices.length === 0
          ? 'no invoice yet'
          : `${r.invoices.length} invoice${r.invoices.length === 1 ? '' : 's'} for ${formatMoney(r.invoiced, r.currency)} (${r.invoices.map((i) => `${i.number} ${i.status}`).join(', ')})`;
      const text = `Purchase order ${r.poNumber} with ${r.supplier} for ${formatMoney(r.total, r.currency)} (ordered ${r.orderDate}) is ${r.status.replace('_', ' ')}: ${r.linesFullyReceived} of ${r.lines} line${r.lines === 1 ? '' : 's'} fully received; ${invoices}.`;
      return toolResult(text, out);
    }),
  );
};

/** What purchase_order_status returns as structured content. */
export type PurchaseOrderStatusOutput = Output;
