// Web sessions and one-time sign-in links. A sign-in link (`qm web link --as <email>`) holds a random secret, is
// stored as its sha256, works once and for ten minutes; using it starts a session. A session's secret travels in
// the browser's cookie and is stored as its sha256 too; it ends after a stretch without requests (idle), at a fixed
// time after sign-in (absolute), or at sign-out. Link issue and sign-in are recorded in the ledger.
import { createHash, randomBytes } from 'node:crypto';
import type { Approver } from '../approvals/types.js';
import { appendAuditIn } from '../audit/ledger.js';
import type { Database } from '../db/client.js';
import { findUser } from '../db/approvals.js';
import {
  consumeSignInLink,
  endWebSession,
  firstAdministrator,
  insertSignInLink,
  insertWebSession,
  pruneUserSignIns,
  serverSecret,
  signInLinkState,
  touchWebSession,
  webSessionByHash,
} from '../db/web-sessions.js';
import { AppError } from '../errors.js';

/** How long a sign-in link works. */
export const SIGN_IN_LINK_MS = 10 * 60_000;
const LINK_PREFIX = 'qm_link_';

export type SessionLimits = { idleMs: number; absoluteMs: number };
/** Eight hours without a request, or seven days after signing in, whichever comes first. */
export const DEFAULT_SESSION_LIMITS: SessionLimits = { idleMs: 8 * 3_600_000, absoluteMs: 7 * 86_400_000 };

export type SignInMethod = 'link' | 'oidc';

/** A signed-in person as a request sees them. */
export type WebPrincipal = { sessionId: string; method: SignInMethod; user: Approver };

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const secret = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

/** Issues a one-time sign-in link secret for an active user; recorded in the ledger. */
export async function createSignInLink(
  database: Database,
  req: { user: string; createdBy: string },
  now: Date = new Date(),
): Promise<{ token: string; user: Approver; expiresAt: Date }> {
  const user = await findUser(database, req.user);
  if (!user) throw new AppError('web:unknown-user', `${req.user} is not a Quartermaster user; import users first (qm import users).`);
  if (!user.active) throw new AppError('web:unknown-user', `${user.email} is not an active user.`);
  const token = secret(LINK_PREFIX);
  const expiresAt = new Date(now.getTime() + SIGN_IN_LINK_MS);
  await database.transaction(async (tx) => {
    const id = await insertSignInLink(tx, { tokenHash: sha256(token), userId: user.id, createdBy: req.createdBy, now, expiresAt });
    await appendAuditIn(tx, [
      {
        actorType: 'user',
        actor: req.createdBy,
        action: 'sign_in_link_created',
        subjectType: 'web_sign_in_link',
        subjectId: id,
        rationale: `One-time web sign-in link issued for ${user.email}, valid until ${expiresAt.toISOString()}.`,
        data: { user: user.email, expiresAt: expiresAt.toISOString() },
        at: now,
      },
    ]);
  });
  return { token, user, expiresAt };
}

async function startSessionIn(
  tx: Parameters<Parameters<Database['transaction']>[0]>[0],
  user: Approver,
  method: SignInMethod,
  now: Date,
  limits: SessionLimits,
  detail: string,
): Promise<{ secret: string; sessionId: string }> {
  const token = secret('');
  // Housekeeping at sign-in: this person's finished sessions and spent links go (the ledger keeps the record).
  await pruneUserSignIns(tx, user.id, now);
  const sessionId = await insertWebSession(tx, {
    tokenHash: sha256(token),
    userId: user.id,
    method,
    now,
    expiresAt: new Date(now.getTime() + limits.absoluteMs),
  });
  await appendAuditIn(tx, [
    {
      actorType: 'user',
      actor: user.email,
      action: 'web_signed_in',
      subjectType: 'web_session',
      subjectId: sessionId,
      rationale: `${user.name} signed in to the web app ${detail}.`,
      data: { user: user.email, method },
      at: now,
    },
  ]);
  return { secret: token, sessionId };
}

export type SignInResult = { ok: true; secret: string; sessionId: string; user: Approver } | { ok: false; reason: string };

/** Uses a sign-in link: a new session for its user, or why not (unknown, used, expired, user inactive). */
export async function redeemSignInLink(
  database: Database,
  token: string,
  now: Date = new Date(),
  limits: SessionLimits = DEFAULT_SESSION_LIMITS,
): Promise<SignInResult> {
  const hash = sha256(token.trim());
  const result = await database.transaction(async (tx): Promise<SignInResult> => {
    const link = await consumeSignInLink(tx, hash, now);
    if (!link) return { ok: false, reason: '' };
    const user = await findUser(tx, link.userId);
    if (!user?.active) return { ok: false, reason: 'This account is not active.' };
    const s = await startSessionIn(tx, user, 'link', now, limits, 'with a one-time link');
    return { ok: true, ...s, user };
  });
  if (result.ok || result.reason) return result;
  const state = await signInLinkState(database, hash);
  return {
    ok: false,
    reason: !state
      ? 'This sign-in link is not valid. Ask for a new one (qm web link --as <email>).'
      : state.usedAt
        ? 'This sign-in link was already used: each works once. Ask for a new one (qm web link --as <email>).'
        : 'This sign-in link has expired (they work for 10 minutes). Ask for a new one (qm web link --as <email>).',
  };
}

/** Starts a session for a user the identity provider vouched for. */
export async function startSession(
  database: Database,
  user: Approver,
  method: SignInMethod,
  detail: string,
  now: Date = new Date(),
  limits: SessionLimits = DEFAULT_SESSION_LIMITS,
): Promise<{ secret: string; sessionId: string }> {
  return database.transaction((tx) => startSessionIn(tx, user, method, now, limits, detail));
}

/** The person a session cookie's secret stands for, or undefined when it is unknown, ended, expired or idle. */
export async function verifySession(
  database: Database,
  token: string,
  now: Date = new Date(),
  limits: SessionLimits = DEFAULT_SESSION_LIMITS,
): Promise<WebPrincipal | undefined> {
  const row = await webSessionByHash(database, sha256(token));
  if (!row || row.endedAt || !row.user.active) return undefined;
  if (row.expiresAt <= now) return undefined;
  if (now.getTime() - row.lastSeenAt.getTime() >= limits.idleMs) return undefined;
  if (now.getTime() - row.lastSeenAt.getTime() >= 60_000) await touchWebSession(database, row.id, now);
  return { sessionId: row.id, method: row.method, user: { ...row.user, roles: [...row.user.roles] } };
}

/** The URL a sign-in link secret opens, under `origin` (QM_PUBLIC_URL, or the server's own). */
export function signInUrl(origin: string, token: string): string {
  return `${origin.replace(/\/+$/, '')}/auth/link?token=${encodeURIComponent(token)}`;
}

/** A sign-in link for the first administrator, when there is one (what `qm start` prints for a newcomer). */
export async function administratorSignInLink(database: Database, createdBy: string, now: Date = new Date()) {
  const admin = await firstAdministrator(database);
  return admin ? createSignInLink(database, { user: admin.email, createdBy }, now) : undefined;
}

/** Ends a session (sign-out). */
export async function endSession(database: Database, sessionId: string, now: Date = new Date()): Promise<void> {
  await endWebSession(database, sessionId, now);
}

/** The key that signs this installation's web cookies: made once, kept in the database, shared by every instance. */
export function cookieKey(database: Database): Promise<string> {
  return serverSecret(database, 'web-cookie-key', () => randomBytes(32).toString('base64url'));
}
