// Personal API tokens: stored as the sha256 of the secret, looked up by it, listed and revoked by id.
import type { Queryable } from './client.js';

export type ApiTokenRow = {
  id: string;
  name: string;
  userId: string;
  userEmail: string;
  userName: string;
  userActive: boolean;
  onBehalf: boolean;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdBy: string;
  createdAt: string;
};

const SELECT = `select t.id::text as "id", t.name, t.user_id::text as "userId", u.email as "userEmail", u.name as "userName",
    u.active as "userActive", t.on_behalf as "onBehalf", t.expires_at as "expiresAt", t.revoked_at as "revokedAt",
    t.last_used_at as "lastUsedAt", t.created_by as "createdBy", t.created_at as "createdAt"
  from api_tokens t join users u on u.id = t.user_id`;

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string).toISOString());

function toRow(r: Record<string, unknown>): ApiTokenRow {
  return {
    id: String(r.id),
    name: String(r.name),
    userId: String(r.userId),
    userEmail: String(r.userEmail),
    userName: String(r.userName),
    userActive: Boolean(r.userActive),
    onBehalf: Boolean(r.onBehalf),
    expiresAt: iso(r.expiresAt),
    revokedAt: iso(r.revokedAt),
    lastUsedAt: iso(r.lastUsedAt),
    createdBy: String(r.createdBy),
    createdAt: iso(r.createdAt) ?? '',
  };
}

/** Stores a new token (its hash only) and returns its row. */
export async function insertApiToken(
  q: Queryable,
  t: { name: string; userId: string; tokenHash: string; onBehalf: boolean; expiresAt: Date | null; createdBy: string },
): Promise<ApiTokenRow> {
  const [row] = await q.query<{ id: string }>(
    `insert into api_tokens (name, user_id, token_hash, on_behalf, expires_at, created_by)
     values ($1, $2::uuid, $3, $4, $5, $6) returning id::text as id`,
    [t.name, t.userId, t.tokenHash, t.onBehalf, t.expiresAt?.toISOString() ?? null, t.createdBy],
  );
  const [full] = await q.query<Record<string, unknown>>(`${SELECT} where t.id = $1::uuid`, [row!.id]);
  return toRow(full!);
}

/** The token with this hash, whatever its state (the caller decides whether it may be used). */
export async function apiTokenByHash(q: Queryable, tokenHash: string): Promise<ApiTokenRow | undefined> {
  const [row] = await q.query<Record<string, unknown>>(`${SELECT} where t.token_hash = $1`, [tokenHash]);
  return row ? toRow(row) : undefined;
}

/** Notes when a token was last used (at most once a minute per token, also when two requests race). */
export async function touchApiToken(q: Queryable, id: string, at: Date): Promise<void> {
  await q.query(
    `update api_tokens set last_used_at = $2
      where id = $1::uuid and (last_used_at is null or last_used_at < $2::timestamptz - interval '1 minute')`,
    [id, at.toISOString()],
  );
}

/** Tokens, newest first; optionally those of one user only. */
export async function listApiTokens(q: Queryable, filter: { userId?: string } = {}): Promise<ApiTokenRow[]> {
  const rows = filter.userId
    ? await q.query<Record<string, unknown>>(`${SELECT} where t.user_id = $1::uuid order by t.created_at desc`, [filter.userId])
    : await q.query<Record<string, unknown>>(`${SELECT} order by t.created_at desc`);
  return rows.map(toRow);
}

/** Revokes a token by its id; returns it, or undefined when unknown. */
export async function revokeApiToken(q: Queryable, id: string, at: Date): Promise<ApiTokenRow | undefined> {
  const [row] = await q.query<{ id: string }>(
    `update api_tokens set revoked_at = coalesce(revoked_at, $2) where id::text = $1 returning id::text as id`,
    [id, at.toISOString()],
  );
  if (!row) return undefined;
  const [full] = await q.query<Record<string, unknown>>(`${SELECT} where t.id = $1::uuid`, [row.id]);
  return full ? toRow(full) : undefined;
}
