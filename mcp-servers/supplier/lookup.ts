// What the supplier tools share: the supplier argument and its resolution (or the closest matches), money and
// date helpers against the server's clock, and the output shapes of money totals and sanctions screening.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Database } from '../../src/db/client.js';
import { type ResolvedSupplier, resolveSupplier } from '../../src/db/queries/supplier-lookup.js';
import type { ContractRow } from '../../src/db/queries/suppliers.js';
import { addDecimal, compareDecimal, formatMoney } from '../../src/domain/money.js';
import { type ScreeningMatch, type ScreeningOutcome, screenName } from '../../src/screening/screen.js';
import { toolError } from '../shared/result.js';

/** The supplier argument every single-supplier tool takes. */
export const supplierArg = z
  .string({ error: (issue) => (issue.input === undefined ? 'supplier is required.' : 'supplier must be a string.') })
  .trim()
  .min(1, 'Give a supplier name, alias or id.')
  .max(200, 'A supplier reference is at most 200 characters.')
  .describe('Supplier name, alias, close spelling or id (uuid), e.g. "Refinitiv" or "Apex FM"');

/** An amount in one currency: a decimal string, never a float. */
export const moneySchema = z.strictObject({
  currency: z.string().describe('ISO 4217 code'),
  total: z.string().describe('Decimal string'),
  count: z.number().int().describe('Lines, orders, invoices or contracts summed'),
});
export type Money = z.infer<typeof moneySchema>;

/** How the supplier argument was resolved. */
export const resolvedSchema = z.strictObject({
  matchedBy: z.enum(['id', 'name', 'alias', 'fuzzy']),
  matchedAlias: z.string().nullable(),
  score: z.number().min(0).max(1),
});

/** One sanctions match as every tool reports it (matches `ScreeningMatch`). */
export const screeningMatchSchema = z.strictObject({
  score: z.number().min(0).max(1).describe('Name similarity, 0..1'),
  band: z.enum(['strong', 'possible']),
  list: z.strictObject({ source: z.string(), version: z.string() }),
  entryId: z.string().describe("The entry's id on its list (OFAC ent_num)"),
  entryName: z.string(),
  entryType: z.string().describe('individual, entity, vessel or aircraft'),
  programs: z.array(z.string()),
  matchedName: z.strictObject({
    name: z.string().describe('The listed name that matched (the primary name or an alias)'),
    kind: z.string().describe('primary, aka, fka or nka'),
    strength: z.string().describe('strong or weak (weak aliases are less reliable identifiers)'),
  }),
  remarks: z.string().nullable().describe('Start of the entry remarks'),
  why: z.array(z.string()).describe('Why the names match, in plain language'),
});

/** The lists a screening checked. */
export const screenedListSchema = z.strictObject({
  source: z.string(),
  version: z.string(),
  entries: z.number().int(),
});

/** A name's sanctions status in a profile or risk view: the verdict, the lists checked and the best match. */
export const sanctionsStatusSchema = z.strictObject({
  verdict: z.enum(['strong_match', 'possible_match', 'no_match', 'not_screened']),
  lists: z.array(screenedListSchema),
  matchCount: z.number().int(),
  topMatch: screeningMatchSchema.nullable(),
});
export type SanctionsStatus = z.infer<typeof sanctionsStatusSchema>;

export type Resolved = {
  supplier: ResolvedSupplier;
  resolved: z.infer<typeof resolvedSchema>;
};

/** Resolves the supplier argument, or returns the readable error result listing the closest suppliers. */
export async function resolveSupplierArg(
  database: Database,
  ref: string,
): Promise<{ ok: true; value: Resolved } | { ok: false; result: CallToolResult }> {
  const r = await resolveSupplier(database, ref);
  if (!r.ok) {
    const message = r.candidates.length > 0 ? r.message : `${r.message} Use find_suppliers to search by name.`;
    return { ok: false, result: toolError(message, { candidates: r.candidates }) };
  }
  return {
    ok: true,
    value: {
      supplier: r.supplier,
      resolved: { matchedBy: r.matchedBy, matchedAlias: r.matchedAlias ?? null, score: r.score },
    },
  };
}

/** Today's date (UTC) from the server clock, as yyyy-mm-dd. */
export function todayIso(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** The same calendar day `years` years earlier (29 February falls back to 28). */
export function yearsBefore(isoDay: string, years: number): string {
  const [y, m, d] = isoDay.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y - years, m - 1, d));
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}

/** A stored amount with trailing zeros beyond the cents dropped ("186000.0000" → "186000.00"); exact. */
export function money(amount: string): string {
  const [whole, frac = ''] = amount.split('.');
  const trimmed = frac.replace(/0+$/, '').padEnd(2, '0');
  return `${whole}.${trimmed}`;
}

/** "GBP 1,200.00 and USD 50.00", largest first; `none` when there is nothing. */
export function moneyText(totals: readonly { currency: string; total: string }[], none = 'nothing'): string {
  if (totals.length === 0) return none;
  return [...totals]
    .sort((a, b) => compareDecimal(b.total, a.total) || a.currency.localeCompare(b.currency))
    .map((t) => formatMoney(t.total, t.currency))
    .join(' and ');
}

/** Converts a screening match to its output shape. */
export function matchOutput(m: ScreeningMatch): z.infer<typeof screeningMatchSchema> {
  return {
    score: m.score,
    band: m.band,
    list: m.list,
    entryId: m.entryId,
    entryName: m.entryName,
    entryType: m.entryType,
    programs: m.programs,
    matchedName: m.matchedName,
    remarks: m.remarks,
    why: m.why,
  };
}

/** The lists of a screening in output shape. */
export function listsOutput(outcome: ScreeningOutcome): z.infer<typeof screenedListSchema>[] {
  return outcome.lists.map((l) => ({ source: l.source, version: l.version, entries: l.entryCount }));
}

/** Screens a supplier's name (and country) with the default threshold, summarised for a profile or risk view. */
export async function sanctionsStatus(
  database: Database,
  name: string,
  country: string | null,
): Promise<SanctionsStatus> {
  const outcome = await screenName(database, { name, ...(country ? { country } : {}), limit: 5 });
  const top = outcome.matches[0];
  return {
    verdict: outcome.verdict,
    lists: listsOutput(outcome),
    matchCount: outcome.matches.length,
    topMatch: top ? matchOutput(top) : null,
  };
}

/** One sentence on a sanctions status, e.g. "strong sanctions match: OFAC SDN 2024-04-26 entry 36 ...". */
export function sanctionsSentence(s: SanctionsStatus): string {
  const lists = s.lists.map((l) => `${l.source} ${l.version}`).join(', ');
  if (s.verdict === 'not_screened') return 'not screened: no sanctions list has been imported';
  const m = s.topMatch;
  if (!m) return `no sanctions match on ${lists}`;
  const what = `${m.list.source} ${m.list.version} entry ${m.entryId} ${m.entryName}${m.programs.length ? ` [${m.programs.join(', ')}]` : ''}, score ${m.score.toFixed(2)}`;
  return `${s.verdict === 'strong_match' ? 'STRONG sanctions match' : 'possible sanctions match'}: ${what}`;
}

/** A contract in a profile: its terms and whether it is active, expired or something else (draft). */
export const contractSchema = z.strictObject({
  contractNumber: z.string().nullable(),
  title: z.string(),
  status: z.string().describe('As recorded: draft, active, expired or terminated'),
  state: z.enum(['active', 'expired', 'other']).describe('Active = status active and not past its end date'),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  value: z.string().nullable().describe('Decimal string, in `currency`'),
  currency: z.string().nullable(),
  noticePeriodDays: z.number().int().nullable(),
  autoRenew: z.boolean().nullable(),
});

/** Whether a contract binds today: active and not past its end date; expired when ended or past its end date. */
export function contractState(
  c: Pick<ContractRow, 'status' | 'endDate'>,
  today: string,
): 'active' | 'expired' | 'other' {
  const ended = c.endDate !== null && c.endDate < today;
  if (c.status === 'active') return ended ? 'expired' : 'active';
  if (c.status === 'expired' || c.status === 'terminated') return 'expired';
  return 'other';
}

/** A recorded risk signal. */
export const riskSignalSchema = z.strictObject({
  kind: z.string(),
  severity: z.number().int(),
  title: z.string(),
  detail: z.string().nullable(),
  source: z.string().nullable(),
  observedAt: z.string(),
});

/** Exact per-currency sums of amounts, with how many were added; currencies in alphabetical order. */
export function sumByCurrency(items: readonly { currency: string; amount: string }[]): Money[] {
  const out = new Map<string, Money>();
  for (const { currency, amount } of items) {
    const prior = out.get(currency);
    out.set(
      currency,
      prior
        ? { currency, total: addDecimal(prior.total, amount), count: prior.count + 1 }
        : { currency, total: amount, count: 1 },
    );
  }
  return [...out.values()]
    .map((m) => ({ ...m, total: money(m.total) }))
    .sort((a, b) => a.currency.localeCompare(b.currency));
}
