// The approval card as an Adaptive Card with Universal Actions. Every word and figure comes from the channel-neutral
// ApprovalCard; this adds layout only.
//
// Two views of one card:
//  - the base card, sent to conversations and updated after every change, shows the status to everyone: the ask, the
//    fields, the evidence, the policy rule, who it waits for (or the outcome) and the decisions so far. While pending
//    it carries `refresh` (Action.Execute verb "refresh") with the current approvers' Teams user ids, so Teams asks
//    the bot for their own view as soon as they look at it;
//  - the approver's view (the answer to that refresh) adds the decision: Approve (with an optional comment) and, for
//    decisions that need a reason (reject, ask for changes), a ShowCard with a required reason and a confirm button.
// Any Action.Execute returns one of the two views for the person who clicked, with a notice line on top (recorded,
// refused, already decided).
import type { ApprovalCard, CardButton } from '../../../approvals/card.js';
import { clip, oneLine, safeText } from './text.js';
import { type AdaptiveCardJson, adaptiveCard, type CardAction, type CardElement, cardSize, container, type ExecuteAction, factSet, MAX_CARD_JSON, subCard, textBlock } from './card.js';

/** What every Action.Execute on an approval card carries, besides its verb. */
export type ApprovalActionData = { qm: 'approval'; approvalId: string; number: number };

export const REFRESH_VERB = 'refresh';
/** Input ids: the optional comment on approve, and the required reason of a decision that needs one. */
export const COMMENT_INPUT = 'comment';
export const reasonInput = (verb: string) => `reason_${verb}`;

/** Teams refreshes the card automatically for at most 60 listed users. */
export const MAX_REFRESH_USERS = 60;

export type Tone = 'good' | 'warning' | 'attention';

export type ApprovalView = {
  /** The approver's view, with the decision controls (only while pending). */
  forApprover?: boolean;
  /** Teams user ids (29:…) of the people who may decide now: the card refreshes for them. */
  refreshUserIds?: string[];
  /** A line on top for the person who clicked. */
  notice?: { text: string; tone: Tone };
};

const STATE_STYLE: Record<ApprovalCard['state'], 'good' | 'attention' | 'warning' | 'emphasis'> = {
  pending: 'emphasis',
  approved: 'good',
  rejected: 'attention',
  expired: 'warning',
  cancelled: 'warning',
};

const BUTTON_STYLE: Record<CardButton['style'], ExecuteAction['style']> = { primary: 'positive', danger: 'destructive', default: 'default' };

export function approvalActionData(card: Pick<ApprovalCard, 'approvalId' | 'number'>): ApprovalActionData {
  return { qm: 'approval', approvalId: card.approvalId, number: card.number };
}

/** The card in the given view, within Teams' size limit (long evidence and history are shortened first). */
export function renderApprovalCard(card: ApprovalCard, view: ApprovalView = {}): AdaptiveCardJson {
  let out = render(card, view, 1200, 8);
  if (cardSize(out) > MAX_CARD_JSON) out = render(card, view, 300, 3);
  return out;
}

function render(card: ApprovalCard, view: ApprovalView, evidenceChars: number, historyLines: number): AdaptiveCardJson {
  const pending = card.state === 'pending';
  const data = approvalActionData(card);
  const body: CardElement[] = [];
  if (view.notice) body.push(container([textBlock(safeText(view.notice.text, 1000), { weight: 'Bolder' })], view.notice.tone));
  body.push(
    container(
      [textBlock(oneLine(card.title, 300), { style: 'heading', weight: 'Bolder', size: 'Medium' }), textBlock(safeText(card.ask, 2000), { spacing: 'Small' })],
      STATE_STYLE[card.state],
    ),
  );
  if (card.fields.length > 0) body.push(factSet(card.fields.slice(0, 20).map((f) => ({ title: oneLine(f.label, 100), value: safeText(f.value, 500) }))));
  if (card.evidence.length > 0) {
    body.push(textBlock('Evidence', { weight: 'Bolder', spacing: 'Medium' }));
    for (const e of card.evidence.slice(0, 5)) body.push(textBlock(`${oneLine(e.source, 100)}: ${safeText(e.text, evidenceChars)}`, { spacing: 'Small' }));
    if (card.evidence.length > 5) body.push(textBlock(`…and ${card.evidence.length - 5} more`, { size: 'Small', subtle: true }));
  }
  body.push(textBlock(safeText(`Policy: ${card.policy}`, 1500), { size: 'Small', subtle: true }));
  if (pending) {
    const waiting = card.waitingFor.length > 0 ? card.waitingFor.join('; ') : 'the approvers';
    body.push(textBlock(`Waiting for: ${oneLine(waiting, 500)}`, { weight: 'Bolder' }));
  } else {
    body.push(textBlock(safeText(card.outcome ?? card.state, 1500), { weight: 'Bolder', color: card.state === 'approved' ? 'Good' : card.state === 'rejected' ? 'Attention' : 'Warning' }));
  }
  if (card.history.length > 0) {
    const shown = card.history.slice(-historyLines);
    const earlier = card.history.length - shown.length;
    body.push(textBlock(`Decisions${earlier > 0 ? ` (${earlier} earlier not shown)` : ''}`, { weight: 'Bolder', size: 'Small', spacing: 'Medium' }));
    for (const h of shown) body.push(textBlock(safeText(h, 600), { size: 'Small', spacing: 'None' }));
  }

  const actions: CardAction[] = [];
  if (pending && view.forApprover && card.buttons.length > 0) {
    const direct = card.buttons.filter((b) => !b.needsReason);
    if (direct.length > 0) {
      body.push({ type: 'Input.Text', id: COMMENT_INPUT, label: 'Comment (optional)', isMultiline: true, maxLength: 2000 });
    }
    for (const b of card.buttons) {
      const execute: ExecuteAction = {
        type: 'Action.Execute',
        title: clip(b.label, 40),
        verb: b.verb,
        data: { ...data },
        associatedInputs: 'auto',
        ...(BUTTON_STYLE[b.style] === 'default' ? {} : { style: BUTTON_STYLE[b.style] }),
      };
      if (!b.needsReason) {
        actions.push(execute);
        continue;
      }
      actions.push({
        type: 'Action.ShowCard',
        title: clip(b.label, 40),
        card: subCard(
          [
            {
              type: 'Input.Text',
              id: reasonInput(b.verb),
              label: `Reason (${b.label.toLowerCase()})`,
              isRequired: true,
              errorMessage: 'A reason is required.',
              isMultiline: true,
              maxLength: 2000,
            },
          ],
          [{ ...execute, title: clip(b.label, 40) }],
        ),
      });
    }
  }
  const refresh: AdaptiveCardJson['refresh'] | undefined = pending
    ? {
        action: { type: 'Action.Execute', title: 'Refresh', verb: REFRESH_VERB, data: { ...data } },
        userIds: [...new Set(view.refreshUserIds ?? [])].slice(0, MAX_REFRESH_USERS),
      }
    : undefined;
  return adaptiveCard(body, { ...(actions.length > 0 ? { actions } : {}), ...(refresh ? { refresh } : {}), msteams: { width: 'Full' } });
}
