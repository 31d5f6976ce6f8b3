// A decision taken in Slack (a button, or a modal with a reason): recorded by the core as the clicker's user. A
// refusal (not linked, not authorised, already decided, unknown approval) is told to the clicker alone and changes
// nothing; a recorded decision updates every card through the notifier.
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

export async function decideFromSlack(ctx: BotContext, client: WebClient, d: SlackDecision): Promise<void> {
  const to = { user: d.slackUserId, ...(d.channel ? { channel: d.channel } : {}), ...(d.threadTs ? { threadTs: d.threadTs } : {}) };
  const person = await ctx.person(client, d.slackUserId);
  const result = await ctx.chat.decide({ approvalId: d.approvalId, decision: d.decision, person, reason: d.reason });
  if (result.status !== 'recorded') await tellUser(client, ctx.log, to, result.message);
  if (d.fromHome) await publishHome(ctx, client, d.slackUserId);
}
