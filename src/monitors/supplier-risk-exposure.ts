// What is at stake with a supplier, and how critical it is. Exposure is kept per currency (active contract value,
// open purchase orders, unpaid invoices, payments in the last 12 months) and summed into one amount at stake in
// the authority matrix's currency: open orders + unpaid invoices + the larger of the active contract value and the
// 12-month spend (the two measure the same relationship, so they are not added). A currency without a rate is
// named, never guessed. A supplier is critical when an active contract binds it by exclusivity, a minimum
// commitment, liquidated damages or service levels (read from the contract text).
import { detectClauses } from '../contracts/clauses/index.js';
import type { Database } from '../db/client.js';
import { activeContractTexts, type ExposureRow, supplierExposure } from '../db/queries/supplier-risk.js';
import { addDecimal, compareDecimal, formatAmount, normaliseDecimal, roundDecimal } from '../domain/money.js';
import { convertAmount } from '../governance/amount.js';
import type { Policy } from '../governance/policy.js';
import type { CriticalTerm } from './supplier-risk-settings.js';

/** One currency of a supplier's exposure, as findings show it (amounts rounded to cents). */
export type CurrencyExposure = {
  currency: string;
  activeContractValue: string;
  openPurchaseOrders: string;
  unpaidInvoices: string;
  trailing12MonthSpend: string;
  /** Open orders + unpaid invoices + the larger of contract value and 12-month spend. */
  atStake: string;
};

/** A supplier's exposure: per currency, and in total in the base currency where every currency converts. */
export type Exposure = {
  perCurrency: CurrencyExposure[];
  /** The total at stake in `base`; `complete` is false when some currency had no rate (then it is a floor). */
  total: { value: string; currency: string; complete: boolean };
  /** Currencies with exposure but no rate into the base currency. */
  unconverted: string[];
  counts: ExposureRow['counts'];
};

/** Why a supplier is critical (empty when it is not). */
export type Criticality = { critical: boolean; reasons: string[] };

const ZERO = '0';

/** A decimal rounded half-up to cents and written with exactly two places ('120000' → '120000.00'). */
function cents(value: string): string {
  const r = roundDecimal(value, 2);
  const dot = r.indexOf('.');
  return dot < 0 ? `${r}.00` : r.padEnd(dot + 3, '0');
}

function max(a: string, b: string): string {
  return compareDecimal(a, b) >= 0 ? a : b;
}

/** The base currency and rates into it: the authority matrix's, else GBP with no other rates. */
export function currencyBasis(policy: Policy | undefined): { base: string; rates: Record<string, string> } {
  const base = policy?.authority.currency ?? 'GBP';
  return { base, rates: { ...(policy?.authority.fx ?? {}), [base]: '1' } };
}

/** Each supplier's exposure on `today` (suppliers with none get zero totals). */
export async function loadExposure(
  database: Database,
  ids: readonly string[],
  today: string,
  yearAgo: string,
  policy: Policy | undefined,
): Promise<Map<string, Exposure>> {
  const { base, rates } = currencyBasis(policy);
  const rows = await supplierExposure(database, ids, { today, yearAgo });
  const out = new Map<string, Exposure>();
  for (const id of ids) {
    out.set(id, {
      perCurrency: [],
      total: { value: '0.00', currency: base, complete: true },
      unconverted: [],
      counts: { activeContracts: 0, openPurchaseOrders: 0, unpaidInvoices: 0, payments: 0 },
    });
  }
  for (const r of rows) {
    const e = out.get(r.supplierId);
    if (!e) continue;
    const atStake = addDecimal(
      addDecimal(r.openPurchaseOrders, r.unpaidInvoices),
      max(max(r.activeContractValue, r.trailing12MonthSpend), ZERO),
    );
    e.perCurrency.push({
      currency: r.currency,
      activeContractValue: cents(r.activeContractValue),
      openPurchaseOrders: cents(r.openPurchaseOrders),
      unpaidInvoices: cents(r.unpaidInvoices),
      trailing12MonthSpend: cents(r.trailing12MonthSpend),
      atStake: cents(atStake),
    });
    for (const k of Object.keys(e.counts) as (keyof ExposureRow['counts'])[]) e.counts[k] += r.counts[k];
    const rate = rates[r.currency];
    if (rate === undefined) {
      if (compareDecimal(atStake, ZERO) > 0) {
        e.unconverted.push(r.currency);
        e.total.complete = false;
      }
      continue;
    }
    e.total.value = cents(addDecimal(e.total.value, convertAmount(atStake, rate)));
  }
  return out;
}

/** "GBP 12,000.00 at stake (…)": the exposure of one supplier in a sentence. */
export function exposureText(e: Exposure): string {
  if (e.perCurrency.length === 0) return 'nothing at stake: no active contracts, open orders, unpaid invoices or payments in the last 12 months';
  const parts = e.perCurrency.map(
    (c) =>
      `${formatAmount(c.atStake, c.currency)} at stake (active contracts ${formatAmount(c.activeContractValue, c.currency)}, ` +
      `open POs ${formatAmount(c.openPurchaseOrders, c.currency)}, unpaid invoices ${formatAmount(c.unpaidInvoices, c.currency)}, ` +
      `paid in the last 12 months ${formatAmount(c.trailing12MonthSpend, c.currency)})`,
  );
  const total =
    e.perCurrency.length > 1 || e.perCurrency[0]!.currency !== e.total.currency
      ? `; ${e.total.complete ? '' : 'at least '}${formatAmount(e.total.value, e.total.currency)} in all${e.unconverted.length ? ` (no rate for ${e.unconverted.join(', ')})` : ''}`
      : '';
  return `${parts.join('; ')}${total}`;
}

/** Exposure rows for a finding's evidence. */
export function exposureEvidence(e: Exposure): Record<string, unknown>[] {
  return e.perCurrency.map((c) => ({ type: 'exposure', ...c }));
}

/** True when the supplier has nothing at stake in any currency. */
export function nothingAtStake(e: Exposure): boolean {
  return e.perCurrency.every((c) => compareDecimal(normaliseDecimal(c.atStake), ZERO) <= 0);
}

const SERVICE_LEVELS = /\bservice[- ]levels?\b|\bSLAs?\b|\bservice credits?\b|\b(?:uptime|availability) of \d/i;
const TERM_LABELS: Readonly<Record<CriticalTerm, string>> = {
  exclusivity: 'exclusivity',
  minimum_commitment: 'a minimum purchase commitment',
  liquidated_damages: 'liquidated damages',
  service_levels: 'service levels',
};

// Contract texts are long and rarely change: what they bind is remembered by contract id and text length.
const termsSeen = new Map<string, CriticalTerm[]>();
const TERMS_MEMO_LIMIT = 5_000;

function termsOf(contractId: string, text: string): CriticalTerm[] {
  const key = `${contractId}:${text.length}`;
  const known = termsSeen.get(key);
  if (known) return known;
  const found: CriticalTerm[] = detectClauses(text, ['exclusivity', 'minimum_commitment', 'liquidated_damages'])
    .filter((c) => c.present)
    .map((c) => c.type as CriticalTerm);
  if (SERVICE_LEVELS.test(text)) found.push('service_levels');
  if (termsSeen.size >= TERMS_MEMO_LIMIT) termsSeen.clear();
  termsSeen.set(key, found);
  return found;
}

/** Which suppliers are critical on `today`, by the terms of their active contracts. */
export async function loadCriticality(
  database: Database,
  ids: readonly string[],
  today: string,
  terms: readonly CriticalTerm[],
): Promise<Map<string, Criticality>> {
  const out = new Map<string, Criticality>(ids.map((id) => [id, { critical: false, reasons: [] }]));
  if (terms.length === 0) return out;
  for (const c of await activeContractTexts(database, ids, today)) {
    const binding = termsOf(c.contractId, c.text).filter((t) => terms.includes(t));
    if (binding.length === 0) continue;
    const entry = out.get(c.supplierId)!;
    entry.critical = true;
    entry.reasons.push(`active contract "${c.title}" has ${binding.map((t) => TERM_LABELS[t]).join(', ')}`);
  }
  return out;
}
