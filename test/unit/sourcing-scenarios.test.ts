import { describe, expect, it } from 'vitest';
import { addDecimal, compareDecimal, multiplyDecimal } from '../../src/domain/money.js';
import { analyseBids } from '../../src/sourcing/analysis.js';
import type { Bid, EventLine } from '../../src/sourcing/bids.js';
import { awardScenarios } from '../../src/sourcing/scenarios.js';

/** A deterministic pseudo-random sequence (LCG), so each case is reproducible. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function tender(seed: number, lineCount: number, bidderCount: number, gaps = 0): { lines: EventLine[]; bids: Bid[] } {
  const r = random(seed);
  const lines = Array.from({ length: lineCount }, (_, i) => ({
    lineNo: i + 1,
    itemCode: `IT-${(i % 3) + 1}`, // item codes repeat across lines, as in real tabulations
    description: `Item ${i + 1}`,
    quantity: String(1 + Math.floor(r() * 40)),
    unit: 'ea',
  }));
  const bids = Array.from({ length: bidderCount }, (_, b) => ({
    bidder: `Bidder ${String.fromCharCode(65 + b)}`,
    supplierId: `s${b}`,
    currency: 'GBP',
    lines: lines.filter(() => r() >= gaps).map((l) => ({ lineNo: l.lineNo, quantity: null, unitPrice: (5 + r() * 95).toFixed(2), lineTotal: null })),
  }));
  return { lines, bids };
}

/** The cost-minimal assignment with every share at or under `cap`, by trying every assignment. */
function bruteForce(lines: EventLine[], bids: Bid[], cap: string): string | undefined {
  const value = lines.map((l) =>
    bids.map((b) => {
      const bl = b.lines.find((x) => x.lineNo === l.lineNo);
      return bl?.unitPrice ? multiplyDecimal(bl.unitPrice, l.quantity!) : undefined;
    }),
  );
  let best: string | undefined;
  const pick = new Array<number>(lines.length).fill(0);
  const walk = (i: number) => {
    if (i === lines.length) {
      const per = bids.map(() => '0');
      let total = '0';
      for (let l = 0; l < lines.length; l++) {
        per[pick[l]!] = addDecimal(per[pick[l]!]!, value[l]![pick[l]!]!);
        total = addDecimal(total, value[l]![pick[l]!]!);
      }
      if (per.every((p) => compareDecimal(p, multiplyDecimal(total, cap, 8)) <= 0) && (!best || compareDecimal(total, best) < 0)) best = total;
      return;
    }
    for (let b = 0; b < bids.length; b++) {
      if (value[i]![b] === undefined) continue;
      pick[i] = b;
      walk(i + 1);
    }
  };
  walk(0);
  return best;
}

describe('bid analysis', () => {
  it('totals each bidder to the cent, ranks complete bids first and flags what needs a look', () => {
    const lines: EventLine[] = [
      { lineNo: 1, itemCode: 'CLN-01', description: 'Daily office clean, site A', quantity: '12', unit: 'month' },
      { lineNo: 2, itemCode: 'CLN-01', description: 'Daily office clean, site B', quantity: '12', unit: 'month' },
      { lineNo: 3, itemCode: 'CLN-09', description: 'Window cleaning', quantity: '4', unit: 'visit' },
    ];
    const bids: Bid[] = [
      { bidder: 'Acme', supplierId: 'a', currency: 'GBP', lines: [
        { lineNo: 1, quantity: null, unitPrice: '1000.10', lineTotal: '12001.20' },
        { lineNo: 2, quantity: null, unitPrice: '900.05', lineTotal: '10800.60' },
        { lineNo: 3, quantity: null, unitPrice: '250', lineTotal: '1100' }, // 4 × 250 = 1000: flagged, not fixed
      ] },
      { bidder: 'Brite', supplierId: 'b', currency: 'GBP', lines: [
        { lineNo: 1, quantity: null, unitPrice: '950', lineTotal: null },
        { lineNo: 2, quantity: null, unitPrice: '950', lineTotal: null },
      ] },
      { bidder: 'Clearview', supplierId: 'c', currency: 'GBP', lines: [
        { lineNo: 1, quantity: null, unitPrice: '1100', lineTotal: null },
        { lineNo: 2, quantity: null, unitPrice: '1000', lineTotal: null },
        { lineNo: 3, quantity: null, unitPrice: '0', lineTotal: null },
      ] },
      { bidder: 'Dazzle', supplierId: 'd', currency: 'GBP', lines: [
        { lineNo: 1, quantity: null, unitPrice: '3000', lineTotal: null },
        { lineNo: 2, quantity: null, unitPrice: '980', lineTotal: null },
        { lineNo: 3, quantity: null, unitPrice: '240', lineTotal: null },
      ] },
    ];
    const a = analyseBids(lines, bids, 'GBP', { unbalancedRatio: '2' });
    expect(a.bidders.map((b) => [b.bidder, b.total, b.rank, b.lines_priced, b.lines_missing])).toEqual([
      ['Acme', '23901.80', 1, 3, 0],
      ['Clearview', '25200.00', 2, 3, 0],
      ['Dazzle', '48720.00', 3, 3, 0],
      ['Brite', '22800.00', 4, 2, 1],
    ]);
    expect(a.lowest).toEqual({ bidder: 'Acme', total: '23901.80' });
    expect(a.flags.map((f) => f.kind).sort()).toEqual(['incomplete_bid_ranked_last', 'line_total_mismatch', 'missing_lines', 'zero_priced']);
    expect(a.flags.find((f) => f.kind === 'line_total_mismatch')?.text).toContain('1100');
    expect(a.unbalanced.map((u) => [u.bidder, u.line, u.ratio])).toEqual([['Dazzle', 1, '3.00']]);
  });
});

describe('award scenarios', () => {
  it('splits each line to its cheapest bidder and gives the single award to the cheapest complete bid', async () => {
    const { lines, bids } = tender(3, 6, 3);
    const r = await awardScenarios({ lines, bids, currency: 'GBP' });
    const split = r.scenarios.find((s) => s.kind === 'split_lowest')!;
    const single = r.scenarios.find((s) => s.kind === 'single_lowest')!;
    expect(split.awards.flatMap((a) => a.lines).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(compareDecimal(split.total, single.total)).toBeLessThanOrEqual(0);
    expect(split.awards.reduce((s, a) => addDecimal(s, a.total), '0')).toBe(split.total);
    expect(single.awards).toHaveLength(1);
    expect(single.tradeoff).toMatch(/more than the cheapest split|same as the cheapest split/);
  });

  it('finds the same capped optimum as trying every assignment (≤ 8 lines × 4 bidders)', async () => {
    for (const [seed, lineCount, bidderCount, cap] of [[1, 8, 4, '0.4'], [2, 7, 4, '0.3'], [5, 8, 3, '0.5'], [9, 6, 4, '0.35'], [12, 8, 4, '0.26']] as const) {
      const { lines, bids } = tender(seed, lineCount, bidderCount, 0.1);
      const r = await awardScenarios({ lines, bids, currency: 'GBP', maxShare: cap });
      const expected = bruteForce(lines, bids, cap);
      const capped = r.scenarios.find((s) => s.kind === 'split_capped');
      if (expected === undefined) {
        expect(capped, `seed ${seed}`).toBeUndefined();
        expect(r.unavailable.find((u) => u.kind === 'split_capped')?.reason).toMatch(/no split/);
      } else {
        expect(compareDecimal(capped!.total, expected), `seed ${seed}: ${capped!.total} vs ${expected}`).toBe(0);
        for (const a of capped!.awards) expect(compareDecimal(a.share, cap), `seed ${seed} ${a.bidder}`).toBeLessThanOrEqual(0);
      }
    }
  });

  it('answers an impossible cap with the reason', async () => {
    const { lines, bids } = tender(4, 5, 3);
    const r = await awardScenarios({ lines, bids, currency: 'GBP', maxShare: '0.1' });
    expect(r.scenarios.map((s) => s.kind)).not.toContain('split_capped');
    expect(r.unavailable).toContainEqual({ kind: 'split_capped', reason: expect.stringContaining('with 3 bidders') });
  });

  it('adds risk-adjusted scenarios without the high-risk bidders', async () => {
    const { lines, bids } = tender(6, 6, 3);
    const first = await awardScenarios({ lines, bids, currency: 'GBP' });
    const winner = first.scenarios.find((s) => s.kind === 'split_lowest')!.awards[0]!.bidder;
    const r = await awardScenarios({ lines, bids, currency: 'GBP', maxShare: '0.6', highRisk: new Map([[winner, 'sanctions signal']]) });
    const safe = r.scenarios.find((s) => s.kind === 'risk_adjusted_split')!;
    expect(safe.awards.map((a) => a.bidder)).not.toContain(winner);
    expect(safe.tradeoff).toContain(`Leaves out ${winner} (sanctions signal)`);
    expect(r.scenarios.find((s) => s.kind === 'split_lowest')!.tradeoff).toContain('high-risk');
  });
});
