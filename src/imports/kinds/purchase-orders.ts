// Purchase orders: one row per PO line, streamed, validated, staged with COPY, loaded set-based per file.
import { z } from 'zod';
import { compareDecimal, decimalPlaces, divideDecimal, fixDecimal, multiplyDecimal, normaliseDecimal, subtractDecimal } from '../../domain/money.js';
import { commitPoStage, createPoStage, PO_STAGE_COLUMNS, poStageLine } from '../../db/purchase-orders.js';
import type { ImportContext, Importer } from '../context.js';
import { amount, currency, email, isoDate, optional, quantity, text, validate } from '../fields.js';
import type { FieldSpec } from '../mapping.js';
import { isTabularFile, readableRecords } from '../records.js';

export const purchaseOrderFields: FieldSpec = {
  po_number: {
    required: true,
    aliases: ['po number', 'po no', 'po num', 'po #', 'po', 'purchase order', 'purchase order number',
      'purchase order no', 'po_number', 'order number', 'order no', 'ebeln'],
  },
  supplier: {
    required: true,
    aliases: ['supplier', 'supplier name', 'vendor', 'vendor name', 'seller', 'supplier_name', 'vendor_name'],
  },
  order_date: {
    required: true,
    aliases: ['order date', 'po date', 'purchase order date', 'document date', 'date', 'created date', 'creation date',
      'issue date', 'issued date', 'bedat'],
  },
  currency: { aliases: ['currency', 'currency code', 'ccy', 'cur', 'waers'] },
  line_no: {
    aliases: ['line', 'line no', 'line number', 'line item', 'line #', 'line_no', 'po line', 'po line no',
      'po line number', 'ln', 'position', 'pos', 'ebelp'],
  },
  description: {
    required: true,
    aliases: ['description', 'item description', 'line description', 'short text', 'item', 'item name',
      'material description', 'product description', 'product', 'text', 'service'],
  },
  quantity: {
    required: true,
    aliases: ['quantity', 'qty', 'order quantity', 'ordered quantity', 'quantity ordered', 'qty ordered', 'units',
      'menge'],
  },
  unit_price: {
    aliases: ['unit price', 'price', 'net price', 'price per unit', 'unit cost', 'unit rate', 'rate', 'netpr'],
  },
  amount: {
    aliases: ['line amount', 'amount', 'line total', 'line value', 'net value', 'net amount', 'net order value',
      'extended price', 'extended amount', 'total price', 'value', 'total', 'netwr'],
  },
  sku: {
    aliases: ['sku', 'item code', 'item number', 'item id', 'part number', 'part no', 'material', 'material number',
      'product code', 'catalogue number', 'catalog number', 'matnr'],
  },
  unit: { aliases: ['unit', 'uom', 'unit of measure', 'order unit', 'meins'] },
  category: {
    aliases: ['category', 'category code', 'unspsc', 'unspsc code', 'commodity code', 'material group',
      'spend category', 'matkl'],
  },
  requester: { aliases: ['requester', 'requester email', 'requestor', 'requestor email', 'requested by', 'requisitioner'] },
  buyer: { aliases: ['buyer', 'buyer email', 'purchaser', 'purchasing agent', 'procurement officer'] },
  department: { aliases: ['department', 'dept', 'business unit', 'division', 'directorate'] },
  contract: {
    aliases: ['contract', 'contract number', 'contract no', 'contract ref', 'contract reference', 'agreement',
      'agreement number', 'outline agreement'],
  },
  status: { aliases: ['status', 'po status', 'order status'] },
};

const PO_STATUSES = ['draft', 'open', 'partially_received', 'received', 'closed', 'cancelled'] as const;
type PoStatus = (typeof PO_STATUSES)[number];
// ERP spellings of the same states.
const STATUS_SYNONYMS: Readonly<Record<string, PoStatus>> = {
  new: 'draft',
  pending: 'draft',
  approved: 'open',
  issued: 'open',
  released: 'open',
  sent: 'open',
  confirmed: 'open',
  active: 'open',
  partial: 'partially_received',
  partially_delivered: 'partially_received',
  complete: 'received',
  completed: 'received',
  delivered: 'received',
  fully_received: 'received',
  canceled: 'cancelled',
  void: 'cancelled',
  voided: 'cancelled',
  finished: 'closed',
};

/** Maps a PO status as an ERP writes it to ours, or undefined when it is not one we know. */
export function poStatus(raw: string): PoStatus | undefined {
  const key = raw.trim().toLowerCase().replace(/[\s-]+/g, '_');
  return (PO_STATUSES as readonly string[]).includes(key) ? (key as PoStatus) : STATUS_SYNONYMS[key];
}

const cell = (max = 1000) => optional(z.string().trim().max(max, `longer than ${max} characters`));
const lineNumber = () =>
  optional(
    z
      .string()
      .trim()
      .regex(/^\d{1,9}(?:\.0+)?$/, 'is not a line number')
      .transform((s) => Number.parseInt(s, 10))
      .refine((n) => n > 0, 'must be 1 or more'),
  );

// Money columns hold 4 decimals; derived amounts round to cents unless the price itself is finer.
const MONEY_SCALE = 4;
const TOLERANCE = '0.01';

export type LineMoney = { ok: true; unitPrice: string; amount: string } | { ok: false; reason: string };

/**
 * Completes a line's money: with only a unit price the amount is quantity × price (rounded half away from zero
 * to the price's decimals, at least cents, at most 4); with only an amount the unit price is amount ÷ quantity
 * (to 4 places). When both are given they must agree within 0.01.
 */
export function lineMoney(qty: string, unitPrice: string | undefined, lineAmount: string | undefined): LineMoney {
  if (unitPrice === undefined && lineAmount === undefined) return { ok: false, reason: 'missing unit_price or amount' };
  if (unitPrice !== undefined && lineAmount !== undefined) {
    const product = multiplyDecimal(qty, unitPrice, decimalPlaces(qty) + decimalPlaces(unitPrice));
    const diff = subtractDecimal(product, lineAmount);
    if (compareDecimal(diff, TOLERANCE) > 0 || compareDecimal(diff, `-${TOLERANCE}`) < 0) {
      return {
        ok: false,
        reason:
          `unit_price ${unitPrice} × quantity ${qty} = ${normaliseDecimal(product)}, ` +
          `but amount is ${lineAmount} (differs by more than 0.01)`,
      };
    }
    return { ok: true, unitPrice, amount: lineAmount };
  }
  if (unitPrice !== undefined) {
    const scale = Math.min(MONEY_SCALE, Math.max(2, decimalPlaces(unitPrice)));
    return { ok: true, unitPrice, amount: fixDecimal(multiplyDecimal(qty, unitPrice, scale), scale) };
  }
  const derived = divideDecimal(lineAmount!, qty, MONEY_SCALE);
  if (derived === undefined) {
    return { ok: false, reason: `quantity is 0, so no unit_price can be derived from amount ${lineAmount}` };
  }
  return { ok: true, unitPrice: derived, amount: lineAmount! };
}

/** Picks a row's currency from its column, its money symbols or --currency; a reason when none or they clash. */
export function rowCurrency(
  ctx: ImportContext,
  column: string | undefined,
  ...fromAmounts: ({ currency?: string } | undefined)[]
): { ok: true; currency: string } | { ok: false; reason: string } {
  const named = [...new Set(fromAmounts.map((a) => a?.currency).filter((c): c is string => c !== undefined))];
  if (named.length > 1) return { ok: false, reason: `the row's amounts name different currencies (${named.join(', ')})` };
  if (column && named[0] && column !== named[0]) {
    return { ok: false, reason: `currency ${column} contradicts the amount's ${named[0]}` };
  }
  const cur = column ?? named[0] ?? ctx.options.currency?.toUpperCase();
  if (!cur) return { ok: false, reason: 'missing currency: the row names none and no --currency was given' };
  return { ok: true, currency: cur };
}

/** Imports purchase order lines; POs are created from their first row, suppliers resolved by name. */
export const purchaseOrdersImporter: Importer = {
  kind: 'purchase-orders',
  accepts: isTabularFile,
  async importFile(ctx, path) {
    const dateOrder = ctx.options.dateOrder ?? 'dmy';
    const schema = z.object({
      po_number: text('missing po_number', 200),
      supplier: text('missing supplier', 500),
      order_date: isoDate(dateOrder, 'missing order_date'),
      currency: optional(currency()),
      line_no: lineNumber(),
      description: text('missing description', 4000),
      quantity: quantity(),
      unit_price: optional(amount()),
      amount: optional(amount()),
      sku: cell(200),
      unit: cell(50),
      category: cell(100),
      requester: optional(email()),
      buyer: optional(email()),
      department: cell(),
      contract: cell(200),
      status: cell(50),
    });
    // Rows without a line number take the next number within their PO, counted in file order.
    const running = new Map<string, number>();
    const tally = { read: 0 };
    const rows = async function* () {
      for await (const rec of readableRecords(ctx, path, purchaseOrderFields, tally)) {
        const po = rec.values.po_number?.trim();
        const position = po ? (running.get(po) ?? 0) + 1 : 0;
        if (po) running.set(po, position);
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
        const money = lineMoney(row.quantity, row.unit_price?.amount, row.amount?.amount);
        if (!money.ok) {
          ctx.reject(rec.line, money.reason, rec.raw);
          continue;
        }
        let status: string | undefined;
        if (row.status) {
          status = poStatus(row.status);
          if (!status) {
            ctx.reject(rec.line, `status: "${row.status}" is not one of ${PO_STATUSES.join(', ')}`, rec.raw);
            continue;
          }
        }
        yield poStageLine({
          ...row,
          line: rec.line,
          raw: rec.raw.slice(0, 2000),
          currency: cur.currency,
          line_no: row.line_no ?? position,
          unit_price: money.unitPrice,
          amount: money.amount,
          status,
        });
      }
    };
    return ctx.database.withConnection(async (conn) => {
      await createPoStage(conn);
      await conn.copyIn('po_stage', PO_STAGE_COLUMNS, rows());
      const result = await commitPoStage(conn, ctx.batchId);
      for (const r of result.rejected) ctx.reject(r.line, r.reason, r.raw);
      if (result.unknownContracts.length > 0) {
        ctx.log.warn('purchase orders name contracts that are not imported; they stay unlinked', {
          contracts: result.unknownContracts.slice(0, 20),
        });
      }
      return { read: tally.read, imported: result.inserted, duplicates: result.staged - result.inserted };
    });
  },
};
