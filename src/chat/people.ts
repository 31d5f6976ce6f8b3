// Who a chat user is to Quartermaster, the same way on every platform: the user their chat identity is linked to
// (chat_identities: `qm import users` with slack_user_id / teams_aad_object_id), else the user with the email their
// platform profile gives. Someone matched neither way can ask questions but cannot approve; an inactive user counts
// as unmatched. Answers are cached for a few minutes; a look-up that fails leaves the person unmatched and uncached.
// The reverse too: a user's account on a platform (to write to them), and who may decide an approval now.
import type { Approval, Approver } from '../approvals/types.js';
import { findUser, usersWithRoles } from '../db/approvals.js';
import { chatIdentityOf, userByChatIdentity } from '../db/chat-identities.js';
import type { Database } from '../db/client.js';
import { TtlCache } from '../domain/ttl-cache.js';
import type { Logger } from '../log.js';
import type { ChatPlatform } from './channel.js';

/** A chat user as the platform names them. */
export type ChatIdentityRef = {
  platform: ChatPlatform;
  /** The stable account id chat_identities records (Slack user id, Teams AAD object id); absent when unknown. */
  externalId?: string;
  /** Slack team, Teams tenant. */
  tenant?: string;
  /** What the platform shows as their name, when it came with the message. */
  name?: string;
  /** The cache key when externalId is absent or not unique per message (Teams' 29:… id). */
  key?: string;
};

/** What the platform's directory says about someone (Slack users.info, Teams roster). */
export type ChatProfile = { name?: string; email?: string };

export type ChatPerson = {
  platform: ChatPlatform;
  externalId?: string;
  name?: string;
  /** The email the platform gave, when it was asked. */
  email?: string;
  /** The Quartermaster user, when matched and active. */
  user?: Approver;
};

export type ChatPeople = {
  /** Resolves a chat user: stored identity, then `profile()` (called only when needed) by email. Never throws. */
  resolve(who: ChatIdentityRef, profile: () => Promise<ChatProfile | undefined>): Promise<ChatPerson>;
  /** A user's account on a platform: the stored identity, else `lookup(email)` (cached; undefined when none). */
  accountOf(platform: ChatPlatform, user: Approver, lookup?: (email: string) => Promise<string | undefined>): Promise<string | undefined>;
  /** The active users who may decide the approval's current level now (the requester and who decided excluded). */
  currentApprovers(approval: Approval): Promise<Approver[]>;
  /** Whether `user` may decide the approval's current level (for showing controls; deciding re-checks everything). */
  canDecideNow(approval: Approval, user: Approver | undefined): boolean;
};

export function createChatPeople(opts: { database: Database; log: Logger; ttlMs?: number }): ChatPeople {
  const { database, log } = opts;
  const ttl = opts.ttlMs ?? 5 * 60_000;
  const people = new TtlCache<ChatPerson>(5000, ttl);
  const accounts = new TtlCache<string | null>(5000, ttl);

  return {
    async resolve(who, profile) {
      const key = `${who.platform}|${who.tenant ?? ''}|${who.key ?? who.externalId ?? ''}`;
      const cacheable = Boolean(who.key ?? who.externalId);
      const cached = cacheable ? people.get(key) : undefined;
      if (cached) return cached;
      const person: ChatPerson = { platform: who.platform, ...(who.externalId ? { externalId: who.externalId } : {}), ...(who.name ? { name: who.name } : {}) };
      try {
        const linked = who.externalId
          ? await userByChatIdentity(database, { platform: who.platform, externalId: who.externalId, ...(who.tenant ? { tenant: who.tenant } : {}) })
          : undefined;
        if (linked) {
          person.user = linked;
          person.name = linked.name;
        } else {
          const p = await profile();
          if (p?.name) person.name = p.name;
          if (p?.email) {
            person.email = p.email;
            const byEmail = await findUser(database, p.email);
            if (byEmail) person.user = byEmail;
          }
        }
        if (person.user && !person.user.active) delete person.user;
      } catch (err) {
        log.warn(`${who.platform}: could not map a chat user`, { user: who.key ?? who.externalId, error: (err as Error).message });
        return person;
      }
      if (cacheable) people.set(key, person);
      if (person.user && who.externalId) accounts.set(`${who.platform}|${person.user.id}`, who.externalId);
      return person;
    },

    async accountOf(platform, user, lookup) {
      const key = `${platform}|${user.id}`;
      const cached = accounts.get(key);
      if (cached !== undefined) return cached ?? undefined;
      let id: string | undefined;
      try {
        id = (await chatIdentityOf(database, user.id, platform)) ?? (lookup ? await lookup(user.email) : undefined);
      } catch (err) {
        log.debug(`${platform}: no account for a user`, { email: user.email, error: (err as Error).message });
      }
      accounts.set(key, id ?? null);
      return id;
    },

    async currentApprovers(approval) {
      if (approval.status !== 'pending') return [];
      const roles = approval.route[approval.currentLevel]?.roles ?? [];
      if (roles.length === 0) return [];
      const decided = new Set(approval.decisions.map((d) => d.user.toLowerCase()));
      const users = await usersWithRoles(database, roles);
      return users.filter((u) => u.active && u.id !== approval.requesterUserId && !decided.has(u.email.toLowerCase()));
    },

    canDecideNow(approval, user) {
      if (!user?.active || approval.status !== 'pending') return false;
      if (approval.requesterUserId === user.id) return false;
      const level = approval.route[approval.currentLevel];
      if (!level?.roles.some((r) => user.roles.includes(r))) return false;
      // One slot per person: whoever decided any level, or was decided for by a delegate, is done.
      const me = user.email.toLowerCase();
      return !approval.decisions.some((d) => d.user.toLowerCase() === me || d.onBehalfOf?.toLowerCase() === me);
    },
  };
}
