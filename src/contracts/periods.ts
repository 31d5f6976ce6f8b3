// Periods as contracts write them ("ninety (90) days", "three-year", "12 months"), counted in days or worded back.

export type Unit = 'day' | 'week' | 'month' | 'year';
/** A period and where it was found: `start`/`end` are offsets into the searched text. */
export type Period = { n: number; unit: Unit; start: number; end: number };

const SMALL_NUMBERS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven',
  'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS_NUMBERS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const UNIT_WORD = `(?:${[...SMALL_NUMBERS.slice(1)].sort((a, b) => b.length - a.length).join('|')})`;
const TENS_WORD = `(?:${TENS_NUMBERS.filter(Boolean).join('|')})`;
const NUM_WORD = `(?:(?:one|two|three)[-\\s]hundred(?:(?:[-\\s]and)?[-\\s](?:${TENS_WORD}(?:[-\\s]${UNIT_WORD})?|${UNIT_WORD}))?|${TENS_WORD}(?:[-\\s]${UNIT_WORD})?|${UNIT_WORD})`;
const QTY = `(?:\\d{1,4}\\s*\\(\\s*${NUM_WORD}\\s*\\)|${NUM_WORD}\\s*\\(\\s*\\d{1,4}\\s*\\)|\\d{1,4}|${NUM_WORD})`;
// Group 1 is the quantity, group 2 the unit.
export const PERIOD_SRC = `\\b(${QTY})[-\\s]*(?:(?:calendar|business|working|consecutive)[-\\s]+)?(day|week|month|year)s?\\b`;

function wordsToNumber(words: string): number {
  let n = 0;
  for (const w of words.toLowerCase().split(/[-\s]+/)) {
    const small = SMALL_NUMBERS.indexOf(w);
    const tens = TENS_NUMBERS.indexOf(w);
    if (small >= 0) n += small;
    else if (tens >= 2) n += tens * 10;
    else if (w === 'hundred') n = (n || 1) * 100;
  }
  return n;
}

function quantityOf(s: string): number {
  const digits = /\d+/.exec(s);
  return digits ? Number(digits[0]) : wordsToNumber(s);
}

/** The period a `PERIOD_SRC` match names, at the match's offsets. */
export function periodAt(m: RegExpExecArray): Period {
  return { n: quantityOf(m[1]!), unit: m[2]!.toLowerCase() as Unit, start: m.index, end: m.index + m[0].length };
}

/** The first period ("ninety (90) days", "three-year", "12 months") in `s`. */
export function firstPeriod(s: string): Period | undefined {
  const m = new RegExp(PERIOD_SRC, 'i').exec(s);
  return m ? periodAt(m) : undefined;
}

/** A period in days, counting a month as 30 days and a year as 365. */
export function periodDays(p: { n: number; unit: Unit }): number {
  return p.n * { day: 1, week: 7, month: 30, year: 365 }[p.unit];
}

/** A period as stored, e.g. "3 years" or "1 month". */
export function periodText(p: { n: number; unit: Unit }): string {
  return `${p.n} ${p.unit}${p.n === 1 ? '' : 's'}`;
}
