// Exact decimal arithmetic for governance: thresholds, amounts and FX rates stay decimal strings and are
// compared and multiplied as scaled BigInts, so 99,999.9999 is below 100,000 and a rate of 0.79 is 0.79,
// not the nearest binary float. Conversions keep the rate's full precision and round half-up (away from
// zero) to AMOUNT_DECIMALS places only at the end.

/** Decimal places a converted amount keeps. */
export const AMOUNT_DECIMALS = 4;

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** A decimal as an integer count of 10^-scale units. */
type Scaled = { units: bigint; scale: number };

/** True when `value` is a plain decimal string: optional '-', digits, optional '.' and digits (no exponent, no grouping). */
export function isDecimal(value: string): boolean {
  return DECIMAL.test(value);
}

function parse(value: string): Scaled {
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

/** The canonical spelling of a decimal: no leading zeros, no trailing fractional zeros, no '-0' ('010.500' → '10.5'). */
export function normaliseDecimal(value: string): string {
  let { units, scale } = parse(value);
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale--;
  }
  return render({ units, scale });
}

/** Compares two decimal strings exactly: -1, 0 or 1 as `a` is less than, equal to or greater than `b`. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const p = parse(a);
  const q = parse(b);
  const scale = Math.max(p.scale, q.scale);
  const x = rescale(p, scale);
  const y = rescale(q, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Rounds half-up (ties away from zero) to `decimals` places; never adds places the value does not have. */
export function roundDecimal(value: string, decimals: number = AMOUNT_DECIMALS): string {
  const d = parse(value);
  if (d.scale <= decimals) return render(d);
  const divisor = 10n ** BigInt(d.scale - decimals);
  const magnitude = d.units < 0n ? -d.units : d.units;
  let q = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) q += 1n;
  return render({ units: d.units < 0n ? -q : q, scale: decimals });
}

/** The exact product of two decimals, then rounded half-up to `decimals` places. */
export function multiplyDecimal(a: string, b: string, decimals: number = AMOUNT_DECIMALS): string {
  const p = parse(a);
  const q = parse(b);
  return roundDecimal(render({ units: p.units * q.units, scale: p.scale + q.scale }), decimals);
}

/** `value` in a foreign currency times `rate` (units of the target currency per unit), rounded half-up to 4 places. */
export function convertAmount(value: string, rate: string): string {
  return multiplyDecimal(value, rate, AMOUNT_DECIMALS);
}

/** True when numerator/denominator ≥ `rate` (a decimal string), computed exactly. */
export function ratioAtLeast(numerator: number, denominator: number, rate: string): boolean {
  const r = parse(rate);
  return BigInt(numerator) * 10n ** BigInt(r.scale) >= r.units * BigInt(denominator);
}

/** A decimal with thousands separators, keeping its own places ('100000' → '100,000', '9999.5' → '9,999.5'). */
export function groupDigits(value: string): string {
  const m = DECIMAL.exec(value);
  if (!m) throw new RangeError(`"${value}" is not a decimal number`);
  const int = m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${m[1]}${int}${m[3] === undefined ? '' : `.${m[3]}`}`;
}

/** An amount for a sentence: at least two decimal places, more only when they matter ('10000' GBP → '10,000.00 GBP'). */
export function formatAmount(value: string, currency: string): string {
  const n = normaliseDecimal(value);
  const places = n.includes('.') ? n.length - n.indexOf('.') - 1 : 0;
  const padded = places >= 2 ? n : render({ units: rescale(parse(n), 2), scale: 2 });
  return `${groupDigits(padded)} ${currency}`;
}
