// Process-once claims on inbound chat requests, shared by every app instance through the database
// (request_claims): the first instance to claim a request's natural id processes it, every other delivery is
// dropped. Which ids a platform's requests have is the bot's business (bots/slack/dedupe.ts). Work that takes
// time holds a lease instead (`hold`): renewed while it runs, marked done once answered, and free for a retry or
// another instance to take over when its instance dies before answering.
import type { Database, Queryable } from '../db/client.js';
import { type ClaimHold, claimRequest, completeHold, deleteExpiredClaims, findClaim, holdRequest, releaseHold, renewHold } from '../db/request-claims.js';
import type { Logger } from '../log.js';

/** A lease on one request, held by this instance. */
export type Lease = {
  key: string;
  /** This lease took over a claim whose holder let it lapse unanswered: that holder may have answered before dying. */
  takenOver: boolean;
  /** Runs `fn` with the lease renewed every third of its length until `fn` settles. */
  keepWhile<T>(fn: () => Promise<T>): Promise<T>;
  /** Renews the lease now; false when another holder took the request over (then this one must not answer it). */
  stillHeld(): Promise<boolean>;
  /** Marks the request answered: later deliveries are dropped for `keepMs`. False when another holder took it over. */
  complete(keepMs: number): Promise<boolean>;
  /** Lets the request go unanswered at once (its work failed), for a retry to take. */
  release(): Promise<void>;
};

/** Where a claim stands, for an instance deciding whether to take a request over. */
export type ClaimState = { state: 'done' } | { state: 'held'; until: Date } | { state: 'free' };

/** Process-once claims on request keys, shared through the database. */
export type RequestClaims = {
  /** True when this instance now holds `key` and should process the request; false when it was already claimed. */
  claim(key: string, kind: string, ttlMs: number): Promise<boolean>;
  /** A lease of `leaseMs` on `key` when it is unclaimed, or its lease lapsed unanswered (or its answer's hold ran out). */
  hold(key: string, kind: string, leaseMs: number, tx?: Queryable): Promise<Lease | undefined>;
  /** Where the claim on `key` stands. */
  state(key: string): Promise<ClaimState>;
};

/** Claims backed by request_claims; expired claims are swept at most once per `sweepEveryMs` by a claiming caller. */
export function createRequestClaims(opts: { database: Database; log: Logger; label?: string; sweepEveryMs?: number; now?: () => number }): RequestClaims {
  const { database, log } = opts;
  const label = opts.label ?? 'chat';
  const now = opts.now ?? Date.now;
  const every = opts.sweepEveryMs ?? 10 * 60_000;
  let lastSweep = Number.NEGATIVE_INFINITY;
  const sweep = async () => {
    if (now() - lastSweep < every) return;
    lastSweep = now();
    // Housekeeping only: a failed sweep never stands in the way of a claim.
    await deleteExpiredClaims(database).then(
      (n) => n > 0 && log.debug(`${label}: expired request claims removed`, { count: n }),
      (err: Error) => log.warn(`${label}: could not remove expired request claims`, { error: err.message }),
    );
  };
  const lease = (h: ClaimHold, leaseMs: number): Lease => ({
    key: h.key,
    takenOver: h.takenOver,
    async keepWhile(fn) {
      const timer = setInterval(() => {
        renewHold(database, h, leaseMs).then(
          (mine) => mine || log.warn(`${label}: a request's lease was taken over while it was still being answered`, { key: h.key }),
          (err: Error) => log.warn(`${label}: could not renew a request's lease`, { key: h.key, error: err.message }),
        );
      }, Math.max(50, Math.floor(leaseMs / 3)));
      try {
        return await fn();
      } finally {
        clearInterval(timer);
      }
    },
    stillHeld: () => renewHold(database, h, leaseMs),
    complete: (keepMs) => completeHold(database, h, keepMs),
    release: () => releaseHold(database, h),
  });
  return {
    async claim(key, kind, ttlMs) {
      await sweep();
      return claimRequest(database, { key, kind, ttlMs });
    },
    async hold(key, kind, leaseMs, tx) {
      await sweep();
      const h = await holdRequest(tx ?? database, { key, kind, ttlMs: leaseMs });
      return h ? lease(h, leaseMs) : undefined;
    },
    async state(key) {
      const row = await findClaim(database, key);
      if (!row) return { state: 'free' };
      if (row.doneAt) return { state: 'done' };
      return row.expiresAt.getTime() > Date.now() ? { state: 'held', until: row.expiresAt } : { state: 'free' };
    },
  };
}
