// A decision taken in a chat (a button, a modal, a card action), the same on every platform: recorded through the
// approvals service as the Quartermaster user the person resolved to (by id, so the record names the user whatever
// account clicked). A person matched to no user is refused here, saying how to get linked; every other refusal
// (not authorised, already decided, unknown approval) comes from the state machine and changes nothing.
import type { ApprovalService } from '../approvals/service.js';
import type { DecisionKind } from '../approvals/types.js';
import type { Logger } from '../log.js';
import type { ChatPerson } from './people.js';

type DecisionResult = Awaited<ReturnType<ApprovalService['decide']>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const PLATFORM_NAME = { slack: 'Slack', teams: 'Teams', web: 'web' } as const;

/** True for a string that can name an approval (buttons carry its uuid). */
export function isApprovalId(id: string): boolean {
  return UUID.test(id);
}

export type ChatDecision = { approvalId: string; decision: DecisionKind; person: ChatPerson; reason?: string };

/** Records a decision from a chat, or says why it cannot be. Never throws for a refusal. */
export async function decideFromChat(deps: { approvals: ApprovalService; log: Logger }, d: ChatDecision): Promise<DecisionResult> {
  const { person } = d;
  if (!isApprovalId(d.approvalId)) return { status: 'not_found', message: 'That approval could not be found.' };
  if (!person.user) {
    const who = person.externalId ?? person.name ?? 'This account';
    return {
      status: 'not_authorised',
      message: `${who} is not a Quartermaster user, so cannot decide on approvals: this ${PLATFORM_NAME[person.platform]} account is not linked to a Quartermaster user (by its ${PLATFORM_NAME[person.platform]} id or email). Ask an administrator to add you.`,
    };
  }
  const result = await deps.approvals.decide({
    approval: d.approvalId,
    user: person.user.id,
    decision: d.decision,
    ...(d.reason ? { reason: d.reason } : {}),
    channel: person.platform,
  });
  deps.log.info(`${person.platform}: ${d.decision} by ${person.user.email}: ${result.status}`, { approval: d.approvalId });
  return result;
}
