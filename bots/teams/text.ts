// Text in from Teams: what a person typed, with the bot's @mention and Teams' markup removed.
// Values going out (safeText, oneLine, clip) are the shared Adaptive Card helpers; re-exported for this bot's code.
export { andMore, clip, oneLine, safeText } from '../../src/chat/cards/adaptive/text.js';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/**
 * The question in a Teams message: `<at>…</at>` mentions of people kept as their names (the bot's own mention is
 * removed before this, by TurnContext.removeRecipientMention), any other markup dropped, entities decoded.
 */
export function questionText(text: string | undefined): string {
  return (text ?? '')
    .replace(/<at>([^<]*)<\/at>/gi, '$1')
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<\/?[a-z][^>]*>/gi, ' ')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (m, name: string) => {
      const key = name.toLowerCase();
      if (ENTITIES[key] !== undefined) return ENTITIES[key]!;
      const code = key.startsWith('#x') ? Number.parseInt(key.slice(2), 16) : key.startsWith('#') ? Number.parseInt(key.slice(1), 10) : Number.NaN;
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    })
    .replace(/\s+/g, ' ')
    .trim();
}
