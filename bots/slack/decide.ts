// A decision taken in Slack (a button, or a modal with a reason): recorded through the approvals service under the
// clicker's identity. A refusal (not authorised, already decided, unknown approval) is told to the clicker alone and
// changes nothing; a recorded decision updates every card through the notifier.
import type { DecisionKind } from '../../src/approvals/types.js';
import type { BotContext, WebClient } from './context.js';
import { publishHome } from './listeners/app-home.js';
import { tellUser } from './post.js';

export type SlackDecision = {
  approvalId: string;
  decision: DecisionKind;
  slackUserId: string;
  reason?: string;
  /** Where the click happened: a message (channel, thread) or the App Home tab (no channel). */
  channel?: string;
  threadTs?: string;
  fromHome?: boolean;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function decideFromSlack(ctx: BotContext, client: WebClient, d: SlackDecision): Promise<void> {
  const to = { user: d.slackUserId, ...(d.channel ? { channel: d.channel } : {}), ...(d.threadTs ? { threadTs: d.threadTs } : {}) };
  if (!UUID.test(d.approvalId)) {
    await tellUser(client, ctx.log, to, 'That approval could not be found.');
    return;
  }
  const person = await ctx.users.person(client, d.slackUserId);
  const result = await ctx.approvals.decide({
    approval: d.approvalId,
    // The mapped user's email when known (a match by profile email), else the Slack id itself.
    user: person.user?.email ?? d.slackUserId,
    decision: d.decision,
    ...(d.reason ? { reason: d.reason } : {}),
    channel: 'slack',
  });
  if (result.status !== 'recorded') {
    ctx.log.info('slack: decision refused', { approval: d.approvalId, user: d.slackUserId, status: result.status });
    await tellUser(client, ctx.log, to, result.message);
  } else {
    ctx.log.info(`slack: ${result.message}`, { approval: d.approvalId, user: d.slackUserId });
  }
  if (d.fromHome) await publishHome(ctx, client, d.slackUserId);
}
