// A direct message to the bot: answered in the message's thread. Edits, joins, bot messages and other subtypes are
// ignored, and so is anything outside a DM (channels reach the bot through mentions).
import type { App } from '@slack/bolt';
import { answerInThread } from '../ask.js';
import type { BotContext } from '../context.js';
import { answerMessageOnce } from '../dedupe.js';
import { stripMention, unescapeSlack } from '../conversation.js';

type PlainMessage = { channel: string; channel_type?: string; user?: string; text?: string; ts: string; thread_ts?: string; subtype?: string; bot_id?: string };

export function registerDirectMessage(app: App, ctx: BotContext): void {
  app.event('message', async ({ event, client, context }) => {
    const m = event as PlainMessage;
    if (m.channel_type !== 'im' || m.subtype !== undefined || m.bot_id || !m.user || !m.text) return;
    const text = unescapeSlack(stripMention(m.text, context.botUserId));
    const user = m.user;
    await answerMessageOnce(ctx.chat.intake, m.channel, m.ts, (stillMine, takenOver) =>
      answerInThread(ctx, client, { channel: m.channel, threadTs: m.thread_ts ?? m.ts, questionTs: m.ts, slackUserId: user, text, stillMine, takenOver }),
    );
  });
}
