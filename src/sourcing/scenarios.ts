// Award scenarios: who gets which lines of a sourcing event. `single_lowest` gives everything to the cheapest
// bidder who priced every line; `split_lowest` gives each line to its cheapest bidder; `split_capped` is the
// cheapest split in which no bidder receives more than `max_share` of the awarded value, solved to proven
// optimality as a mixed-integer programme (HiGHS, relative gap 0); the risk-adjusted scenarios repeat the splits
// without the bidders a risk check marks as high risk. Money is exact: the solver sees integers (values scaled
// to their smallest written unit, the cap as a ratio of integers), and every total is recomputed in decimals.
import { addDecimal, compareDecimal, decimalPlaces, divideDecimal, fixDecimal, formatMoney, multiplyDecimal, subtractDecimal } from '../domain/money.js';
import { type Bid, type EventLine, isPositive, pricedBids } from './bids.js';
import { type Column, cappedOptimum, gcd, reduced } from './capped-split.js';

export type Award = { bidder: string; total: string; share: string; lines: number[] };

export type ScenarioKind = 'single_lowest' | 'split_lowest' | 'split_capped' | 'risk_adjusted_split' | 'risk_adjusted_capped';

export type Scenario = {
  kind: ScenarioKind;
  total: string;
  awards: Award[];
  /** The trade-off in words: cost against concentration against risk. */
  tradeoff: string;
  excluded: string[];
};

export type ScenarioRequest = {
  lines: readonly EventLine[];
  bids: readonly Bid[];
  currency: string;
  /** Fraction in (0, 1] as a decimal string. */
  maxShare?: string;
  exclude?: readonly string[];
  /** Fraction in [0, 1): an incumbent's prices count this much lower when choosing (totals stay real). */
  incumbentBonus?: string;
  incumbents?: ReadonlySet<string>;
  /** Bidders a risk check marks high risk, with why. */
  highRisk?: ReadonlyMap<string, string>;
};

export type ScenarioResult = {
  currency: string;
  scenarios: Scenario[];
  /** Scenarios that could not be built, with the reason (e.g. a cap no split can meet). */
  unavailable: { kind: ScenarioKind; reason: string }[];
  /** Lines no (remaining) bidder priced: in no scenario. */
  unawarded_lines: number[];
};

/** value[line][bidder]: what awarding the line to the bidder costs (exact decimal), for priced lines only. */
type Matrix = { lines: number[]; bidders: string[]; value: Map<number, Map<string, string>> };

function matrix(req: ScenarioRequest, leaveOut: ReadonlySet<string>): Matrix {
  const bids = req.bids.filter((b) => b.currency === req.currency && !leaveOut.has(b.bidder));
  const priced = pricedBids(req.lines, bids);
  const value = new Map<number, Map<string, string>>();
  for (const l of req.lines) {
    const row = new Map<string, string>();
    for (const b of bids) {
      const v = priced.get(b.bidder)!.get(l.lineNo)?.value ?? null;
      // A zero price is a price (included at no charge); an empty one is not a bid for the line.
      if (v !== null && (isPositive(v) || compareDecimal(v, '0') === 0)) row.set(b.bidder, v);
    }
    value.set(l.lineNo, row);
  }
  return { lines: req.lines.map((l) => l.lineNo), bidders: bids.map((b) => b.bidder), value };
}

/** The value used to choose between bidders: an incumbent's price less the bonus. */
function evaluated(req: ScenarioRequest, bidder: string, v: string): string {
  if (!req.incumbentBonus || !req.incumbents?.has(bidder)) return v;
  return multiplyDecimal(v, subtractDecimal('1', req.incumbentBonus), 6);
}

function build(kind: ScenarioKind, m: Matrix, assignment: Map<number, string>, excluded: string[]): Omit<Scenario, 'tradeoff'> {
  let total = '0';
  const per = new Map<string, { total: string; lines: number[] }>();
  for (const [line, bidder] of assignment) {
    const v = m.value.get(line)!.get(bidder)!;
    total = addDecimal(total, v);
    const a = per.get(bidder) ?? { total: '0', lines: [] };
    a.total = addDecimal(a.total, v);
    a.lines.push(line);
    per.set(bidder, a);
  }
  const awards = [...per.entries()]
    .map(([bidder, a]) => ({
      bidder,
      total: fixDecimal(a.total, 2),
      share: compareDecimal(total, '0') === 0 ? fixDecimal(divideDecimal('1', String(per.size), 4)!, 4) : fixDecimal(divideDecimal(a.total, total, 4)!, 4),
      lines: a.lines.sort((x, y) => x - y),
    }))
    .sort((a, b) => compareDecimal(b.total, a.total) || a.bidder.localeCompare(b.bidder));
  return { kind, total: fixDecimal(total, 2), awards, excluded };
}

/** Each awardable line to its cheapest bidder (by evaluated value; ties to the bidder named first). */
function cheapest(req: ScenarioRequest, m: Matrix): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of m.lines) {
    let best: { bidder: string; e: string } | undefined;
    for (const [bidder, v] of m.value.get(line)!) {
      const e = evaluated(req, bidder, v);
      if (!best || compareDecimal(e, best.e) < 0) best = { bidder, e };
    }
    if (best) out.set(line, best.bidder);
  }
  return out;
}

function singleLowest(req: ScenarioRequest, m: Matrix): Map<number, string> | undefined {
  let best: { bidder: string; e: string } | undefined;
  for (const bidder of m.bidders) {
    if (!m.lines.every((l) => m.value.get(l)!.has(bidder))) continue;
    let e = '0';
    for (const l of m.lines) e = addDecimal(e, evaluated(req, bidder, m.value.get(l)!.get(bidder)!));
    if (!best || compareDecimal(e, best.e) < 0) best = { bidder, e };
  }
  return best ? new Map(m.lines.map((l) => [l, best.bidder])) : undefined;
}

/** "0.4" → [4, 10]: a decimal fraction as integers. */
function ratio(share: string): [bigint, bigint] {
  const places = decimalPlaces(share);
  const num = BigInt(share.replace('.', '').replace(/^0+(?=\d)/, ''));
  const den = 10n ** BigInt(places);
  // In lowest terms (0.15 → 3/20): smaller coefficients are kinder to the solver's numerics.
  const g = gcd(num, den);
  return g === 0n ? [num, den] : [num / g, den / g];
}

/** The cheapest split with no bidder above `maxShare` of the awarded value. Returns the assignment or why there is none. */
async function cappedSplit(req: ScenarioRequest, m: Matrix, maxShare: string): Promise<{ ok: true; assignment: Map<number, string> } | { ok: false; reason: string }> {
  const lines = m.lines.filter((l) => m.value.get(l)!.size > 0);
  const bidders = m.bidders.filter((b) => lines.some((l) => m.value.get(l)!.has(b)));
  const pct = `${fixDecimal(multiplyDecimal(maxShare, '100', 2), 2).replace(/\.?0+$/, '')}%`;
  if (lines.length === 0) return { ok: false, reason: 'no line has a priced bid' };
  const [num, den] = ratio(maxShare);
  // With n bidders the largest share is at least 1/n: a cap below that is impossible whatever the prices.
  if (BigInt(bidders.length) * num < den) {
    const needed = Math.ceil(Number(den) / Number(num));
    return { ok: false, reason: `no split can keep every supplier at or under ${pct} with ${bidders.length} bidder${bidders.length === 1 ? '' : 's'}: that needs at least ${needed} bidders sharing the award` };
  }
  const scale = Math.max(0, ...lines.flatMap((l) => [...m.value.get(l)!.entries()].flatMap(([b, v]) => [decimalPlaces(v), decimalPlaces(evaluated(req, b, v))])));
  const units = (v: string) => BigInt(fixDecimal(v, scale).replace('.', ''));
  const columns: Column[] = [];
  lines.forEach((l, li) => {
    bidders.forEach((b, bi) => {
      const v = m.value.get(l)!.get(b);
      if (v !== undefined) columns.push({ li, bi, v: units(v), e: units(evaluated(req, b, v)) });
    });
  });
  const solved = await cappedOptimum(reduced(columns), lines.length, bidders.length, num, den);
  if (solved.status === 'infeasible') {
    return { ok: false, reason: `no split keeps every supplier at or under ${pct}: the lines some bidders alone priced, or the sizes of the lines, force a larger share` };
  }
  if (solved.status === 'stopped') return { ok: false, reason: `the solver stopped without a proven optimum (${solved.why})` };
  return { ok: true, assignment: new Map(solved.chosen.map((x) => [lines[x.li]!, bidders[x.bi]!])) };
}

/** Builds every scenario the request allows, each with its trade-off in words. */
export async function awardScenarios(req: ScenarioRequest): Promise<ScenarioResult> {
  const excluded = [...new Set(req.exclude ?? [])];
  const m = matrix(req, new Set(excluded));
  const unawarded = m.lines.filter((l) => m.value.get(l)!.size === 0);
  const raw: Omit<Scenario, 'tradeoff'>[] = [];
  const unavailable: ScenarioResult['unavailable'] = [];
  const single = singleLowest(req, m);
  if (single) raw.push(build('single_lowest', m, single, excluded));
  else unavailable.push({ kind: 'single_lowest', reason: 'no bidder priced every line' });
  const split = cheapest(req, m);
  if (split.size > 0) raw.push(build('split_lowest', m, split, excluded));
  if (req.maxShare) {
    const capped = await cappedSplit(req, m, req.maxShare);
    if (capped.ok) raw.push(build('split_capped', m, capped.assignment, excluded));
    else unavailable.push({ kind: 'split_capped', reason: capped.reason });
  }
  const risky = [...(req.highRisk?.keys() ?? [])].filter((b) => m.bidders.includes(b));
  if (risky.length > 0 && raw.some((s) => s.awards.some((a) => risky.includes(a.bidder)))) {
    const without = [...excluded, ...risky];
    const safe = matrix(req, new Set(without));
    const safeSplit = cheapest(req, safe);
    if (safeSplit.size > 0) raw.push(build('risk_adjusted_split', safe, safeSplit, without));
    if (req.maxShare) {
      const capped = await cappedSplit(req, safe, req.maxShare);
      if (capped.ok) raw.push(build('risk_adjusted_capped', safe, capped.assignment, without));
      else unavailable.push({ kind: 'risk_adjusted_capped', reason: capped.reason });
    }
  }
  const floor = raw.find((s) => s.kind === 'split_lowest');
  const scenarios = raw.map((s) => ({ ...s, tradeoff: tradeoff(s, floor, req) }));
  return { currency: req.currency, scenarios, unavailable, unawarded_lines: unawarded };
}

function pctOf(share: string): string {
  return `${fixDecimal(multiplyDecimal(share, '100', 1), 1).replace(/\.0$/, '')}%`;
}

function tradeoff(s: Omit<Scenario, 'tradeoff'>, floor: Omit<Scenario, 'tradeoff'> | undefined, req: ScenarioRequest): string {
  const money = (v: string) => formatMoney(v, req.currency);
  const top = s.awards[0];
  const concentration = top ? `${top.bidder} holds ${pctOf(top.share)} of the value across ${s.awards.length} supplier${s.awards.length === 1 ? '' : 's'}` : 'nothing is awarded';
  const extra = floor && s.kind !== 'split_lowest' ? subtractDecimal(s.total, floor.total) : '0';
  const cost =
    floor && s.kind !== 'split_lowest'
      ? compareDecimal(extra, '0') === 0
        ? 'costs the same as the cheapest split'
        : `costs ${money(extra)} more than the cheapest split${compareDecimal(floor.total, '0') > 0 ? ` (+${pctOf(divideDecimal(extra, floor.total, 4)!)})` : ''}`
      : 'the lowest cost any award can reach';
  const risk = [...(req.highRisk?.entries() ?? [])].filter(([b]) => s.awards.some((a) => a.bidder === b));
  const riskText = risk.length > 0 ? ` Awards to high-risk bidder${risk.length === 1 ? '' : 's'}: ${risk.map(([b, why]) => `${b} (${why})`).join('; ')}.` : '';
  switch (s.kind) {
    case 'single_lowest':
      return `One supplier for everything, simplest to manage; ${cost}; all the value with ${top?.bidder}, so no second source if they fail.${riskText}`;
    case 'split_lowest':
      return `Each line to its cheapest bidder: ${cost}; ${concentration}.${riskText}`;
    case 'split_capped':
      return `No supplier above ${pctOf(req.maxShare!)}: ${cost}; ${concentration}.${riskText}`;
    default:
      return `Leaves out ${s.excluded.filter((b) => req.highRisk?.has(b)).map((b) => `${b} (${req.highRisk!.get(b)})`).join('; ')}: ${cost}; ${concentration}.`;
  }
}
