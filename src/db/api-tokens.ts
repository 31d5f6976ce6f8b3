// Personal API tokens: stored as the sha256 of the secret, looked up by it, listed and revoked by id.
import { and, desc, eq, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Session } from './client.js';
import { apiTokens, users } from './schema.js';

type StoredToken = typeof apiTokens.$inferSelect;

/** A token with its owner, times as ISO strings. */
export type ApiTokenRow = Pick<StoredToken, 'id' | 'name' | 'userId' | 'onBehalf' | 'createdBy'> & {
  userEmail: string;
  userName: string;
  userActive: boolean;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
};

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/** The tokens (with their owners) that `where` selects, newest first. */
async function selectTokens(q: Session, where: SQL | undefined): Promise<ApiTokenRow[]> {
  const rows = await q.db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      userId: apiTokens.userId,
      userEmail: users.email,
      userName: users.name,
      userActive: users.active,
      onBehalf: apiTokens.onBehalf,
      expiresAt: apiTokens.expiresAt,
      revokedAt: apiTokens.revokedAt,
      lastUsedAt: apiTokens.lastUsedAt,
      createdBy: apiTokens.createdBy,
      createdAt: apiTokens.createdAt,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(where)
    .orderBy(desc(apiTokens.createdAt));
  return rows.map((r) => ({
    ...r,
    expiresAt: iso(r.expiresAt),
    revokedAt: iso(r.revokedAt),
    lastUsedAt: iso(r.lastUsedAt),
    createdAt: r.createdAt.toISOString(),
  }));
}

/** Stores a new token (its hash only) and returns its row. */
export async function insertApiToken(
  q: Session,
  t: Pick<typeof apiTokens.$inferInsert, 'name' | 'userId' | 'tokenHash' | 'onBehalf' | 'createdBy'> & { expiresAt: Date | null },
): Promise<ApiTokenRow> {
  const [row] = await q.db.insert(apiTokens).values(t).returning({ id: apiTokens.id });
  const [full] = await selectTokens(q, eq(apiTokens.id, row!.id));
  return full!;
}

/** The token with this hash, whatever its state (the caller decides whether it may be used). */
export async function apiTokenByHash(q: Session, tokenHash: string): Promise<ApiTokenRow | undefined> {
  const [row] = await selectTokens(q, eq(apiTokens.tokenHash, tokenHash));
  return row;
}

/** Notes when a token was last used (at most once a minute per token, also when two requests race). */
export async function touchApiToken(q: Session, id: string, at: Date): Promise<void> {
  await q.db
    .update(apiTokens)
    .set({ lastUsedAt: at })
    .where(and(eq(apiTokens.id, id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, sql`${at.toISOString()}::timestamptz - interval '1 minute'`))));
}

/** Tokens, newest first; optionally those of one user only. */
export async function listApiTokens(q: Session, filter: { userId?: string } = {}): Promise<ApiTokenRow[]> {
  return selectTokens(q, filter.userId ? eq(apiTokens.userId, filter.userId) : undefined);
}

/** Revokes a token by its id; returns it, or undefined when unknown. */
export async function revokeApiToken(q: Session, id: string, at: Date): Promise<ApiTokenRow | undefined> {
  const [row] = await q.db
    .update(apiTokens)
    .set({ revokedAt: sql`coalesce(${apiTokens.revokedAt}, ${at.toISOString()}::timestamptz)` })
    .where(sql`${apiTokens.id}::text = ${id}`)
    .returning({ id: apiTokens.id });
  if (!row) return undefined;
  const [full] = await selectTokens(q, eq(apiTokens.id, row.id));
  return full;
}
