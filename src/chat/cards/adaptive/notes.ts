// Small cards: an error (a turn that failed, an action the bot cannot act on) and a welcome for a new install.
import { safeText } from './text.js';
import { type AdaptiveCardJson, adaptiveCard, container, textBlock } from './card.js';
import { followUpAction } from './reply.js';

/** Something went wrong: what happened in plain words, and what to do. */
export function renderErrorCard(message: string, hint?: string): AdaptiveCardJson {
  return adaptiveCard([
    container([textBlock(safeText(message, 1000), { weight: 'Bolder', color: 'Attention' })], 'attention'),
    ...(hint ? [textBlock(safeText(hint, 1000), { size: 'Small', subtle: true })] : []),
  ]);
}

/** The first message after the app is installed for a person. */
export function renderWelcomeCard(examples: string[]): AdaptiveCardJson {
  return adaptiveCard(
    [
      textBlock("Hi, I'm Quartermaster.", { weight: 'Bolder', size: 'Medium' }),
      textBlock(
        'Ask me about spend, suppliers and contracts, or ask to buy something: governance decides what needs approval, and approvers decide on cards like this one, here in Teams.',
      ),
    ],
    { actions: examples.slice(0, 3).map((e) => followUpAction(e)) },
  );
}
