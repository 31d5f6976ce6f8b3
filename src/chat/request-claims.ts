// Process-once claims on inbound chat requests, shared by every app instance through the database
// (request_claims): the first instance to claim a request's natural id processes it, every other delivery is
// dropped. Which ids a platform's requests have is the bot's business (bots/slack/dedupe.ts).
import type { Database } from '../db/client.js';
import { claimRequest, deleteExpiredClaims } from '../db/request-claims.js';
import type { Logger } from '../log.js';

/** Process-once claims on request keys, shared through the database. */
export type RequestClaims = {
  /** True when this instance now holds `key` and should process the request; false when it was already claimed. */
  claim(key: string, kind: string, ttlMs: number): Promise<boolean>;
};

/** Claims backed by request_claims; expired claims are swept at most once per `sweepEveryMs` by a claiming caller. */
export function createRequestClaims(opts: { database: Database; log: Logger; label?: string; sweepEveryMs?: number; now?: () => number }): RequestClaims {
  const { database, log } = opts;
  const label = opts.label ?? 'chat';
  const now = opts.now ?? Date.now;
  const every = opts.sweepEveryMs ?? 10 * 60_000;
  let lastSweep = Number.NEGATIVE_INFINITY;
  return {
    async claim(key, kind, ttlMs) {
      if (now() - lastSweep >= every) {
        lastSweep = now();
        // Housekeeping only: a failed sweep never stands in the way of a claim.
        await deleteExpiredClaims(database).then(
          (n) => n > 0 && log.debug(`${label}: expired request claims removed`, { count: n }),
          (err: Error) => log.warn(`${label}: could not remove expired request claims`, { error: err.message }),
        );
      }
      return claimRequest(database, { key, kind, ttlMs });
    },
  };
}
