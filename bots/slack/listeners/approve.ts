// The Approve button on an approval card (in a channel, a DM, or the App Home tab).
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { APPROVE_ACTION } from '../blocks/ids.js';
import type { BotContext } from '../context.js';
import { decideFromSlack } from '../decide.js';

export function registerApprove(app: App, ctx: BotContext): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: APPROVE_ACTION }, async ({ ack, body, action, client }) => {
    await ack();
    const message = body.message as { ts?: string; thread_ts?: string } | undefined;
    await decideFromSlack(ctx, client, {
      approvalId: action.value ?? '',
      decision: 'approve',
      slackUserId: body.user.id,
      ...(body.channel?.id ? { channel: body.channel.id } : {}),
      ...(message?.thread_ts ? { threadTs: message.thread_ts } : {}),
      fromHome: body.view?.type === 'home',
    });
  });
}
