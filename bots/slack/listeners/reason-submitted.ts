// The reason modal submitted: an empty reason is sent back to the modal; otherwise the modal closes and the
// rejection (or request for changes) is recorded with the reason.
import type { App } from '@slack/bolt';
import { REASON_BLOCK, REASON_INPUT, REASON_VIEW } from '../blocks/ids.js';
import { readReasonMetadata } from '../blocks/modal.js';
import type { BotContext } from '../context.js';
import { decideFromSlack } from '../decide.js';

export function registerReasonSubmitted(app: App, ctx: BotContext): void {
  app.view(REASON_VIEW, async ({ ack, view, body, client }) => {
    const meta = readReasonMetadata(view.private_metadata);
    const reason = (view.state.values[REASON_BLOCK]?.[REASON_INPUT]?.value ?? '').trim();
    if (!meta) {
      await ack();
      return;
    }
    if (reason === '') {
      await ack({ response_action: 'errors', errors: { [REASON_BLOCK]: 'Give a reason: it is recorded with your decision.' } });
      return;
    }
    await ack();
    await decideFromSlack(ctx, client, {
      approvalId: meta.approvalId,
      decision: meta.verb,
      slackUserId: body.user.id,
      reason,
      ...(meta.channel ? { channel: meta.channel } : {}),
      fromHome: !meta.channel,
    });
  });
}
