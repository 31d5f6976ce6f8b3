// Checks a card the way an Adaptive Cards host does, with the adaptivecards library at schema 1.5: parse errors and
// warnings (unknown element types, invalid property values) and validation (duplicate input ids, …). The library
// needs no DOM to parse; only rendering touches `document`, and this never renders. Its package entry point does
// not load under Node's ESM resolver, so its self-contained UMD build is required instead.
import { createRequire } from 'node:module';
import type * as AC from 'adaptivecards';
import { CARD_VERSION } from '../../src/chat/cards/adaptive/card.js';

type AdaptiveCards = typeof AC;

let library: AdaptiveCards | undefined;

function adaptiveCards(): AdaptiveCards {
  library ??= createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as AdaptiveCards;
  return library;
}

export type CardIssue = { phase: 'parse' | 'validate' | 'version'; message: string };

/** Every problem an Adaptive Cards 1.5 host would report for `json`; empty when the card is clean. */
export function cardIssues(json: unknown): CardIssue[] {
  const ac = adaptiveCards();
  const issues: CardIssue[] = [];
  const [major, minor] = CARD_VERSION.split('.').map(Number) as [number, number];
  if ((json as { version?: unknown } | null)?.version !== CARD_VERSION) {
    issues.push({ phase: 'version', message: `version is ${JSON.stringify((json as { version?: unknown } | null)?.version)}, expected "${CARD_VERSION}"` });
  }
  const card = new ac.AdaptiveCard();
  const context = new ac.SerializationContext(new ac.Version(major, minor));
  card.parse(json, context);
  for (let i = 0; i < context.eventCount; i++) issues.push({ phase: 'parse', message: context.getEventAt(i).message });
  for (const e of card.validateProperties().validationEvents) issues.push({ phase: 'validate', message: e.message });
  return issues;
}

/** The parsed card's JSON as the library writes it back (at schema 1.5), to read actions as a host sees them. */
export function parsedCard(json: unknown): Record<string, unknown> {
  const ac = adaptiveCards();
  const card = new ac.AdaptiveCard();
  const context = new ac.SerializationContext(new ac.Version(1, 5));
  card.parse(json, context);
  return card.toJSON(context) as Record<string, unknown>;
}
