// A question to the bot: a message in a personal chat, a group chat or a channel (where the bot only hears messages
// that @mention it), or a follow-up button (Action.Submit, arriving as a message whose value names the question).
// The mention is removed, the sender resolved, and the core's ask runs after the HTTP answer; the answer card is sent as a reply in the same conversation (a channel thread stays a thread), followed by its charts.
import { TurnContext } from 'botbuilder';
import type { TeamsBotContext } from './context.js';
import { renderErrorCard } from '../../src/chat/cards/adaptive/notes.js';
import { ASK_KEY, renderReplyCard } from '../../src/chat/cards/adaptive/reply.js';
import { postReplyImages } from '../../src/chat/reply-images.js';
import { createTeamsChannel } from './channel.js';
import { encodeConversation } from './conversation.js';
import { cardMessage } from './send.js';
import { clip, questionText } from './text.js';

/** The question in a message: a follow-up button's question, else the text without the bot's mention. */
export function questionOf(context: TurnContext): { text: string; fromButton: boolean } {
  const value = context.activity.value as Record<string, unknown> | undefined;
  if (value && typeof value[ASK_KEY] === 'string') return { text: questionText(value[ASK_KEY] as string), fromButton: true };
  const text = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '';
  return { text: questionText(text), fromButton: false };
}

export async function handleMessage(ctx: TeamsBotContext, context: TurnContext): Promise<void> {
  const activity = context.activity;
  const conversation = activity.conversation;
  if (!conversation?.id) return;
  // A card's Action.Submit that is not a follow-up (none of ours): nothing to answer.
  if (activity.value !== undefined && !(activity.value as Record<string, unknown> | null)?.[ASK_KEY] && !activity.text) return;
  const { text, fromButton } = questionOf(context);
  const person = await ctx.people.sender(context);
  const reference = TurnContext.getConversationReference(activity);
  const replyToId = activity.id;
  // The typing indicator while the turn runs (best effort).
  await context.sendActivity({ type: 'typing' }).catch(() => undefined);

  ctx.chat.work.run('answering a message', async () => {
    const answer = await ctx.chat.ask({ conversationId: encodeConversation(conversation.id), person, text });
    if (!answer.ok) {
      await ctx.sender
        .send(reference, cardMessage(renderErrorCard(`Sorry, I could not answer “${clip(text, 200)}” just now.`, 'Try again in a moment.'), 'Could not answer'), replyToId)
        .catch(() => undefined);
      return;
    }
    const askedBy = fromButton && conversation.conversationType !== 'personal' ? { name: person.user?.name ?? person.name ?? 'Someone', question: text } : undefined;
    const card = renderReplyCard(answer.reply, askedBy ? { askedBy } : {});
    await ctx.sender.send(reference, cardMessage(card, answer.reply.headline), replyToId);
    await postReplyImages(createTeamsChannel(ctx), { conversationId: conversation.id, ...(replyToId ? { threadOf: replyToId } : {}) }, answer.reply, ctx.log);
  });
}
