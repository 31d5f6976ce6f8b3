// Money: an exact decimal string with its ISO 4217 currency. Amounts are never binary floats: 0.1 + 0.2 is 0.3,
// 99,999.9999 is below 100,000, and a rate of 0.79 is 0.79. Arithmetic works on scaled BigInts (an integer
// count of 10^-scale units) and keeps every place it is given; rounding happens only where asked, half-up
// (ties away from zero: 0.125 → 0.13, -0.125 → -0.13), which is what the authority matrix's thresholds and a
// person checking a figure on a calculator expect. Formatting turns the same strings into text for people,
// per currency (symbol, minor units) and locale (separators, symbol position), without going through a float.

/** An amount of money: a plain decimal string ("1234.50", "-5") and an ISO 4217 code ("GBP"). */
export type Money = { value: string; currency: string };

/** Decimal places stored amounts keep (`numeric(20,4)`), and converted amounts are rounded to. */
export const AMOUNT_DECIMALS = 4;

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;
const CURRENCY = /^[A-Z]{3}$/;

/** A decimal as an integer count of 10^-scale units. */
type Scaled = { units: bigint; scale: number };

/** True when `value` is a plain decimal string: optional '-', digits, optional '.' and digits (no exponent, no grouping). */
export function isDecimal(value: string): boolean {
  return DECIMAL.test(value);
}

function scaled(value: string): Scaled {
  const m = DECIMAL.exec(value);
  if (!m) throw new RangeError(`"${value}" is not a decimal number`);
  const fraction = m[3] ?? '';
  const units = BigInt(m[2]! + fraction);
  return { units: m[1] === '-' ? -units : units, scale: fraction.length };
}

function render({ units, scale }: Scaled): string {
  const digits = (units < 0n ? -units : units).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const text = scale === 0 ? int : `${int}.${digits.slice(digits.length - scale)}`;
  return units < 0n ? `-${text}` : text;
}

function rescale(d: Scaled, scale: number): bigint {
  return d.units * 10n ** BigInt(scale - d.scale);
}

function aligned(a: string, b: string): { x: bigint; y: bigint; scale: number } {
  const p = scaled(a);
  const q = scaled(b);
  const scale = Math.max(p.scale, q.scale);
  return { x: rescale(p, scale), y: rescale(q, scale), scale };
}

/** The canonical spelling of a decimal: no leading zeros, no trailing fractional zeros, no '-0' ('010.500' → '10.5'). */
export function normaliseDecimal(value: string): string {
  let { units, scale } = scaled(value);
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale--;
  }
  return render({ units, scale });
}

/** Compares two decimal strings exactly: -1, 0 or 1 as `a` is less than, equal to or greater than `b`. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const { x, y } = aligned(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `a + b` exactly; the sum keeps the larger number of decimal places ('1.50' + '2' = '3.50'). */
export function addDecimal(a: string, b: string): string {
  const { x, y, scale } = aligned(a, b);
  return render({ units: x + y, scale });
}

/** `a - b` exactly, keeping the larger number of decimal places. */
export function subtractDecimal(a: string, b: string): string {
  const { x, y, scale } = aligned(a, b);
  return render({ units: x - y, scale });
}

/** Rounds half-up (ties away from zero) to `decimals` places; never adds places the value does not have. */
export function roundDecimal(value: string, decimals: number = AMOUNT_DECIMALS): string {
  const d = scaled(value);
  if (d.scale <= decimals) return render(d);
  const divisor = 10n ** BigInt(d.scale - decimals);
  const magnitude = d.units < 0n ? -d.units : d.units;
  let q = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) q += 1n;
  return render({ units: d.units < 0n ? -q : q, scale: decimals });
}

/** The exact product of two decimals, then rounded half-up to `decimals` places. */
export function multiplyDecimal(a: string, b: string, decimals: number = AMOUNT_DECIMALS): string {
  const p = scaled(a);
  const q = scaled(b);
  return roundDecimal(render({ units: p.units * q.units, scale: p.scale + q.scale }), decimals);
}

/** `a / b` rounded half-up to `decimals` places, without trailing zeros; undefined when `b` is zero. */
export function divideDecimal(a: string, b: string, decimals: number = AMOUNT_DECIMALS): string | undefined {
  const x = scaled(a);
  const y = scaled(b);
  if (y.units === 0n) return undefined;
  // a/b = (x.units / 10^xs) / (y.units / 10^ys), times 10^decimals to keep that many places.
  const num = x.units * 10n ** BigInt(decimals + y.scale);
  const den = y.units * 10n ** BigInt(x.scale);
  const negative = num < 0n !== den < 0n;
  const n = num < 0n ? -num : num;
  const d = den < 0n ? -den : den;
  const q = (n * 2n + d) / (d * 2n);
  return normaliseDecimal(render({ units: negative ? -q : q, scale: decimals }));
}

/** How many decimal places `value` is written with ('1.50' → 2). */
export function decimalPlaces(value: string): number {
  return scaled(value).scale;
}

/** `value` with exactly `places` decimals: rounded half-up when it has more, padded with zeros when fewer. */
export function fixDecimal(value: string, places: number): string {
  const d = scaled(roundDecimal(value, places));
  return render({ units: rescale(d, places), scale: places });
}

/** True when `code` looks like an ISO 4217 code (three capital letters). */
export function isCurrencyCode(code: string): boolean {
  return CURRENCY.test(code);
}

/** Money from a decimal string and a currency code (upper-cased); throws a RangeError naming what is wrong. */
export function parseMoney(value: string, currency: string): Money {
  const v = value.trim();
  const c = currency.trim().toUpperCase();
  if (!isDecimal(v)) throw new RangeError(`"${value}" is not a decimal amount such as "1234.50"`);
  if (!isCurrencyCode(c)) throw new RangeError(`"${currency}" is not an ISO 4217 currency code such as GBP`);
  return { value: v, currency: c };
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new RangeError(`cannot combine ${a.currency} with ${b.currency} without a rate`);
}

/** `a + b` in their common currency; amounts in two currencies need a rate first (throws). */
export function addMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { value: addDecimal(a.value, b.value), currency: a.currency };
}

/** The exact sum of amounts in one currency (`currency` names it for an empty list). */
export function sumMoney(amounts: readonly Money[], currency: string): Money {
  return amounts.reduce((acc, m) => addMoney(acc, m), { value: '0', currency });
}

/** Compares two amounts of one currency exactly: -1, 0 or 1. */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return compareDecimal(a.value, b.value);
}

// Currencies whose minor unit is not the cent (ISO 4217); every other currency has two places.
const MINOR_UNITS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** Decimal places of the currency's minor unit: 2 for most, 0 for JPY, 3 for KWD. */
export function minorUnits(currency: string): number {
  return MINOR_UNITS[currency] ?? 2;
}

/** The amount rounded half-up to its currency's minor unit (a bill is paid in pence, not in ten-thousandths). */
export function roundMoney(m: Money): Money {
  return { value: fixDecimal(m.value, minorUnits(m.currency)), currency: m.currency };
}

/** Symbols written instead of the ISO code; other currencies keep their code ("CHF 1,000.00"). */
export const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = { GBP: '£', USD: '$', EUR: '€' };

// Symbols as people type them, and the currency each is read as when no code comes with it ('$' as USD, '¥' as
// JPY: the common reading; an import that means CAD or CNY says so with a code or --currency).
const SYMBOL_READINGS: ReadonlyMap<string, string> = new Map([
  ['£', 'GBP'],
  ['$', 'USD'],
  ['€', 'EUR'],
  ['¥', 'JPY'],
]);

/** The currency a typed symbol is read as ("£" → GBP), or undefined for anything that is not a currency symbol. */
export function currencyOfSymbol(symbol: string): string | undefined {
  return SYMBOL_READINGS.get(symbol);
}

type LocaleStyle = { group: string; decimal: string; symbolFirst: boolean };
const LOCALE_STYLES = new Map<string, LocaleStyle>();

/** Separators and symbol position of a locale, read once from Intl with a sample number (never our amounts). */
function localeStyle(locale: string): LocaleStyle {
  let style = LOCALE_STYLES.get(locale);
  if (style) return style;
  const parts = new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).formatToParts(1234.5);
  const kinds = parts.map((p) => p.type);
  style = {
    group: parts.find((p) => p.type === 'group')?.value ?? ',',
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
    symbolFirst: kinds.indexOf('currency') < kinds.indexOf('integer'),
  };
  LOCALE_STYLES.set(locale, style);
  return style;
}

export type FormatOptions = {
  /**
   * 'symbol' (default) for answers and cards: "£1,234.50", "-£5.00", "CHF 1,000.00". 'code' for policy and
   * finding sentences, which state amounts the way the authority matrix does: "10,000.00 GBP".
   */
  display?: 'symbol' | 'code';
  /** 'minor' (default): rounded half-up to the currency's minor unit. 'exact': at least that many places, more when they are not zero. */
  places?: 'minor' | 'exact';
  /** BCP 47 locale for separators and the symbol's side (default en-GB); digits are grouped in threes. */
  locale?: string;
};

/** Money as text for people, from its exact decimal string ("£1,234.50", "JPY 1,235", "1.234,50 €" in de-DE). */
export function formatMoney(value: string, currency: string, opts: FormatOptions = {}): string {
  const minor = minorUnits(currency);
  let digits: string;
  if (opts.places === 'exact') {
    const n = normaliseDecimal(value);
    const own = n.includes('.') ? n.length - n.indexOf('.') - 1 : 0;
    digits = own > minor ? n : fixDecimal(n, minor);
  } else {
    digits = fixDecimal(value, minor);
  }
  const negative = digits.startsWith('-') && /[1-9]/.test(digits);
  const [int = '0', frac] = digits.replace('-', '').split('.');
  const style = localeStyle(opts.locale ?? 'en-GB');
  const number = int.replace(/\B(?=(\d{3})+(?!\d))/g, style.group) + (frac === undefined ? '' : `${style.decimal}${frac}`);
  const sign = negative ? '-' : '';
  if (opts.display === 'code') return `${sign}${number} ${currency}`;
  const symbol = CURRENCY_SYMBOLS[currency];
  if (!style.symbolFirst) return `${sign}${number} ${symbol ?? currency}`;
  return symbol ? `${sign}${symbol}${number}` : `${sign}${currency} ${number}`;
}

/** An amount for a policy or finding sentence: at least two places, more only when they matter ('10000' GBP → '10,000.00 GBP'). */
export function formatAmount(value: string, currency: string): string {
  return formatMoney(value, currency, { display: 'code', places: 'exact' });
}
