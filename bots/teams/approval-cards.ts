// Approval cards in Teams, driven by the approvals notifier:
//   pending   → the card (status view, refreshing into the decision view for the current approvers) in the 1:1 chat
//               of each approver the bot knows in Teams (opening the chat when it has only seen them elsewhere),
//               and in the approvals conversation when one is set and known; every message is remembered
//               (approval_messages) so it can be updated later;
//   updated   → every remembered copy is updated; approvers of the next level get the card;
//   reminder, escalated → copies updated; a reminder note in approvers' chats that show the card; escalation sends
//               the card to the approvers who had none;
//   resolved  → copies updated (outcome, who, when, why; no buttons) and the outcome told in the requester's chat;
//   executed, notice → told in the conversation the request came from (and notices to the people named).
// Delivery runs in the background, one approval's events in order, so a decision never waits for Teams.
import type { ApprovalCard } from '../../src/approvals/card.js';
import type { ApprovalEvent } from '../../src/approvals/notify.js';
import type { Approver } from '../../src/approvals/types.js';
import { approvalMessages, recordApprovalMessage } from '../../src/db/approvals.js';
import { renderApprovalCard } from './cards/approval.js';
import type { TeamsBotContext } from './context.js';
import { decodeConversation } from './conversation.js';
import type { StoredReference } from './references.js';
import { cardMessage, textMessage } from './send.js';

const CHANNEL = 'teams';

export function subscribeApprovalCards(ctx: TeamsBotContext): () => void {
  // Conversations that already show an approval's card (approval id + conversation id), so nobody gets it twice.
  const shown = new Set<string>();
  const remember = (key: string) => {
    shown.add(key);
    if (shown.size > 20_000) shown.delete(shown.values().next().value as string);
  };

  const baseCard = async (card: ApprovalCard) => {
    const approval = card.state === 'pending' ? await ctx.approvals.get(card.approvalId) : undefined;
    return renderApprovalCard(card, { refreshUserIds: approval ? await ctx.people.refreshUserIds(approval) : [] });
  };

  const summary = (card: ApprovalCard) => (card.state === 'pending' ? `${card.title}: ${card.ask}` : `${card.title}. ${card.outcome ?? ''}`);

  const post = async (card: ApprovalCard, conversation: StoredReference) => {
    const conversationId = conversation.reference.conversation?.id;
    if (!conversationId) return;
    const key = `${card.approvalId}|${conversationId}`;
    if (shown.has(key)) return;
    const messageId = await ctx.sender.send(conversation.reference, cardMessage(await baseCard(card), summary(card)));
    remember(key);
    if (messageId) await recordApprovalMessage(ctx.database, { approvalId: card.approvalId, channel: CHANNEL, conversationId, messageId });
  };

  /** The person's 1:1 chat with the bot: known, or opened from another conversation they wrote in. */
  const personalChat = async (approver: Approver): Promise<StoredReference | undefined> => {
    const aad = ctx.references.aadOfUser(approver.id);
    if (!aad) return undefined;
    const known = ctx.references.personal(aad);
    if (known) return known;
    const seen = ctx.references.lastSeen(aad);
    const mri = ctx.references.mri(aad);
    if (!seen || !mri) return undefined;
    const opened = await ctx.sender.openPersonal(seen, { mri, aadObjectId: aad });
    if (opened) ctx.references.rememberPersonal(aad, opened);
    return opened;
  };

  const sendToApprovers = async (card: ApprovalCard, approvers: Approver[]) => {
    for (const a of approvers) {
      if (!a.active) continue;
      try {
        const chat = await personalChat(a);
        if (chat) await post(card, chat);
        else ctx.log.debug('teams: no chat with an approver yet', { email: a.email, approval: card.number });
      } catch (err) {
        ctx.log.warn('teams: could not send an approval card', { email: a.email, approval: card.number, error: (err as Error).message });
      }
    }
  };

  const copies = async (approvalId: string) => (await approvalMessages(ctx.database, approvalId)).filter((m) => m.channel === CHANNEL);

  const updateAll = async (card: ApprovalCard) => {
    const rendered = cardMessage(await baseCard(card), summary(card));
    const messages = await copies(card.approvalId);
    await Promise.all(
      messages.map(async (m) => {
        const conversation = ctx.references.conversation(m.conversationId);
        if (!conversation) {
          ctx.log.warn('teams: cannot update an approval card: its conversation has not been seen since the start', { approval: card.number, conversation: m.conversationId });
          return;
        }
        remember(`${card.approvalId}|${m.conversationId}`);
        await ctx.sender
          .update(conversation.reference, m.messageId, rendered)
          .catch((err: Error) => ctx.log.warn('teams: could not update an approval card', { approval: card.number, conversation: m.conversationId, error: err.message }));
      }),
    );
    return messages;
  };

  const toOrigin = async (origin: { channel: string; conversationId?: string } | undefined, text: string) => {
    if (origin?.channel !== CHANNEL) return;
    const id = decodeConversation(origin.conversationId);
    const conversation = id ? ctx.references.conversation(id) : undefined;
    if (!conversation) {
      if (id) ctx.log.warn('teams: cannot tell the requester: their conversation has not been seen since the start', { conversation: id });
      return;
    }
    await ctx.sender.send(conversation.reference, textMessage(text));
  };

  const handle = async (e: ApprovalEvent) => {
    switch (e.type) {
      case 'pending': {
        if (ctx.approvalsConversation) {
          const channel = ctx.references.conversation(ctx.approvalsConversation);
          if (channel) await post(e.card, channel);
        }
        await sendToApprovers(e.card, e.approvers);
        break;
      }
      case 'updated':
        await updateAll(e.card);
        await sendToApprovers(e.card, e.approvers);
        break;
      case 'reminder':
      case 'escalated': {
        const messages = await updateAll(e.card);
        if (e.type === 'escalated') {
          await sendToApprovers(e.card, e.approvers);
          break;
        }
        const waiting = e.card.waitingFor.join('; ') || 'the approvers';
        for (const m of messages) {
          const conversation = ctx.references.conversation(m.conversationId);
          if (conversation?.conversationType !== 'personal') continue;
          await ctx.sender
            .send(conversation.reference, textMessage(`Reminder: approval #${e.card.number} still waits for ${waiting}.`), m.messageId)
            .catch((err: Error) => ctx.log.warn('teams: could not send a reminder', { error: err.message }));
        }
        break;
      }
      case 'resolved':
        await updateAll(e.card);
        await toOrigin(e.origin, `Approval #${e.card.number}: ${e.card.outcome ?? e.card.state}.`);
        break;
      case 'executed':
        await toOrigin(e.origin, e.text);
        break;
      case 'notice':
        await toOrigin(e.origin, e.text);
        for (const a of e.to ?? []) {
          const chat = a.active ? await personalChat(a).catch(() => undefined) : undefined;
          if (chat) await ctx.sender.send(chat.reference, textMessage(e.text)).catch((err: Error) => ctx.log.warn('teams: could not send a notice', { error: err.message }));
        }
        break;
    }
  };

  return ctx.approvals.notifier.subscribe((e) => {
    const key = 'card' in e ? e.card.approvalId : (e.approvalId ?? 'notices');
    ctx.work.run(`delivering an approval ${e.type} event`, () => handle(e), `approval:${key}`);
  });
}
