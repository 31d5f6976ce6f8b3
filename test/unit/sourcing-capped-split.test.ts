// The capped split's fast path (LP bound, a quick award, then a proof over the columns the bound cannot rule out)
// against one MIP over every column, on tenders too large to enumerate: the same optimum cost, every line awarded
// once, every share within the cap.
import { describe, expect, it } from 'vitest';
import { type Column, cappedOptimum, fullModelOptimum } from '../../src/sourcing/capped-split.js';

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** Lines × bidders in pence; some lines unpriced; one bidder's evaluated cost discounted (an incumbent bonus). */
function columns(seed: number, lineCount: number, bidderCount: number, gaps: number, bonusPercent: number): Column[] {
  const r = random(seed);
  const out: Column[] = [];
  for (let li = 0; li < lineCount; li++) {
    const quantity = 1 + Math.floor(r() * 60);
    for (let bi = 0; bi < bidderCount; bi++) {
      if (bi > 0 && r() < gaps) continue; // bidder 0 prices every line, so every line can be awarded
      const v = BigInt(Math.round((500 + r() * 9500) * quantity));
      out.push({ li, bi, v, e: bi === 0 ? v * BigInt(100 - bonusPercent) : v * 100n });
    }
  }
  return out;
}

describe('capped split', () => {
  const cases: [seed: number, lines: number, bidders: number, gaps: number, bonus: number, num: bigint, den: bigint][] = [
    [1, 40, 6, 0.1, 0, 1n, 5n],
    [2, 40, 6, 0.2, 5, 1n, 4n],
    [3, 30, 5, 0, 0, 3n, 10n],
    [4, 50, 7, 0.15, 3, 1n, 5n],
    [5, 25, 4, 0.1, 0, 3n, 10n],
  ];

  it.each(cases)('seed %i (%i lines × %i bidders): the same optimum as one MIP over every column', async (seed, lineCount, bidderCount, gaps, bonus, num, den) => {
    const cols = columns(seed, lineCount, bidderCount, gaps, bonus);
    const [fast, full] = await Promise.all([
      cappedOptimum(cols, lineCount, bidderCount, num, den),
      fullModelOptimum(cols, lineCount, bidderCount, num, den),
    ]);
    expect(fast.status).toBe(full.status);
    if (fast.status !== 'optimal' || full.status !== 'optimal') return;
    const cost = (chosen: Column[]) => chosen.reduce((s, x) => s + x.e, 0n);
    expect(cost(fast.chosen)).toBe(cost(full.chosen));
    expect(fast.chosen.map((x) => x.li).sort((a, b) => a - b)).toEqual(Array.from({ length: lineCount }, (_, i) => i));
    const total = fast.chosen.reduce((s, x) => s + x.v, 0n);
    for (let bi = 0; bi < bidderCount; bi++) {
      const share = fast.chosen.filter((x) => x.bi === bi).reduce((s, x) => s + x.v, 0n);
      expect(share * den <= total * num, `bidder ${bi}: ${share} of ${total}`).toBe(true);
    }
  }, 60_000);

  it('reports a cap no award can meet as infeasible', async () => {
    const cols = columns(7, 6, 3, 0, 0);
    expect(await cappedOptimum(cols, 6, 3, 1n, 4n)).toEqual({ status: 'infeasible' });
  });
});
