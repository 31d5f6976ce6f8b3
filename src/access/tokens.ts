// Personal API tokens. A token acts as its user; only an on-behalf token (for an integration that relays for
// many people) may name another user, and then both names reach the ledger. The secret is shown once, at
// creation; the database keeps its sha256, so a leaked backup holds no usable credential.
import { createHash, randomBytes } from 'node:crypto';
import { appendAuditIn } from '../audit/ledger.js';
import type { Database } from '../db/client.js';
import { findUser } from '../db/approvals.js';
import { type ApiTokenRow, apiTokenByHash, insertApiToken, listApiTokens, revokeApiToken, touchApiToken } from '../db/api-tokens.js';
import { AppError } from '../errors.js';

/** Every personal token starts with this, so it is recognisable in logs and by secret scanners. */
export const TOKEN_PREFIX = 'qm_pat_';
const DEFAULT_DAYS = 90;
const DAY_MS = 86_400_000;

export type TokenInfo = { id: string; name: string; user: string; expiresAt: string | null; onBehalf: boolean };

/** The person a valid token acts as. */
export type TokenPrincipal = { tokenId: string; tokenName: string; userId: string; email: string; name: string; onBehalf: boolean };

/** sha256 hex of a secret: what is stored and looked up. */
export function hashToken(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** When a token made now expires: `30d`, `12h`, a date `YYYY-MM-DD` (end of that day, UTC), or `never`. */
export function parseExpiry(text: string | undefined, now: Date): Date | null {
  const t = (text ?? `${DEFAULT_DAYS}d`).trim().toLowerCase();
  if (t === 'never') return null;
  const rel = /^(\d{1,5})\s*([dh])$/.exec(t);
  if (rel) {
    const n = Number(rel[1]);
    if (n < 1) throw new AppError('tokens:usage', `--expires ${text}: give at least 1${rel[2]}`);
    return new Date(now.getTime() + n * (rel[2] === 'd' ? DAY_MS : 3_600_000));
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) {
    const end = new Date(`${t}T23:59:59.999Z`);
    if (Number.isNaN(end.getTime()) || end.toISOString().slice(0, 10) !== t) throw new AppError('tokens:usage', `--expires ${text} is not a date`);
    if (end <= now) throw new AppError('tokens:usage', `--expires ${text} is in the past`);
    return end;
  }
  throw new AppError('tokens:usage', `--expires ${text}: use a number of days (30d), hours (12h), a date (YYYY-MM-DD) or "never"`);
}

const info = (r: ApiTokenRow): TokenInfo => ({ id: r.id, name: r.name, user: r.userEmail, expiresAt: r.expiresAt, onBehalf: r.onBehalf });

/** Issues a token for a user; returns its details and the secret (shown once). */
export async function createToken(
  database: Database,
  req: { user: string; name?: string; expires?: string; onBehalf?: boolean; createdBy: string },
  now: Date = new Date(),
): Promise<TokenInfo & { token: string }> {
  const user = await findUser(database, req.user);
  if (!user) throw new AppError('tokens:unknown-user', `${req.user} is not a Quartermaster user; import users first (qm import users).`);
  if (!user.active) throw new AppError('tokens:unknown-user', `${user.email} is not an active user.`);
  const expiresAt = parseExpiry(req.expires, now);
  const name = (req.name ?? '').trim().slice(0, 100) || `token ${now.toISOString().slice(0, 10)}`;
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const row = await database.transaction(async (tx) => {
    const stored = await insertApiToken(tx, {
      name,
      userId: user.id,
      tokenHash: hashToken(secret),
      onBehalf: req.onBehalf ?? false,
      expiresAt,
      createdBy: req.createdBy,
    });
    await appendAuditIn(tx, [
      {
        actorType: 'user',
        actor: req.createdBy,
        action: 'token_created',
        subjectType: 'api_token',
        subjectId: stored.id,
        rationale: `Personal API token "${name}" issued for ${user.email}${stored.onBehalf ? ' (may act on behalf of other users)' : ''}.`,
        data: { tokenId: stored.id, name, user: user.email, onBehalf: stored.onBehalf, expiresAt: stored.expiresAt },
        at: now,
      },
    ]);
    return stored;
  });
  return { ...info(row), token: secret };
}

/** The principal a presented secret stands for, or why it is refused (unknown, revoked, expired, inactive user). */
export async function verifyToken(
  database: Database,
  secret: string,
  now: Date = new Date(),
): Promise<{ ok: true; principal: TokenPrincipal } | { ok: false; reason: string }> {
  if (!secret.startsWith(TOKEN_PREFIX)) return { ok: false, reason: 'not a personal token' };
  const row = await apiTokenByHash(database, hashToken(secret));
  if (!row) return { ok: false, reason: 'unknown token' };
  if (row.revokedAt) return { ok: false, reason: 'this token was revoked' };
  if (row.expiresAt && new Date(row.expiresAt) <= now) return { ok: false, reason: 'this token has expired' };
  if (!row.userActive) return { ok: false, reason: "this token's user is not active" };
  // Last use is kept to the minute: most requests find it fresh and write nothing.
  if (!row.lastUsedAt || now.getTime() - new Date(row.lastUsedAt).getTime() >= 60_000) await touchApiToken(database, row.id, now);
  return {
    ok: true,
    principal: { tokenId: row.id, tokenName: row.name, userId: row.userId, email: row.userEmail, name: row.userName, onBehalf: row.onBehalf },
  };
}

/** Tokens with their state (never a secret). */
export async function listTokens(database: Database, filter: { user?: string } = {}, now: Date = new Date()) {
  let userId: string | undefined;
  if (filter.user) {
    const user = await findUser(database, filter.user);
    if (!user) throw new AppError('tokens:unknown-user', `${filter.user} is not a Quartermaster user.`);
    userId = user.id;
  }
  const rows = await listApiTokens(database, userId ? { userId } : {});
  return rows.map((r) => ({
    ...info(r),
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    lastUsedAt: r.lastUsedAt,
    state: r.revokedAt ? 'revoked' : r.expiresAt && new Date(r.expiresAt) <= now ? 'expired' : 'active',
  }));
}

/** Revokes a token by id; recorded in the ledger. */
export async function revokeToken(database: Database, id: string, by: string, now: Date = new Date()): Promise<TokenInfo> {
  return database.transaction(async (tx) => {
    const row = await revokeApiToken(tx, id.trim(), now);
    if (!row) throw new AppError('tokens:not-found', `No token ${id}; see qm tokens list.`);
    await appendAuditIn(tx, [
      {
        actorType: 'user',
        actor: by,
        action: 'token_revoked',
        subjectType: 'api_token',
        subjectId: row.id,
        rationale: `Personal API token "${row.name}" of ${row.userEmail} revoked.`,
        data: { tokenId: row.id, name: row.name, user: row.userEmail },
        at: now,
      },
    ]);
    return info(row);
  });
}
