// `/qm <question>`: acknowledged at once; the question is posted in the channel as "<@user> asked …" and answered
// in that message's thread, so follow-ups and approval outcomes have a thread to go to. Where the bot cannot post
// (a channel it is not in), the answer goes back through the command's response_url, visible to the asker only.
// Each command is answered once across instances: before anything goes out, the instance checks it still holds the
// command's lease (dedupe.ts); one whose lease lapsed (stalled past it) leaves the answer to the instance that took
// the command over.
import type { App } from '@slack/bolt';
import { answerInThread } from '../ask.js';
import { renderReply } from '../blocks/reply.js';
import { mrkdwn } from '../blocks/text.js';
import type { BotContext } from '../context.js';
import { unescapeSlack } from '../conversation.js';
import { stillMineOf } from '../dedupe.js';
import { safeMessage } from '../post.js';

export const COMMAND = '/qm';

const HELP =
  'Ask me about spend, suppliers and contracts, or ask to buy something: `/qm what did we spend with Dell in 2025?`, `/qm which contracts expire in the next 90 days?`, `/qm can we buy 20 laptops from Dell for £25k?`';

export function registerSlashCommand(app: App, ctx: BotContext): void {
  app.command(COMMAND, async ({ command, ack, client, respond, context }) => {
    const question = unescapeSlack(command.text ?? '').trim();
    if (question === '') {
      await ack({ response_type: 'ephemeral', text: HELP });
      return;
    }
    await ack();
    const stillMine = stillMineOf(context);
    const taken = async () => {
      if (await stillMine()) return false;
      ctx.log.warn('slack: another instance took this command over while it was being answered; not answered twice', { channel: command.channel_id });
      return true;
    };
    if (await taken()) return;
    let parent: { ts?: string } | undefined;
    try {
      parent = await client.chat.postMessage({
        channel: command.channel_id,
        text: `<@${command.user_id}> asked: ${mrkdwn(question, 2900)}`,
        unfurl_links: false,
        unfurl_media: false,
      });
    } catch (err) {
      ctx.log.debug('slack: cannot post in the command channel; answering through response_url', { error: (err as Error).message });
    }
    if (parent?.ts) {
      await answerInThread(ctx, client, { channel: command.channel_id, threadTs: parent.ts, slackUserId: command.user_id, text: question, stillMine });
      return;
    }
    const person = await ctx.person(client, command.user_id);
    const answer = await ctx.chat.ask({ conversationId: `slack-command:${command.channel_id}:${command.user_id}`, person, text: question });
    if (await taken()) return;
    if (!answer.ok) {
      await respond({ response_type: 'ephemeral', text: 'Something went wrong while answering that; the error is in the server log. Try again in a moment.' });
      return;
    }
    await respond({ response_type: 'ephemeral', ...safeMessage(renderReply(answer.reply, { askedBy: { user: command.user_id, question } }), ctx.log) });
  });
}
