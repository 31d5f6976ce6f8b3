// How agents write money for people: "£24,210,088.95", symbol for the common currencies and the code otherwise.

/** Symbols written instead of the ISO code; other currencies keep their code ("CHF 1,000.00"). */
export const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = { GBP: '£', USD: '$', EUR: '€' };

/** Formats a decimal string with its currency and thousands separators, without going through a float. */
export function money(amount: string, currency: string): string {
  const neg = amount.startsWith('-');
  const [whole = '0', frac = ''] = amount.replace('-', '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (frac + '00').slice(0, 2);
  const s = CURRENCY_SYMBOLS[currency];
  return `${neg ? '-' : ''}${s ?? `${currency} `}${grouped}.${cents}`;
}
