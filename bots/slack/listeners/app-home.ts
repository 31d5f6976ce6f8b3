// The App Home tab, published when it is opened (and after a decision taken from it).
import type { App } from '@slack/bolt';
import { renderHome } from '../blocks/home.js';
import { checkViewLimits } from '../blocks/limits.js';
import type { BotContext, WebClient } from '../context.js';

export function registerAppHome(app: App, ctx: BotContext): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== undefined && event.tab !== 'home') return;
    await publishHome(ctx, client, event.user);
  });
}

/** What the Home tab shows this person: pending approvals they can decide now, and their own recent requests. */
export async function homeFor(ctx: BotContext, client: WebClient, slackUserId: string): Promise<Parameters<typeof renderHome>[0]> {
  const person = await ctx.person(client, slackUserId);
  const user = person.user;
  if (!user) return { ...(person.name ? { name: person.name } : {}), known: false, pending: [], recent: [] };
  const [waiting, latest] = await Promise.all([ctx.approvals.list({ approverRoles: user.roles, limit: 50 }), ctx.approvals.list({ limit: 200 })]);
  return {
    name: user.name,
    known: true,
    pending: waiting.filter((a) => ctx.chat.people.canDecideNow(a, user)),
    recent: latest.filter((a) => a.requesterUserId === user.id || a.requester === user.email).slice(0, 10),
  };
}

export async function publishHome(ctx: BotContext, client: WebClient, slackUserId: string): Promise<void> {
  const view = renderHome(await homeFor(ctx, client, slackUserId));
  const problems = checkViewLimits(view as unknown as Record<string, unknown>);
  if (problems.length > 0) ctx.log.error('slack: the Home tab broke Block Kit limits', { problems: problems.slice(0, 5) });
  await client.views.publish({ user_id: slackUserId, view });
}
