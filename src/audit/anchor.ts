// Anchors: the ledger's head recorded outside the database, so that removing the newest events is caught.
//
// A hash chain shows any change to an event and any gap, but not events removed from its end: the head simply
// moves back, and what is left still verifies. An anchor, JSON {"seq","hash","at"} (the head event's seq and
// hash, and when the anchor was taken), kept where the database's owner cannot rewrite it (an object store with
// object lock, another organisation's system, a signed e-mail), closes that gap: `qm audit verify --anchor FILE`
// checks, in the same pass as the chain, that the ledger still holds event #seq with that hash. Since every event
// before it is bound to it by the chain, the whole anchored history must then be intact.
//
// Judging an anchor against a chain that verified (first kept event F, head H):
//   seq > H            the events after H are gone: broken, reported at #H+1 (or the ledger is empty);
//   F ≤ seq ≤ H        event #seq must carry the anchored hash, or the chain was rewritten at or before #seq;
//   seq < F            a retention prune removed it. The chain's first event links to the anchorHash of the
//                      audit_pruned event with beforeSeq = F (verification checked that), and one of the prunes
//                      still in the ledger may have removed exactly up to #seq (beforeSeq = seq + 1): its
//                      anchorHash is the hash of #seq and must equal the anchor's ('prune_anchor'). Otherwise the
//                      anchor lies further back than any recorded boundary and is accepted on the prune record
//                      alone ('prune'): a legitimate prune destroys the events that could confirm it. That record
//                      is inside the chain but, like everything in the database, could be forged by someone able
//                      to rewrite the whole ledger; keep anchors newer than the retention horizon (a daily anchor
//                      always is) and verify against the newest one.
import { readFile } from 'node:fs/promises';
import { AppError } from '../errors.js';
import type { AuditEvent } from './types.js';

/** The first entry where the chain breaks, and why. */
export type BrokenEntry = {
  seq: number;
  /** Null when the event is missing or unreadable. */
  at: string | null;
  action: string | null;
  reason: string;
};

export type LedgerAnchor = {
  /** The head event's seq when the anchor was taken. */
  seq: number;
  /** That event's hash, 64 lowercase hex digits. */
  hash: string;
  /** When the anchor was taken, ISO 8601 UTC. */
  at: string;
};

/**
 * How a verified chain met an anchor: 'event', it still holds the anchored event with its hash; 'prune_anchor',
 * that event was pruned and the prune's recorded anchorHash equals the anchored hash; 'prune', it lies before a
 * recorded prune's boundary and cannot be compared (`pruneSeq` names the audit_pruned event relied upon).
 */
export type AnchorCheck = LedgerAnchor & { confirmedBy: 'event' | 'prune_anchor' | 'prune'; pruneSeq?: number };

/** What verification saw of the chain, for judging an anchor. */
export type ChainSeen = {
  first?: { seq: number };
  head?: { seq: number; hash: string };
  /** The event whose seq is the anchor's, when the ledger holds it. */
  anchored?: AuditEvent;
  /** Every audit_pruned event in the ledger, in seq order. */
  prunes: readonly AuditEvent[];
};

const HEX64 = /^[0-9a-f]{64}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const short = (h: string) => h.slice(0, 12);

/** The anchor of `head`, taken at `at`: exactly the three keys seq, hash, at. */
export function anchorOf(head: { seq: number; hash: string }, at: Date): LedgerAnchor {
  return { seq: head.seq, hash: head.hash, at: at.toISOString() };
}

/** Why `value` is not an anchor, or undefined when it is one. */
export function anchorProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'it is not a JSON object';
  const a = value as Record<string, unknown>;
  if (typeof a.seq !== 'number' || !Number.isSafeInteger(a.seq) || a.seq < 1) return '"seq" is not a whole number of 1 or more';
  if (typeof a.hash !== 'string' || !HEX64.test(a.hash)) return '"hash" is not 64 lowercase hex digits';
  if (typeof a.at !== 'string' || !ISO.test(a.at) || Number.isNaN(Date.parse(a.at))) return '"at" is not an ISO 8601 timestamp';
  return undefined;
}

/** Parses an anchor's JSON text; anything else is a usage error naming `source`. */
export function parseAnchor(text: string, source: string): LedgerAnchor {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('audit:usage', `${source} is not an anchor: it is not JSON (expected {"seq","hash","at"} from qm audit anchor)`);
  }
  const problem = anchorProblem(value);
  if (problem) throw new AppError('audit:usage', `${source} is not an anchor: ${problem} (expected {"seq","hash","at"} from qm audit anchor)`);
  const a = value as LedgerAnchor;
  return { seq: a.seq, hash: a.hash, at: a.at };
}

/** Reads and parses the anchor in file `path` ('-' reads standard input). */
export async function readAnchorFile(path: string): Promise<LedgerAnchor> {
  let text: string;
  try {
    text = path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (err) {
    throw new AppError('audit:usage', `Cannot read the anchor ${path}: ${(err as Error).message}`, { cause: err });
  }
  return parseAnchor(text, path === '-' ? 'standard input' : path);
}

async function readStdin(): Promise<string> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

/** Judges `anchor` against a chain that verified: the check, or the broken entry to report. */
export function judgeAnchor(anchor: LedgerAnchor, seen: ChainSeen): { ok: true; check: AnchorCheck } | { ok: false; broken: BrokenEntry } {
  const said = `the anchored head #${anchor.seq} (hash ${short(anchor.hash)}, anchored ${anchor.at})`;
  const broken = (b: BrokenEntry) => ({ ok: false as const, broken: b });
  const { first, head } = seen;
  if (!first || !head) {
    return broken({ seq: 1, at: null, action: null, reason: `the ledger is empty: ${said} and every event before it are missing` });
  }
  if (anchor.seq > head.seq) {
    return broken({
      seq: head.seq + 1,
      at: null,
      action: null,
      reason: `the chain no longer reaches ${said}: events after #${head.seq} are missing`,
    });
  }
  if (anchor.seq >= first.seq) {
    const e = seen.anchored;
    if (!e || e.seq !== anchor.seq) return broken({ seq: anchor.seq, at: null, action: null, reason: `event #${anchor.seq}, the anchored head, is missing` });
    if (e.hash !== anchor.hash) {
      return broken({
        seq: e.seq,
        at: e.at,
        action: e.action,
        reason: `event #${e.seq} has hash ${short(e.hash)}, the anchor (taken ${anchor.at}) says ${short(anchor.hash)}: the chain was rewritten at or before #${e.seq} since then`,
      });
    }
    return { ok: true, check: { ...anchor, confirmedBy: 'event' } };
  }
  // Pruned: the boundary the anchored event was removed at, if a prune in the ledger recorded it exactly.
  const exact = seen.prunes.filter((p) => Number(p.data.beforeSeq) === anchor.seq + 1).at(-1);
  if (exact) {
    if (exact.data.anchorHash !== anchor.hash) {
      return broken({
        seq: anchor.seq,
        at: null,
        action: null,
        reason: `event #${anchor.seq} was pruned; audit_pruned event #${exact.seq} records its hash as ${short(String(exact.data.anchorHash))}, the anchor (taken ${anchor.at}) says ${short(anchor.hash)}`,
      });
    }
    return { ok: true, check: { ...anchor, confirmedBy: 'prune_anchor', pruneSeq: exact.seq } };
  }
  const covering = seen.prunes.filter((p) => Number(p.data.beforeSeq) === first.seq && p.seq >= first.seq).at(-1);
  if (!covering) {
    return broken({ seq: anchor.seq, at: null, action: null, reason: `${said} is gone and no audit_pruned event records its removal` });
  }
  return { ok: true, check: { ...anchor, confirmedBy: 'prune', pruneSeq: covering.seq } };
}

/** The anchor part of a verdict line: how the anchor was met. */
export function anchorNote(check: AnchorCheck): string {
  switch (check.confirmedBy) {
    case 'event':
      return `anchored head #${check.seq} (taken ${check.at}) reached`;
    case 'prune_anchor':
      return `anchored head #${check.seq} (taken ${check.at}) was pruned; audit_pruned event #${check.pruneSeq} records its hash`;
    case 'prune':
      return (
        `anchored head #${check.seq} (taken ${check.at}) lies before the boundary of the prune recorded by event #${check.pruneSeq}; ` +
        'confirmed by that record only: verify against a newer anchor'
      );
  }
}
