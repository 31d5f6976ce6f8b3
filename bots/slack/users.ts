// Who a Slack user is to Quartermaster: the user whose slack_user_id matches, else the user with the email of the
// Slack profile (users.info, needs users:read.email). Someone matched neither way can ask questions but cannot
// approve. Answers are cached for a few minutes in a bounded map; so are approvers' Slack ids.
import type { webApi } from '@slack/bolt';
import type { Approver } from '../../src/approvals/types.js';
import type { Database } from '../../src/db/client.js';
import { findUser } from '../../src/db/approvals.js';
import { chatIdentityOf } from '../../src/db/chat-identities.js';
import type { Logger } from '../../src/log.js';
import { TtlCache } from '../../src/domain/ttl-cache.js';

type WebClient = webApi.WebClient;

export type SlackPerson = {
  slackId: string;
  /** The Slack profile's name and email, when users.info could tell. */
  name?: string;
  slackEmail?: string;
  /** The Quartermaster user, when mapped. */
  user?: Approver;
};


export type UserDirectoryOptions = {
  database: Database;
  log: Logger;
  ttlMs?: number;
  /** How an approver's Slack id is found; default: users.lookupByEmail with their email. */
  slackIdOf?: (approver: Approver, client: WebClient) => Promise<string | undefined>;
};

export class UserDirectory {
  private readonly people: TtlCache<SlackPerson>;
  private readonly ids: TtlCache<string | null>;

  constructor(private readonly opts: UserDirectoryOptions) {
    this.people = new TtlCache(5000, opts.ttlMs ?? 5 * 60_000);
    this.ids = new TtlCache(5000, opts.ttlMs ?? 5 * 60_000);
  }

  /** The person behind a Slack user id. Never throws: a lookup that fails leaves them unmapped (and uncached). */
  async person(client: WebClient, slackId: string): Promise<SlackPerson> {
    const cached = this.people.get(slackId);
    if (cached) return cached;
    const person: SlackPerson = { slackId };
    try {
      const byId = await findUser(this.opts.database, slackId);
      if (byId) {
        person.user = byId;
        person.name = byId.name;
      } else {
        const info = await client.users.info({ user: slackId });
        const profile = info.user?.profile;
        const name = profile?.real_name || info.user?.real_name || profile?.display_name || info.user?.name;
        if (name) person.name = name;
        if (profile?.email) {
          person.slackEmail = profile.email;
          const byEmail = await findUser(this.opts.database, profile.email);
          if (byEmail) person.user = byEmail;
        }
      }
      if (person.user && !person.user.active) delete person.user;
    } catch (err) {
      this.opts.log.warn('slack: could not map a Slack user', { user: slackId, error: (err as Error).message });
      return person;
    }
    this.people.set(slackId, person);
    if (person.user) this.ids.set(person.user.id, slackId);
    return person;
  }

  /** The Slack id to DM an approver at, or undefined when they have none. */
  async slackIdOf(client: WebClient, approver: Approver): Promise<string | undefined> {
    const cached = this.ids.get(approver.id);
    if (cached !== undefined) return cached ?? undefined;
    let id: string | undefined;
    try {
      if (this.opts.slackIdOf) id = await this.opts.slackIdOf(approver, client);
      else {
        // The id recorded in the users import wins; otherwise Slack finds the account by email.
        id = await chatIdentityOf(this.opts.database, approver.id, 'slack');
        if (!id) {
          const r = await client.users.lookupByEmail({ email: approver.email });
          id = r.user?.id;
        }
      }
    } catch (err) {
      this.opts.log.debug('slack: no Slack account for an approver', { email: approver.email, error: (err as Error).message });
    }
    this.ids.set(approver.id, id ?? null);
    return id;
  }
}
