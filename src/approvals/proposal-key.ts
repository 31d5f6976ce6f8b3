// What makes two proposals the same request, in one place: the canonical action kind, its subject (the invoice,
// contract, sourcing event or supplier it acts on), the amount as an exact decimal with its currency, and the
// item (what, how many, for how long, to which level). While an approval with a key is pending, an equal
// proposal attaches to it instead of filing another (approvals.proposal_key, unique among pending approvals).
// Who proposed it, the wording and the rationale are not part of the request: the same hold asked for by the
// supplier agent in chat and by the supplier-risk monitor is one request.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json.js';
import { isDecimal, normaliseDecimal } from '../domain/money.js';

/** The fields of a proposal the key reads. */
export type KeyedAction = { kind: string; params?: Record<string, unknown>; amount?: { value: string; currency: string } };

/**
 * Subject ids, most specific first: an action on an invoice is about that invoice whichever supplier it names,
 * a renewal review is about its contract. Only the first present counts, so a proposal that also names the
 * contract's supplier equals one that does not.
 */
const SUBJECTS: readonly (readonly [label: string, params: readonly string[]])[] = [
  ['invoice', ['invoiceId']],
  ['contract', ['contractId']],
  ['event', ['eventId', 'sourcingEventId']],
  ['supplier', ['supplierId']],
];

/** The key of `action`, or undefined when it names no subject (such a proposal is never attached to another). */
export function proposalKey(action: KeyedAction): string | undefined {
  // Also read from stored JSON (approvals filed before keys existed), so nothing here trusts the declared types.
  const kind = typeof action.kind === 'string' ? action.kind.trim().toLowerCase() : '';
  const params = action.params && typeof action.params === 'object' ? action.params : {};
  const subject = subjectOf(params);
  if (!kind || !subject) return undefined;
  const amount = action.amount && typeof action.amount === 'object' ? action.amount : undefined;
  const parts = {
    v: 1,
    kind,
    subject,
    amount: amount ? decimal(String(amount.value)) : null,
    currency: amount ? String(amount.currency).trim().toUpperCase() : null,
    item: {
      item: text(params.item),
      quantity: params.quantity === undefined || params.quantity === null ? undefined : decimal(String(params.quantity)),
      months: params.months === undefined || params.months === null ? undefined : decimal(String(params.months)),
      to: text(params.to),
    },
  };
  return `${kind}:${createHash('sha256').update(canonicalJson(parts)).digest('hex')}`;
}

function subjectOf(params: Record<string, unknown>): string | undefined {
  for (const [label, names] of SUBJECTS) {
    for (const name of names) {
      const id = text(params[name]);
      if (id) return `${label}:${id}`;
    }
  }
  // Actions on no single record: a sourcing event for a set of suppliers or a category; an autonomy envelope.
  const suppliers = Array.isArray(params.supplierIds) ? [...new Set(params.supplierIds.map(text).filter((s): s is string => Boolean(s)))].sort() : [];
  if (suppliers.length > 0) return `suppliers:${suppliers.join(',')}`;
  const envelope = params.envelope;
  if (envelope && typeof envelope === 'object' && !Array.isArray(envelope)) {
    const e = envelope as Record<string, unknown>;
    const fields = ['agent', 'actionKind', 'category', 'band'].map((f) => text(e[f]) ?? '');
    if (fields.some((f) => f !== '')) return `envelope:${fields.join('/')}`;
  }
  const category = text(params.categoryCode);
  return category ? `category:${category}` : undefined;
}

/** Trimmed, case- and space-folded text (ids are compared case-insensitively: uuids are spelled either way). */
function text(v: unknown): string | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const s = String(v).normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
  return s === '' ? undefined : s;
}

/** An exact decimal's canonical spelling ('25000.00' and '25000' are one amount); anything else as text. */
function decimal(v: string): string {
  const s = v.trim().replace(/^\+/, '');
  return isDecimal(s) ? normaliseDecimal(s) : s.toLowerCase();
}
