// The three-way match verdict on an invoice's lines against the tolerances: price above the PO beyond the
// percentage or the amount, more invoiced than received, nothing received, no PO, a line not on the PO.
import { describe, expect, it } from 'vitest';
import type { MatchLine } from '../../src/db/queries/three-way-match.js';
import { judgeInvoice } from '../../src/monitors/match-tolerance.js';

const TOLERANCES = { pricePercent: '2', quantity: '0', amount: '50.00' };

function line(over: Partial<MatchLine> = {}): MatchLine {
  return {
    invoiceId: 'i1',
    invoiceNumber: 'INV-1',
    invoiceStatus: 'received',
    invoiceDate: '2026-11-01',
    currency: 'GBP',
    invoiceTotal: '1000.00',
    supplierId: 's1',
    supplierName: 'Acme Ltd',
    supplierCategory: null,
    quotedPo: 'PO-1',
    poId: 'p1',
    poNumber: 'PO-1',
    poCurrency: 'GBP',
    requesterEmail: 'r@example.com',
    buyerEmail: 'b@example.com',
    lineId: 'l1',
    lineNo: 1,
    description: 'Widgets',
    quantity: '100',
    unitPrice: '10.00',
    amount: '1000.00',
    poLineId: 'pl1',
    poLineNo: 1,
    poLineDescription: 'Widgets',
    matchedBy: 'line_no',
    ordered: '100',
    poUnitPrice: '10.00',
    received: '100',
    invoicedToDate: '100',
    earlierInvoices: [],
    priceDifference: '0.00',
    pricePercent: '0',
    overcharge: '0.00',
    excessQuantity: '0',
    ...over,
  };
}

const kinds = (lines: MatchLine[], t = TOLERANCES) => judgeInvoice(lines, t).map((e) => e.kind);

describe('three-way match tolerances', () => {
  it('passes a line that matches, and an undercharge', () => {
    expect(judgeInvoice([line()], TOLERANCES)).toEqual([]);
    expect(kinds([line({ unitPrice: '9.00', priceDifference: '-1.00', pricePercent: '-10', overcharge: '-100.00' })])).toEqual([]);
  });

  it('allows a price within both the percentage and the amount, and refuses one beyond either', () => {
    // 1% over, 10.00 in all: within both.
    expect(kinds([line({ unitPrice: '10.10', pricePercent: '1', overcharge: '10.00' })])).toEqual([]);
    // 2.5% over: beyond the percentage.
    const percent = judgeInvoice([line({ unitPrice: '10.25', pricePercent: '2.5', overcharge: '25.00' })], TOLERANCES);
    expect(percent).toEqual([expect.objectContaining({ kind: 'price', reason: 'percent', stake: '25.00' })]);
    // 1.5% over on a big line: within the percentage, 150.00 beyond the amount.
    const amount = judgeInvoice([line({ quantity: '1000', unitPrice: '10.15', pricePercent: '1.5', overcharge: '150.00' })], TOLERANCES);
    expect(amount).toEqual([expect.objectContaining({ kind: 'price', reason: 'amount', stake: '150.00' })]);
    // Exactly at the limits is within tolerance.
    expect(kinds([line({ unitPrice: '10.20', pricePercent: '2', overcharge: '50.00' })])).toEqual([]);
  });

  it('refuses a line billed in another currency than its order', () => {
    expect(judgeInvoice([line({ poCurrency: 'USD' })], TOLERANCES)).toEqual([expect.objectContaining({ kind: 'price', reason: 'currency', stake: '1000.00' })]);
  });

  it('reports more invoiced than received, counting earlier invoices, valued at the line price', () => {
    const e = judgeInvoice([line({ received: '80', excessQuantity: '20' })], TOLERANCES);
    expect(e).toEqual([expect.objectContaining({ kind: 'quantity', excess: '20', stake: '200.00' })]);
    expect(kinds([line({ received: '80', excessQuantity: '20' })], { ...TOLERANCES, quantity: '20' })).toEqual([]);
    // A second invoice for what was already invoiced and received: the whole line is at stake.
    const twice = judgeInvoice([line({ quantity: '1', amount: '4800.00', unitPrice: '4800.00', received: '1', invoicedToDate: '2', excessQuantity: '1', earlierInvoices: ['INV-0'] })], TOLERANCES);
    expect(twice).toEqual([expect.objectContaining({ kind: 'quantity', stake: '4800.00' })]);
  });

  it('reports nothing received, a line not on the order and an invoice without an order', () => {
    expect(kinds([line({ received: '0', excessQuantity: '100' })])).toEqual(['receipt']);
    expect(kinds([line(), line({ lineNo: 2, lineId: 'l2', poLineId: null, poLineNo: null })])).toEqual(['po_line']);
    expect(judgeInvoice([line({ poId: null, poLineId: null }), line({ lineNo: 2, poId: null, poLineId: null })], TOLERANCES)).toEqual([
      { kind: 'missing_po', stake: '1000.00' },
    ]);
    expect(judgeInvoice([], TOLERANCES)).toEqual([]);
  });

  it('reports every exception of every line', () => {
    const lines = [line({ unitPrice: '11.00', pricePercent: '10', overcharge: '100.00', received: '90', excessQuantity: '10' }), line({ lineNo: 2, received: '0' })];
    expect(kinds(lines)).toEqual(['quantity', 'price', 'receipt']);
  });
});
