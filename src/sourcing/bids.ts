// The bids of a sourcing event as the analysis and the award scenarios read them: each bidder's value per event
// line, in exact decimals. A line's value is the line total the bidder wrote, else quantity × unit price; the
// quantity is the bid's, else the event line's. Nothing is corrected: disagreements are flags.
import { compareDecimal, divideDecimal, isDecimal, multiplyDecimal, subtractDecimal } from '../domain/money.js';

/** A line of the event, as the buyer wrote it. */
export type EventLine = { lineNo: number; itemCode: string | null; description: string; quantity: string | null; unit: string | null };

/** A line of one bid, as submitted. */
export type BidLine = {
  lineNo: number;
  quantity: string | null;
  unitPrice: string | null;
  lineTotal: string | null;
  leadTimeDays?: number | null;
};

/** One bidder's bid. */
export type Bid = { bidder: string; supplierId: string; currency: string; lines: BidLine[] };

/** What a bid line is worth, and why (or why it has no value). */
export type PricedLine = {
  lineNo: number;
  /** The line's value in the bid's currency, or null when the bidder did not price it. */
  value: string | null;
  /** Per-unit price: as written, else value ÷ quantity. */
  unitPrice: string | null;
  /** The value and unit price disagree beyond a cent: line total ≠ quantity × unit price. */
  totalMismatch?: { lineTotal: string; computed: string };
};

/** Largest difference between a written line total and quantity × unit price that is still a rounding. */
const ROUNDING = '0.01';

/** Reads one bid line into its value. */
export function pricedLine(line: BidLine, eventLine: EventLine | undefined): PricedLine {
  const quantity = line.quantity ?? eventLine?.quantity ?? null;
  const computed = line.unitPrice !== null && quantity !== null ? multiplyDecimal(line.unitPrice, quantity, 4) : null;
  const value = line.lineTotal ?? computed;
  const unitPrice = line.unitPrice ?? (value !== null && quantity !== null ? (divideDecimal(value, quantity, 4) ?? null) : null);
  const out: PricedLine = { lineNo: line.lineNo, value, unitPrice };
  if (line.lineTotal !== null && computed !== null) {
    const diff = subtractDecimal(line.lineTotal, computed);
    const abs = diff.startsWith('-') ? diff.slice(1) : diff;
    if (compareDecimal(abs, ROUNDING) > 0) out.totalMismatch = { lineTotal: line.lineTotal, computed };
  }
  return out;
}

/** Each bid's priced lines by line number. */
export function pricedBids(lines: readonly EventLine[], bids: readonly Bid[]): Map<string, Map<number, PricedLine>> {
  const byNo = new Map(lines.map((l) => [l.lineNo, l]));
  const out = new Map<string, Map<number, PricedLine>>();
  for (const b of bids) {
    const m = new Map<number, PricedLine>();
    for (const l of b.lines) m.set(l.lineNo, pricedLine(l, byNo.get(l.lineNo)));
    out.set(b.bidder, m);
  }
  return out;
}

/** True for a decimal string worth more than zero. */
export function isPositive(value: string | null): value is string {
  return value !== null && isDecimal(value) && compareDecimal(value, '0') > 0;
}
