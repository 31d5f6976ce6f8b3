// Web sign-in state: sessions (looked up by the sha256 of the cookie's secret), one-time sign-in links (consumed
// by one atomic UPDATE, so two clicks racing sign in at most once), and server secrets generated once per
// database (the first instance to insert a name wins; the others read the same value).
import { and, asc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Approver } from '../approvals/types.js';
import type { Database, Queryable } from './client.js';
import { serverSecrets, users, webSessions } from './schema.js';

type SessionRow = typeof webSessions.$inferSelect;
type UserRow = typeof users.$inferSelect;

/** A session with the user it belongs to. */
export type WebSessionRow = Pick<SessionRow, 'id' | 'method' | 'createdAt' | 'lastSeenAt' | 'expiresAt' | 'endedAt'> & {
  user: Pick<UserRow, 'id' | 'email' | 'name' | 'roles' | 'active'>;
};

/** Stores a new session (its hash only); returns its id. */
export async function insertWebSession(
  q: Queryable,
  s: { tokenHash: string; userId: string; method: SessionRow['method']; now: Date; expiresAt: Date },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `insert into web_sessions (token_hash, user_id, method, created_at, last_seen_at, expires_at)
     values ($1, $2::uuid, $3, $4, $4, $5) returning id::text as id`,
    [s.tokenHash, s.userId, s.method, s.now.toISOString(), s.expiresAt.toISOString()],
  );
  return row!.id;
}

/** The session with this hash and its user, whatever its state (the caller decides whether it is still valid). */
export async function webSessionByHash(database: Database, tokenHash: string): Promise<WebSessionRow | undefined> {
  const [row] = await database.db
    .select({
      id: webSessions.id,
      method: webSessions.method,
      createdAt: webSessions.createdAt,
      lastSeenAt: webSessions.lastSeenAt,
      expiresAt: webSessions.expiresAt,
      endedAt: webSessions.endedAt,
      user: { id: users.id, email: users.email, name: users.name, roles: users.roles, active: users.active },
    })
    .from(webSessions)
    .innerJoin(users, eq(users.id, webSessions.userId))
    .where(eq(webSessions.tokenHash, tokenHash))
    .limit(1);
  return row;
}

/** Notes a request on the session (at most once a minute, also when two requests race). */
export async function touchWebSession(database: Database, id: string, at: Date): Promise<void> {
  await database.db
    .update(webSessions)
    .set({ lastSeenAt: at })
    .where(and(eq(webSessions.id, id), lt(webSessions.lastSeenAt, new Date(at.getTime() - 60_000))));
}

/** Ends a session (sign-out); ending an ended one changes nothing. */
export async function endWebSession(database: Database, id: string, at: Date): Promise<void> {
  await database.db
    .update(webSessions)
    .set({ endedAt: at })
    .where(and(eq(webSessions.id, id), isNull(webSessions.endedAt)));
}

/** Removes a user's sessions that ended or expired, and links past their ten minutes (a used one still says so until then). */
export async function pruneUserSignIns(q: Queryable, userId: string, now: Date): Promise<void> {
  await q.query('delete from web_sessions where user_id = $1::uuid and (ended_at is not null or expires_at <= $2)', [userId, now.toISOString()]);
  await q.query('delete from web_sign_in_links where user_id = $1::uuid and expires_at <= $2', [userId, now.toISOString()]);
}

/** Stores a sign-in link (its hash only); returns its id. */
export async function insertSignInLink(
  q: Queryable,
  l: { tokenHash: string; userId: string; createdBy: string; now: Date; expiresAt: Date },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `insert into web_sign_in_links (token_hash, user_id, created_by, created_at, expires_at)
     values ($1, $2::uuid, $3, $4, $5) returning id::text as id`,
    [l.tokenHash, l.userId, l.createdBy, l.now.toISOString(), l.expiresAt.toISOString()],
  );
  return row!.id;
}

/**
 * Uses the link with this hash if it is unused and unexpired at `now`: one UPDATE, so of two concurrent uses only
 * one gets the row. Returns the link's id and user, or undefined (unknown, used or expired).
 */
export async function consumeSignInLink(q: Queryable, tokenHash: string, now: Date): Promise<{ id: string; userId: string } | undefined> {
  const [row] = await q.query<{ id: string; user_id: string }>(
    `update web_sign_in_links set used_at = $2
      where token_hash = $1 and used_at is null and expires_at > $2
      returning id::text, user_id::text`,
    [tokenHash, now.toISOString()],
  );
  return row ? { id: row.id, userId: row.user_id } : undefined;
}

/** Why a link with this hash cannot be used (for the message), or undefined when it is unknown. */
export async function signInLinkState(q: Queryable, tokenHash: string): Promise<{ usedAt: string | null; expiresAt: string } | undefined> {
  const [row] = await q.query<{ used_at: string | null; expires_at: string }>(
    'select used_at::text, expires_at::text from web_sign_in_links where token_hash = $1',
    [tokenHash],
  );
  return row ? { usedAt: row.used_at, expiresAt: row.expires_at } : undefined;
}

/** The secret stored under `name`, created from `generate()` when none is (every instance ends with the same one). */
export async function serverSecret(database: Database, name: string, generate: () => string): Promise<string> {
  await database.db.insert(serverSecrets).values({ name, value: generate() }).onConflictDoNothing();
  const [row] = await database.db.select({ value: serverSecrets.value }).from(serverSecrets).where(eq(serverSecrets.name, name)).limit(1);
  return row!.value;
}

/** The longest-standing active user with the admin role, if any (who `qm start` prints a sign-in link for). */
export async function firstAdministrator(database: Database): Promise<{ email: string } | undefined> {
  const [row] = await database.db
    .select({ email: users.email })
    .from(users)
    .where(and(eq(users.active, true), sql`'admin' = any(${users.roles})`))
    .orderBy(asc(users.createdAt), asc(users.email))
    .limit(1);
  return row;
}

/** The active user with this email (any case), for a person an identity provider vouched for; emails only. */
export async function activeUserByEmail(database: Database, email: string): Promise<Approver | undefined> {
  const [row] = await database.db
    .select({ id: users.id, email: users.email, name: users.name, roles: users.roles, active: users.active })
    .from(users)
    .where(and(eq(users.active, true), sql`lower(${users.email}) = lower(${email.trim()})`))
    .limit(1);
  return row ? { ...row, roles: [...row.roles] } : undefined;
}
