// Amounts as governance uses them: foreign amounts converted at the policy's rates, and approval-rate checks.
// The decimal arithmetic itself lives in src/domain/money.ts; conversions keep the rate's full precision and
// round half-up to AMOUNT_DECIMALS places only at the end.
import { AMOUNT_DECIMALS, multiplyDecimal } from '../domain/money.js';

/** `value` in a foreign currency times `rate` (units of the target currency per unit), rounded half-up to 4 places. */
export function convertAmount(value: string, rate: string): string {
  return multiplyDecimal(value, rate, AMOUNT_DECIMALS);
}

/** True when numerator/denominator ≥ `rate` (a decimal string), computed exactly. */
export function ratioAtLeast(numerator: number, denominator: number, rate: string): boolean {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(rate);
  if (!m) throw new RangeError(`"${rate}" is not a decimal number`);
  const fraction = m[3] ?? '';
  const units = BigInt(`${m[1]}${m[2]}${fraction}`);
  return BigInt(numerator) * 10n ** BigInt(fraction.length) >= units * BigInt(denominator);
}
