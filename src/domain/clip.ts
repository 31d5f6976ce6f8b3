// Clipping text to a channel's limit without splitting a character.

/** Cuts `s` to at most `max` characters, ending with "…" when cut (never in the middle of a surrogate pair). */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  let n = Math.max(0, max - 1);
  const code = s.charCodeAt(n - 1);
  if (code >= 0xd800 && code <= 0xdbff) n--;
  return `${s.slice(0, n)}…`;
}
