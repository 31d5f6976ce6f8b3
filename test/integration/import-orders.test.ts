import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { lineMoney } from '../../src/imports/kinds/purchase-orders.js';
import { runImport } from '../../src/imports/run.js';
import { testDatabases } from '../helpers/databases.js';

const PURCHASE_ORDERS = [
  'PO Number,Vendor Name,Order Date,Line,Description,Qty,Unit Price,Line Amount,Currency,Requester',
  'PO-1001,Acme Ltd,2024-01-10,1,Widgets,10,2.50,,GBP,alice@example.com', // 2: amount derived: 25.00
  'PO-1001,Acme Ltd,2024-01-10,2,Bolts,3,0.333,,GBP,', // 3: 3 × 0.333 = 0.999
  'PO-1002,Beta Supplies,2024-01-11,1,Paper,4,,100.00,GBP,', // 4: unit price derived: 25
  'PO-1001,Acme Ltd,2024-01-10,3,Nuts,7,1.10,7.70,GBP,', // 5: same PO again, not contiguous; both given, agreeing
  'PO-1003,Gamma Ltd,2024-01-12,1,Chairs,2,50.00,120.00,GBP,', // 6: 2 × 50 ≠ 120
  'PO-1003,Gamma Ltd,2024-01-12,2,,1,10,,GBP,', // 7: missing description
  ',Gamma Ltd,2024-01-12,3,Desk,1,10,,GBP,', // 8: missing po_number
  'PO-1004,Delta GmbH,2024-01-13,1,Service,1,"€1,000.00",,,', // 9: currency from the symbol
  'PO-1005,Epsilon Inc,2024-01-13,1,Thing,1,5,,,', // 10: no currency anywhere
  'PO-1001,Acme Ltd,2024-01-10,2,Bolts again,1,1,,GBP,', // 11: line 2 of PO-1001 again in the same file
].join('\n');

// No line column: lines are numbered per PO in file order, also when the PO's rows are apart.
const PO_WITHOUT_LINES = [
  'Purchase Order;Supplier;PO Date;Item Description;Quantity;Price;Net Value',
  'PO-2001;Acme Ltd;15/01/2024;Toner;2;40,00;',
  'PO-2002;Beta Supplies;15/01/2024;Pens;100;0,15;',
  'PO-2001;Acme Ltd;15/01/2024;Drum;1;;120,00',
].join('\n');

const RECEIPTS = [
  'GRN,PO Number,PO Line,Qty Received,Receipt Date,Received By',
  'GR-1,PO-1001,1,10,2024-01-20,bob@example.com', // 2: line 1 fully received
  'GR-1,PO-1001,2,1,2024-01-20,', // 3: line 2 partly received
  'GR-2,PO-1002,1,4,2024-01-21,', // 4: PO-1002 fully received
  'GR-3,PO-9999,1,1,2024-01-21,', // 5: unknown PO
  'GR-4,PO-1001,9,1,2024-01-21,', // 6: no such line
  'GR-5,PO-1004,1,,2024-01-21,', // 7: missing quantity
].join('\n');

const INVOICES = [
  'Invoice Number,Supplier,PO Number,Invoice Date,Due Date,Line,Description,Quantity,Unit Price,Amount,Currency',
  'INV-1,Acme Ltd,PO-1001,2024-01-25,2024-02-24,1,Widgets,10,2.50,25.00,GBP',
  'INV-1,Acme Ltd,PO-1001,2024-01-25,2024-02-24,2,Bolts,3,0.333,,GBP',
  'INV-2,Acme Ltd,,2024-01-26,,1,Consulting,,,99.99,GBP', // one unit when no quantity is given
  'INV-3,Acme Ltd,,2024-01-27,,1,Consulting,,,99.99,GBP', // same amount, another number: not a duplicate
  'INV-4,Beta Supplies,PO-1002,2024-01-28,,1,Paper,4,25,90,GBP', // 4 × 25 ≠ 90
  'INV-5,Beta Supplies,PO-1002,2024-01-28,,1,,4,25,,', // no currency
].join('\n');

describe('line money', () => {
  it('derives the missing side exactly and refuses disagreement beyond a cent', () => {
    expect(lineMoney('3', '0.1', undefined)).toEqual({ ok: true, unitPrice: '0.1', amount: '0.30' });
    expect(lineMoney('3', undefined, '10.00')).toEqual({ ok: true, unitPrice: '3.3333', amount: '10.00' });
    expect(lineMoney('1.5', '3.99', undefined)).toEqual({ ok: true, unitPrice: '3.99', amount: '5.99' });
    expect(lineMoney('3', '3.3333', '10.00')).toMatchObject({ ok: true });
    expect(lineMoney('2', '50', '100.02')).toMatchObject({ ok: false });
    expect(lineMoney('0', undefined, '5')).toMatchObject({ ok: false });
    expect(lineMoney('1', undefined, undefined)).toEqual({ ok: false, reason: 'missing unit_price or amount' });
  });
});

describe.each(testDatabases)('orders, receipts and invoices on $name', ({ open }) => {
  let database: Database;
  let dir: string;
  const file = (name: string) => join(dir, name);

  beforeAll(async () => {
    database = await open();
    dir = await mkdtemp(join(tmpdir(), 'qm-orders-'));
    await writeFile(file('pos.csv'), PURCHASE_ORDERS);
    await writeFile(file('pos-no-lines.csv'), PO_WITHOUT_LINES);
    await writeFile(
      file('pos.json'),
      JSON.stringify([
        { po_number: 'PO-3001', supplier: 'Zeta LLC', order_date: '2024-02-01', currency: 'USD', description: 'Cable', quantity: 2, unit_price: '1.005' },
      ]),
    );
    await writeFile(file('receipts.csv'), RECEIPTS);
    await writeFile(file('invoices.csv'), INVOICES);
  });
  afterAll(async () => {
    await database?.close();
  });

  const po = async (number: string) =>
    (
      await database.query<{ id: string; total: string; status: string; currency: string; lines: number; supplier: string }>(
        `select p.id, p.total::text, p.status, p.currency, s.name as supplier,
                (select count(*)::int from purchase_order_lines l where l.po_id = p.id) as lines
         from purchase_orders p join suppliers s on s.id = p.supplier_id where p.po_number = $1`,
        [number],
      )
    )[0];

  it('imports PO lines, derives amounts exactly and rejects bad rows by line with a reason', async () => {
    const report = await runImport({ database }, 'purchase-orders', file('pos.csv'));
    expect(report.read).toBe(10);
    expect(report.imported).toBe(5);
    expect(report.imported + report.duplicates + report.rejected.length).toBe(report.read);
    const reasons = Object.fromEntries(report.rejected.map((r) => [r.line, r.reason]));
    expect(Object.keys(reasons).map(Number).sort((a, b) => a - b)).toEqual([6, 7, 8, 10, 11]);
    expect(reasons[6]).toMatch(/unit_price 50\.00 × quantity 2 = 100.*amount is 120\.00/);
    expect(reasons[7]).toMatch(/missing description/);
    expect(reasons[8]).toMatch(/missing po_number/);
    expect(reasons[10]).toMatch(/missing currency/);
    expect(reasons[11]).toMatch(/PO-1001 line 2 repeats line 3/);

    expect(await po('PO-1001')).toMatchObject({ total: '33.6990', status: 'open', currency: 'GBP', lines: 3, supplier: 'Acme Ltd' });
    expect(await po('PO-1002')).toMatchObject({ total: '100.0000', lines: 1 });
    expect(await po('PO-1004')).toMatchObject({ total: '1000.0000', currency: 'EUR' });
    expect(await po('PO-1003')).toBeUndefined();
    const [paper] = await database.query<{ unit_price: string; amount: string }>(
      `select l.unit_price::text, l.amount::text from purchase_order_lines l
       join purchase_orders p on p.id = l.po_id where p.po_number = 'PO-1002'`,
    );
    expect(paper).toEqual({ unit_price: '25.0000', amount: '100.0000' });
    const [header] = await database.query<{ requester_email: string; order_date: string }>(
      "select requester_email, order_date::text from purchase_orders where po_number = 'PO-1001'",
    );
    expect(header).toEqual({ requester_email: 'alice@example.com', order_date: '2024-01-10' });
  });

  it('numbers lines per PO when the file has no line column, and reads JSON', async () => {
    const report = await runImport({ database }, 'purchase-orders', file('pos-no-lines.csv'), { currency: 'GBP' });
    expect(report).toMatchObject({ read: 3, imported: 3, duplicates: 0, rejected: [] });
    const lines = await database.query<{ line_no: number; description: string; amount: string }>(
      `select l.line_no, l.description, l.amount::text from purchase_order_lines l
       join purchase_orders p on p.id = l.po_id where p.po_number = 'PO-2001' order by l.line_no`,
    );
    expect(lines).toEqual([
      { line_no: 1, description: 'Toner', amount: '80.0000' },
      { line_no: 2, description: 'Drum', amount: '120.0000' },
    ]);
    expect(await po('PO-2001')).toMatchObject({ total: '200.0000', lines: 2 });

    const json = await runImport({ database }, 'purchase-orders', file('pos.json'));
    expect(json).toMatchObject({ read: 1, imported: 1, rejected: [] });
    expect(await po('PO-3001')).toMatchObject({ total: '2.0100', currency: 'USD' });
  });

  it('re-importing POs adds nothing', async () => {
    const report = await runImport({ database }, 'purchase-orders', file('pos.csv'));
    expect(report.imported).toBe(0);
    expect(report.duplicates).toBe(5);
    expect(report.rejected).toHaveLength(5);
    expect(await po('PO-1001')).toMatchObject({ total: '33.6990', lines: 3 });
  });

  it('imports receipts, rejects unknown POs and lines, and updates PO statuses', async () => {
    const report = await runImport({ database }, 'receipts', file('receipts.csv'));
    expect(report).toMatchObject({ read: 6, imported: 3, duplicates: 0 });
    const reasons = Object.fromEntries(report.rejected.map((r) => [r.line, r.reason]));
    expect(reasons).toEqual({
      5: 'unknown PO PO-9999',
      6: 'PO PO-1001 has no line 9',
      7: 'missing quantity',
    });
    expect((await po('PO-1001'))!.status).toBe('partially_received');
    expect((await po('PO-1002'))!.status).toBe('received');
    expect((await po('PO-1004'))!.status).toBe('open');

    const again = await runImport({ database }, 'receipts', file('receipts.csv'));
    expect(again).toMatchObject({ read: 6, imported: 0, duplicates: 3 });
    const [n] = await database.query<{ n: number }>('select count(*)::int as n from goods_receipts');
    expect(n!.n).toBe(3);
    expect((await po('PO-1001'))!.status).toBe('partially_received');
  });

  it('imports invoices with exact totals, links POs, and keeps a same-amount invoice', async () => {
    const report = await runImport({ database }, 'invoices', file('invoices.csv'));
    expect(report).toMatchObject({ read: 6, imported: 4, duplicates: 0 });
    const reasons = Object.fromEntries(report.rejected.map((r) => [r.line, r.reason]));
    expect(Object.keys(reasons)).toEqual(['6', '7']);
    expect(reasons[6]).toMatch(/unit_price 25 × quantity 4 = 100, but amount is 90/);
    expect(reasons[7]).toMatch(/missing currency/);

    const invoices = await database.query<{ invoice_number: string; total: string; po_id: string | null; due_date: string | null }>(
      'select invoice_number, total::text, po_id, due_date::text from invoices order by invoice_number',
    );
    const po1001 = (await po('PO-1001'))!.id;
    expect(invoices).toEqual([
      { invoice_number: 'INV-1', total: '25.9990', po_id: po1001, due_date: '2024-02-24' },
      { invoice_number: 'INV-2', total: '99.9900', po_id: null, due_date: null },
      { invoice_number: 'INV-3', total: '99.9900', po_id: null, due_date: null },
    ]);
    const [line] = await database.query<{ quantity: string; unit_price: string }>(
      `select l.quantity::text, l.unit_price::text from invoice_lines l join invoices i on i.id = l.invoice_id
       where i.invoice_number = 'INV-2'`,
    );
    expect(line).toEqual({ quantity: '1.0000', unit_price: '99.9900' });

    const again = await runImport({ database }, 'invoices', file('invoices.csv'));
    expect(again).toMatchObject({ read: 6, imported: 0, duplicates: 4 });
    const [n] = await database.query<{ n: number }>('select count(*)::int as n from invoice_lines');
    expect(n!.n).toBe(4);
  });
});
