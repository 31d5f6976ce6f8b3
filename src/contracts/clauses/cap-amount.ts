// The amount a liability cap allows: a sum of money ("shall not exceed $1,000,000") or a formula on what was paid
// ("the fees paid in the twelve (12) months preceding the claim", "two times the fees paid"), as a structured value.
import { PERIOD_SRC, periodAt, periodText } from '../periods.js';

/** A cap's amount: a fixed sum (decimal string, currency as written or implied by its symbol) or a fee formula. */
export type CapAmount =
  | { kind: 'fixed'; amount: string; currency: string | null }
  | { kind: 'fees'; basis: string; period: string | null; multiple: number | null };

// Where the limit is stated; the amount follows it.
const LIMIT_WORDS =
  /\b(?:exceed(?:s|ing)?|limited\s+to|capped\s+at|(?:greater|more)\s+than|in\s+excess\s+of|lesser\s+of|greater\s+of|equal\s+to|no\s+more\s+than|up\s+to|maximum\s+(?:of|amount\s+of))\b/gi;
const CURRENCY_CODE = /^(?:US\$|U\.S\.\s*\$|USD|EUR|GBP|CAD|AUD|CHF|JPY|RMB|CNY)$/i;
const MONEY =
  /(?:\b(US\$|U\.S\.\s*\$|USD|EUR|GBP|CAD|AUD|CHF|JPY|RMB|CNY)\s*|([$€£]))\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?(?:\s*(million|thousand|billion|mn|m|bn|k)\b)?|\b(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*(million\s+|thousand\s+)?(?:(?:US|U\.S\.)\s+)?(dollars|euros|pounds)\b/i;
const MULTIPLE_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, ten: 10, twice: 2, double: 2 };
const FEES =
  /\b(?:(?:(one|two|three|four|five|ten|\d+(?:\.\d+)?)\s*(?:\(\s*\d+(?:\.\d+)?\s*\)\s*)?(?:times|x)(?:\s*\(\s*\d+(?:\.\d+)?\s*x\s*\))?|(twice|double)|(?:(\d+(?:\.\d+)?)\s*(?:%|percent\b|per\s+cent\b)\s*(?:\([^)]{0,30}\)\s*)?|[a-z-]+\s+(?:percent|per\s+cent)\s*\(\s*(\d+(?:\.\d+)?)\s*%\s*\)\s*)of)\s+(?:the\s+)?)?(?:total\s+|aggregate\s+|annual\s+|cumulative\s+)?(?:amounts?|fees|sums?|prices?|charges|compensation|royalties|consideration|payments?|monies|moneys)\b[^.;]{0,140}?\b(paid|payable|received|due|invoiced|charged)\b/i;
const PRECEDING = new RegExp(`${PERIOD_SRC}\\s*(?:period\\s+)?(?:immediately\\s+)?(?:preceding|prior\\s+to|before)`, 'i');

// "$5m", "£2.5 million", "USD 250k".
const SCALE: Record<string, bigint> = { thousand: 1_000n, k: 1_000n, million: 1_000_000n, m: 1_000_000n, mn: 1_000_000n, billion: 1_000_000_000n, bn: 1_000_000_000n };
const SYMBOL: Record<string, string> = { $: 'USD', '€': 'EUR', '£': 'GBP' };

/** A sum as a decimal string: digits with separators removed, scaled by "million" and the like. */
function decimal(whole: string, cents: string | undefined, scale: string | undefined): string {
  const units = BigInt(whole.replace(/,/g, ''));
  const factor = SCALE[(scale ?? '').trim().toLowerCase()];
  if (factor === undefined) return cents ? `${units}.${cents.padEnd(2, '0')}` : `${units}`;
  // "1.5 million": the fraction scales too.
  const fraction = cents ? (BigInt(cents.padEnd(2, '0')) * factor) / 100n : 0n;
  return `${units * factor + fraction}`;
}

/** The cap amount a sentence states after its limit words, if it names one. */
export function capAmount(sentence: string): CapAmount | undefined {
  for (const limit of sentence.matchAll(LIMIT_WORDS)) {
    const tail = sentence.slice(limit.index, limit.index + 320);
    const money = MONEY.exec(tail);
    const fees = FEES.exec(tail);
    // The nearer of the two is the cap; "the greater of $X and the fees paid" names the sum first.
    if (money && (!fees || money.index <= fees.index)) {
      if (money[3] !== undefined) {
        const code = money[1]?.replace(/\s+/g, '').toUpperCase();
        const currency = code && CURRENCY_CODE.test(code) ? (code.includes('$') ? 'USD' : code) : (SYMBOL[money[2] ?? ''] ?? null);
        return { kind: 'fixed', amount: decimal(money[3], money[4], money[5]), currency };
      }
      const word = money[9]!.toLowerCase();
      return { kind: 'fixed', amount: decimal(money[6]!, money[7], money[8]), currency: word === 'dollars' ? 'USD' : word === 'euros' ? 'EUR' : 'GBP' };
    }
    if (fees) {
      // Insurance proceeds paid out are not a payment under the contract.
      if (/\binsurance\b/i.test(fees[0])) continue;
      const noun = /\b(?:amounts?|fees|sums?|prices?|charges|compensation|royalties|consideration|payments?|monies|moneys)\b/i.exec(fees[0])![0].toLowerCase();
      const times = fees[1] ?? fees[2];
      // "50% of the fees paid" is half of them.
      const percent = fees[3] ?? fees[4];
      const multiple = percent !== undefined ? Number(percent) / 100 : times === undefined ? null : (MULTIPLE_WORDS[times.toLowerCase()] ?? Number(times));
      const after = tail.slice(fees.index, fees.index + 260);
      const preceding = PRECEDING.exec(after);
      const period = preceding ? periodText(periodAt(preceding)) : null;
      return { kind: 'fees', basis: `${noun} ${fees[5]!.toLowerCase()}`, period, multiple };
    }
  }
  return undefined;
}

/** A cap amount as one line: "USD 1000000", "2 × fees paid in the 12 months preceding". */
export function capAmountText(cap: CapAmount): string {
  if (cap.kind === 'fixed') return cap.currency ? `${cap.currency} ${cap.amount}` : cap.amount;
  const multiple = cap.multiple !== null && cap.multiple !== 1 ? `${cap.multiple} × ` : '';
  return `${multiple}${cap.basis}${cap.period ? ` in the ${cap.period} preceding` : ''}`;
}
