// Teams as a chat Channel (src/chat/channel.ts): approval cards as Adaptive Cards with Universal Actions (a status
// view refreshing into the decision view for the current approvers), sent and updated through conversation
// references (references.ts), a person's 1:1 chat opened from another conversation they wrote in when needed, and
// notes as plain messages (under the card when it has one). The approval-card workflow itself is the core's
// (src/chat/approval-delivery.ts); a conversation no instance has ever seen cannot be written to.
import type { ApprovalCard } from '../../src/approvals/card.js';
import type { Approver } from '../../src/approvals/types.js';
import { renderApprovalCard } from '../../src/chat/cards/adaptive/approval.js';
import type { Channel } from '../../src/chat/channel.js';
import type { TeamsBotContext } from './context.js';
import { decodeConversation } from './conversation.js';
import { cardMessage, imageMessage, textMessage } from './send.js';

export function createTeamsChannel(ctx: TeamsBotContext): Channel {
  const { references, sender, log } = ctx;

  const baseCard = async (card: ApprovalCard) => {
    const approval = card.state === 'pending' ? await ctx.approvals.get(card.approvalId) : undefined;
    const rendered = renderApprovalCard(card, { refreshUserIds: approval ? await ctx.people.refreshUserIds(approval) : [] });
    return cardMessage(rendered, card.state === 'pending' ? `${card.title}: ${card.ask}` : `${card.title}. ${card.outcome ?? ''}`);
  };

  /** The person's 1:1 chat with the bot: known, or opened from another conversation they wrote in. */
  const personalChat = async (approver: Approver): Promise<string | undefined> => {
    const aad = (await references.aadOfUser(approver.id)) ?? (await ctx.chat.people.accountOf('teams', approver));
    if (!aad) return undefined;
    const known = await references.personal(aad);
    if (known) return known.reference.conversation?.id;
    const seen = await references.lastSeen(aad);
    const mri = await references.mri(aad);
    if (!seen || !mri) return undefined;
    const opened = await sender.openPersonal(seen, { mri, aadObjectId: aad });
    if (opened) await references.rememberPersonal(aad, opened);
    return opened?.reference.conversation?.id;
  };

  return {
    platform: 'teams',
    capabilities: { modals: false, cardRefresh: true, notesUnder: 'direct' },
    approvalsConversation: async () =>
      ctx.approvalsConversation && (await references.findConversation(ctx.approvalsConversation)) ? ctx.approvalsConversation : undefined,
    openDm: personalChat,
    async postCard(conversationId, card) {
      const conversation = await references.findConversation(conversationId);
      if (!conversation) return undefined;
      const messageId = await sender.send(conversation.reference, await baseCard(card));
      return messageId ? { conversationId, messageId } : undefined;
    },
    async updateCards(copies, card) {
      const rendered = await baseCard(card);
      await Promise.all(
        copies.map(async (m) => {
          const conversation = await references.findConversation(m.conversationId);
          if (!conversation) {
            log.warn('teams: cannot update an approval card: its conversation is not known', { approval: card.number, conversation: m.conversationId });
            return;
          }
          await sender
            .update(conversation.reference, m.messageId, rendered)
            .catch((err: Error) => log.warn('teams: could not update an approval card', { approval: card.number, conversation: m.conversationId, error: err.message }));
        }),
      );
    },
    async postNote(to, text) {
      const conversation = await references.findConversation(to.conversationId);
      if (!conversation) {
        log.warn('teams: cannot post a note: the conversation is not known', { conversation: to.conversationId });
        return;
      }
      await sender.send(conversation.reference, textMessage(text), to.threadOf);
    },
    async postImage(to, image) {
      const conversation = await references.findConversation(to.conversationId);
      if (!conversation) throw new Error('the conversation is not known');
      await sender.send(conversation.reference, imageMessage(image), to.threadOf);
    },
    replyTarget(conversationId) {
      const id = decodeConversation(conversationId);
      return id ? { conversationId: id } : undefined;
    },
    // Asked about copies just updated, so their references are in the cache by then.
    isDirect: (conversationId) => references.conversation(conversationId)?.conversationType === 'personal',
  };
}
