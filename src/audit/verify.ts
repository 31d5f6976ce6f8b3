// Verification of the audit ledger's hash chain, in the database or offline (an evidence pack's events).
//
// Events are read in seq order, page by page, and each one is checked in this order:
//   1. seq is gapless: it is the previous event's seq + 1 (a missing event is reported by its own seq);
//   2. prevHash links: it equals the previous event's stored hash; for the first event it equals GENESIS_HASH
//      (seq 1), or, after a retention prune, the anchorHash that an `audit_pruned` event in the ledger recorded
//      with beforeSeq = that first seq (offline: the firstPrevHash the pack header states);
//   3. hash: recomputing it from the event's contents (src/audit/hash.ts) gives the stored hash.
// The first failure is reported and verification stops: everything after a break is unanchored.
//
// What a chain cannot show by itself: events removed from the end (the head just moves back). With an anchor (the
// head recorded elsewhere earlier: `qm audit anchor`, an evidence pack's footer), verification also checks that the
// chain still reaches it (src/audit/anchor.ts), in the same pass and snapshot.
import { auditEventsAfter, auditPruneEvents } from '../db/audit.js';
import type { Database, Queryable } from '../db/client.js';
import { type AnchorCheck, type BrokenEntry, judgeAnchor, type LedgerAnchor } from './anchor.js';
import { eventHash, GENESIS_HASH } from './hash.js';
import type { AuditEvent } from './types.js';

export type VerifyResult =
  | { ok: true; events: number; head?: { seq: number; hash: string }; anchor?: AnchorCheck }
  | { ok: false; events: number; broken: BrokenEntry };

export type VerifyOptions = {
  pageSize?: number;
  /** Also require the chain to reach this anchor (a head recorded earlier, outside the database). */
  anchor?: LedgerAnchor;
};

const short = (h: string) => h.slice(0, 12);
const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Checks events one at a time, in order. `firstLink` judges the first event's prevHash (a reason when it does
 * not hold). `check` returns the broken entry, or undefined when the event holds.
 */
export class ChainVerifier {
  #last: { seq: number; hash: string } | undefined;
  #events = 0;

  constructor(private readonly firstLink: (e: AuditEvent) => string | undefined) {}

  /** Events verified so far. */
  get events(): number {
    return this.#events;
  }

  /** The last verified event, once there is one. */
  get head(): { seq: number; hash: string } | undefined {
    return this.#last;
  }

  /** The seq the next event must carry (undefined before the first). */
  get nextSeq(): number | undefined {
    return this.#last ? this.#last.seq + 1 : undefined;
  }

  check(value: unknown): BrokenEntry | undefined {
    const malformed = shapeProblem(value);
    if (malformed) {
      const seq = typeof (value as { seq?: unknown })?.seq === 'number' ? (value as { seq: number }).seq : (this.nextSeq ?? 0);
      return { seq, at: null, action: null, reason: `malformed event: ${malformed}` };
    }
    const e = value as AuditEvent;
    const entry = (reason: string): BrokenEntry => ({ seq: e.seq, at: e.at, action: e.action, reason });
    const last = this.#last;
    if (last) {
      if (e.seq <= last.seq) return entry(`out of order: event #${e.seq} follows #${last.seq}`);
      if (e.seq !== last.seq + 1) {
        const missing = e.seq - last.seq - 1;
        return {
          seq: last.seq + 1,
          at: null,
          action: null,
          reason: `missing: the chain goes from event #${last.seq} to #${e.seq} (${missing} event${missing === 1 ? '' : 's'} gone)`,
        };
      }
      if (e.prevHash !== last.hash) {
        return entry(`does not link to event #${last.seq}: prevHash ${short(e.prevHash)} ≠ that event's hash ${short(last.hash)}`);
      }
    } else {
      const problem = this.firstLink(e);
      if (problem) return entry(problem);
    }
    const recomputed = eventHash(e.prevHash, e);
    if (recomputed !== e.hash) {
      return entry(`contents altered: the stored hash ${short(e.hash)} does not match the recomputed ${short(recomputed)}`);
    }
    this.#last = { seq: e.seq, hash: e.hash };
    this.#events++;
    return undefined;
  }

  /** The result so far, or with `broken`. */
  result(broken?: BrokenEntry): VerifyResult {
    if (broken) return { ok: false, events: this.#events, broken };
    return this.#last ? { ok: true, events: this.#events, head: { ...this.#last } } : { ok: true, events: 0 };
  }
}

function shapeProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not an object';
  const e = value as Record<string, unknown>;
  if (typeof e.seq !== 'number' || !Number.isSafeInteger(e.seq) || e.seq < 1) return 'seq is not a positive integer';
  for (const k of ['at', 'actorType', 'actor', 'action', 'rationale'] as const) {
    if (typeof e[k] !== 'string') return `${k} is not a string`;
  }
  for (const k of ['subjectType', 'subjectId', 'policyVersion'] as const) {
    if (e[k] !== null && typeof e[k] !== 'string') return `${k} is neither a string nor null`;
  }
  if (e.data === null || typeof e.data !== 'object' || Array.isArray(e.data)) return 'data is not an object';
  if (typeof e.prevHash !== 'string' || !HEX64.test(e.prevHash)) return 'prevHash is not 64 hex digits';
  if (typeof e.hash !== 'string' || !HEX64.test(e.hash)) return 'hash is not 64 hex digits';
  return undefined;
}

/**
 * Verifies the whole ledger in `database`, streaming it page by page in one consistent snapshot (one REPEATABLE
 * READ transaction; on the embedded database other work waits until it ends).
 */
export async function verifyLedger(database: Database, opts: VerifyOptions = {}): Promise<VerifyResult> {
  return database.transaction(async (tx) => {
    // One snapshot for every page: a prune committing meanwhile must not look like a gap.
    await tx.query('set transaction isolation level repeatable read');
    return verifyLedgerIn(tx, opts);
  });
}

/**
 * Verifies the whole ledger inside the caller's transaction `tx`, which should be REPEATABLE READ (one snapshot
 * for every page), as verifyLedger's and writePack's are.
 */
export async function verifyLedgerIn(tx: Queryable, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const pageSize = opts.pageSize ?? 1000;
  const prunes = await auditPruneEvents(tx);
  const anchors = new Map<number, { anchorHash: string; seq: number }[]>();
  for (const p of prunes) {
    const beforeSeq = Number(p.data.beforeSeq);
    const anchorHash = String(p.data.anchorHash);
    anchors.set(beforeSeq, [...(anchors.get(beforeSeq) ?? []), { anchorHash, seq: p.seq }]);
  }
  const verifier = new ChainVerifier((first) => {
    if (first.seq === 1) {
      return first.prevHash === GENESIS_HASH ? undefined : `the first event does not link to the genesis hash (prevHash ${short(first.prevHash)})`;
    }
    const recorded = anchors.get(first.seq)?.find((a) => a.seq >= first.seq);
    if (!recorded) {
      return `events #1–#${first.seq - 1} are missing and no audit_pruned event records their removal`;
    }
    if (recorded.anchorHash !== first.prevHash) {
      return `does not link to the anchor recorded by audit_pruned event #${recorded.seq}: prevHash ${short(first.prevHash)} ≠ ${short(recorded.anchorHash)}`;
    }
    return undefined;
  });
  let first: AuditEvent | undefined;
  let anchored: AuditEvent | undefined;
  let after = 0;
  for (;;) {
    const page = await auditEventsAfter(tx, after, pageSize);
    for (const e of page) {
      const broken = verifier.check(e);
      if (broken) return verifier.result(broken);
      first ??= e;
      if (e.seq === opts.anchor?.seq) anchored = e;
    }
    if (page.length < pageSize) break;
    after = page[page.length - 1]!.seq;
  }
  const result = verifier.result();
  if (!opts.anchor || !result.ok) return result;
  const judged = judgeAnchor(opts.anchor, { first, head: verifier.head, anchored, prunes });
  return judged.ok ? { ...result, anchor: judged.check } : verifier.result(judged.broken);
}

/**
 * Verifies a sequence of events offline (an evidence pack's lines, parsed). The first event must link to
 * `firstPrevHash` (the pack header's), or to GENESIS_HASH when it is event #1 and no firstPrevHash is given.
 */
export async function verifyEvents(
  events: Iterable<unknown> | AsyncIterable<unknown>,
  opts: { firstPrevHash?: string } = {},
): Promise<VerifyResult> {
  const verifier = new ChainVerifier(firstLinkTo(opts.firstPrevHash));
  for await (const e of events) {
    const broken = verifier.check(e);
    if (broken) return verifier.result(broken);
  }
  return verifier.result();
}

/** The first-event rule for offline verification. */
export function firstLinkTo(firstPrevHash: string | undefined): (e: AuditEvent) => string | undefined {
  return (first) => {
    const expected = firstPrevHash ?? (first.seq === 1 ? GENESIS_HASH : undefined);
    if (expected === undefined) return `event #${first.seq} starts the sequence but nothing says what its predecessor's hash was`;
    if (first.seq === 1 && expected !== GENESIS_HASH) return 'event #1 must link to the genesis hash';
    if (first.prevHash !== expected) return `does not link to the stated predecessor hash: prevHash ${short(first.prevHash)} ≠ ${short(expected)}`;
    return undefined;
  };
}
