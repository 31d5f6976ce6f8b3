// A suggested follow-up button under an answer: the suggestion is asked, by the person who clicked, in the same thread.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { answerInThread } from '../ask.js';
import { FOLLOW_UP_ACTION } from '../blocks/ids.js';
import type { BotContext } from '../context.js';

export function registerFollowUp(app: App, ctx: BotContext): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: FOLLOW_UP_ACTION }, async ({ ack, body, action, client }) => {
    await ack();
    const channel = body.channel?.id ?? body.container?.channel_id;
    const message = body.message as { ts?: string; thread_ts?: string } | undefined;
    const threadTs = message?.thread_ts ?? message?.ts;
    const question = (action.value ?? '').trim();
    if (!channel || !threadTs || question === '') return;
    await answerInThread(ctx, client, { channel, threadTs, slackUserId: body.user.id, text: question, showAsker: true });
  });
}
