// What a spend forecast is built from: the key resolved to the categories, supplier or department it names, the
// last complete month of the organisation's data, and one zero-filled monthly series per group and currency.

import type { Database } from '../db/client.js';
import {
  closestGroupNames,
  lastSpendDate,
  type MonthlyGroupBy,
  matchGroupNames,
  monthlySpend,
} from '../db/queries/spend-monthly.js';
import { resolveSupplier } from '../db/queries/supplier-lookup.js';
import { addMonths, denseMonthly, monthLabel } from '../domain/months.js';

/** What the reads need: the database and the clock (the MCP servers' and the web app's dependencies both fit). */
export type HistoryDeps = { database: Database; now: () => Date };

export type Matched = { by: 'exact' | 'word' | 'id' | 'name' | 'alias' | 'fuzzy'; names: string[] };

export type History = { key: string; label: string; currency: string; start: string; values: number[]; lines: number };

/**
 * The last complete month of data whose latest date is `last` (not of the calendar): that date's month, unless the
 * month is still running on `now`, in which case the month before, with why, for notes. (How far into its month
 * the last date falls says nothing: orders placed on the 5th of each month end their months on the 5th.)
 */
export function completeMonthOf(last: string, now: Date): { month: string; note?: string } {
  const month = last.slice(0, 7);
  const current = now.toISOString().slice(0, 7);
  if (month >= current) {
    return { month: addMonths(current, -1), note: `${monthLabel(current)} is still running, so history ends at ${monthLabel(addMonths(current, -1))}.` };
  }
  return { month };
}

/** The last complete month of the organisation's spend (see `completeMonthOf`); undefined when there is none. */
export async function lastCompleteMonth(deps: HistoryDeps): Promise<{ month: string; note?: string } | undefined> {
  const last = await lastSpendDate(deps.database);
  return last ? completeMonthOf(last, deps.now()) : undefined;
}

/** Resolves `key` for `groupBy`: the group keys it names, or a readable reason it names nothing. */
export async function resolveKey(
  deps: HistoryDeps,
  groupBy: Exclude<MonthlyGroupBy, 'total'>,
  key: string,
): Promise<{ ok: true; keys: string[]; matched: Matched } | { ok: false; message: string }> {
  if (groupBy === 'supplier') {
    const r = await resolveSupplier(deps.database, key);
    if (!r.ok) return { ok: false, message: r.message };
    return { ok: true, keys: [r.supplier.id], matched: { by: r.matchedBy, names: [r.supplier.name] } };
  }
  const m = await matchGroupNames(deps.database, groupBy, key);
  if (m.keys.length === 0) {
    const closest = await closestGroupNames(deps.database, groupBy, key);
    return {
      ok: false,
      message: `No ${groupBy} is called "${key}" or has it as a word in its name.${closest.length > 0 ? ` Closest: ${closest.join('; ')}.` : ''}`,
    };
  }
  return { ok: true, keys: m.keys, matched: { by: m.matchedBy, names: m.labels } };
}

/**
 * Monthly histories up to `last`, one per group and currency (never summed across currencies). When a key
 * matched several categories or departments by word, their lines form one series named by the phrase.
 */
export async function loadHistories(
  deps: HistoryDeps,
  groupBy: MonthlyGroupBy,
  opts: { keys?: string[]; currency?: string; last: string; combineAs?: string },
): Promise<History[]> {
  const rows = await monthlySpend(deps.database, groupBy, {
    ...(opts.keys ? { keys: opts.keys } : {}),
    ...(opts.currency ? { currency: opts.currency } : {}),
  });
  const groups = new Map<string, { key: string; label: string; currency: string; totals: Map<string, number>; lines: number }>();
  for (const r of rows) {
    const key = opts.combineAs ? opts.combineAs.toLowerCase() : r.key;
    const id = `${key}\u0000${r.currency}`;
    let g = groups.get(id);
    if (!g) {
      g = { key, label: opts.combineAs ?? r.label, currency: r.currency, totals: new Map(), lines: 0 };
      groups.set(id, g);
    }
    g.totals.set(r.month, (g.totals.get(r.month) ?? 0) + Number(r.total));
    g.lines += r.lines;
  }
  const out: History[] = [];
  for (const g of groups.values()) {
    const dense = denseMonthly(g.totals, opts.last);
    if (dense) out.push({ key: g.key, label: g.label, currency: g.currency, ...dense, lines: g.lines });
  }
  return out;
}
