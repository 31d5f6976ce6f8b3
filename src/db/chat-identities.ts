// Chat identities: who a person is on a chat platform (Slack user id, Teams AAD object id, …) → their user. The
// one place that maps platform accounts to users; `users.slack_user_id` / `users.teams_aad_object_id` are no longer
// read (migration 0010 copied them here; dropping them is a later migration).
import type { Approver } from '../approvals/types.js';
import type { Queryable } from './client.js';
import type { chatIdentities } from './schema.js';

type ChatIdentityRow = typeof chatIdentities.$inferSelect;

/** One account on one platform; `tenant` is the Slack team or Teams tenant, '' (or absent) when unknown. */
export type ChatIdentity = Pick<ChatIdentityRow, 'platform' | 'externalId'> & { tenant?: string };

/** Teams object ids are GUIDs, compared in lower case; other platforms' ids are compared as given. */
function canonicalId(platform: string, externalId: string): string {
  const id = externalId.trim();
  return platform === 'teams' ? id.toLowerCase() : id;
}

/** The identity's error when it already belongs to someone else (the import explains it per platform). */
export class ChatIdentityTaken extends Error {
  constructor(readonly identity: ChatIdentity) {
    super(`chat_identities_uq: the ${identity.platform} identity ${identity.externalId} already belongs to another user`);
  }
}

/**
 * Links an identity to a user, replacing the identity the user had on that platform and tenant (a re-import with a
 * new id moves them). Throws ChatIdentityTaken when it belongs to another user. True when anything changed.
 */
export async function linkChatIdentity(q: Queryable, identity: ChatIdentity, userId: string): Promise<boolean> {
  const platform = identity.platform;
  const tenant = identity.tenant ?? '';
  const externalId = canonicalId(platform, identity.externalId);
  const [owner] = await q.query<{ user_id: string }>(
    'select user_id::text from chat_identities where platform = $1 and tenant = $2 and external_id = $3',
    [platform, tenant, externalId],
  );
  if (owner) {
    if (owner.user_id !== userId) throw new ChatIdentityTaken(identity);
    return false;
  }
  await q.query('delete from chat_identities where platform = $1 and tenant = $2 and user_id = $3::uuid', [platform, tenant, userId]);
  await q.query('insert into chat_identities (platform, tenant, external_id, user_id) values ($1, $2, $3, $4::uuid)', [
    platform,
    tenant,
    externalId,
    userId,
  ]);
  return true;
}

/** The user an identity belongs to: one recorded for its tenant wins over one recorded without a tenant. */
export async function userByChatIdentity(q: Queryable, identity: ChatIdentity): Promise<Approver | undefined> {
  const [row] = await q.query<{ id: string; email: string; name: string; roles: string[]; active: boolean }>(
    `select u.id::text, u.email, u.name, u.roles, u.active
       from chat_identities ci join users u on u.id = ci.user_id
      where ci.platform = $1 and ci.external_id = $2 and ci.tenant in ($3, '')
      order by ci.tenant desc limit 1`,
    [identity.platform, canonicalId(identity.platform, identity.externalId), identity.tenant ?? ''],
  );
  return row ? { ...row, roles: [...row.roles] } : undefined;
}

/** A user's account on a platform (their identity for `tenant`, else one recorded without a tenant). */
export async function chatIdentityOf(q: Queryable, userId: string, platform: string, tenant = ''): Promise<string | undefined> {
  const [row] = await q.query<{ external_id: string }>(
    `select external_id from chat_identities where user_id = $1::uuid and platform = $2 and tenant in ($3, '')
      order by tenant desc, id desc limit 1`,
    [userId, platform, tenant],
  );
  return row?.external_id;
}
