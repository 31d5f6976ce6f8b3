// Slack conversations as the orchestrator sees them: `slack:<channel>:<thread_ts>`, so a reply, a follow-up or an
// approval's outcome finds its way back into the same thread.

export type SlackThread = { channel: string; threadTs: string };

export function encodeConversation(t: SlackThread): string {
  return `slack:${t.channel}:${t.threadTs}`;
}

/** The channel and thread of a conversation id this bot created; undefined for any other. */
export function decodeConversation(id: string | undefined): SlackThread | undefined {
  const m = /^slack:([A-Z0-9]{2,30}):(\d{1,12}\.\d{1,9})$/.exec(id ?? '');
  return m ? { channel: m[1]!, threadTs: m[2]! } : undefined;
}

/** The question in a message that mentions the bot: the mention(s) of the bot removed, spacing tidied. */
export function stripMention(text: string, botUserId: string | undefined): string {
  const own = botUserId ? new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g') : /^\s*<@[UW][A-Z0-9]+(\|[^>]*)?>/;
  return text.replace(own, ' ').replace(/\s+/g, ' ').trim();
}

/** Slack escapes &, < and > in message text; the orchestrator wants what the person typed. */
export function unescapeSlack(text: string): string {
  return text
    .replace(/<(https?:\/\/[^|>]+)\|([^>]+)>/g, '$2')
    .replace(/<(https?:\/\/[^>]+)>/g, '$1')
    .replace(/<mailto:[^|>]+\|([^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
