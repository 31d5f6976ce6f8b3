// Text out into an Adaptive Card: values from the data (a supplier name, a clause) shown in a TextBlock, where hosts
// (Teams, the web chat) render a subset of Markdown: a link written into the data must not become a clickable link,
// and every string is clipped.
import { clip } from '../../../domain/clip.js';

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
