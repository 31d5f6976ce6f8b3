// The demo organisation: a mid-sized public body with its people, suppliers, contracts, orders, receipts,
// invoices and payments. Dates are relative to the day it is loaded, so its deadlines stay near and its
// planted exceptions stay current. Every planted case is listed in PLANTED so tests and docs can find them.

/** A table as header + rows, written to CSV and loaded through the ordinary importers. */
export type DemoTable = { header: string[]; rows: (string | number)[][] };

export type DemoOrganisation = {
  users: DemoTable;
  suppliers: DemoTable;
  contracts: DemoTable;
  purchaseOrders: DemoTable;
  receipts: DemoTable;
  invoices: DemoTable;
  spend: DemoTable;
};

const DOMAIN = 'demo.quartermaster.dev';
const mail = (local: string) => `${local}@${DOMAIN}`;

/** The planted exceptions, by what a monitor or question should find. */
export const PLANTED = {
  duplicateInvoice: { supplier: 'Apex Facilities Management Ltd', invoices: ['APX-7781', 'APX-7781A'], amount: '4800.00' },
  priceVariance: { po: 'PO-1002', invoice: 'DL-90412', contractPrice: '1150.00', invoicedPrice: '1265.00' },
  quantityMismatch: { po: 'PO-1003', ordered: 100, received: 80, invoiced: 100 },
  missingReceipt: { po: 'PO-1007', invoice: 'GL-3342', requester: mail('jonas.berg') },
  missingPo: { invoice: 'HL-7710', likelyPo: 'PO-1006' },
  noticeDeadline: { contract: 'C-2024-002', supplier: 'Refinitiv Ltd', noticeDays: 90, endsInDays: 120 },
  sanctionsHit: { supplier: 'Aerocaribbean Airlines S.A.', ofacEntry: '36' },
  splitPurchase: { supplier: 'Brightline Consulting LLP', amounts: ['9950.00', '9900.00'], threshold: '10000.00' },
  duplicateSupplier: { names: ['Northbridge Office Supplies Ltd', 'North Bridge Office Supplies Limited'] },
} as const;

function addDays(base: Date, days: number): string {
  const d = new Date(Date.UTC(base.getUTCFullYear(), base.getUTCMonth(), base.getUTCDate() + days));
  return d.toISOString().slice(0, 10);
}

/** Builds the demo organisation as of `today`. */
export function buildDemoOrganisation(today: Date = new Date()): DemoOrganisation {
  const day = (offset: number) => addDays(today, offset);

  const users: DemoTable = {
    header: ['email', 'name', 'roles', 'department', 'title', 'manager_email', 'slack_user_id', 'teams_aad_object_id'],
    rows: [
      [mail('alice.moreno'), 'Alice Moreno', 'requester', 'IT', 'IT Service Manager', mail('daniel.reyes'), 'U0DEMO0001', '6f1c2a10-0000-4000-8000-000000000001'],
      [mail('ben.okafor'), 'Ben Okafor', 'buyer', 'Procurement', 'Category Buyer (IT & Facilities)', mail('ivy.patel'), 'U0DEMO0002', '6f1c2a10-0000-4000-8000-000000000002'],
      [mail('carla.nguyen'), 'Carla Nguyen', 'receiver', 'Facilities', 'Stores Supervisor', mail('daniel.reyes'), 'U0DEMO0003', '6f1c2a10-0000-4000-8000-000000000003'],
      [mail('daniel.reyes'), 'Daniel Reyes', 'approver;budget_holder', 'IT', 'Director of IT', mail('frank.osei'), 'U0DEMO0004', '6f1c2a10-0000-4000-8000-000000000004'],
      [mail('erin.walsh'), 'Erin Walsh', 'finance;approver', 'Finance', 'Head of Accounts Payable', mail('frank.osei'), 'U0DEMO0005', '6f1c2a10-0000-4000-8000-000000000005'],
      [mail('frank.osei'), 'Frank Osei', 'cfo;approver', 'Finance', 'Chief Financial Officer', '', 'U0DEMO0006', '6f1c2a10-0000-4000-8000-000000000006'],
      [mail('grace.lin'), 'Grace Lin', 'legal;approver', 'Legal', 'Commercial Counsel', mail('frank.osei'), 'U0DEMO0007', '6f1c2a10-0000-4000-8000-000000000007'],
      [mail('hassan.ali'), 'Hassan Ali', 'compliance;approver', 'Risk & Compliance', 'Compliance Officer', mail('frank.osei'), 'U0DEMO0008', '6f1c2a10-0000-4000-8000-000000000008'],
      [mail('ivy.patel'), 'Ivy Patel', 'procurement_manager;approver;buyer', 'Procurement', 'Head of Procurement', mail('frank.osei'), 'U0DEMO0009', '6f1c2a10-0000-4000-8000-000000000009'],
      [mail('jonas.berg'), 'Jonas Berg', 'requester', 'Marketing', 'Marketing Lead', mail('mia.santos'), 'U0DEMO0010', '6f1c2a10-0000-4000-8000-000000000010'],
      [mail('mia.santos'), 'Mia Santos', 'approver;budget_holder', 'Marketing', 'Director of Communications', mail('frank.osei'), 'U0DEMO0011', '6f1c2a10-0000-4000-8000-000000000011'],
      [mail('admin'), 'Quartermaster Admin', 'admin', 'Procurement', 'System administrator', '', '', ''],
    ],
  };

  const suppliers: DemoTable = {
    header: ['external_id', 'name', 'country', 'tax_id', 'category', 'email', 'status', 'aliases'],
    rows: [
      ['SUP-001', 'Dell Technologies Ltd', 'GB', 'GB123456701', '43211503', 'uk_public@dell.example', 'active', 'Dell;Dell Corporation Ltd'],
      ['SUP-002', 'Refinitiv Ltd', 'GB', 'GB123456702', '43232305', 'accounts@refinitiv.example', 'active', 'Refinitiv;LSEG Data & Analytics'],
      ['SUP-003', 'Northbridge Office Supplies Ltd', 'GB', 'GB123456703', '44121600', 'orders@northbridge.example', 'active', ''],
      ['SUP-004', 'Apex Facilities Management Ltd', 'GB', 'GB123456704', '72101500', 'billing@apexfm.example', 'active', 'Apex FM'],
      ['SUP-005', 'Brightline Consulting LLP', 'GB', 'GB123456705', '80101500', 'finance@brightline.example', 'active', ''],
      ['SUP-006', 'Harbor Logistics Inc', 'US', '98-7654321', '78101800', 'ar@harborlogistics.example', 'active', ''],
      ['SUP-007', 'Greenleaf Catering Ltd', 'GB', 'GB123456707', '90101700', 'hello@greenleaf.example', 'active', ''],
      ['SUP-008', 'Kestrel Security Services Ltd', 'GB', 'GB123456708', '92121500', 'accounts@kestrel.example', 'active', ''],
      ['SUP-009', PLANTED.sanctionsHit.supplier, 'CU', '', '78111500', 'charter@aerocaribbean.example', 'active', ''],
      ['SUP-010', PLANTED.duplicateSupplier.names[1], 'GB', 'GB123456703', '44121600', 'orders@northbridge.example', 'active', ''],
    ],
  };

  const contracts: DemoTable = {
    header: ['contract_number', 'title', 'supplier', 'start_date', 'end_date', 'value', 'currency', 'notice_period_days',
      'auto_renew', 'owner', 'category', 'status', 'sku', 'item', 'unit_price', 'unit'],
    rows: [
      ['C-2024-001', 'End-user computing framework (laptops and monitors)', 'Dell Technologies Ltd', day(-420), day(680), '500000.00', 'GBP', 60, 'no', mail('ben.okafor'), '43211503', 'active', 'LAT-5440', 'Latitude 5440 laptop', '1150.00', 'each'],
      ['C-2024-001', '', 'Dell Technologies Ltd', '', '', '', 'GBP', '', '', '', '', '', 'MON-P2422', '24-inch monitor P2422H', '180.00', 'each'],
      ['C-2024-002', 'Market data terminals and feeds (Eikon)', PLANTED.noticeDeadline.supplier, day(-610), day(PLANTED.noticeDeadline.endsInDays), '186000.00', 'GBP', PLANTED.noticeDeadline.noticeDays, 'yes', mail('erin.walsh'), '43232305', 'active', 'EIK-SEAT', 'Eikon seat, annual', '15500.00', 'seat/year'],
      ['C-2024-003', 'Office supplies catalogue agreement', 'Northbridge Office Supplies Ltd', day(-300), day(430), '60000.00', 'GBP', 30, 'no', mail('ben.okafor'), '44121600', 'active', 'A4-80-REAM', 'A4 copier paper 80gsm, ream', '3.20', 'ream'],
      ['C-2024-003', '', 'Northbridge Office Supplies Ltd', '', '', '', 'GBP', '', '', '', '', '', 'TNR-HP59A', 'Toner cartridge HP 59A', '85.00', 'each'],
      ['C-2024-004', 'Integrated facilities management', 'Apex Facilities Management Ltd', day(-700), day(395), '240000.00', 'GBP', 180, 'yes', mail('ivy.patel'), '72101500', 'active', 'FM-MONTH', 'Monthly facilities service charge', '4800.00', 'month'],
      ['C-2024-005', 'Hospitality and event catering', 'Greenleaf Catering Ltd', day(-200), day(165), '40000.00', 'GBP', 30, 'no', mail('mia.santos'), '90101700', 'active', 'CAT-LUNCH', 'Working lunch per head', '12.50', 'head'],
      ['C-2023-009', 'Security guarding (expired)', 'Kestrel Security Services Ltd', day(-1100), day(-35), '90000.00', 'GBP', 90, 'no', mail('ivy.patel'), '92121500', 'expired', '', '', '', ''],
    ],
  };

  const po = (n: string, supplier: string, offset: number, line: number, description: string, sku: string, qty: number,
    price: string, requester: string, department: string, contract: string, category: string) =>
    [n, supplier, day(offset), 'GBP', line, description, sku, qty, price, requester, mail('ben.okafor'), department, contract, category];
  const purchaseOrders: DemoTable = {
    header: ['po_number', 'supplier', 'order_date', 'currency', 'line_no', 'description', 'sku', 'quantity', 'unit_price',
      'requester', 'buyer', 'department', 'contract', 'category'],
    rows: [
      po('PO-1001', 'Dell Technologies Ltd', -60, 1, 'Latitude 5440 laptop', 'LAT-5440', 20, '1150.00', mail('alice.moreno'), 'IT', 'C-2024-001', '43211503'),
      po('PO-1001', 'Dell Technologies Ltd', -60, 2, '24-inch monitor P2422H', 'MON-P2422', 20, '180.00', mail('alice.moreno'), 'IT', 'C-2024-001', '43211902'),
      po('PO-1002', 'Dell Technologies Ltd', -30, 1, 'Latitude 5440 laptop', 'LAT-5440', 10, '1150.00', mail('alice.moreno'), 'IT', 'C-2024-001', '43211503'),
      po('PO-1003', 'Northbridge Office Supplies Ltd', -25, 1, 'A4 copier paper 80gsm, ream', 'A4-80-REAM', 100, '3.20', mail('jonas.berg'), 'Marketing', 'C-2024-003', '14111507'),
      po('PO-1004', 'Apex Facilities Management Ltd', -40, 1, 'Monthly facilities service charge', 'FM-MONTH', 1, '4800.00', mail('ivy.patel'), 'Facilities', 'C-2024-004', '72101500'),
      po('PO-1005', 'Greenleaf Catering Ltd', -12, 1, 'Working lunch per head (board away day)', 'CAT-LUNCH', 40, '12.50', mail('mia.santos'), 'Marketing', 'C-2024-005', '90101700'),
      po('PO-1006', 'Harbor Logistics Inc', -8, 1, 'Freight: equipment relocation', '', 1, '3250.00', mail('carla.nguyen'), 'Facilities', '', '78101800'),
      po(PLANTED.missingReceipt.po, 'Greenleaf Catering Ltd', -6, 1, 'Working lunch per head (staff conference)', 'CAT-LUNCH', 60, '12.50', PLANTED.missingReceipt.requester, 'Marketing', 'C-2024-005', '90101700'),
    ],
  };

  const receipts: DemoTable = {
    header: ['receipt_number', 'po_number', 'line_no', 'quantity', 'received_date', 'receiver'],
    rows: [
      ['GR-5001', 'PO-1001', 1, 20, day(-50), mail('carla.nguyen')],
      ['GR-5001', 'PO-1001', 2, 20, day(-50), mail('carla.nguyen')],
      ['GR-5002', 'PO-1002', 1, 10, day(-20), mail('carla.nguyen')],
      ['GR-5003', 'PO-1003', 1, PLANTED.quantityMismatch.received, day(-18), mail('carla.nguyen')],
      ['GR-5004', 'PO-1004', 1, 1, day(-35), mail('ivy.patel')],
      ['GR-5005', 'PO-1005', 1, 40, day(-10), mail('mia.santos')],
    ],
  };

  const inv = (n: string, supplier: string, ponum: string, offset: number, line: number, poLine: number,
    description: string, qty: number, price: string) =>
    [n, supplier, ponum, day(offset), day(offset + 30), 'GBP', line, poLine > 0 ? poLine : '', description, qty, price];
  const invoices: DemoTable = {
    header: ['invoice_number', 'supplier', 'po_number', 'invoice_date', 'due_date', 'currency', 'line_no', 'po_line_no',
      'description', 'quantity', 'unit_price'],
    rows: [
      inv('DL-90377', 'Dell Technologies Ltd', 'PO-1001', -45, 1, 1, 'Latitude 5440 laptop', 20, '1150.00'),
      inv('DL-90377', 'Dell Technologies Ltd', 'PO-1001', -45, 2, 2, '24-inch monitor P2422H', 20, '180.00'),
      inv(PLANTED.priceVariance.invoice, 'Dell Technologies Ltd', 'PO-1002', -15, 1, 1, 'Latitude 5440 laptop', 10, PLANTED.priceVariance.invoicedPrice),
      inv('NB-22817', 'Northbridge Office Supplies Ltd', 'PO-1003', -14, 1, 1, 'A4 copier paper 80gsm, ream', PLANTED.quantityMismatch.invoiced, '3.20'),
      inv(PLANTED.duplicateInvoice.invoices[0], 'Apex Facilities Management Ltd', 'PO-1004', -33, 1, 1, 'Facilities service charge', 1, PLANTED.duplicateInvoice.amount),
      inv(PLANTED.duplicateInvoice.invoices[1], 'Apex FM', 'PO-1004', -31, 1, 1, 'Facilities service charge', 1, PLANTED.duplicateInvoice.amount),
      inv('GL-3309', 'Greenleaf Catering Ltd', 'PO-1005', -9, 1, 1, 'Working lunch per head', 40, '12.50'),
      inv(PLANTED.missingPo.invoice, 'Harbor Logistics Inc', '', -5, 1, 0, 'Freight: equipment relocation (no PO quoted)', 1, '3250.00'),
      inv(PLANTED.missingReceipt.invoice, 'Greenleaf Catering Ltd', PLANTED.missingReceipt.po, -2, 1, 1, 'Working lunch per head', 60, '12.50'),
    ],
  };

  // Payments over the last 18 months: monthly market data, facilities, and a few planted patterns.
  const spendRows: (string | number)[][] = [];
  for (let m = 17; m >= 0; m--) {
    const offset = -m * 30 - 5;
    spendRows.push([day(offset), 'Refinitiv Ltd', '15500.00', 'GBP', 'Market data services', 'Finance', `RFV-${2000 + (17 - m)}`, '', 'Eikon seats, monthly instalment']);
    spendRows.push([day(offset + 2), 'Apex Facilities Management Ltd', '4800.00', 'GBP', 'Facilities management', 'Facilities', `APX-${7700 + (17 - m)}`, 'PO-1004', 'Monthly service charge']);
  }
  spendRows.push([day(-44), 'Dell Technologies Ltd', '26600.00', 'GBP', 'IT hardware', 'IT', 'DL-90377', 'PO-1001', 'Laptops and monitors']);
  spendRows.push([day(-30), 'Apex FM', PLANTED.duplicateInvoice.amount, 'GBP', 'Facilities management', 'Facilities', PLANTED.duplicateInvoice.invoices[1], 'PO-1004', 'Monthly service charge']);
  spendRows.push([day(-62), PLANTED.splitPurchase.supplier, PLANTED.splitPurchase.amounts[0], 'GBP', 'Consultancy', 'IT', 'BL-101', '', 'Discovery workshop, phase 1']);
  spendRows.push([day(-59), PLANTED.splitPurchase.supplier, PLANTED.splitPurchase.amounts[1], 'GBP', 'Consultancy', 'IT', 'BL-102', '', 'Discovery workshop, phase 2']);
  spendRows.push([day(-21), 'Kestrel Security Services Ltd', '7450.00', 'GBP', 'Security services', 'Facilities', 'KS-5521', '', 'Event guarding (contract expired)']);
  spendRows.push([day(-90), 'Staples UK Ltd', '1240.00', 'GBP', 'Office supplies', 'Marketing', 'ST-88231', '', 'Paper and toner (off contract)']);
  spendRows.push([day(-75), PLANTED.sanctionsHit.supplier, '18200.00', 'GBP', 'Travel - charter flights', 'Operations', 'AC-4410', '', 'Charter flight, regional programme']);
  const spend: DemoTable = {
    header: ['date', 'supplier', 'amount', 'currency', 'category', 'department', 'invoice_number', 'po_number', 'description'],
    rows: spendRows,
  };

  return { users, suppliers, contracts, purchaseOrders, receipts, invoices, spend };
}
