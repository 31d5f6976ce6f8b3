// Teams' side of person resolution (src/chat/people.ts does the matching): the sender's AAD object id is their
// chat identity; when it is linked to no user, the roster (TeamsInfo.getMember, a call the bot makes with its own
// credentials) gives their email or UPN. Also: the Teams user ids of the people who may decide an approval now, for
// card refresh. The sender's ids come from the activity: with an Azure Bot registration it reached the bot only with
// a valid Bot Framework token (the channel vouches for it); in development mode (QM_TEAMS_DEV) they are whatever the
// local caller wrote, so anyone on the machine can act as anyone.
import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Approval } from '../../src/approvals/types.js';
import { MAX_REFRESH_USERS } from '../../src/chat/cards/adaptive/approval.js';
import type { ChatPeople, ChatPerson } from '../../src/chat/people.js';
import type { ReferenceStore } from './references.js';

export type TeamsPerson = ChatPerson & {
  /** Teams user id (29:…). */
  mri: string;
  aadObjectId?: string;
};

export class TeamsPeople {
  constructor(private readonly opts: { people: ChatPeople; references: ReferenceStore }) {}

  /** The sender of the turn's activity. Never throws: a failed look-up leaves them unmapped. */
  async sender(context: TurnContext): Promise<TeamsPerson> {
    const { activity } = context;
    const from = activity.from;
    const mri = from?.id ?? '';
    let aadObjectId = from?.aadObjectId;
    const tenant = (activity.conversation as { tenantId?: string } | undefined)?.tenantId;
    const person = await this.opts.people.resolve(
      { platform: 'teams', ...(aadObjectId ? { externalId: aadObjectId } : {}), ...(tenant ? { tenant } : {}), ...(from?.name ? { name: from.name } : {}), key: mri },
      async () => {
        // The roster look-up is a Teams API (the Bot Framework Emulator has none).
        if (!mri || activity.channelId !== 'msteams') return undefined;
        const member = await TeamsInfo.getMember(context, mri);
        aadObjectId ??= member.aadObjectId;
        const email = member.email ?? member.userPrincipalName;
        return { ...(from?.name || member.name ? { name: from?.name || member.name } : {}), ...(email ? { email } : {}) };
      },
    );
    if (person.user && aadObjectId) await this.opts.references.linkUser(person.user.id, aadObjectId);
    return { ...person, mri, ...(aadObjectId ? { aadObjectId } : {}) };
  }

  /**
   * Teams user ids (29:…) of the people who may decide now and whom the bot knows in Teams: they get the card's
   * automatic refresh (their own view, with the buttons). Others can refresh by hand from the card's menu.
   */
  async refreshUserIds(approval: Approval): Promise<string[]> {
    const out: string[] = [];
    for (const u of await this.opts.people.currentApprovers(approval)) {
      const aad = await this.opts.references.aadOfUser(u.id);
      const mri = aad ? await this.opts.references.mri(aad) : undefined;
      if (mri) out.push(mri);
      if (out.length >= MAX_REFRESH_USERS) break;
    }
    return out;
  }
}
