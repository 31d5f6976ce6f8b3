// Request claims: keys of inbound requests that must be processed once across every app instance sharing the
// database (a Slack command's trigger_id, an event id). The first caller to insert a key holds it until it expires;
// an expired claim may be taken over. A holder working on a request keeps a short lease renewed and marks the claim
// done once the request is answered, which holds it for longer (against replays and late retries); a lease that
// lapses unanswered (its instance died) lets a retry or another instance take the request over. Expiry uses the
// database's clock, so instances with skewed clocks agree.
import { eq } from 'drizzle-orm';
import type { Database, Queryable } from './client.js';
import { requestClaims } from './schema.js';

export type ClaimRequest = {
  /** What is claimed, e.g. `slack:command:<trigger_id>`. */
  key: string;
  /** The kind of request, for operators reading the table (`slack:command`, `slack:event`…). */
  kind: string;
  /** How long the claim holds (milliseconds). */
  ttlMs: number;
};

/**
 * A claim held by one caller. `token` tells this holder from a later one that took the claim over; `takenOver` says
 * this caller took over a claim another had let lapse (that one may have done part of the work before it stopped).
 */
export type ClaimHold = { key: string; token: string; takenOver: boolean };

// The claim's take time in microseconds: a Date would drop the microseconds and never match again.
const TOKEN = `floor(extract(epoch from claimed_at) * 1000000)::bigint::text`;
const ms = (n: number) => Math.max(1, Math.ceil(n));

/** Claims `key` for `ttlMs`: the hold when this caller now has it (new, or an expired claim taken over), else undefined. */
export async function holdRequest(q: Queryable, c: ClaimRequest): Promise<ClaimHold | undefined> {
  // One statement: a concurrent insert of the same key waits on the unique index, then sees the claim as held.
  // xmax is 0 on a row this statement inserted, and set on one it updated (a lapsed claim taken over).
  const rows = await q.query<{ token: string; taken_over: boolean }>(
    `insert into request_claims (key, kind, claimed_at, expires_at) values ($1, $2, clock_timestamp(), now() + $3::bigint * interval '1 millisecond')
     on conflict (key) do update set kind = excluded.kind, claimed_at = clock_timestamp(), expires_at = excluded.expires_at, done_at = null
      where request_claims.expires_at <= now()
     returning ${TOKEN} as token, xmax::text <> '0' as taken_over`,
    [c.key, c.kind, ms(c.ttlMs)],
  );
  return rows[0] ? { key: c.key, token: rows[0].token, takenOver: rows[0].taken_over } : undefined;
}

/** Claims `key`: true when this caller now holds it (new, or an expired claim taken over), false when held. */
export async function claimRequest(q: Queryable, c: ClaimRequest): Promise<boolean> {
  return (await holdRequest(q, c)) !== undefined;
}

/** Extends a held, unanswered claim to `ttlMs` from now; false when it is no longer this holder's. */
export async function renewHold(q: Queryable, hold: ClaimHold, ttlMs: number): Promise<boolean> {
  const rows = await q.query(
    `update request_claims set expires_at = now() + $3::bigint * interval '1 millisecond'
      where key = $1 and ${TOKEN} = $2 and done_at is null returning key`,
    [hold.key, hold.token, ms(ttlMs)],
  );
  return rows.length === 1;
}

/** Marks a held claim answered and keeps it `keepMs` from now; false when it was no longer this holder's. */
export async function completeHold(q: Queryable, hold: ClaimHold, keepMs: number): Promise<boolean> {
  const rows = await q.query(
    `update request_claims set done_at = now(), expires_at = now() + $3::bigint * interval '1 millisecond'
      where key = $1 and ${TOKEN} = $2 returning key`,
    [hold.key, hold.token, ms(keepMs)],
  );
  return rows.length === 1;
}

/** Lets an unanswered claim go at once (its work failed), so a retry or another instance may take it. */
export async function releaseHold(q: Queryable, hold: ClaimHold): Promise<void> {
  await q.query(`update request_claims set expires_at = now() where key = $1 and ${TOKEN} = $2 and done_at is null`, [hold.key, hold.token]);
}

export type ClaimRow = typeof requestClaims.$inferSelect;

/** The stored claim on `key`, if any. */
export async function findClaim(database: Database, key: string): Promise<ClaimRow | undefined> {
  const [row] = await database.db.select().from(requestClaims).where(eq(requestClaims.key, key)).limit(1);
  return row;
}

/** Claims kept this long past their expiry, so a claim taken over soon after it lapsed is known as taken over. */
export const EXPIRED_CLAIMS_KEPT_MS = 10 * 60_000;

/** Deletes up to `limit` claims expired for at least `keptMs`; returns how many went. */
export async function deleteExpiredClaims(q: Queryable, limit = 1000, keptMs = EXPIRED_CLAIMS_KEPT_MS): Promise<number> {
  // Expiry is checked again on the row deleted: a claim another instance takes over while this statement waits for
  // its row is rechecked as it now stands (still live), whereas the subquery's rows keep the expired version.
  const rows = await q.query<{ key: string }>(
    `delete from request_claims where key in (select key from request_claims where expires_at <= now() - $2::bigint * interval '1 millisecond' limit $1)
        and expires_at <= now() - $2::bigint * interval '1 millisecond' returning key`,
    [limit, Math.max(0, Math.ceil(keptMs))],
  );
  return rows.length;
}
