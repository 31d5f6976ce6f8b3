// Risk signal intake: validation, matching each signal to its supplier, and storage. A signal names its
// supplier by external id, id, name or alias; it is attached only when that is unambiguous (a close misspelling
// counts, a partial name does not — a signal about "Acme Holdings" must never land on "Acme Ltd"), otherwise it
// is stored unattached with the closest candidates and attached by the supplier-risk monitor once the supplier
// appears. Each signal is stored once: by its external id, or without one by a content key, so the same
// report sent twice is one signal. Used by `qm import signals` and POST /signals; scoring is the monitor's.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Database } from '../db/client.js';
import { resolveSupplier } from '../db/queries/supplier-lookup.js';
import { insertSignals, type NewSignal, type StoredSignal, supplierByExternalId } from '../db/queries/supplier-risk.js';
import { canonicalJson } from '../domain/canonical-json.js';
import { normalizeSupplierName } from '../domain/supplier-name.js';
import type { DateOrder } from './fields.js';
import { parseDate } from './values.js';

export const SIGNAL_KINDS = ['financial', 'geopolitical', 'regulatory', 'operational', 'sanctions', 'other'] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/** A signal as accepted: what a feed, a person or a file reports about a supplier. */
export type SignalInput = {
  supplier: string;
  kind: SignalKind;
  severity: number;
  title: string;
  detail?: string;
  source?: string;
  /** ISO timestamp. */
  observedAt?: string;
  externalId?: string;
};

// A clock a little ahead of ours is tolerated; a report dated further in the future is a mistake.
const FUTURE_TOLERANCE_MS = 24 * 3_600_000;

const words = (field: string, max: number) =>
  z
    .string({ error: (i) => (i.input === undefined ? `${field} is required` : `${field} must be text`) })
    .trim()
    .min(1, `${field} is required`)
    .max(max, `${field} is longer than ${max} characters`);

const optionalText = (field: string, max: number) =>
  z
    .string({ error: `${field} must be text` })
    .trim()
    .max(max, `${field} is longer than ${max} characters`)
    .optional()
    .transform((s) => (s === '' ? undefined : s));

/** When the signal was observed: an ISO timestamp, or a date (day first unless told otherwise). */
function observedAtSchema(order: DateOrder) {
  return z
    .union([z.string(), z.date()], { error: 'observedAt must be a date or an ISO timestamp' })
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || (typeof v === 'string' && v.trim() === '')) return undefined;
      if (v instanceof Date) return v.toISOString();
      const s = v.trim();
      if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s)) {
        const t = new Date(s.replace(' ', 'T'));
        if (!Number.isNaN(t.getTime())) return t.toISOString();
      }
      const d = parseDate(s, order);
      if (!d.ok) {
        ctx.addIssue({ code: 'custom', message: `observedAt: ${d.reason}` });
        return z.NEVER;
      }
      return `${d.value}T00:00:00.000Z`;
    });
}

/** The schema of one signal; `severity` may arrive as a number or as text ("4", from a file). */
export function signalSchema(order: DateOrder = 'dmy') {
  return z.object({
    supplier: words('supplier', 300),
    kind: z
      .string({ error: (i) => (i.input === undefined ? 'kind is required' : 'kind must be text') })
      .trim()
      .toLowerCase()
      .pipe(z.enum(SIGNAL_KINDS, { error: `kind must be one of ${SIGNAL_KINDS.join(', ')}` })),
    severity: z
      .union([z.number(), z.string().trim().regex(/^\d+$/).transform(Number)], {
        error: (i) => (i.input === undefined ? 'severity is required' : 'severity must be a whole number from 1 to 5'),
      })
      .pipe(
        z
          .number()
          .int('severity must be a whole number from 1 to 5')
          .min(1, 'severity must be a whole number from 1 to 5')
          .max(5, 'severity must be a whole number from 1 to 5'),
      ),
    title: words('title', 500),
    detail: optionalText('detail', 5000),
    source: optionalText('source', 200),
    observedAt: observedAtSchema(order),
    externalId: optionalText('externalId', 200),
  });
}

/** One item's problems, by its position in the request (0-based) or its line in a file. */
export type SignalProblem = { index: number; errors: string[] };

/** Validates one signal against `now`; the readable problems, or the signal. */
export function parseSignal(
  raw: unknown,
  now: Date,
  order: DateOrder = 'dmy',
): { ok: true; value: SignalInput } | { ok: false; errors: string[] } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, errors: ['each signal must be a JSON object'] };
  }
  const r = signalSchema(order).safeParse(raw);
  if (!r.success) {
    const errors = [...new Set(r.error.issues.map((i) => i.message))];
    return { ok: false, errors };
  }
  const v = r.data;
  if (v.observedAt && new Date(v.observedAt).getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    return { ok: false, errors: [`observedAt ${v.observedAt} is in the future`] };
  }
  const value: SignalInput = { supplier: v.supplier, kind: v.kind, severity: v.severity, title: v.title };
  if (v.detail) value.detail = v.detail;
  if (v.source) value.source = v.source;
  if (v.observedAt) value.observedAt = v.observedAt;
  if (v.externalId) value.externalId = v.externalId;
  return { ok: true, value };
}

/** How a signal's supplier reference was resolved. */
export type SupplierMatch =
  | { matched: true; supplierId: string; supplierName: string; by: 'external_id' | 'id' | 'name' | 'alias' | 'close_spelling'; alias?: string }
  | { matched: false; reason: string; candidates: { id: string; name: string }[] };

// A close misspelling is attached; anything looser (a partial name, several candidates) is not.
const CLOSE_SPELLING = 0.9;

/** Resolves a signal's supplier reference: external id, then id, name or alias, then a close misspelling. */
export async function matchSignalSupplier(database: Database, ref: string): Promise<SupplierMatch> {
  const byExternal = await supplierByExternalId(database, ref.trim());
  if (byExternal) return { matched: true, supplierId: byExternal.id, supplierName: byExternal.name, by: 'external_id' };
  const r = await resolveSupplier(database, ref);
  if (r.ok && (r.matchedBy !== 'fuzzy' || r.score >= CLOSE_SPELLING)) {
    const by = r.matchedBy === 'fuzzy' ? 'close_spelling' : r.matchedBy;
    return {
      matched: true,
      supplierId: r.supplier.id,
      supplierName: r.supplier.name,
      by,
      ...(r.matchedAlias ? { alias: r.matchedAlias } : {}),
    };
  }
  const candidates = r.ok
    ? [{ id: r.supplier.id, name: r.supplier.name }]
    : r.candidates.slice(0, 3).map((c) => ({ id: c.id, name: c.name }));
  const reason = r.ok
    ? `"${ref}" only resembles ${r.supplier.name}; send its external id or id to attach the signal`
    : r.candidates.length > 0
      ? `"${ref}" is not unambiguously one supplier; send the external id or id of one of the candidates`
      : `no supplier is called "${ref}"`;
  return { matched: false, reason, candidates };
}

/** The key a signal without an external id is stored under: its content, so the same report is one signal. */
export function contentKey(s: SignalInput): string {
  const content = canonicalJson({
    supplier: normalizeSupplierName(s.supplier) || s.supplier.toLowerCase(),
    kind: s.kind,
    severity: s.severity,
    title: s.title,
    detail: s.detail ?? null,
    source: s.source ?? null,
    observedAt: s.observedAt ?? null,
  });
  return `qm:${createHash('sha256').update(content).digest('hex').slice(0, 32)}`;
}

/** One signal after intake: stored (or found already stored), and how its supplier was matched. */
export type ReceivedSignal = { signal: StoredSignal; created: boolean; match: SupplierMatch };

/** Matches and stores signals (each once); returned in input order. */
export async function storeSignals(database: Database, inputs: readonly SignalInput[], now: Date): Promise<ReceivedSignal[]> {
  const matches: SupplierMatch[] = [];
  for (const s of inputs) matches.push(await matchSignalSupplier(database, s.supplier));
  const rows: NewSignal[] = inputs.map((s, i) => {
    const m = matches[i]!;
    return {
      externalId: s.externalId ?? contentKey(s),
      supplierId: m.matched ? m.supplierId : null,
      supplierName: s.supplier,
      kind: s.kind,
      severity: s.severity,
      title: s.title,
      detail: s.detail ?? null,
      source: s.source ?? null,
      observedAt: s.observedAt ?? now.toISOString(),
    };
  });
  const stored = await insertSignals(database, rows);
  return stored.map((st, i) => {
    const m = matches[i]!;
    // A signal stored earlier keeps the supplier it was attached to then.
    const match: SupplierMatch =
      !st.created && st.signal.supplierId && st.signal.supplier
        ? { matched: true, supplierId: st.signal.supplierId, supplierName: st.signal.supplier.name, by: m.matched ? m.by : 'id' }
        : m;
    return { signal: st.signal, created: st.created, match };
  });
}
