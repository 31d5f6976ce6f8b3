// A question to the bot: a message in a personal chat, a group chat or a channel (where the bot only hears messages
// that @mention it), or a follow-up button (Action.Submit, arriving as a message whose value names the question).
// The mention is removed, the sender mapped to a Quartermaster user, and the turn runs after the HTTP answer; the
// answer card is sent as a reply in the same conversation (a channel thread stays a thread).
import { TurnContext } from 'botbuilder';
import type { TeamsBotContext } from './context.js';
import { renderErrorCard } from './cards/notes.js';
import { ASK_KEY, renderReplyCard } from './cards/reply.js';
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

  ctx.work.run('answering a message', async () => {
    try {
      const turn = await ctx.work.turn(() =>
        ctx.orchestrator.handle({
          channel: 'teams',
          conversationId: encodeConversation(conversation.id),
          user: {
            ...(person.aadObjectId || person.mri ? { id: person.aadObjectId ?? person.mri } : {}),
            ...(person.user ? { email: person.user.email } : person.teamsEmail ? { email: person.teamsEmail } : {}),
            ...(person.user?.name || person.name ? { name: person.user?.name ?? person.name } : {}),
          },
          text,
        }),
      );
      const askedBy = fromButton && conversation.conversationType !== 'personal' ? { name: person.user?.name ?? person.name ?? 'Someone', question: text } : undefined;
      const card = renderReplyCard(turn.reply, askedBy ? { askedBy } : {});
      await ctx.sender.send(reference, cardMessage(card, turn.reply.headline), replyToId);
    } catch (err) {
      ctx.log.error('teams: a turn failed', { conversation: conversation.id, error: (err as Error).message });
      await ctx.sender
        .send(reference, cardMessage(renderErrorCard(`Sorry, I could not answer “${clip(text, 200)}” just now.`, 'Try again in a moment.'), 'Could not answer'), replyToId)
        .catch(() => undefined);
    }
  });
}
