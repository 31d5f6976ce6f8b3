// A contract's burn from the database: paid (exact), committed (exact), remaining (exact), and the projection
// of the running total to the contract's end (forecast). Used by the demand server's contract_burn tool and by
// the contract-burn monitor, so both say the same thing.
import type { Database } from '../db/client.js';
import { type BurnContract, contractMonthlySpend, openCommitments } from '../db/queries/contract-burn.js';
import { addDecimal, subtractDecimal } from '../domain/money.js';
import { type BurnProjection, projectBurn } from './burn.js';
import { addMonths, monthsBetween } from '../domain/months.js';

export type ContractBurn = {
  contract: BurnContract;
  /** Exact decimals in the contract's currency. */
  spent: string;
  committed: string;
  committedOrders: number;
  remaining: string;
  /** The notice deadline (end date minus notice period), when both are known. */
  noticeDeadline: string | null;
  projection: BurnProjection;
};

function isoDaysBefore(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** Works out the burn of `c` (which must have a value, a currency and an end date) as of `today` (YYYY-MM-DD). */
export async function contractBurn(database: Database, c: BurnContract, today: string): Promise<ContractBurn> {
  const currency = c.currency!;
  const currentMonth = today.slice(0, 7);
  const byMonth = await contractMonthlySpend(database, c, today);
  let spent = '0';
  for (const total of byMonth.values()) spent = addDecimal(spent, total);
  const { total: committed, orders } = await openCommitments(database, c.id, currency);
  const first = c.startDate?.slice(0, 7) ?? [...byMonth.keys()][0] ?? currentMonth;
  const historyStart = [first, currentMonth].sort()[0]!;
  const history = Array.from({ length: monthsBetween(historyStart, addMonths(currentMonth, -1)) }, (_, i) =>
    Number(byMonth.get(addMonths(historyStart, i)) ?? 0),
  );
  const spentThisMonth = Number(byMonth.get(currentMonth) ?? 0);
  const projection = projectBurn({
    value: Number(c.value),
    spentBefore: history.reduce((s, v) => s + v, 0),
    spentThisMonth,
    committed: Number(committed),
    history,
    historyStart,
    currentMonth,
    endMonth: c.endDate!.slice(0, 7),
  });
  return {
    contract: c,
    spent,
    committed,
    committedOrders: orders,
    remaining: subtractDecimal(subtractDecimal(c.value!, spent), committed),
    noticeDeadline: c.endDate && c.noticePeriodDays !== null ? isoDaysBefore(c.endDate, c.noticePeriodDays) : null,
    projection,
  };
}
