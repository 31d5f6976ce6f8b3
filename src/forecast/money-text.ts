// Forecast figures as money: exact decimal strings at the currency's minor unit for structured output, and
// rounded amounts for sentences (a forecast is an estimate; "£1.23m" says so better than "£1,228,417.06").
import { formatMoney, minorUnits } from '../domain/money.js';

/** A forecast figure as a decimal string at the currency's minor unit ("-0" reads "0.00"). */
export function decimalOf(value: number, currency: string): string {
  const places = minorUnits(currency);
  const s = value.toFixed(places);
  return /^-0(?:\.0*)?$/.test(s) ? s.slice(1) : s;
}

/** An estimate for a sentence: three significant figures, with k or m ("£1.23m", "£48.2k", "£950"). */
export function approxMoney(value: number, currency: string): string {
  const abs = Math.abs(value);
  const [scale, suffix] = abs >= 1e6 ? [1e6, 'm'] : abs >= 1e4 ? [1e3, 'k'] : [1, ''];
  const scaled = value / scale;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.max(Math.abs(scaled), 1))));
  const text = formatMoney(scaled.toFixed(suffix ? digits : 0), currency, { places: 'exact' });
  return `${suffix ? text.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '') : text.replace(/\.0+$/, '')}${suffix}`;
}
