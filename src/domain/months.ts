// Calendar months as "YYYY-MM" keys: stepping, counting, and zero-filling sparse monthly totals (forecasts, burn
// rates, and the month arithmetic of spend ranges).

/** The month `k` months after `month` ("2012-11" + 3 → "2013-02"). */
export function addMonths(month: string, k: number): string {
  const i = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + k;
  return `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** Months from `from` to `to` inclusive (0 when `to` is before `from`). */
export function monthsBetween(from: string, to: string): number {
  const a = Number(from.slice(0, 4)) * 12 + Number(from.slice(5, 7));
  const b = Number(to.slice(0, 4)) * 12 + Number(to.slice(5, 7));
  return Math.max(0, b - a + 1);
}

/** "Mar 2013" */
export function monthLabel(month: string): string {
  const names = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${names[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

/**
 * A dense monthly series from sparse totals: from the first month with spend to `last`, months without spend
 * as 0 (no spend is a fact, not a gap). Totals after `last` are left out.
 */
export function denseMonthly(totals: ReadonlyMap<string, number>, last: string): { start: string; values: number[] } | undefined {
  const months = [...totals.keys()].filter((m) => m <= last).sort();
  const start = months[0];
  if (start === undefined) return undefined;
  const values = Array.from({ length: monthsBetween(start, last) }, (_, i) => totals.get(addMonths(start, i)) ?? 0);
  return { start, values };
}
