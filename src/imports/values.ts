// Parses the messy cell values of spreadsheets and exports into canonical strings, or says why it cannot.
// Amounts stay decimal strings (arithmetic in src/domain/money.ts): binary floats cannot hold 0.1, and totals must match to the penny.
import { currencyOfSymbol } from '../domain/money.js';

/** The outcome of parsing one value: the canonical value, or a reason fit to show the user. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Order of day and month in all-numeric dates such as 05/01/2024. */
export type DateOrder = 'dmy' | 'mdy';

const MAX_DECIMALS = 6;
const PLAIN_NUMBER = /^(-?)(\d+)(?:\.(\d{1,6}))?$/;
// 1,234,567; and Indian 12,34,567 (groups of two before the last three), which is unambiguous too.
const WESTERN_GROUPS = /^\d{1,3}(?:,\d{3})+$/;
const INDIAN_GROUPS = /^\d{1,2}(?:,\d{2})+,\d{3}$/;
const MIN_YEAR = 1900;
const MAX_YEAR = 2100;
// Two-digit years below this are 20yy, the rest 19yy.
const CENTURY_PIVOT = 70;

// Codes a symbol may accompany ("CAD $10"); '$' is absent because many dollars and pesos share it.
const SYMBOL_CODES: ReadonlyMap<string, readonly string[]> = new Map([
  ['£', ['GBP']],
  ['€', ['EUR']],
  ['¥', ['JPY', 'CNY']],
]);
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

let isoCodes: ReadonlySet<string> | undefined;

/** True for ISO 4217 codes in current use, as known to the runtime's ICU data. */
function isCurrencyCode(code: string): boolean {
  isoCodes ??= new Set(Intl.supportedValuesOf('currency'));
  return isoCodes.has(code);
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

/**
 * Parses a money amount such as `£1,000.50`, `(1.234,56) EUR` or `1000 CR` into a canonical decimal string
 * (no thousands separators or exponent, decimals as written, at most 6) and the currency it names, if any.
 * Indian grouping (`1,00,000`) is accepted; a single comma with three digits after it is a thousands separator.
 */
export function parseAmount(input: string): Parsed<{ amount: string; currency?: string }> {
  return parseNumber(input, 'amount');
}

/** Parses a quantity like an amount but without a currency; negative quantities (returns) are allowed. */
export function parseQuantity(input: string): Parsed<string> {
  const r = parseNumber(input, 'quantity');
  if (!r.ok) return r;
  if (r.value.currency !== undefined) return fail(`"${input.trim()}" has a currency, but a quantity is a plain number`);
  return { ok: true, value: r.value.amount };
}

/** Parses a currency symbol (£ $ € ¥) or ISO 4217 code in any case into the upper-case code. */
export function parseCurrency(input: string): Parsed<string> {
  const s = input.trim();
  if (s === '') return fail('missing currency');
  const bySymbol = currencyOfSymbol(s);
  if (bySymbol !== undefined) return { ok: true, value: bySymbol };
  const code = s.toUpperCase();
  if (/^[A-Z]{3}$/.test(code) && isCurrencyCode(code)) return { ok: true, value: code };
  return fail(`"${s}" is not a currency code`);
}

type Token =
  | { kind: 'number'; text: string }
  | { kind: 'symbol'; text: string }
  | { kind: 'word'; text: string }
  | { kind: 'minus' | 'plus' | 'open' | 'close' };

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

function isLetter(ch: string | undefined): boolean {
  return ch !== undefined && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'));
}

function isNumberMark(ch: string | undefined): boolean {
  return ch === '.' || ch === ',' || ch === "'" || ch === '\u2019';
}

/** Splits an amount into numbers, currency symbols, words and sign marks; undefined when another character occurs. */
function tokenize(s: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === ' ') {
      i++;
    } else if (isDigit(ch) || ((ch === '.' || ch === ',') && isDigit(s[i + 1]))) {
      let j = i + 1;
      // A space inside a number only groups digits ("1 000"); before anything else it ends the number.
      while (j < s.length && (isDigit(s[j]) || isNumberMark(s[j]) || (s[j] === ' ' && isDigit(s[j + 1])))) j++;
      tokens.push({ kind: 'number', text: s.slice(i, j) });
      i = j;
    } else if (currencyOfSymbol(ch) !== undefined) {
      tokens.push({ kind: 'symbol', text: ch });
      i++;
    } else if (isLetter(ch)) {
      let j = i + 1;
      while (isLetter(s[j])) j++;
      tokens.push({ kind: 'word', text: s.slice(i, j).toUpperCase() });
      i = j;
    } else if (ch === '-' || ch === '\u2212') {
      tokens.push({ kind: 'minus' });
      i++;
    } else if (ch === '+' || ch === '(' || ch === ')') {
      tokens.push({ kind: ch === '+' ? 'plus' : ch === '(' ? 'open' : 'close' });
      i++;
    } else {
      return undefined;
    }
  }
  return tokens;
}

function parseNumber(input: string, noun: 'amount' | 'quantity'): Parsed<{ amount: string; currency?: string }> {
  const trimmed = input.trim();
  // Most files hold plain numbers; settle those before the general rules.
  const plain = PLAIN_NUMBER.exec(trimmed);
  if (plain) return { ok: true, value: { amount: formatNumber(plain[1] === '-', plain[2]!, plain[3] ?? '') } };
  // \s covers the non-breaking and thin spaces that European exports group thousands with.
  const s = trimmed.replace(/\s+/g, ' ');
  if (s === '') return fail(`missing ${noun}`);
  const tokens = tokenize(s);
  if (tokens === undefined) return notA(noun, s);
  const at = tokens.findIndex((t) => t.kind === 'number');
  const token = tokens[at];
  if (token?.kind !== 'number') return notA(noun, s);

  let numbers = 0;
  let negatives = 0;
  let plus = false;
  let open = false;
  let close = false;
  let symbol: string | undefined;
  let code: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const before = i < at;
    switch (t.kind) {
      case 'number':
        numbers++;
        break;
      case 'minus':
        negatives++;
        break;
      case 'plus':
        if (!before || plus) return notA(noun, s);
        plus = true;
        break;
      case 'open':
        if (!before || open) return notA(noun, s);
        open = true;
        negatives++;
        break;
      case 'close':
        if (before || close) return notA(noun, s);
        close = true;
        break;
      case 'symbol':
        if (symbol !== undefined) return fail(`"${s}" names more than one currency`);
        symbol = t.text;
        break;
      case 'word':
        if (t.text === 'CR' && !before) {
          // Accounting exports mark credits with a CR suffix.
          negatives++;
        } else if (t.text.length === 3 && isCurrencyCode(t.text)) {
          if (code !== undefined) return fail(`"${s}" names more than one currency`);
          code = t.text;
        } else {
          return notA(noun, s);
        }
        break;
    }
  }
  if (numbers > 1) return fail(`"${s}" contains more than one number`);
  if (open !== close) return fail(`"${s}" has an unmatched parenthesis`);
  if (negatives > 1 || (negatives === 1 && plus)) return fail(`"${s}" has more than one sign`);

  let currency = code;
  if (symbol !== undefined) {
    const allowed = SYMBOL_CODES.get(symbol);
    if (code !== undefined && allowed !== undefined && !allowed.includes(code)) {
      return fail(`"${s}" names two currencies, ${symbol} and ${code}`);
    }
    currency ??= currencyOfSymbol(symbol);
  }

  const number = splitNumber(token.text, s);
  if (!number.ok) return number;
  const amount = formatNumber(negatives === 1, number.value.digits, number.value.fraction);
  return { ok: true, value: currency === undefined ? { amount } : { amount, currency } };
}

function notA(noun: 'amount' | 'quantity', s: string): { ok: false; reason: string } {
  return fail(`"${s}" is not ${noun === 'amount' ? 'an amount' : 'a quantity'}`);
}

/** Canonical form: no leading zeros, decimals as written, and no minus sign on zero. */
function formatNumber(negative: boolean, digits: string, fraction: string): string {
  const int = digits.replace(/^0+/, '') || '0';
  const value = fraction === '' ? int : `${int}.${fraction}`;
  return negative && /[1-9]/.test(value) ? `-${value}` : value;
}

/** Splits one unsigned number into integer digits and decimals, working out which marks group and which is decimal. */
function splitNumber(text: string, s: string): Parsed<{ digits: string; fraction: string }> {
  let dots = 0;
  let commas = 0;
  let group: string | undefined;
  for (const ch of text) {
    if (ch === '.') dots++;
    else if (ch === ',') commas++;
    else if (!isDigit(ch)) {
      if (group !== undefined && group !== ch) return misplaced(s);
      group = ch;
    }
  }
  let decimal: string | undefined;
  if (dots > 0 && commas > 0) {
    // Both marks: whichever comes last is the decimal mark ("1,234.56", "1.234,56").
    if (group !== undefined) return misplaced(s);
    decimal = text.lastIndexOf('.') > text.lastIndexOf(',') ? '.' : ',';
    group = decimal === '.' ? ',' : '.';
  } else if (commas === 1) {
    const comma = text.indexOf(',');
    const after = text.length - comma - 1;
    if (after === 3 && group === undefined) {
      if (/^0*$/.test(text.slice(0, comma))) {
        return fail(`"${s}" is ambiguous: write decimals with a dot, or thousands without a leading 0`);
      }
      group = ',';
    } else if (after === 1 || after === 2) {
      decimal = ',';
    } else {
      return misplaced(s);
    }
  } else if (commas > 1 || dots > 1) {
    if (group !== undefined) return misplaced(s);
    group = commas > 1 ? ',' : '.';
  } else if (dots === 1) {
    decimal = '.';
  }

  const at = decimal === undefined ? -1 : text.indexOf(decimal);
  const intPart = at === -1 ? text : text.slice(0, at);
  const fraction = at === -1 ? '' : text.slice(at + 1);
  if (!/^\d*$/.test(fraction)) return misplaced(s);
  let digits = intPart;
  if (group !== undefined && intPart.includes(group)) {
    const grouped = group === ',' ? intPart : intPart.split(group).join(',');
    if (!WESTERN_GROUPS.test(grouped) && !INDIAN_GROUPS.test(grouped)) {
      return group === ' ' ? fail(`"${s}" contains more than one number`) : misplaced(s);
    }
    digits = grouped.replaceAll(',', '');
  }
  if (!/^\d*$/.test(digits)) return misplaced(s);
  if (fraction.length > MAX_DECIMALS) return fail(`"${s}" has more than ${MAX_DECIMALS} decimal places`);
  return { ok: true, value: { digits, fraction } };
}

function misplaced(s: string): { ok: false; reason: string } {
  return fail(`"${s}" has misplaced thousands or decimal separators`);
}

const TIME_SUFFIX =
  /(?:T|\s)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[ap]\.?m\.?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const YEAR_FIRST = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/;
const NUMERIC = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})$/;
const DAY_NAME_YEAR = /^(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]*([a-z]+)\.?,?[\s\-/.]*(\d{4}|\d{2})$/i;
const NAME_DAY_YEAR = /^([a-z]+)\.?[\s\-/.]*(\d{1,2})(?:st|nd|rd|th)?(?:,\s*|[\s\-/.]+)(\d{4}|\d{2})$/i;

/**
 * Parses a date in ISO, numeric (day first unless `order` is 'mdy'), or English month-name form into yyyy-mm-dd.
 * A time of day after the date is ignored; two-digit years below 70 are 20yy, the rest 19yy.
 */
export function parseDate(input: string, order: DateOrder = 'dmy'): Parsed<string> {
  const s = input.trim().replace(/\s+/g, ' ');
  if (s === '') return fail('missing date');
  const d = s.replace(TIME_SUFFIX, '');

  let m = YEAR_FIRST.exec(d);
  if (m) return checkDate(Number(m[1]), Number(m[3]), Number(m[4]));

  m = NUMERIC.exec(d);
  if (m) {
    const [first, second, year] = [Number(m[1]), Number(m[3]), fullYear(m[4]!)];
    const [day, month] = order === 'dmy' ? [first, second] : [second, first];
    if (month > 12 && isRealDate(year, day, month)) {
      const other = order === 'dmy' ? 'mdy' : 'dmy';
      const which = order === 'dmy' ? 'month-first' : 'day-first';
      return fail(`"${s}" has no month ${month}; if this file's dates are ${which}, use --date-order ${other}`);
    }
    return checkDate(year, month, day);
  }

  m = DAY_NAME_YEAR.exec(d);
  if (m) return namedMonthDate(s, fullYear(m[3]!), m[2]!, Number(m[1]));
  m = NAME_DAY_YEAR.exec(d);
  if (m) return namedMonthDate(s, fullYear(m[3]!), m[1]!, Number(m[2]));

  if (/^\d{5}(?:\.\d+)?$/.test(d)) {
    return fail(`"${s}" looks like a spreadsheet serial number; format the column as a date before exporting`);
  }
  return fail(`"${s}" is not a date`);
}

function namedMonthDate(s: string, year: number, name: string, day: number): Parsed<string> {
  const lower = name.toLowerCase();
  // Any prefix of three or more letters names a month: Jan, Sept, Febr.
  const month = lower.length >= 3 ? MONTHS.findIndex((full) => full.startsWith(lower)) + 1 : 0;
  if (month === 0) return fail(`"${s}" is not a date ("${name}" is not a month)`);
  return checkDate(year, month, day);
}

function fullYear(digits: string): number {
  const n = Number(digits);
  if (digits.length !== 2) return n;
  return n < CENTURY_PIVOT ? 2000 + n : 1900 + n;
}

function checkDate(year: number, month: number, day: number): Parsed<string> {
  const iso = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (year < MIN_YEAR || year > MAX_YEAR) return fail(`${iso}: the year is outside ${MIN_YEAR}–${MAX_YEAR}`);
  if (!isRealDate(year, month, day)) return fail(`${iso} is not a real date`);
  return { ok: true, value: iso };
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}
