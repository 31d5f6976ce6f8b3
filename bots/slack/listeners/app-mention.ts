// "@Quartermaster what did we spend with Dell last quarter?" in a channel: answered in the message's thread.
import type { App } from '@slack/bolt';
import { answerInThread } from '../ask.js';
import type { BotContext } from '../context.js';
import { answerMessageOnce } from '../dedupe.js';
import { stripMention, unescapeSlack } from '../conversation.js';

export function registerAppMention(app: App, ctx: BotContext): void {
  app.event('app_mention', async ({ event, client, context }) => {
    if (!event.user || event.bot_id || event.subtype) return;
    const text = unescapeSlack(stripMention(event.text ?? '', context.botUserId));
    const user = event.user;
    // One message is answered once, whichever event (or delivery) brought it.
    await answerMessageOnce(ctx.chat.intake, event.channel, event.ts, (stillMine, takenOver) =>
      answerInThread(ctx, client, { channel: event.channel, threadTs: event.thread_ts ?? event.ts, questionTs: event.ts, slackUserId: user, text, stillMine, takenOver }),
    );
  });
}
