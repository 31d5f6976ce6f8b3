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
  /** The question's own message, when it has one: the answer is marked with it (message metadata). */
  questionTs?: string;
  /** Taken over from an instance that died answering it: answered only if that one's answer is not in the thread. */
  takenOver?: boolean;
};

/** The event type of the metadata on every answer to a message, naming the question it answers. */
export const ANSWER_EVENT = 'qm_answer';

export async function answerInThread(ctx: BotContext, client: WebClient, q: Question): Promise<void> {
  if (q.takenOver && q.questionTs && (await answeredInThread(ctx, client, q.channel, q.threadTs, q.questionTs))) {
    ctx.log.warn('slack: a question taken over had been answered by the instance that died; not answered twice', { channel: q.channel, ts: q.questionTs });
    return;
  }
  const person = await ctx.person(client, q.slackUserId);
  const answer = await ctx.chat.ask({ conversationId: encodeConversation({ channel: q.channel, threadTs: q.threadTs }), person, text: q.text });
  const message = answer.ok
    ? renderReply(answer.reply, q.showAsker ? { askedBy: { user: q.slackUserId, question: q.text } } : {})
    : renderNote('Something went wrong while answering that; the error is in the server log. Try again in a moment.', ':warning:');
  if (q.stillMine && !(await q.stillMine())) {
    ctx.log.warn('slack: another instance took this question over while it was being answered; not posted twice', { channel: q.channel, ts: q.threadTs });
    return;
  }
  const metadata = q.questionTs ? { event_type: ANSWER_EVENT, event_payload: { question_ts: q.questionTs } } : undefined;
  await postMessage(client, ctx.log, { channel: q.channel, threadTs: q.threadTs }, message, metadata);
  if (answer.ok) await postReplyImages(createSlackChannel(ctx, client), { conversationId: q.channel, threadOf: q.threadTs }, answer.reply, ctx.log);
}

/**
 * Whether the thread holds the bot's answer to the question at `questionTs` (found by its metadata). An instance
 * that dies between posting an answer and marking the question answered leaves only that trace. When the thread
 * cannot be read (a workspace that did not grant the history scopes), the question is answered (again, perhaps)
 * rather than left unanswered.
 */
async function answeredInThread(ctx: BotContext, client: WebClient, channel: string, threadTs: string, questionTs: string): Promise<boolean> {
  try {
    const r = await client.conversations.replies({ channel, ts: threadTs, oldest: questionTs, include_all_metadata: true, limit: 200 });
    return (r.messages ?? []).some((m) => m.metadata?.event_type === ANSWER_EVENT && (m.metadata.event_payload as { question_ts?: unknown } | undefined)?.question_ts === questionTs);
  } catch (err) {
    ctx.log.warn('slack: could not read the thread for an answer already posted; answering', { channel, ts: questionTs, error: (err as Error).message });
    return false;
  }
}
