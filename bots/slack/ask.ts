// One question from Slack, answered in its thread: the person is mapped to a Quartermaster user (or asks as an
// unknown person), the orchestrator runs the turn, and the Reply is posted as Block Kit under the question.
import { renderNote } from './blocks/approval.js';
import { renderReply } from './blocks/reply.js';
import type { BotContext, WebClient } from './context.js';
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
};

export async function answerInThread(ctx: BotContext, client: WebClient, q: Question): Promise<void> {
  const person = await ctx.users.person(client, q.slackUserId);
  let message: ReturnType<typeof renderReply>;
  try {
    const turn = await ctx.turns.run(() =>
      ctx.orchestrator.handle({
        channel: 'slack',
        conversationId: encodeConversation({ channel: q.channel, threadTs: q.threadTs }),
        user: {
          id: q.slackUserId,
          ...(person.user ? { email: person.user.email } : {}),
          ...(person.name ? { name: person.name } : {}),
        },
        text: q.text,
      }),
    );
    message = renderReply(turn.reply, q.showAsker ? { askedBy: { user: q.slackUserId, question: q.text } } : {});
  } catch (err) {
    ctx.log.error('slack: the question could not be answered', { error: (err as Error).message });
    message = renderNote('Something went wrong while answering that; the error is in the server log. Try again in a moment.', ':warning:');
  }
  await postMessage(client, ctx.log, { channel: q.channel, threadTs: q.threadTs }, message);
}
