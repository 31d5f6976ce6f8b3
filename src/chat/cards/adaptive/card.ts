// Adaptive Card JSON as this bot writes it: schema 1.5 (Universal Actions: Action.Execute and refresh), a few
// element builders, and the size guard every card goes through before it is sent.

export const CARD_VERSION = '1.5';
export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** Teams refuses messages over about 28 KB; cards are kept below this many characters of JSON. */
export const MAX_CARD_JSON = 24_000;

export type CardElement = { type: string; [key: string]: unknown };

export type ExecuteAction = {
  type: 'Action.Execute';
  title?: string;
  verb: string;
  data?: Record<string, unknown>;
  style?: 'default' | 'positive' | 'destructive';
  associatedInputs?: 'auto' | 'none';
};

export type CardAction =
  | ExecuteAction
  | { type: 'Action.Submit'; title: string; data: Record<string, unknown> }
  | { type: 'Action.ShowCard'; title: string; card: AdaptiveCardJson }
  | { type: 'Action.OpenUrl'; title: string; url: string };

export type AdaptiveCardJson = {
  type: 'AdaptiveCard';
  $schema?: string;
  version: string;
  body: CardElement[];
  actions?: CardAction[];
  refresh?: { action: ExecuteAction; userIds?: string[] };
  msteams?: { width?: 'Full' };
};

/** A top-level card. */
export function adaptiveCard(body: CardElement[], extra: Partial<Omit<AdaptiveCardJson, 'type' | 'body'>> = {}): AdaptiveCardJson {
  return { type: 'AdaptiveCard', $schema: CARD_SCHEMA, version: CARD_VERSION, ...extra, body };
}

/** The card inside an Action.ShowCard (no $schema of its own). */
export function subCard(body: CardElement[], actions: CardAction[]): AdaptiveCardJson {
  return { type: 'AdaptiveCard', version: CARD_VERSION, body, actions };
}

export type TextOptions = {
  weight?: 'Bolder' | 'Lighter';
  size?: 'Small' | 'Medium' | 'Large';
  color?: 'Good' | 'Warning' | 'Attention' | 'Accent';
  subtle?: boolean;
  spacing?: 'None' | 'Small' | 'Medium' | 'Large';
  style?: 'heading';
  separator?: boolean;
};

/** A wrapping TextBlock. */
export function textBlock(text: string, o: TextOptions = {}): CardElement {
  return {
    type: 'TextBlock',
    text,
    wrap: true,
    ...(o.style ? { style: o.style } : {}),
    ...(o.weight ? { weight: o.weight } : {}),
    ...(o.size ? { size: o.size } : {}),
    ...(o.color ? { color: o.color } : {}),
    ...(o.subtle ? { isSubtle: true } : {}),
    ...(o.spacing ? { spacing: o.spacing } : {}),
    ...(o.separator ? { separator: true } : {}),
  };
}

export function factSet(facts: { title: string; value: string }[]): CardElement {
  return { type: 'FactSet', facts };
}

export function container(items: CardElement[], style?: 'emphasis' | 'good' | 'warning' | 'attention' | 'accent'): CardElement {
  return { type: 'Container', ...(style ? { style } : {}), items };
}

/** The attachment a message carries for `card`. */
export function cardAttachment(card: AdaptiveCardJson): { contentType: string; content: AdaptiveCardJson } {
  return { contentType: CARD_CONTENT_TYPE, content: card };
}

export function cardSize(card: AdaptiveCardJson): number {
  return JSON.stringify(card).length;
}
