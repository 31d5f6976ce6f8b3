// Text for Block Kit: escaping (so data can never become a mention, a link or markup) and clipping to a limit.
import { clip } from '../../../src/domain/clip.js';

export { clip };

/** Escapes &, < and > so a value from the data (a supplier name, a clause) is shown, never interpreted. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes `raw` and clips the result to `max`, never cutting an entity (&amp;) or a surrogate pair in half. */
export function mrkdwn(raw: string, max: number): string {
  const escaped = escapeMrkdwn(raw);
  if (escaped.length <= max) return escaped;
  let width = 0;
  let n = 0;
  for (; n < raw.length; n++) {
    const c = raw[n];
    const w = c === '&' ? 5 : c === '<' || c === '>' ? 4 : 1;
    if (width + w > max - 1) break;
    width += w;
  }
  const code = raw.charCodeAt(n - 1);
  if (n > 0 && code >= 0xd800 && code <= 0xdbff) n--;
  return `${escapeMrkdwn(raw.slice(0, n))}…`;
}

/** Plain text (header, button, modal title): no escaping needed, only clipping. */
export function plain(raw: string, max: number): { type: 'plain_text'; text: string; emoji: true } {
  return { type: 'plain_text', text: clip(raw.replace(/\s+/g, ' ').trim() || '-', max), emoji: true };
}

/** "…and 3 more rows". */
export function andMore(n: number, what: string): string {
  return `…and ${n.toLocaleString('en-GB')} more ${what}`;
}
