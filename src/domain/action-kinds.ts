// The kinds of action Quartermaster can carry out. This list is the action registry's contract: the executor
// (src/actions/registry.ts) has exactly one handler per kind and checks so at start, and every proposal names
// one of them, so a proposal that could never execute does not type-check.

/** Every kind the action executor can run, one handler each in src/actions/kinds/. */
export const ACTION_KINDS = [
  'create_purchase_order',
  'put_supplier_on_hold',
  'release_supplier_hold',
  'release_invoice',
  'reject_invoice',
  'hold_invoice',
  'renew_contract',
  'terminate_contract',
  'review_contract_renewal',
  'start_sourcing_event',
  'award_contract',
  'expand_autonomy',
] as const;

export type ActionKind = (typeof ACTION_KINDS)[number];

const KNOWN: ReadonlySet<string> = new Set(ACTION_KINDS);

/** True when `kind` is one the executor can run (for values read from storage or a model). */
export function isActionKind(kind: string): kind is ActionKind {
  return KNOWN.has(kind);
}
