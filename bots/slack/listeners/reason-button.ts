// Reject and Ask for changes: both need a reason, so they open a modal (within the 3 s a trigger_id lives). An
// approval that is no longer pending is reported to the clicker instead of opening the modal.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { resolvedMessage } from '../../../src/approvals/already-decided.js';
import { approvalCard } from '../../../src/approvals/card.js';
import { isApprovalId } from '../../../src/chat/decide.js';
import { NEEDS_REASON_ACTION } from '../blocks/ids.js';
import { checkViewLimits } from '../blocks/limits.js';
import { renderReasonModal } from '../blocks/modal.js';
import type { BotContext } from '../context.js';
import { tellUser } from '../post.js';

export function registerReasonButtons(app: App, ctx: BotContext): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: NEEDS_REASON_ACTION }, async ({ ack, body, action, client }) => {
    await ack();
    const verb = action.action_id === 'qm_approval_reject' ? 'reject' : 'request_changes';
    const approvalId = action.value ?? '';
    const channel = body.channel?.id;
    const message = body.message as { ts?: string; thread_ts?: string } | undefined;
    const approval = isApprovalId(approvalId) ? await ctx.approvals.get(approvalId) : undefined;
    const to = { user: body.user.id, ...(channel ? { channel } : {}) };
    if (!approval) {
      await tellUser(client, ctx.log, to, 'That approval could not be found.');
      return;
    }
    if (approval.status !== 'pending') {
      await tellUser(client, ctx.log, to, resolvedMessage(approval));
      return;
    }
    const view = renderReasonModal(
      { approvalId, verb, ...(channel ? { channel } : {}), ...(message?.ts ? { messageTs: message.ts } : {}) },
      approvalCard(approval),
    );
    const problems = checkViewLimits(view as unknown as Record<string, unknown>);
    if (problems.length > 0) ctx.log.error('slack: the reason modal broke Block Kit limits', { problems });
    await client.views.open({ trigger_id: body.trigger_id, view });
  });
}
