// Segregation of duties: whether a person may decide the current level of an approval, and in which role.
// Agents never approve, inactive users cannot, the requester never approves their own request (directly or
// as anyone's delegate, and nobody approves on the requester's behalf), and one person fills at most one
// slot on one level of an approval (a delegate and the principal they act for are both used up). A person
// decides with a role of their own when they can; otherwise with a delegation that is active today from
// someone who could have decided. Pure: the caller passes the approval, its decisions and the delegations.
import { levelWords } from './policy-schema.js';
import type { RouteLevel } from './types.js';

/** A decision already recorded on the approval (any level). */
export type RecordedDecision = {
  level: number;
  userId: string;
  /** The principal whose authority a delegate used. */
  onBehalfOfUserId?: string | null;
  /** The role the decision filled. */
  role?: string | null;
  /** 'approve', 'reject' or 'request_changes'. */
  decision: string;
};

/** A delegation of authority to the deciding user. Dates are 'YYYY-MM-DD', both inclusive. */
export type Delegation = {
  fromUserId: string;
  fromRoles: string[];
  fromActive: boolean;
  toUserId: string;
  startsOn: string;
  endsOn: string;
};

export type ApproverCheckInput = {
  requesterUserId?: string | null;
  route: RouteLevel[];
  /** Index into route of the level now deciding. */
  currentLevel: number;
  decisions: RecordedDecision[];
  user: { id: string; roles: string[]; active: boolean; isAgent?: boolean };
  /** Delegations to this user (others are ignored). */
  delegations: Delegation[];
  /** 'YYYY-MM-DD' in the organisation's calendar. */
  today: string;
};

export type ApproverCheck = { ok: true; role: string; onBehalfOfUserId?: string } | { ok: false; reason: string };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Distinct people whose approvals count towards the level (approvals with another level's role are ignored). */
function approvalsAt(level: RouteLevel, decisions: readonly Omit<RecordedDecision, 'level'>[]) {
  return decisions.filter((d) => d.decision === 'approve' && (d.role == null || level.roles.includes(d.role)));
}

/** The roles of `level` still needed after `decisionsAtLevel` ([] when the level is complete). */
function neededRoles(level: RouteLevel, decisionsAtLevel: readonly Omit<RecordedDecision, 'level'>[]): string[] {
  const approvals = approvalsAt(level, decisionsAtLevel);
  if (level.quorum === 'all') {
    const covered = new Set(approvals.map((d) => d.role).filter((r): r is string => typeof r === 'string'));
    return level.roles.filter((r) => !covered.has(r));
  }
  return new Set(approvals.map((d) => d.userId)).size >= level.quorum ? [] : level.roles;
}

/** True when the level has its quorum of approvals ('all': each role approved by someone in that role). */
export function levelComplete(level: RouteLevel, decisionsAtLevel: readonly Omit<RecordedDecision, 'level'>[]): boolean {
  return neededRoles(level, decisionsAtLevel).length === 0;
}

/** Whether `input.user` may decide the current level now, and in which role (own, or a principal's by delegation). */
export function checkApprover(input: ApproverCheckInput): ApproverCheck {
  const { user, route, currentLevel, decisions, requesterUserId, today } = input;
  if (user.isAgent) return { ok: false, reason: 'An agent cannot approve; a person must decide.' };
  if (!user.active) return { ok: false, reason: 'Your account is inactive, so you cannot approve.' };
  const level = route[currentLevel];
  if (!level) return { ok: false, reason: 'This approval has no level waiting for a decision.' };
  if (requesterUserId && user.id === requesterUserId) {
    return { ok: false, reason: 'You requested this, so someone else must approve it.' };
  }

  const usedAt = new Map<string, number>();
  for (const d of decisions) {
    for (const id of [d.userId, d.onBehalfOfUserId]) if (id && !usedAt.has(id)) usedAt.set(id, d.level);
  }
  const mine = usedAt.get(user.id);
  if (mine !== undefined) {
    const how = decisions.some((d) => d.userId === user.id) ? 'You have' : 'Your delegate has';
    return {
      ok: false,
      reason: `${how} already decided on level ${mine + 1} of this approval; the same person cannot fill two slots or levels.`,
    };
  }

  const needed = neededRoles(level, decisions.filter((d) => d.level === currentLevel));
  if (needed.length === 0) return { ok: false, reason: `${level.name} already has the approvals it needs.` };

  const own = needed.find((r) => user.roles.includes(r));
  if (own) return { ok: true, role: own };

  const notes: string[] = [];
  for (const d of input.delegations) {
    if (d.toUserId !== user.id || d.fromUserId === user.id) continue;
    const role = needed.find((r) => d.fromRoles.includes(r));
    if (!role) continue;
    const who = `the delegation from ${d.fromUserId}`;
    if (!DATE.test(today) || !DATE.test(d.startsOn) || !DATE.test(d.endsOn) || today < d.startsOn || today > d.endsOn) {
      notes.push(`${who} runs from ${d.startsOn} to ${d.endsOn}, not today (${today})`);
    } else if (!d.fromActive) {
      notes.push(`${who} cannot be used because ${d.fromUserId} is no longer active`);
    } else if (requesterUserId && d.fromUserId === requesterUserId) {
      notes.push(`${who} cannot be used because ${d.fromUserId} requested this`);
    } else if (usedAt.has(d.fromUserId)) {
      notes.push(`${who} cannot be used because ${d.fromUserId} has already decided on this approval`);
    } else {
      return { ok: true, role, onBehalfOfUserId: d.fromUserId };
    }
  }
  const still = level.quorum === 'all' ? { roles: needed, quorum: 'all' as const } : { roles: needed, quorum: 1 };
  const base = `${level.name} needs ${levelWords(still)}, and you hold none of ${needed.length === 1 ? 'that role' : 'those roles'}`;
  return { ok: false, reason: notes.length > 0 ? `${base}; ${notes.join('; ')}.` : `${base}.` };
}
