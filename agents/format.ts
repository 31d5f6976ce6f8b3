// How agents write money for people: "£24,210,088.95", symbol for the common currencies and the code otherwise.

/** Formats a decimal string with its currency and thousands separators, without going through a float. */
export function money(amount: string, currency: string): string {
  const symbol: Record<string, string> = { GBP: '£', USD: '$', EUR: '€' };
  const neg = amount.startsWith('-');
  const [whole = '0', frac = ''] = amount.replace('-', '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (frac + '00').slice(0, 2);
  const s = symbol[currency];
  return `${neg ? '-' : ''}${s ?? `${currency} `}${grouped}.${cents}`;
}
