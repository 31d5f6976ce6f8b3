// Who a Teams user is to Quartermaster: the user whose teams_aad_object_id is the sender's AAD object id, else the
// user with the email (or UPN) Teams gives for them (TeamsInfo.getMember, a roster call the bot makes with its own
// credentials). Someone matched neither way can ask questions but cannot approve. Answers are cached for a few
// minutes. Also: the Teams user ids of the people who may decide an approval now, for card refresh.
// The sender's ids come from the activity: with an Azure Bot registration it reached the bot only with a valid Bot
// Framework token (the channel vouches for it); in development mode (QM_TEAMS_DEV) they are whatever the local
// caller wrote, so anyone on the machine can act as anyone.
import { type TurnContext, TeamsInfo } from 'botbuilder';
import type { Approval, Approver } from '../../src/approvals/types.js';
import type { Database } from '../../src/db/client.js';
import { findUser, usersWithRoles } from '../../src/db/approvals.js';
import type { Logger } from '../../src/log.js';
import { MAX_REFRESH_USERS } from './cards/approval.js';
import type { ReferenceStore } from './references.js';
import { TtlCache } from '../../src/domain/ttl-cache.js';

export type TeamsPerson = {
  /** Teams user id (29:…). */
  mri: string;
  aadObjectId?: string;
  name?: string;
  /** The email or UPN Teams gave, when it was asked. */
  teamsEmail?: string;
  /** The Quartermaster user, when mapped (and active). */
  user?: Approver;
  /** How decisions name them: the AAD object id when that matched, else the email that matched. */
  decidesAs?: string;
};


export class TeamsPeople {
  private readonly cache: TtlCache<TeamsPerson>;

  constructor(
    private readonly opts: { database: Database; log: Logger; references: ReferenceStore; ttlMs?: number },
  ) {
    this.cache = new TtlCache(5000, opts.ttlMs ?? 5 * 60_000);
  }

  /** The sender of the turn's activity. Never throws: a failed look-up leaves them unmapped (and uncached). */
  async sender(context: TurnContext): Promise<TeamsPerson> {
    const from = context.activity.from;
    const mri = from?.id ?? '';
    const cached = mri ? this.cache.get(mri) : undefined;
    if (cached) return cached;
    const person: TeamsPerson = { mri, ...(from?.aadObjectId ? { aadObjectId: from.aadObjectId } : {}), ...(from?.name ? { name: from.name } : {}) };
    try {
      if (person.aadObjectId) {
        const user = await findUser(this.opts.database, person.aadObjectId);
        if (user) {
          person.user = user;
          person.decidesAs = person.aadObjectId;
        }
      }
      // The roster look-up is a Teams API (the Bot Framework Emulator has none).
      if (!person.user && mri && context.activity.channelId === 'msteams') {
        const member = await TeamsInfo.getMember(context, mri);
        const email = member.email ?? member.userPrincipalName;
        if (member.aadObjectId && !person.aadObjectId) person.aadObjectId = member.aadObjectId;
        if (member.name && !person.name) person.name = member.name;
        if (email) {
          person.teamsEmail = email;
          const user = await findUser(this.opts.database, email);
          if (user) {
            person.user = user;
            person.decidesAs = user.email;
          }
        }
      }
      if (person.user && !person.user.active) {
        delete person.user;
        delete person.decidesAs;
      }
    } catch (err) {
      this.opts.log.warn('teams: could not map a Teams user', { user: mri, error: (err as Error).message });
      return person;
    }
    if (mri) this.cache.set(mri, person);
    if (person.user && person.aadObjectId) this.opts.references.linkUser(person.user.id, person.aadObjectId);
    return person;
  }

  /** Whether `user` may decide the approval's current level (for showing the controls; deciding re-checks all). */
  canDecideNow(approval: Approval, user: Approver | undefined): boolean {
    if (!user?.active || approval.status !== 'pending') return false;
    if (approval.requesterUserId === user.id) return false;
    const level = approval.route[approval.currentLevel];
    if (!level?.roles.some((r) => user.roles.includes(r))) return false;
    return !approval.decisions.some((d) => d.user.toLowerCase() === user.email.toLowerCase());
  }

  /** The users who hold a role of the current level (the requester excluded). */
  async currentApprovers(approval: Approval): Promise<Approver[]> {
    if (approval.status !== 'pending') return [];
    const roles = approval.route[approval.currentLevel]?.roles ?? [];
    if (roles.length === 0) return [];
    const users = await usersWithRoles(this.opts.database, roles);
    const decided = new Set(approval.decisions.map((d) => d.user.toLowerCase()));
    return users.filter((u) => u.active && u.id !== approval.requesterUserId && !decided.has(u.email.toLowerCase()));
  }

  /**
   * Teams user ids (29:…) of the people who may decide now and whom the bot knows in Teams: they get the card's
   * automatic refresh (their own view, with the buttons). Others can refresh by hand from the card's menu.
   */
  async refreshUserIds(approval: Approval): Promise<string[]> {
    const out: string[] = [];
    for (const u of await this.currentApprovers(approval)) {
      const aad = this.opts.references.aadOfUser(u.id);
      const mri = aad ? this.opts.references.mri(aad) : undefined;
      if (mri) out.push(mri);
      if (out.length >= MAX_REFRESH_USERS) break;
    }
    return out;
  }
}
