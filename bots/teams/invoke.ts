// Action.Execute on an approval card (an `adaptiveCard/action` invoke): a refresh returns the clicking person's view
// of the card (the decision controls when they may decide now, the status otherwise); approve / reject /
// request_changes decide through the approvals service as that person, and return the updated card with a line
// saying what happened: recorded, refused (the wrong person, a missing reason: nothing changes), or already decided
// (a replayed or late click: the state machine records one decision, the rest are told who decided). Teams shows the
// returned card to the person who clicked; every other copy is updated from the approvals notifier.
import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import { approvalCard } from '../../src/approvals/card.js';
import type { Approval, DecisionKind } from '../../src/approvals/types.js';
import { COMMENT_INPUT, REFRESH_VERB, reasonInput, renderApprovalCard, type Tone } from '../../src/chat/cards/adaptive/approval.js';
import type { AdaptiveCardJson } from '../../src/chat/cards/adaptive/card.js';
import { CARD_CONTENT_TYPE } from '../../src/chat/cards/adaptive/card.js';
import { renderErrorCard } from '../../src/chat/cards/adaptive/notes.js';
import type { TeamsBotContext } from './context.js';
import type { TeamsPerson } from './people.js';
import { isApprovalId } from '../../src/chat/decide.js';

const DECISIONS: readonly DecisionKind[] = ['approve', 'reject', 'request_changes'];

export function cardResponse(card: AdaptiveCardJson): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: CARD_CONTENT_TYPE, value: card as unknown as Record<string, unknown> };
}

function errorResponse(statusCode: number, code: string, message: string): AdaptiveCardInvokeResponse {
  return { statusCode, type: 'application/vnd.microsoft.error', value: { code, message } };
}

/** The card as `person` should see it now, with an optional notice on top. */
export async function viewFor(ctx: TeamsBotContext, approval: Approval, person: TeamsPerson, notice?: { text: string; tone: Tone }): Promise<AdaptiveCardJson> {
  return renderApprovalCard(approvalCard(approval), {
    forApprover: ctx.chat.people.canDecideNow(approval, person.user),
    refreshUserIds: await ctx.people.refreshUserIds(approval),
    ...(notice ? { notice } : {}),
  });
}

export async function handleCardAction(ctx: TeamsBotContext, context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
  const verb = value.action?.verb;
  const data = (value.action?.data ?? {}) as Record<string, unknown>;
  if (data.qm !== 'approval' || typeof data.approvalId !== 'string' || !isApprovalId(data.approvalId)) {
    return errorResponse(400, 'BadRequest', 'This card action is not one of Quartermaster’s.');
  }
  if (verb !== REFRESH_VERB && !DECISIONS.includes(verb as DecisionKind)) {
    return errorResponse(400, 'NotSupported', `Unknown action "${String(verb).slice(0, 50)}".`);
  }
  const person = await ctx.people.sender(context);
  const approval = await ctx.approvals.get(data.approvalId);
  if (!approval) return cardResponse(renderErrorCard(`Approval #${Number(data.number) || '?'} no longer exists.`));
  if (verb === REFRESH_VERB) return cardResponse(await viewFor(ctx, approval, person));

  const decision = verb as DecisionKind;
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const reason = decision === 'approve' ? text(data[COMMENT_INPUT]) : (text(data[reasonInput(decision)]) ?? text(data.reason));
  const result = await ctx.chat.decide({ approvalId: approval.id, person, decision, reason });
  switch (result.status) {
    case 'recorded': {
      const done = result.execution ? ` ${result.execution.status === 'done' ? result.execution.summary : `The approved action did not run: ${result.execution.summary}`}` : '';
      return cardResponse(await viewFor(ctx, result.approval, person, { text: `${result.message}${done}`, tone: 'good' }));
    }
    case 'already_decided':
      return cardResponse(await viewFor(ctx, result.approval, person, { text: result.message, tone: 'warning' }));
    case 'not_authorised':
      return cardResponse(await viewFor(ctx, result.approval ?? approval, person, { text: result.message, tone: 'attention' }));
    case 'not_found':
      return cardResponse(renderErrorCard(result.message));
  }
}
