// Finds the time period a question is about: "March 2025", "Q1 2025", "H1 2025", "the first half of 2025",
// "last quarter", "FY2024-25", "financial year 2024",
// "since January", "between 3 Feb and 10 Mar", "in 2012", "last 90 days", "year to date". Relative periods
// are resolved against `today`; a month without a year is the most recent one that has started.

export type Period = {
  from: string;
  to: string;
  /** How a person would say it back: "March 2025", "Q1 2025", "1 Feb 2025 – 10 Mar 2025". */
  label: string;
  grain: 'day' | 'month' | 'quarter' | 'half' | 'year' | 'range';
  /** The words in the question that named it, so the rest of the question can be read without them. */
  matched: string;
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTH_RE = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';

const iso = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const monthIndex = (word: string) => MONTHS.indexOf(word.slice(0, 3).toLowerCase());
const fullYear = (y: string) => (y.length === 2 ? 2000 + Number(y) : Number(y));
const fmt = (s: string) => {
  const [y, m, d] = s.split('-').map(Number);
  return `${d} ${MONTH_NAMES[m! - 1]!.slice(0, 3)} ${y}`;
};

function monthPeriod(y: number, m: number, matched: string): Period {
  return { from: iso(y, m, 1), to: iso(y, m, lastDay(y, m)), label: `${MONTH_NAMES[m - 1]} ${y}`, grain: 'month', matched };
}
function quarterPeriod(y: number, q: number, matched: string): Period {
  const m = (q - 1) * 3 + 1;
  return { from: iso(y, m, 1), to: iso(y, m + 2, lastDay(y, m + 2)), label: `Q${q} ${y}`, grain: 'quarter', matched };
}
function halfPeriod(y: number, h: number, matched: string): Period {
  const m = h === 1 ? 1 : 7;
  return { from: iso(y, m, 1), to: iso(y, m + 5, lastDay(y, m + 5)), label: `H${h} ${y}`, grain: 'half', matched };
}
function yearPeriod(y: number, matched: string): Period {
  return { from: iso(y, 1, 1), to: iso(y, 12, 31), label: String(y), grain: 'year', matched };
}
function range(from: string, to: string, matched: string, label?: string): Period {
  return { from, to, label: label ?? `${fmt(from)} – ${fmt(to)}`, grain: 'range', matched };
}
function addDays(s: string, days: number): string {
  const [y, m, d] = s.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + days)).toISOString().slice(0, 10);
}

/** Reads a day-month(-year) phrase like "3 Feb", "10 March 2025" or "Feb 3"; the year defaults to `year`. */
function dayMonth(text: string, year: number): string | undefined {
  let m = new RegExp(`^(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH_RE}(?:\\s+(\\d{4}))?$`, 'i').exec(text.trim());
  if (m) return validDate(m[3] ? Number(m[3]) : year, monthIndex(m[2]!) + 1, Number(m[1]));
  m = new RegExp(`^${MONTH_RE}\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?$`, 'i').exec(text.trim());
  if (m) return validDate(m[3] ? Number(m[3]) : year, monthIndex(m[1]!) + 1, Number(m[2]));
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (m) return validDate(Number(m[1]), Number(m[2]), Number(m[3]));
  return undefined;
}
function validDate(y: number, m: number, d: number): string | undefined {
  return m >= 1 && m <= 12 && d >= 1 && d <= lastDay(y, m) ? iso(y, m, d) : undefined;
}

/**
 * The period named in `text`, or undefined. `fiscalYearStartMonth` (1–12, default 4 = April) anchors "FY".
 */
export function parsePeriod(text: string, today: Date, fiscalYearStartMonth = 4): Period | undefined {
  const t = text.toLowerCase();
  const ty = today.getUTCFullYear();
  const tm = today.getUTCMonth() + 1;
  const todayIso = today.toISOString().slice(0, 10);
  let m: RegExpExecArray | null;

  // Explicit ranges first: they contain dates that other rules would read on their own.
  m = /\b(?:between|from)\s+(.+?)\s+(?:and|to|until|-)\s+(.+?)(?=[?.!,]|$|\s+(?:for|with|on|by)\b)/i.exec(t);
  if (m) {
    const yearHint = /\b(\d{4})\b/.exec(m[2]!)?.[1];
    const year = yearHint ? Number(yearHint) : ty;
    const a = dayMonth(m[1]!, year);
    const b = dayMonth(m[2]!, year);
    if (a && b && a <= b) return range(a, b, m[0]);
  }
  m = new RegExp(`\\bsince\\s+(?:${MONTH_RE}(?:\\s+(\\d{4}))?|(\\d{4}-\\d{2}-\\d{2})|(\\d{4}))\\b`, 'i').exec(t);
  if (m) {
    let from: string | undefined;
    if (m[1]) {
      const mi = monthIndex(m[1]) + 1;
      const y = m[2] ? Number(m[2]) : mi <= tm ? ty : ty - 1;
      from = iso(y, mi, 1);
    } else if (m[3]) from = m[3];
    else if (m[4]) from = iso(Number(m[4]), 1, 1);
    if (from) return range(from, todayIso, m[0], `since ${fmt(from)}`);
  }
  m = /\b(?:fy\s*|financial year\s+|fiscal year\s+)'?(\d{2}|\d{4})\s*(?:[-/–]\s*(\d{2}|\d{4}))?\b/i.exec(t);
  if (m) {
    // FY2024-25 and FY24/25 start in 2024; a lone "FY2025" is the year that ends in 2025 when FY does not start in January.
    const first = fullYear(m[1]!);
    const start = m[2] || fiscalYearStartMonth === 1 ? first : first - 1;
    const from = iso(start, fiscalYearStartMonth, 1);
    const to = addDays(iso(start + 1, fiscalYearStartMonth, 1), -1);
    const label = fiscalYearStartMonth === 1 ? `FY${start}` : `FY${start}-${String(start + 1).slice(2)}`;
    return range(from, to, m[0], label);
  }
  m = /\b(?:q([1-4])\s*(?:of\s+)?'?(\d{4}|\d{2})|(\d{4})\s*q([1-4])|(first|second|third|fourth)\s+quarter\s+(?:of\s+)?(\d{4}))\b/i.exec(t);
  if (m) {
    if (m[1]) return quarterPeriod(fullYear(m[2]!), Number(m[1]), m[0]);
    if (m[3]) return quarterPeriod(Number(m[3]), Number(m[4]), m[0]);
    return quarterPeriod(Number(m[6]), ['first', 'second', 'third', 'fourth'].indexOf(m[5]!) + 1, m[0]);
  }
  // Half-years: "H1 2025", "2025 H2", "the first half of 2025", "second half of last year".
  m = /\b(?:h([12])\s*'?(\d{4}|\d{2})|(\d{4})\s*h([12])|(first|second|1st|2nd)\s+half\s+(?:of\s+)?(?:(\d{4})|(last|this|previous|current)\s+year))\b/i.exec(t);
  if (m) {
    if (m[1]) return halfPeriod(fullYear(m[2]!), Number(m[1]), m[0]);
    if (m[3]) return halfPeriod(Number(m[3]), Number(m[4]), m[0]);
    const h = /^(?:first|1st)$/i.test(m[5]!) ? 1 : 2;
    const y = m[6] ? Number(m[6]) : /^(?:last|previous)$/i.test(m[7]!) ? ty - 1 : ty;
    return halfPeriod(y, h, m[0]);
  }
  m = /\b(last|this|previous|current)\s+(quarter|month|year)\b/i.exec(t);
  if (m) {
    const back = m[1] === 'last' || m[1] === 'previous' ? 1 : 0;
    if (m[2] === 'year') return yearPeriod(ty - back, m[0]);
    if (m[2] === 'month') {
      const mm = tm - back;
      return monthPeriod(mm >= 1 ? ty : ty - 1, mm >= 1 ? mm : 12, m[0]);
    }
    const q = Math.ceil(tm / 3) - back;
    return quarterPeriod(q >= 1 ? ty : ty - 1, q >= 1 ? q : 4, m[0]);
  }
  m = /\b(?:last|past|previous)\s+(\d{1,4})\s+(days?|weeks?|months?)\b/i.exec(t);
  if (m) {
    const n = Number(m[1]);
    const days = m[2]!.startsWith('day') ? n : m[2]!.startsWith('week') ? n * 7 : Math.round(n * 30.44);
    return range(addDays(todayIso, -days + 1), todayIso, m[0], `the last ${n} ${m[2]}`);
  }
  m = /\b(?:year to date|ytd)\b/i.exec(t);
  if (m) return range(iso(ty, 1, 1), todayIso, m[0], `${ty} to date`);
  m = new RegExp(`\\b${MONTH_RE}\\s*(?:of\\s+)?'?(\\d{4})\\b`, 'i').exec(t);
  if (m) return monthPeriod(Number(m[2]), monthIndex(m[1]!) + 1, m[0]);
  m = /\b(\d{4})-(\d{2})\b(?!-)/.exec(t);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return monthPeriod(Number(m[1]), Number(m[2]), m[0]);
  m = /\b(?:in|during|for|of|year)\s+(\d{4})\b/i.exec(t) ?? /\b((?:19|20)\d{2})\b/.exec(t);
  if (m) return yearPeriod(Number(m[1]), m[0]);
  m = new RegExp(`\\b(?:in|during|for)\\s+${MONTH_RE}\\b`, 'i').exec(t) ?? new RegExp(`\\b${MONTH_RE}\\b(?!\\s*\\d)`, 'i').exec(t);
  if (m && !(m[1] === 'may' && !/\bin\s+may\b/i.test(t))) {
    const mi = monthIndex(m[1]!) + 1;
    return monthPeriod(mi <= tm ? ty : ty - 1, mi, m[0]);
  }
  return undefined;
}

/** The period just before `p`, of the same length (for "and the month before?" and trend comparisons). */
export function previousPeriod(p: Period): Period {
  if (p.grain === 'month') {
    const [y, m] = p.from.split('-').map(Number);
    return monthPeriod(m === 1 ? y! - 1 : y!, m === 1 ? 12 : m! - 1, '');
  }
  if (p.grain === 'quarter') {
    const [y, m] = p.from.split('-').map(Number);
    const q = Math.ceil(m! / 3);
    return quarterPeriod(q === 1 ? y! - 1 : y!, q === 1 ? 4 : q - 1, '');
  }
  if (p.grain === 'half') {
    const y = Number(p.from.slice(0, 4));
    return p.from.slice(5, 7) === '01' ? halfPeriod(y - 1, 2, '') : halfPeriod(y, 1, '');
  }
  if (p.grain === 'year') return yearPeriod(Number(p.from.slice(0, 4)) - 1, '');
  const days = Math.round((Date.parse(p.to) - Date.parse(p.from)) / 86_400_000) + 1;
  return range(addDays(p.from, -days), addDays(p.from, -1), '');
}
