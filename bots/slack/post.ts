// Sending rendered messages: every payload is checked against Slack's limits first; one that fails (a renderer
// bug) is logged and sent as its fallback text alone, so the person still gets the answer.
import type { types } from '@slack/bolt';
import type { Logger } from '../../src/log.js';
import { checkMessageLimits } from './blocks/limits.js';
import type { RenderedMessage } from './blocks/reply.js';
import type { WebClient } from './context.js';

export function safeMessage(m: RenderedMessage, log: Logger): { text: string; blocks?: types.KnownBlock[] } {
  const problems = checkMessageLimits(m);
  if (problems.length === 0) return m;
  log.error('slack: a message broke Block Kit limits; sending its text only', { problems: problems.slice(0, 5) });
  return { text: m.text };
}

/** Posts a message (in a thread when threadTs is given, with Slack message metadata when given); returns where it landed. */
export async function postMessage(
  client: WebClient,
  log: Logger,
  to: { channel: string; threadTs?: string },
  m: RenderedMessage,
  metadata?: { event_type: string; event_payload: Record<string, string> },
): Promise<{ channel: string; ts: string }> {
  const r = await client.chat.postMessage({
    channel: to.channel,
    ...(to.threadTs ? { thread_ts: to.threadTs } : {}),
    ...(metadata ? { metadata } : {}),
    ...safeMessage(m, log),
    unfurl_links: false,
    unfurl_media: false,
  });
  return { channel: r.channel ?? to.channel, ts: r.ts ?? '' };
}

/** Tells one person something only they see: ephemeral in the channel, else a direct message. */
export async function tellUser(client: WebClient, log: Logger, to: { user: string; channel?: string; threadTs?: string }, text: string): Promise<void> {
  try {
    if (to.channel) {
      await client.chat.postEphemeral({ channel: to.channel, user: to.user, text, ...(to.threadTs ? { thread_ts: to.threadTs } : {}) });
      return;
    }
    await client.chat.postMessage({ channel: to.user, text });
  } catch (err) {
    log.warn('slack: could not tell a user', { user: to.user, error: (err as Error).message });
  }
}
