// The activity handler: messages (questions and follow-up buttons), the bot being added to a conversation (a
// welcome in a personal chat), and Action.Execute invokes on approval cards.
import { type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue, TeamsActivityHandler, type TurnContext } from 'botbuilder';
import { handleMessage } from './ask.js';
import { renderErrorCard, renderWelcomeCard } from '../../src/chat/cards/adaptive/notes.js';
import type { TeamsBotContext } from './context.js';
import { cardResponse, handleCardAction } from './invoke.js';
import { cardMessage } from './send.js';

const EXAMPLES = ['What did we spend in 2012?', 'Which contracts expire in the next 90 days?', 'Is Aerocaribbean Airlines sanctioned?'];

export class QuartermasterTeamsHandler extends TeamsActivityHandler {
  constructor(private readonly ctx: TeamsBotContext) {
    super();
    this.onMessage(async (context, next) => {
      await handleMessage(ctx, context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const { activity } = context;
      const botAdded = (activity.membersAdded ?? []).some((m) => m.id === activity.recipient?.id);
      if (botAdded && activity.conversation?.conversationType === 'personal') {
        await context.sendActivity(cardMessage(renderWelcomeCard(EXAMPLES), "Hi, I'm Quartermaster."));
      }
      await next();
    });
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    try {
      return await handleCardAction(this.ctx, context, value);
    } catch (err) {
      // A decision either committed or did not: trying again is safe (a second click is told who decided).
      this.ctx.log.error('teams: a card action failed', { verb: value.action?.verb, error: (err as Error).message });
      return cardResponse(renderErrorCard('Sorry, that did not go through.', 'Try again in a moment; if it was a decision, the card will say whether it was recorded.'));
    }
  }
}
