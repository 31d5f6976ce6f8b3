// The App Home tab: the approvals waiting for this person (with the same buttons as the cards) and their recent
// requests; a person Quartermaster does not know is told they can ask but not approve.
import type { types } from '@slack/bolt';
import { approvalAmount, approvalCard } from '../../../src/approvals/card.js';
import type { Approval } from '../../../src/approvals/types.js';
import { approvalActions } from './approval.js';
import { LIMITS } from './limits.js';
import { context } from './reply.js';
import { clip, mrkdwn, plain } from './text.js';

type KnownBlock = types.KnownBlock;

const MAX_PENDING = 15;
const MAX_RECENT = 10;

export function renderHome(input: { name?: string; known: boolean; pending: Approval[]; recent: Approval[] }): types.HomeView {
  const blocks: KnownBlock[] = [{ type: 'header', text: plain('Quartermaster', LIMITS.headerText) }];
  blocks.push(
    context(
      input.known
        ? `Signed in as ${input.name ?? 'you'}. Ask me anything: mention me in a channel, send me a direct message, or use /qm.`
        : 'Your Slack account is not linked to a Quartermaster user: you can ask questions, but not decide on approvals. Ask an administrator to add your Slack id or email.',
    ),
  );
  if (input.known) {
    blocks.push({ type: 'header', text: plain(`Waiting for your decision (${input.pending.length})`, LIMITS.headerText) });
    if (input.pending.length === 0) blocks.push(context('Nothing is waiting for you.'));
    for (const a of input.pending.slice(0, MAX_PENDING)) {
      const card = approvalCard(a);
      const facts = [approvalAmount(a), a.supplierName, `requested by ${a.requester}`, card.waitingFor.length ? `waiting for ${card.waitingFor.join('; ')}` : undefined]
        .filter(Boolean)
        .join(' · ');
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*#${a.number}* ${mrkdwn(a.summary, 1500)}\n${mrkdwn(facts, 1400)}` } });
      blocks.push(approvalActions(card, { confirmApprove: false }));
    }
    if (input.pending.length > MAX_PENDING) blocks.push(context(`…and ${input.pending.length - MAX_PENDING} more: \`qm approvals list\` shows them all.`));
  }
  if (input.recent.length > 0) {
    blocks.push({ type: 'divider' }, { type: 'header', text: plain('Your recent requests', LIMITS.headerText) });
    const lines = input.recent.slice(0, MAX_RECENT).map((a) => {
      const card = approvalCard(a);
      const state = a.status === 'pending' ? `pending, waiting for ${card.waitingFor.join('; ') || 'approvers'}` : (card.outcome ?? a.status);
      return `*#${a.number}* ${mrkdwn(a.summary, 200)} — ${mrkdwn(state, 250)}`;
    });
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(lines.join('\n'), LIMITS.sectionText) } });
  }
  return { type: 'home', blocks };
}
