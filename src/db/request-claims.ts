// Request claims: keys of inbound requests that must be processed once across every app instance sharing the
// database (a Slack command's trigger_id, an event id). The first caller to insert a key holds it until it expires;
// an expired claim may be taken over. Expiry uses the database's clock, so instances with skewed clocks agree.
import type { Queryable } from './client.js';

export type ClaimRequest = {
  /** What is claimed, e.g. `slack:command:<trigger_id>`. */
  key: string;
  /** The kind of request, for operators reading the table (`slack:command`, `slack:event`…). */
  kind: string;
  /** How long the claim holds (milliseconds). */
  ttlMs: number;
};

/** Claims `key`: true when this caller now holds it (new, or an expired claim taken over), false when held. */
export async function claimRequest(q: Queryable, c: ClaimRequest): Promise<boolean> {
  // One statement: a concurrent insert of the same key waits on the unique index, then sees the claim as held.
  const rows = await q.query<{ key: string }>(
    `insert into request_claims (key, kind, expires_at) values ($1, $2, now() + $3::bigint * interval '1 millisecond')
     on conflict (key) do update set kind = excluded.kind, claimed_at = now(), expires_at = excluded.expires_at, done_at = null
      where request_claims.expires_at <= now()
     returning key`,
    [c.key, c.kind, Math.max(1, Math.ceil(c.ttlMs))],
  );
  return rows.length === 1;
}

/** Deletes up to `limit` expired claims; returns how many went. */
export async function deleteExpiredClaims(q: Queryable, limit = 1000): Promise<number> {
  const rows = await q.query<{ key: string }>(
    `delete from request_claims where key in (select key from request_claims where expires_at <= now() limit $1) returning key`,
    [limit],
  );
  return rows.length;
}
