// What the contract tools share: resolving a contract or supplier reference (or listing the closest matches), the
// output shape of a contract summary, and day arithmetic against the server's clock.
import { z } from 'zod';
import type { Database } from '../../src/db/client.js';
import { type ContractSummary, contractByRef, contractCandidates } from '../../src/db/queries/contracts.js';
import { resolveSupplier } from '../../src/db/queries/supplier-lookup.js';

export const isoDate = z.iso.date();

/** A contract as every tool reports it (matches `ContractSummary`). */
export const contractSummarySchema = z.strictObject({
  id: z.string(),
  contractNumber: z.string().nullable(),
  title: z.string(),
  supplierId: z.string().nullable(),
  supplierName: z.string().nullable(),
  status: z.string(),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  value: z.string().nullable().describe('Decimal string, in `currency`'),
  currency: z.string().nullable(),
  noticePeriodDays: z.number().int().nullable(),
  autoRenew: z.boolean().nullable(),
  renewalTerm: z.string().nullable(),
  categoryCode: z.string().nullable(),
  noticeDeadline: z.string().nullable().describe('End date minus the notice period: the last day to give notice'),
  hasText: z.boolean(),
});

/** How a contract is named in texts: its number and title. */
export function contractName(c: { contractNumber: string | null; title: string }): string {
  return c.contractNumber ? `${c.contractNumber} "${c.title}"` : `"${c.title}"`;
}

export type Candidate = { id: string; contractNumber: string | null; title: string; supplierName: string | null };
export type Resolution<T> = { ok: true; value: T } | { ok: false; message: string; candidates: Candidate[] | { id: string; name: string }[] };

function grams(s: string): Set<string> {
  const t = ` ${s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim()} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= t.length; i++) out.add(t.slice(i, i + 3));
  return out;
}

function likeness(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const g of a) if (b.has(g)) shared++;
  return a.size + b.size === 0 ? 0 : (2 * shared) / (a.size + b.size);
}

/** Resolves a contract id or number; when none matches, says so and lists the closest contracts. */
export async function resolveContract(database: Database, ref: string): Promise<Resolution<ContractSummary>> {
  const text = ref.trim();
  const found = text === '' ? undefined : await contractByRef(database, text);
  if (found) return { ok: true, value: found };
  const want = grams(text);
  const candidates = (await contractCandidates(database, text))
    .map((c) => ({
      c,
      score: Math.max(
        likeness(want, grams(c.contractNumber ?? '')),
        likeness(want, grams(c.title)),
        likeness(want, grams(c.supplierName ?? '')),
      ),
    }))
    .sort((a, b) => b.score - a.score)
    .slice(0, 5)
    .map((x) => x.c);
  const list = candidates.map((c) => `${contractName(c)}${c.supplierName ? ` with ${c.supplierName}` : ''} [${c.id}]`).join('; ');
  return {
    ok: false,
    message: candidates.length
      ? `No contract has the number or id "${text}". Closest matches: ${list}. Pass one of these numbers or ids.`
      : `No contract has the number or id "${text}", and none has a similar number, title or supplier. Use find_contracts to search.`,
    candidates,
  };
}

/** Resolves a supplier by id, name, alias or close spelling; otherwise says why and lists the closest. */
export async function resolveSupplierRef(database: Database, ref: string): Promise<Resolution<{ id: string; name: string }>> {
  const r = await resolveSupplier(database, ref);
  if (r.ok) return { ok: true, value: { id: r.supplier.id, name: r.supplier.name } };
  return { ok: false, message: r.message, candidates: r.candidates.map((c) => ({ id: c.id, name: c.name })) };
}

/** The server's today as an ISO date (UTC). */
export function todayIso(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Days from ISO date `from` to ISO date `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** ISO date `iso` plus `days`. */
export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** "in 30 days", "today", "12 days ago". */
export function relativeDays(days: number): string {
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days === -1) return 'yesterday';
  return days > 0 ? `in ${days} days` : `${-days} days ago`;
}

/** The action a deadline asks for, e.g. "give notice by 2026-12-27 or it renews for 12 months". */
export function deadlineAction(c: ContractSummary, today: string): string {
  const renews = c.renewalTerm ? `it renews for ${c.renewalTerm.replace(/^successive /, 'another ')}` : 'it renews automatically';
  if (c.autoRenew && c.noticeDeadline && c.noticeDeadline >= today) return `give notice by ${c.noticeDeadline} or ${renews}`;
  if (c.autoRenew && c.noticeDeadline) {
    return `the notice deadline passed on ${c.noticeDeadline}: ${renews} on ${c.endDate} unless the contract allows another exit`;
  }
  if (c.autoRenew) return `${renews} on ${c.endDate}; check the notice needed to stop it`;
  const decide = c.noticeDeadline && c.noticeDeadline >= today ? ` (its notice period ends ${c.noticeDeadline})` : '';
  return `it expires on ${c.endDate}${decide}: renew, re-tender or let it lapse`;
}
