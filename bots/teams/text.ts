// Text in and out of Teams. In: what a person typed, with the bot's @mention and Teams' markup removed. Out: values
// from the data (a supplier name, a clause) shown in an Adaptive Card TextBlock, where Teams renders a subset of
// Markdown: a link written into the data must not become a clickable link, and every string is clipped.
import { clip } from '../../src/domain/clip.js';

export { clip };

/**
 * A value from the data, safe to put in a TextBlock or a fact: Markdown links (`[text](url)`) and autolinks
 * (`<https://…>`) are broken with an invisible zero-width space so they show as text, and the result is clipped.
 */
export function safeText(raw: string, max: number): string {
  const neutral = raw.replace(/\]\(/g, ']\u200b(').replace(/<(https?:)/gi, '<\u200b$1');
  return clip(neutral, max);
}

/** One line: whitespace runs collapsed. */
export function oneLine(raw: string, max: number): string {
  return safeText(raw.replace(/\s+/g, ' ').trim(), max);
}

/** "…and 3 more rows". */
export function andMore(n: number, what: string): string {
  return `…and ${n.toLocaleString('en-GB')} more ${what}`;
}

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
