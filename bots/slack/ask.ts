// One question from Slack, answered in its thread: the core asks (person resolved, turn limited) and the Reply is
// posted as Block Kit under the question, its charts uploaded into the same thread.
import { renderNote } from './blocks/approval.js';
import { renderReply } from './blocks/reply.js';
import type { BotContext, WebClient } from './context.js';
import { postReplyImages } from '../../src/chat/reply-images.js';
import { createSlackChannel } from './channel.js';
import { encodeConversation } from './conversation.js';
import { postMessage } from './post.js';

export type Question = {
  channel: string;
  /** The thread to answer in (the question's own ts when it starts one). */
  threadTs: string;
  slackUserId: string;
  text: string;
  /** Show who asked under the answer (slash commands, follow-up buttons). */
  showAsker?: boolean;
  /** Asked just before posting: false when this instance no longer holds the question (another one answers it). */
  stillMine?: () => Promise<boolean>;
};

export async function answerInThread(ctx: BotContext, client: WebClient, q: Question): Promise<void> {
  const person = await ctx.person(client, q.slackUserId);
  const answer = await ctx.chat.ask({ conversationId: encodeConversation({ channel: q.channel, threadTs: q.threadTs }), person, text: q.text });
  const message = answer.ok
    ? renderReply(answer.reply, q.showAsker ? { askedBy: { user: q.slackUserId, question: q.text } } : {})
    : renderNote('Something went wrong while answering that; the error is in the server log. Try again in a moment.', ':warning:');
  if (q.stillMine && !(await q.stillMine())) {
    ctx.log.warn('slack: another instance took this question over while it was being answered; not posted twice', { channel: q.channel, ts: q.threadTs });
    return;
  }
  await postMessage(client, ctx.log, { channel: q.channel, threadTs: q.threadTs }, message);
  if (answer.ok) await postReplyImages(createSlackChannel(ctx, client), { conversationId: q.channel, threadOf: q.threadTs }, answer.reply, ctx.log);
}
