// The capped split as a mixed-integer programme: columns (line, bidder, awarded value v, evaluated value e) in
// integers, one bidder per line, no bidder above num/den of the awarded value, least evaluated cost. Solved by HiGHS
// to a proven optimum, over as few columns as the LP bound allows.
import { type MipSolution, solveLp, solveMip } from './mip.js';

export function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

export type Column = { li: number; bi: number; v: bigint; e: bigint };

/** Every coefficient divided by their greatest common divisor: the smallest integers for the same model. */
export function reduced(columns: Column[]): Column[] {
  const gv = columns.reduce((g, x) => gcd(g, x.v), 0n) || 1n;
  const ge = columns.reduce((g, x) => gcd(g, x.e), 0n) || 1n;
  return columns.map((x) => ({ ...x, v: x.v / gv, e: x.e / ge }));
}

const columnName = (x: Column) => `x${x.li}_${x.bi}`;

/**
 * min Σ e·x subject to one bidder per line, T = Σ v·x and, per bidder b, den·Σ_b v·x − num·T ≤ 0, over the given
 * columns: binary, or (relaxed) between 0 and 1.
 */
function capModel(columns: readonly Column[], lineCount: number, bidderCount: number, num: bigint, den: bigint, relaxed: boolean): string {
  const term = (c: bigint, n: string) => `${c < 0n ? '-' : '+'} ${c < 0n ? -c : c} ${n}`;
  const byLine: Column[][] = Array.from({ length: lineCount }, () => []);
  const byBidder: Column[][] = Array.from({ length: bidderCount }, () => []);
  for (const x of columns) {
    byLine[x.li]!.push(x);
    byBidder[x.bi]!.push(x);
  }
  const rows: string[] = ['Minimize', ` obj: ${columns.map((x) => term(x.e, columnName(x))).join(' ')}`, 'Subject To'];
  for (const [li, own] of byLine.entries()) rows.push(` one${li}: ${own.map((x) => `+ ${columnName(x)}`).join(' ') || '0 T'} = 1`);
  // T, the awarded value, as its own variable keeps each cap row to one bidder's lines (a sparse model).
  rows.push(` total: ${columns.map((x) => term(x.v, columnName(x))).join(' ')} - T = 0`);
  byBidder.forEach((own, bi) => {
    if (own.length > 0) rows.push(` cap${bi}: ${own.map((x) => term(den * x.v, columnName(x))).join(' ')} - ${num} T <= 0`);
  });
  rows.push('Bounds', ' T >= 0');
  if (relaxed) rows.push(...columns.map((x) => ` 0 <= ${columnName(x)} <= 1`));
  else rows.push('Binary', ...columns.map((x) => ` ${columnName(x)}`));
  rows.push('End');
  return rows.join('\n');
}

export type Solved = { status: 'optimal'; objective: number; chosen: Column[] } | { status: 'infeasible' } | { status: 'stopped'; why: string };

/**
 * The integer optimum over all columns, proven. The LP relaxation gives a lower bound z and each column's reduced
 * cost d; any award that uses a column costs at least z + d (the LP bound argument). First a good award A is found
 * quickly over the columns nearest the LP's choice (d ≤ z/10⁴, widened if that subset has no feasible award), solved
 * to a 10⁻⁴ relative gap (a tighter gap cost more than the few columns it spared the proof, measured at 300 × 12);
 * then the MIP is solved to proven optimality over every column with d ≤ cost(A) − z: a column left
 * out would make any award cost more than A, so the optimum over the rest is the whole problem's. Fewer columns make
 * the proof far faster than the full model. The objective is integral, so an absolute gap below one unit is exact;
 * a margin of a millionth of the bound covers the floating-point duals.
 */
export async function cappedOptimum(columns: Column[], lineCount: number, bidderCount: number, num: bigint, den: bigint): Promise<Solved> {
  const mip = async (subset: Column[], relGap = 0): Promise<Solved> =>
    solvedOver(subset, await solveMip(capModel(subset, lineCount, bidderCount, num, den, false), 0.999, { subMipHeuristics: false, relGap }));
  const lp = await solveLp(capModel(columns, lineCount, bidderCount, num, den, true));
  if (lp.status === 'Infeasible') return { status: 'infeasible' };
  if (lp.status !== 'Optimal' || lp.objective === undefined) return mip(columns);
  const bound = lp.objective;
  const margin = Math.abs(bound) * 1e-6 + 1;
  const cost = (x: Column) => lp.reducedCosts[columnName(x)] ?? 0;
  const within = (delta: number) => columns.filter((x) => (lp.values[columnName(x)] ?? 0) > 1e-9 || cost(x) <= delta);
  // 1. A good award quickly: the columns closest to the LP's choice, solved to a small gap.
  let delta = Math.max(Math.abs(bound) * 1e-4, margin * 2);
  let found: Solved;
  for (;;) {
    const subset = within(delta);
    found = await mip(subset, 1e-4);
    if (found.status !== 'infeasible' || subset.length === columns.length) break;
    delta *= 8;
  }
  if (found.status !== 'optimal') return found;
  // 2. The proof: every column that could be in an award cheaper than the one found.
  return mip(within(found.objective - bound + margin));
}

/** The same optimum from one MIP over every column: slower, kept as the reference the faster path is tested against. */
export async function fullModelOptimum(columns: Column[], lineCount: number, bidderCount: number, num: bigint, den: bigint): Promise<Solved> {
  return solvedOver(columns, await solveMip(capModel(columns, lineCount, bidderCount, num, den, false), 0.999));
}

/** The solver's answer over `columns` as an outcome: the chosen columns of a proven optimum, or why there is none. */
function solvedOver(columns: readonly Column[], r: MipSolution): Solved {
  if (r.status === 'Infeasible') return { status: 'infeasible' };
  if (r.status !== 'Optimal' || r.objective === undefined) return { status: 'stopped', why: r.status };
  return { status: 'optimal', objective: r.objective, chosen: columns.filter((x) => (r.values[columnName(x)] ?? 0) > 0.5) };
}
