// The three-way match verdict on one invoice, from its matched lines and the tolerances in monitors.yaml:
// which exceptions it has (no PO, a line not on the PO, nothing received, more invoiced than received, a
// price above the PO's), each with the money at stake. Pure: the facts come from the query, the verdict is
// the same for the same facts.
import type { MatchLine } from '../db/queries/three-way-match.js';
import { compareDecimal, multiplyDecimal } from '../domain/money.js';
import type { ThreeWayMatchTolerances } from './settings.js';

export type MatchException =
  /** The invoice names no PO that exists. */
  | { kind: 'missing_po'; stake: string }
  /** A line bills nothing on the PO. */
  | { kind: 'po_line'; line: MatchLine; stake: string }
  /** Nothing has been received against the PO line. */
  | { kind: 'receipt'; line: MatchLine; stake: string }
  /** More has been invoiced on the PO line (this invoice and earlier ones) than received, beyond the tolerance. */
  | { kind: 'quantity'; line: MatchLine; excess: string; stake: string }
  /** The unit price is above the PO's beyond the tolerance (or in another currency). */
  | { kind: 'price'; line: MatchLine; reason: 'percent' | 'amount' | 'currency'; stake: string };

const positive = (v: string | null): v is string => v !== null && compareDecimal(v, '0') > 0;

/** The exceptions of one invoice (all its lines, in line order); none means it matches within tolerance. */
export function judgeInvoice(lines: readonly MatchLine[], t: ThreeWayMatchTolerances): MatchException[] {
  const head = lines[0];
  if (!head) return [];
  if (!head.poId) return [{ kind: 'missing_po', stake: head.invoiceTotal }];
  const out: MatchException[] = [];
  for (const line of lines) {
    if (!line.poLineId) {
      out.push({ kind: 'po_line', line, stake: line.amount });
      continue;
    }
    if (!positive(line.received)) {
      out.push({ kind: 'receipt', line, stake: line.amount });
    } else if (line.excessQuantity !== null && compareDecimal(line.excessQuantity, t.quantity) > 0) {
      // The excess, valued at this line's price, but never more than the line itself.
      const valued = multiplyDecimal(line.excessQuantity, line.unitPrice, 2);
      const stake = compareDecimal(valued, line.amount) > 0 ? line.amount : valued;
      out.push({ kind: 'quantity', line, excess: line.excessQuantity, stake });
    }
    if (line.poCurrency && line.poCurrency !== line.currency) {
      out.push({ kind: 'price', line, reason: 'currency', stake: line.amount });
    } else if (positive(line.overcharge)) {
      const overPercent = line.pricePercent !== null && compareDecimal(line.pricePercent, t.pricePercent) > 0;
      const overAmount = compareDecimal(line.overcharge, t.amount) > 0;
      if (overPercent || overAmount) out.push({ kind: 'price', line, reason: overPercent ? 'percent' : 'amount', stake: line.overcharge });
    }
  }
  return out;
}
