// Bid analysis: each bidder's total (the exact sum of their priced lines), the ranking, the lowest complete bid,
// unbalanced line prices (far from the other bidders' median: the front-loading signal) and everything that
// needs a buyer's eye (missing and zero-priced lines, line totals that disagree with quantity × unit price).
import { addDecimal, compareDecimal, divideDecimal, fixDecimal } from '../domain/money.js';
import { type Bid, type EventLine, isPositive, pricedBids } from './bids.js';

export type BidderSummary = { bidder: string; supplierId: string; total: string; rank: number; lines_priced: number; lines_missing: number };

export type UnbalancedLine = { bidder: string; line: number; item: string; unit_price: string; median_unit_price: string; ratio: string };

export type BidFlag = {
  kind: 'missing_lines' | 'zero_priced' | 'line_total_mismatch' | 'incomplete_bid_ranked_last' | 'no_complete_bid' | 'currency_mismatch';
  bidder?: string;
  line?: number;
  text: string;
};

export type BidAnalysis = {
  currency: string;
  lines: number;
  bidders: BidderSummary[];
  lowest: { bidder: string; total: string } | null;
  unbalanced: UnbalancedLine[];
  flags: BidFlag[];
};

/** How far from the others' median a unit price must be (either way, as a multiple) to count as unbalanced. */
export type AnalysisOptions = { unbalancedRatio: string };

/** The median of decimal strings (the mean of the middle two for an even count), to 4 places. */
export function medianDecimal(values: readonly string[]): string | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort(compareDecimal);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[mid]!;
  return divideDecimal(addDecimal(sorted[mid - 1]!, sorted[mid]!), '2', 4);
}

/** A line as a person names it: its item code, else its description, with its number. */
export function lineLabel(l: EventLine | undefined, lineNo: number): string {
  return l ? `${l.itemCode ? `${l.itemCode} ` : ''}${l.description}`.trim() : `line ${lineNo}`;
}

/** Analyses the bids of an event in `currency` (bids in another currency are flagged and left out). */
export function analyseBids(lines: readonly EventLine[], allBids: readonly Bid[], currency: string, opts: AnalysisOptions): BidAnalysis {
  const flags: BidFlag[] = [];
  const bids = allBids.filter((b) => {
    if (b.currency === currency) return true;
    flags.push({ kind: 'currency_mismatch', bidder: b.bidder, text: `${b.bidder} bid in ${b.currency}, not the event's ${currency}: left out of the comparison.` });
    return false;
  });
  const byNo = new Map(lines.map((l) => [l.lineNo, l]));
  const priced = pricedBids(lines, bids);
  const summaries: Omit<BidderSummary, 'rank'>[] = [];
  for (const b of bids) {
    const mine = priced.get(b.bidder)!;
    let total = '0';
    let count = 0;
    const missing: number[] = [];
    for (const l of lines) {
      const p = mine.get(l.lineNo);
      if (!p || p.value === null) {
        missing.push(l.lineNo);
        continue;
      }
      total = addDecimal(total, p.value);
      count++;
      if (!isPositive(p.value)) {
        flags.push({ kind: 'zero_priced', bidder: b.bidder, line: l.lineNo, text: `${b.bidder} priced line ${l.lineNo} (${lineLabel(l, l.lineNo)}) at zero: included at no charge, or left out?` });
      }
      if (p.totalMismatch) {
        flags.push({
          kind: 'line_total_mismatch',
          bidder: b.bidder,
          line: l.lineNo,
          text: `${b.bidder}'s line ${l.lineNo} (${lineLabel(l, l.lineNo)}) totals ${p.totalMismatch.lineTotal} but quantity × unit price is ${p.totalMismatch.computed}; the written total is used. Ask the bidder which is meant.`,
        });
      }
    }
    if (missing.length > 0) {
      flags.push({
        kind: 'missing_lines',
        bidder: b.bidder,
        text: `${b.bidder} did not price ${missing.length} of ${lines.length} line${lines.length === 1 ? '' : 's'} (${missing.slice(0, 10).map((n) => `line ${n}`).join(', ')}${missing.length > 10 ? ', …' : ''}).`,
      });
    }
    summaries.push({ bidder: b.bidder, supplierId: b.supplierId, total: fixDecimal(total, 2), lines_priced: count, lines_missing: missing.length });
  }
  // A bid that leaves lines out looks cheaper than it is: complete bids rank first, each group by total.
  summaries.sort((a, b) => Number(a.lines_missing > 0) - Number(b.lines_missing > 0) || compareDecimal(a.total, b.total) || a.bidder.localeCompare(b.bidder));
  const bidders = summaries.map((s, i) => ({ ...s, rank: i + 1 }));
  const incomplete = bidders.filter((b) => b.lines_missing > 0);
  if (incomplete.length > 0 && incomplete.length < bidders.length) {
    flags.push({ kind: 'incomplete_bid_ranked_last', text: `${incomplete.map((b) => b.bidder).join(', ')} left lines unpriced, so ${incomplete.length === 1 ? 'it ranks' : 'they rank'} after every complete bid whatever the total.` });
  }
  const complete = bidders.find((b) => b.lines_missing === 0);
  if (!complete && bidders.length > 0) flags.push({ kind: 'no_complete_bid', text: 'No bidder priced every line: a single award is not possible; compare split awards.' });
  return {
    currency,
    lines: lines.length,
    bidders,
    lowest: complete ? { bidder: complete.bidder, total: complete.total } : null,
    unbalanced: unbalancedLines(lines, bids, priced, byNo, opts),
    flags,
  };
}

function unbalancedLines(
  lines: readonly EventLine[],
  bids: readonly Bid[],
  priced: ReturnType<typeof pricedBids>,
  byNo: Map<number, EventLine>,
  opts: AnalysisOptions,
): UnbalancedLine[] {
  const out: UnbalancedLine[] = [];
  const high = opts.unbalancedRatio;
  const low = divideDecimal('1', high, 6)!;
  for (const l of lines) {
    const prices = bids
      .map((b) => ({ bidder: b.bidder, unit: priced.get(b.bidder)!.get(l.lineNo)?.unitPrice ?? null }))
      .filter((p): p is { bidder: string; unit: string } => isPositive(p.unit));
    // A median of the others needs at least two others to mean anything.
    if (prices.length < 3) continue;
    for (const p of prices) {
      const median = medianDecimal(prices.filter((o) => o !== p).map((o) => o.unit))!;
      const ratio = divideDecimal(p.unit, median, 6);
      if (ratio === undefined) continue;
      if (compareDecimal(ratio, high) >= 0 || compareDecimal(ratio, low) <= 0) {
        out.push({ bidder: p.bidder, line: l.lineNo, item: lineLabel(byNo.get(l.lineNo), l.lineNo), unit_price: p.unit, median_unit_price: median, ratio: fixDecimal(ratio, 2) });
      }
    }
  }
  return out.sort((a, b) => compareDecimal(b.ratio, a.ratio) || a.line - b.line);
}
