// Chat identities: who a person is on a chat platform (Slack user id, Teams AAD object id, …) → their user. The
// one place that maps platform accounts to users; `users.slack_user_id` / `users.teams_aad_object_id` are no longer
// read (migration 0010 copied them here; dropping them is a later migration).
import type { Approver } from '../approvals/types.js';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Session } from './client.js';
import { chatIdentities, users } from './schema.js';

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
export async function linkChatIdentity(q: Session, identity: ChatIdentity, userId: string): Promise<boolean> {
  const platform = identity.platform;
  const tenant = identity.tenant ?? '';
  const externalId = canonicalId(platform, identity.externalId);
  const [owner] = await q.db
    .select({ userId: chatIdentities.userId })
    .from(chatIdentities)
    .where(and(eq(chatIdentities.platform, platform), eq(chatIdentities.tenant, tenant), eq(chatIdentities.externalId, externalId)));
  if (owner) {
    if (owner.userId !== userId) throw new ChatIdentityTaken(identity);
    return false;
  }
  await q.db
    .delete(chatIdentities)
    .where(and(eq(chatIdentities.platform, platform), eq(chatIdentities.tenant, tenant), eq(chatIdentities.userId, userId)));
  await q.db.insert(chatIdentities).values({ platform, tenant, externalId, userId });
  return true;
}

/** The user an identity belongs to: one recorded for its tenant wins over one recorded without a tenant. */
export async function userByChatIdentity(q: Session, identity: ChatIdentity): Promise<Approver | undefined> {
  const [row] = await q.db
    .select({ id: users.id, email: users.email, name: users.name, roles: users.roles, active: users.active })
    .from(chatIdentities)
    .innerJoin(users, eq(users.id, chatIdentities.userId))
    .where(
      and(
        eq(chatIdentities.platform, identity.platform),
        eq(chatIdentities.externalId, canonicalId(identity.platform, identity.externalId)),
        inArray(chatIdentities.tenant, [identity.tenant ?? '', '']),
      ),
    )
    .orderBy(desc(chatIdentities.tenant))
    .limit(1);
  return row ? { ...row, roles: [...row.roles] } : undefined;
}

/** A user's account on a platform (their identity for `tenant`, else one recorded without a tenant). */
export async function chatIdentityOf(q: Session, userId: string, platform: string, tenant = ''): Promise<string | undefined> {
  const [row] = await q.db
    .select({ externalId: chatIdentities.externalId })
    .from(chatIdentities)
    .where(and(eq(chatIdentities.userId, userId), eq(chatIdentities.platform, platform), inArray(chatIdentities.tenant, [tenant, ''])))
    .orderBy(desc(chatIdentities.tenant), desc(chatIdentities.id))
    .limit(1);
  return row?.externalId;
}
