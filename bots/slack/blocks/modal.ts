// The modal that asks for a reason before a rejection or a request for changes.
import type { types } from '@slack/bolt';
import type { ApprovalCard } from '../../../src/approvals/card.js';
import { REASON_BLOCK, REASON_INPUT, REASON_VIEW } from './ids.js';
import { LIMITS } from './limits.js';
import { clip, mrkdwn, plain } from './text.js';

/** What the submission needs to act: which approval, what decision, and where the click came from. */
export type ReasonMetadata = { approvalId: string; verb: 'reject' | 'request_changes'; channel?: string; messageTs?: string };

export function renderReasonModal(meta: ReasonMetadata, card?: ApprovalCard): types.ModalView {
  const reject = meta.verb === 'reject';
  const number = card ? ` #${card.number}` : '';
  return {
    type: 'modal',
    callback_id: REASON_VIEW,
    private_metadata: clip(JSON.stringify(meta), LIMITS.privateMetadata),
    title: plain(reject ? `Reject${number}` : `Changes to${number}`, LIMITS.viewTitle),
    submit: plain(reject ? 'Reject' : 'Send back', LIMITS.viewButton),
    close: plain('Cancel', LIMITS.viewButton),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: card
            ? `*${mrkdwn(card.title, 300)}*\n${mrkdwn(card.ask, LIMITS.sectionText - 400)}`
            : `Approval ${mrkdwn(meta.approvalId, 100)}`,
        },
      },
      {
        type: 'input',
        block_id: REASON_BLOCK,
        label: plain(reject ? 'Why are you rejecting it?' : 'What needs to change?', LIMITS.inputLabel),
        hint: plain('Recorded with your decision in the audit ledger and shown to the requester.', LIMITS.inputHint),
        element: {
          type: 'plain_text_input',
          action_id: REASON_INPUT,
          multiline: true,
          min_length: 1,
          max_length: 2000,
          placeholder: plain(reject ? 'e.g. Not in this year’s budget' : 'e.g. Get a second quote first', LIMITS.placeholder),
        },
      },
    ],
  };
}

/** Parses a submission's private_metadata; undefined when it is not ours. */
export function readReasonMetadata(raw: string | undefined): ReasonMetadata | undefined {
  try {
    const m = JSON.parse(raw ?? '') as Partial<ReasonMetadata>;
    if (typeof m.approvalId !== 'string' || (m.verb !== 'reject' && m.verb !== 'request_changes')) return undefined;
    return {
      approvalId: m.approvalId,
      verb: m.verb,
      ...(typeof m.channel === 'string' ? { channel: m.channel } : {}),
      ...(typeof m.messageTs === 'string' ? { messageTs: m.messageTs } : {}),
    };
  } catch {
    return undefined;
  }
}
