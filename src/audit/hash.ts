// The audit ledger's hash chain: how one event's hash is computed from its contents and its predecessor's hash.
//
// The algorithm, precisely enough to reimplement it without this code:
//
//   hash(event) = lowercase hex SHA-256 over the UTF-8 bytes of
//                 prevHash + "\n" + canonicalJson(fields)
//
//   fields = { seq, at, actorType, actor, action, subjectType, subjectId, rationale, data, policyVersion }
//     seq            JSON number (1, 2, 3, … gapless)
//     at             JSON string, UTC with milliseconds: "2025-03-01T09:30:00.000Z"
//     actorType      "user" | "agent" | "system"
//     actor, action, rationale   JSON strings
//     subjectType, subjectId, policyVersion   JSON string, or null when absent
//     data           JSON object, exactly as stored (the jsonb column read back)
//
//   canonicalJson (src/domain/canonical-json.ts): no whitespace; object members sorted by key, comparing keys
//   as sequences of UTF-16 code units; strings and numbers written as ECMAScript JSON.stringify writes them
//   (`"` and `\` escaped, control characters as \b \f \n \r \t or \u00xx, everything else literal UTF-8;
//   numbers in shortest round-trip form: 10, 0.1, 1e+21, 1e-7).
//
//   prevHash is the previous event's hash (seq − 1). The first event of the chain links to GENESIS_HASH (64 ASCII
//   zeros); after a retention prune the first kept event links to the `anchorHash` recorded by the
//   `audit_pruned` event that removed its predecessors.
//
// An auditor's Python, for events whose data holds only integers, strings, booleans, null, lists and objects
// with BMP keys: sha256((prev + "\n" + json.dumps(fields, sort_keys=True, separators=(",", ":"),
// ensure_ascii=False)).encode()).hexdigest(). (Python writes some floats differently: 1e+21 vs 1e21.)
import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json.js';
import type { AuditEvent } from './types.js';

/** The prevHash of the very first event of a ledger. */
export const GENESIS_HASH = '0'.repeat(64);

/** What the hash covers: the event without its chain fields. */
export type HashedFields = Omit<AuditEvent, 'prevHash' | 'hash'>;

/** The plain-language description of the algorithm, written into evidence packs. */
export const HASH_ALGORITHM =
  'hash = lowercase hex SHA-256 of UTF-8 (prevHash + "\\n" + canonical JSON of {seq, at, actorType, actor, action, ' +
  'subjectType, subjectId, rationale, data, policyVersion}); canonical JSON = no whitespace, object keys sorted by ' +
  'UTF-16 code units, strings and numbers as ECMAScript JSON.stringify writes them; at = UTC ISO 8601 with ' +
  'milliseconds; absent subjectType/subjectId/policyVersion = null; the first event links to 64 zeros ' +
  '(or, after a prune, to the anchorHash of the audit_pruned event); each later event links to its predecessor (seq - 1).';

/** The canonical string hashed after `prevHash + "\n"`. Only the ten hashed fields are read from `e`. */
export function canonicalEventFields(e: HashedFields): string {
  return canonicalJson({
    seq: e.seq,
    at: e.at,
    actorType: e.actorType,
    actor: e.actor,
    action: e.action,
    subjectType: e.subjectType ?? null,
    subjectId: e.subjectId ?? null,
    rationale: e.rationale,
    data: e.data,
    policyVersion: e.policyVersion ?? null,
  });
}

/** The hash of an event whose predecessor's hash is `prevHash`. */
export function eventHash(prevHash: string, e: HashedFields): string {
  return createHash('sha256').update(`${prevHash}\n${canonicalEventFields(e)}`, 'utf8').digest('hex');
}
