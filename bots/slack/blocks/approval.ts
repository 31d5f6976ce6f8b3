// The approval card in Block Kit: every word and figure comes from the channel-neutral ApprovalCard; this adds
// layout only. Pending: the ask, amount, supplier and the other fields, the evidence, the policy rule, who it waits
// for, and Approve / Reject / Ask for changes (value = the approval id). Resolved: the outcome, who, when and why,
// and no buttons.
import type { types } from '@slack/bolt';
import type { ApprovalCard } from '../../../src/approvals/card.js';
import { approvalActionId } from './ids.js';
import { LIMITS } from './limits.js';
import { context, fieldSections, fitMessage, type RenderedMessage } from './reply.js';
import { clip, mrkdwn, plain } from './text.js';

type KnownBlock = types.KnownBlock;

const STATE_ICON: Record<ApprovalCard['state'], string> = {
  pending: ':hourglass_flowing_sand:',
  approved: ':white_check_mark:',
  rejected: ':x:',
  expired: ':alarm_clock:',
  cancelled: ':no_entry_sign:',
};

/** The card as a message. */
export function renderApprovalCard(card: ApprovalCard): RenderedMessage {
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(card.title, LIMITS.headerText) },
    { type: 'section', text: { type: 'mrkdwn', text: mrkdwn(card.ask, LIMITS.sectionText) } },
    ...fieldSections(card.fields, 2, 'fields'),
  ];
  if (card.evidence.length > 0) {
    const lines = card.evidence.slice(0, 5).map((e) => `_${mrkdwn(e.source, 100)}_: ${mrkdwn(e.text, 1200)}`);
    const more = card.evidence.length - lines.length;
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: clip(`*Evidence*\n${lines.join('\n')}${more > 0 ? `\n…and ${more} more` : ''}`, LIMITS.sectionText) },
    });
  }
  blocks.push(context(`Policy: ${card.policy}`));
  if (card.state === 'pending') {
    const waiting = card.waitingFor.length > 0 ? card.waitingFor.join('; ') : 'the approvers';
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Waiting for:* ${mrkdwn(waiting, LIMITS.sectionText - 20)}` } });
  } else {
    const outcome = card.outcome ?? card.state;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `${STATE_ICON[card.state]} *${mrkdwn(outcome, LIMITS.sectionText - 40)}*` } });
  }
  if (card.history.length > 0) {
    const shown = card.history.slice(-8);
    const earlier = card.history.length - shown.length;
    blocks.push(context(`${earlier > 0 ? `(${earlier} earlier decisions) ` : ''}Decisions: ${shown.join(' · ')}`));
  }
  if (card.buttons.length > 0) blocks.push(approvalActions(card, { confirmApprove: true }));
  const text = card.state === 'pending' ? `${card.title}: ${card.ask}` : `${card.title}. ${card.outcome ?? ''}`;
  return { text: clip(text, LIMITS.sectionText), blocks: fitMessage(blocks) };
}

/**
 * The Approve / Reject / Ask for changes buttons of a pending card (value: the approval id). On the posted card
 * Approve asks for confirmation; App Home lists many at once and does not.
 */
export function approvalActions(card: ApprovalCard, opts: { confirmApprove: boolean }): types.ActionsBlock {
  return {
    type: 'actions',
    block_id: clip(`qm_approval:${card.approvalId}`, LIMITS.blockId),
    elements: card.buttons.map((b) => ({
      type: 'button' as const,
      action_id: approvalActionId(b.verb),
      text: plain(b.label, LIMITS.buttonText),
      value: card.approvalId,
      ...(b.style === 'default' ? {} : { style: b.style }),
      ...(opts.confirmApprove && b.verb === 'approve'
        ? {
            confirm: {
              title: plain(`Approve #${card.number}?`, LIMITS.confirmTitle),
              text: plain(card.ask, LIMITS.confirmText),
              confirm: plain('Approve', LIMITS.confirmButton),
              deny: plain('Cancel', LIMITS.confirmButton),
            },
          }
        : {}),
    })),
  };
}

/** The note threaded under a card when a reminder or an escalation fires. */
export function renderApprovalNote(text: string, icon: string): RenderedMessage {
  return { text: clip(text, LIMITS.sectionText), blocks: [context(`${icon} ${text}`)] };
}

/** A short text message (outcome in the requester's thread, executed actions, notices, refusals). */
export function renderNote(raw: string, icon?: string): RenderedMessage {
  const text = mrkdwn(raw, LIMITS.sectionText - 40);
  return { text: clip(raw, LIMITS.sectionText), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: icon ? `${icon} ${text}` : text } }] };
}
