// Slack as a chat Channel (src/chat/channel.ts): approval cards as Block Kit messages, a DM by posting to the
// person's Slack id (Slack opens or reuses the bot's DM), updates with chat.update, notes as threaded replies.
// The approval-card workflow itself is the core's (src/chat/approval-delivery.ts).
import type { Approver } from '../../src/approvals/types.js';
import type { Channel, NoteTone } from '../../src/chat/channel.js';
import { renderApprovalCard, renderApprovalNote, renderNote } from './blocks/approval.js';
import type { BotContext, WebClient } from './context.js';
import { decodeConversation } from './conversation.js';
import { postMessage, safeMessage } from './post.js';
import { slackIdOf } from './users.js';

const ICON: Record<NoteTone, string> = {
  info: ':information_source:',
  approved: ':white_check_mark:',
  rejected: ':x:',
  executed: ':gear:',
  reminder: ':bell:',
  escalated: ':rotating_light:',
  alert: ':rotating_light:',
};

export function createSlackChannel(
  ctx: BotContext,
  client: WebClient,
  opts: { slackIdOf?: (approver: Approver, client: WebClient) => Promise<string | undefined> } = {},
): Channel {
  return {
    platform: 'slack',
    capabilities: { modals: true, cardRefresh: false, notesUnder: 'shared' },
    approvalsConversation: async () => ctx.approvalsChannel,
    openDm: (person) => slackIdOf(ctx.chat.people, client, person, opts.slackIdOf),
    async postCard(conversationId, card) {
      const at = await postMessage(client, ctx.log, { channel: conversationId }, renderApprovalCard(card));
      return at.ts ? { conversationId: at.channel, messageId: at.ts } : undefined;
    },
    async updateCards(copies, card) {
      const rendered = safeMessage(renderApprovalCard(card), ctx.log);
      await Promise.all(
        copies.map((m) =>
          client.chat
            .update({ channel: m.conversationId, ts: m.messageId, ...rendered, blocks: rendered.blocks ?? [] })
            .catch((err: Error) => ctx.log.warn('slack: could not update an approval card', { channel: m.conversationId, ts: m.messageId, error: err.message })),
        ),
      );
    },
    async postNote(to, text, tone) {
      const message = tone === 'reminder' || tone === 'escalated' ? renderApprovalNote(text, ICON[tone]) : renderNote(text, ICON[tone]);
      await postMessage(client, ctx.log, { channel: to.conversationId, ...(to.threadOf ? { threadTs: to.threadOf } : {}) }, message);
    },
    // Slack's upload flow (files.getUploadURLExternal, the bytes POSTed to the URL it gives, then
    // files.completeUploadExternal to share the file into the conversation), all inside files.uploadV2.
    async postImage(to, image) {
      const file = {
        file: Buffer.from(image.data, 'base64'),
        filename: `${image.title.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'chart'}.png`,
        title: image.title,
        alt_text: image.alt.slice(0, 1000),
      };
      await (to.threadOf
        ? client.files.uploadV2({ ...file, channel_id: to.conversationId, thread_ts: to.threadOf })
        : client.files.uploadV2({ ...file, channel_id: to.conversationId }));
    },
    replyTarget(conversationId) {
      const thread = decodeConversation(conversationId);
      return thread ? { conversationId: thread.channel, threadOf: thread.threadTs } : undefined;
    },
    // DMs live in D… conversations.
    isDirect: (conversationId) => conversationId.startsWith('D'),
  };
}
