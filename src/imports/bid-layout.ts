// Reads a bid tabulation in either layout into one row per bidder and line. Long: a row per bidder and line, with
// a bidder column. Wide (as tabulations are often published): a row per line, and per bidder a price column (its
// name, or its name followed by "unit price", "total" or "lead time"). An empty cell, "no bid", "n/a" or "-" in a
// bidder's column is no bid for that line; anything else that is not a number is a rejected cell.
import { type FieldSpec, foldHeader, type ColumnMap } from './mapping.js';
import { checkedAmount } from './fields.js';
import { parseCurrency, parseQuantity } from './values.js';

export const bidFields: FieldSpec = {
  bidder: { aliases: ['bidder', 'supplier', 'vendor', 'tenderer', 'bidder name', 'supplier name', 'vendor name', 'company', 'respondent'] },
  line: { aliases: ['line', 'line no', 'line number', 'line #', 'lot', 'item no', 'item number', 'no', '#', 'ref'] },
  item: { aliases: ['item', 'item code', 'sku', 'code', 'part number', 'product code', 'nsn', 'item id'] },
  description: { aliases: ['description', 'item description', 'specification', 'service', 'product', 'name'] },
  quantity: { aliases: ['quantity', 'qty', 'estimated quantity', 'est qty', 'volume', 'units'] },
  unit: { aliases: ['unit', 'uom', 'unit of measure', 'unit of issue', 'u/m'] },
  unit_price: { aliases: ['unit price', 'price', 'rate', 'unit rate', 'unit cost', 'price per unit'] },
  line_total: { aliases: ['line total', 'total', 'extended price', 'extended', 'amount', 'total price', 'line amount', 'extension'] },
  currency: { aliases: ['currency', 'ccy', 'currency code'] },
  lead_time_days: { aliases: ['lead time days', 'lead time', 'lead time (days)', 'delivery days', 'days'] },
  notes: { aliases: ['notes', 'note', 'comments', 'comment', 'remarks'] },
};

/** One bidder's offer for one line, as read (prices not yet checked against anything). */
export type BidRow = {
  sourceLine: number;
  bidder: string;
  line?: number;
  item?: string;
  description?: string;
  quantity?: string;
  unit?: string;
  unitPrice?: string;
  lineTotal?: string;
  currency?: string;
  leadTimeDays?: number;
  notes?: string;
};

export type LayoutProblem = { line: number; reason: string };

const NO_BID = /^(?:no ?bid|n\/?a|-+|—|not (?:bid|offered|quoted)|nil)$/i;
const LINE_FIELDS = ['line', 'item', 'description', 'quantity', 'unit', 'currency', 'notes'];

type BidderColumns = { unitPrice?: number; lineTotal?: number; leadTime?: number };

/** Splits "Acme Ltd unit price" into the bidder and what the column holds. */
function bidderColumn(header: string): { bidder: string; kind: keyof BidderColumns } {
  const h = header.trim();
  const m = /^(.*?)[\s\-–—:_(]*\b(unit price|unit rate|price|rate|line total|total|extended|amount|lead time(?: \(?days\)?)?)\)?\s*$/i.exec(h);
  if (m && m[1]!.trim() !== '') {
    const what = m[2]!.toLowerCase();
    return { bidder: m[1]!.trim(), kind: what.startsWith('lead') ? 'leadTime' : /total|extended|amount/.test(what) ? 'lineTotal' : 'unitPrice' };
  }
  return { bidder: h, kind: 'unitPrice' };
}

function money(cell: string | undefined, what: string): { ok: true; value?: string; currency?: string } | { ok: false; reason: string } {
  const s = (cell ?? '').trim();
  if (s === '' || NO_BID.test(s)) return { ok: true };
  const r = checkedAmount(s);
  if (!r.ok) return { ok: false, reason: `${what}: ${r.reason}` };
  if (r.value.amount.startsWith('-')) return { ok: false, reason: `${what}: "${s}" is negative` };
  return { ok: true, value: r.value.amount, ...(r.value.currency ? { currency: r.value.currency } : {}) };
}

function common(cells: readonly string[], map: ColumnMap): { ok: true; row: Omit<BidRow, 'sourceLine' | 'bidder'> } | { ok: false; reason: string } {
  const at = (f: string) => {
    const i = map.get(f);
    const v = i === undefined ? undefined : cells[i]?.trim();
    return v === '' ? undefined : v;
  };
  const row: Omit<BidRow, 'sourceLine' | 'bidder'> = {};
  const lineText = at('line');
  if (lineText !== undefined) {
    if (!/^\d{1,6}$/.test(lineText)) return { ok: false, reason: `line: "${lineText}" is not a line number` };
    row.line = Number(lineText);
    if (row.line < 1) return { ok: false, reason: 'line: line numbers start at 1' };
  }
  const item = at('item');
  const description = at('description');
  if (item) row.item = item.slice(0, 100);
  if (description) row.description = description.slice(0, 1000);
  if (row.line === undefined && !item && !description) return { ok: false, reason: 'no line number, item or description to say which line this is' };
  const q = at('quantity');
  if (q !== undefined) {
    const r = parseQuantity(q);
    if (!r.ok) return { ok: false, reason: `quantity: ${r.reason}` };
    if (r.value.startsWith('-')) return { ok: false, reason: `quantity: "${q}" is negative` };
    row.quantity = r.value;
  }
  const unit = at('unit');
  if (unit) row.unit = unit.slice(0, 30);
  const c = at('currency');
  if (c !== undefined) {
    const r = parseCurrency(c);
    if (!r.ok) return { ok: false, reason: `currency: ${r.reason}` };
    row.currency = r.value;
  }
  const notes = at('notes');
  if (notes) row.notes = notes.slice(0, 2000);
  return { ok: true, row };
}

function leadTime(cell: string | undefined): { ok: true; value?: number } | { ok: false; reason: string } {
  const s = (cell ?? '').trim();
  if (s === '' || NO_BID.test(s)) return { ok: true };
  const m = /^(\d{1,4})(?:\s*(?:days?|d))?$/i.exec(s);
  if (!m) return { ok: false, reason: `lead time: "${s}" is not a whole number of days` };
  return { ok: true, value: Number(m[1]) };
}

/** True when the header has a bidder column (the long layout). */
export function isLongLayout(map: ColumnMap): boolean {
  return map.has('bidder');
}

/** Rows of the long layout. */
export function longRows(records: readonly { line: number; cells: readonly string[] }[], map: ColumnMap): { rows: BidRow[]; problems: LayoutProblem[] } {
  const rows: BidRow[] = [];
  const problems: LayoutProblem[] = [];
  for (const r of records) {
    const bidder = r.cells[map.get('bidder')!]?.trim();
    if (!bidder) {
      problems.push({ line: r.line, reason: 'missing bidder' });
      continue;
    }
    const base = common(r.cells, map);
    if (!base.ok) {
      problems.push({ line: r.line, reason: base.reason });
      continue;
    }
    const at = (f: string) => (map.has(f) ? r.cells[map.get(f)!] : undefined);
    const unit = money(at('unit_price'), 'unit_price');
    const total = money(at('line_total'), 'line_total');
    const lead = leadTime(at('lead_time_days'));
    const bad = [unit, total, lead].find((x) => !x.ok) as { ok: false; reason: string } | undefined;
    if (bad) {
      problems.push({ line: r.line, reason: bad.reason });
      continue;
    }
    const u = unit as { value?: string; currency?: string };
    const t = total as { value?: string; currency?: string };
    const currency = base.row.currency ?? u.currency ?? t.currency;
    rows.push({
      sourceLine: r.line,
      bidder: bidder.slice(0, 300),
      ...base.row,
      ...(u.value ? { unitPrice: u.value } : {}),
      ...(t.value ? { lineTotal: t.value } : {}),
      ...(currency ? { currency } : {}),
      ...((lead as { value?: number }).value !== undefined ? { leadTimeDays: (lead as { value: number }).value } : {}),
    });
  }
  return { rows, problems };
}

/** The bidder columns of a wide header: every column no line field claimed. */
export function bidderColumns(header: readonly string[], map: ColumnMap): Map<string, BidderColumns> {
  const claimed = new Set(map.values());
  const out = new Map<string, BidderColumns>();
  header.forEach((h, i) => {
    if (claimed.has(i) || h.trim() === '') return;
    const { bidder, kind } = bidderColumn(h);
    const key = [...out.keys()].find((k) => foldHeader(k) === foldHeader(bidder)) ?? bidder;
    const cols = out.get(key) ?? {};
    if (cols[kind] === undefined) cols[kind] = i;
    out.set(key, cols);
  });
  return out;
}

/** Rows of the wide layout: each line row gives one bid row per bidder that priced it. */
export function wideRows(
  records: readonly { line: number; cells: readonly string[] }[],
  map: ColumnMap,
  bidders: ReadonlyMap<string, BidderColumns>,
): { rows: BidRow[]; problems: LayoutProblem[] } {
  const rows: BidRow[] = [];
  const problems: LayoutProblem[] = [];
  for (const r of records) {
    const base = common(r.cells, map);
    if (!base.ok) {
      problems.push({ line: r.line, reason: base.reason });
      continue;
    }
    const reasons: string[] = [];
    for (const [bidder, cols] of bidders) {
      const unit = money(cols.unitPrice === undefined ? undefined : r.cells[cols.unitPrice], `${bidder} unit price`);
      const total = money(cols.lineTotal === undefined ? undefined : r.cells[cols.lineTotal], `${bidder} total`);
      const lead = leadTime(cols.leadTime === undefined ? undefined : r.cells[cols.leadTime]);
      const bad = [unit, total, lead].find((x) => !x.ok) as { ok: false; reason: string } | undefined;
      if (bad) {
        reasons.push(bad.reason);
        continue;
      }
      const u = unit as { value?: string; currency?: string };
      const t = total as { value?: string; currency?: string };
      if (!u.value && !t.value) continue;
      const currency = base.row.currency ?? u.currency ?? t.currency;
      rows.push({
        sourceLine: r.line,
        bidder,
        ...base.row,
        ...(u.value ? { unitPrice: u.value } : {}),
        ...(t.value ? { lineTotal: t.value } : {}),
        ...(currency ? { currency } : {}),
        ...((lead as { value?: number }).value !== undefined ? { leadTimeDays: (lead as { value: number }).value } : {}),
      });
    }
    if (reasons.length > 0) problems.push({ line: r.line, reason: reasons.join('; ') });
  }
  return { rows, problems };
}

export { LINE_FIELDS };
