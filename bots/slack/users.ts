// Slack's side of person resolution (src/chat/people.ts does the matching): a Slack user's profile (users.info,
// needs users:read.email) when their Slack id is linked to no user, and an approver's Slack id by email
// (users.lookupByEmail) when no Slack identity is stored for them.
import type { Approver } from '../../src/approvals/types.js';
import type { ChatPeople, ChatPerson } from '../../src/chat/people.js';
import type { WebClient } from './context.js';

/** The person behind a Slack user id. Never throws. */
export function slackPerson(people: ChatPeople, client: WebClient, slackId: string): Promise<ChatPerson> {
  return people.resolve({ platform: 'slack', externalId: slackId }, async () => {
    const info = await client.users.info({ user: slackId });
    const profile = info.user?.profile;
    const name = profile?.real_name || info.user?.real_name || profile?.display_name || info.user?.name;
    return { ...(name ? { name } : {}), ...(profile?.email ? { email: profile.email } : {}) };
  });
}

/** The Slack id to DM an approver at (stored identity, else by email), or undefined when they have none. */
export function slackIdOf(
  people: ChatPeople,
  client: WebClient,
  approver: Approver,
  override?: (approver: Approver, client: WebClient) => Promise<string | undefined>,
): Promise<string | undefined> {
  if (override) return people.accountOf('slack', approver, () => override(approver, client));
  return people.accountOf('slack', approver, async (email) => (await client.users.lookupByEmail({ email })).user?.id);
}
