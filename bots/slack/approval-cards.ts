// Approval cards in Slack, driven by the approvals notifier:
//   pending   → the card in the approvals channel (when set) and in a DM to each approver with a Slack account;
//               every message is remembered (approval_messages) so it can be changed later;
//   updated   → every remembered card is updated; approvers of the next level get the card by DM;
//   reminder, escalated → cards updated, a note threaded under the channel card (escalations DM the approvers
//               who had no card yet);
//   resolved  → cards updated (outcome, who, when, why; no buttons) and the outcome told in the requester's thread;
//   executed, notice → told in the thread the request came from (and notices to the people named).
import { approvalMessages, recordApprovalMessage } from '../../src/db/approvals.js';
import type { ApprovalCard } from '../../src/approvals/card.js';
import type { ApprovalEvent } from '../../src/approvals/notify.js';
import type { Approver } from '../../src/approvals/types.js';
import { renderApprovalCard, renderApprovalNote, renderNote } from './blocks/approval.js';
import type { BotContext, WebClient } from './context.js';
import { decodeConversation } from './conversation.js';
import { postMessage, safeMessage } from './post.js';

const CHANNEL = 'slack';

export function subscribeApprovalCards(ctx: BotContext, client: WebClient): () => void {
  // Who already has this approval's card in a DM (approval id + Slack user id), so nobody gets it twice.
  const dmSent = new Set<string>();
  const remember = (key: string) => {
    dmSent.add(key);
    if (dmSent.size > 20_000) dmSent.delete(dmSent.values().next().value as string);
  };

  const post = async (card: ApprovalCard, channel: string) => {
    const at = await postMessage(client, ctx.log, { channel }, renderApprovalCard(card));
    if (at.ts) await recordApprovalMessage(ctx.database, { approvalId: card.approvalId, channel: CHANNEL, conversationId: at.channel, messageId: at.ts });
    return at;
  };

  const dmApprovers = async (card: ApprovalCard, approvers: Approver[]) => {
    for (const a of approvers) {
      if (!a.active) continue;
      const slackId = await ctx.users.slackIdOf(client, a);
      if (!slackId || dmSent.has(`${card.approvalId}:${slackId}`)) continue;
      remember(`${card.approvalId}:${slackId}`);
      // Posting to a user id opens (or reuses) the bot's DM with them.
      await post(card, slackId).catch((err: Error) => ctx.log.warn('slack: could not DM an approver', { email: a.email, error: err.message }));
    }
  };

  const updateAll = async (card: ApprovalCard) => {
    const rendered = safeMessage(renderApprovalCard(card), ctx.log);
    const messages = (await approvalMessages(ctx.database, card.approvalId)).filter((m) => m.channel === CHANNEL);
    await Promise.all(
      messages.map((m) =>
        client.chat
          .update({ channel: m.conversationId, ts: m.messageId, ...rendered, blocks: rendered.blocks ?? [] })
          .catch((err: Error) => ctx.log.warn('slack: could not update an approval card', { channel: m.conversationId, ts: m.messageId, error: err.message })),
      ),
    );
    return messages;
  };

  const toOrigin = async (origin: { channel: string; conversationId?: string } | undefined, text: string, icon: string) => {
    if (origin?.channel !== CHANNEL) return;
    const thread = decodeConversation(origin.conversationId);
    if (!thread) return;
    await postMessage(client, ctx.log, thread, renderNote(text, icon));
  };

  const handle = async (e: ApprovalEvent) => {
    switch (e.type) {
      case 'pending':
        if (ctx.approvalsChannel) await post(e.card, ctx.approvalsChannel);
        await dmApprovers(e.card, e.approvers);
        break;
      case 'updated':
        await updateAll(e.card);
        await dmApprovers(e.card, e.approvers);
        break;
      case 'reminder':
      case 'escalated': {
        const messages = await updateAll(e.card);
        const note = renderApprovalNote(e.type, e.card);
        // The channel card(s): DMs live in D… conversations.
        for (const m of messages.filter((x) => !x.conversationId.startsWith('D'))) {
          await postMessage(client, ctx.log, { channel: m.conversationId, threadTs: m.messageId }, note);
        }
        if (e.type === 'escalated') await dmApprovers(e.card, e.approvers);
        break;
      }
      case 'resolved':
        await updateAll(e.card);
        await toOrigin(e.origin, `Approval #${e.card.number}: ${e.card.outcome ?? e.card.state}.`, e.card.state === 'approved' ? ':white_check_mark:' : ':x:');
        break;
      case 'executed':
        await toOrigin(e.origin, e.text, ':gear:');
        break;
      case 'notice':
        await toOrigin(e.origin, e.text, ':information_source:');
        for (const a of e.to ?? []) {
          const slackId = a.active ? await ctx.users.slackIdOf(client, a) : undefined;
          if (slackId) await postMessage(client, ctx.log, { channel: slackId }, renderNote(e.text, ':information_source:'));
        }
        break;
    }
  };

  return ctx.approvals.notifier.subscribe(async (e) => {
    try {
      await handle(e);
    } catch (err) {
      ctx.log.warn('slack: an approval notification failed', { type: e.type, error: (err as Error).message });
    }
  });
}
