// Matching what a person calls a department or a category ("IT", "HR", "cleaning") against the values an
// organisation's own data uses. An exact name beats everything; then an alias; then initials ("HR" for "Human
// Resources", learned from the data itself); a name that merely contains the words comes last and is reported as
// such, so an answer can name related values instead of silently adding them in.

export type TermMatchKind = 'exact' | 'alias' | 'initials' | 'contains';

export type Term = { key: string; label: string; payments: number };

export type TermMatch = Term & { matchedBy: TermMatchKind };

const SMALL_WORDS = new Set(['and', 'of', 'the', 'for', 'to', 'in', 'on', 'a', 'an', '&']);

/** Case, accents, punctuation and spacing folded: "Window-Cleaning " → "window cleaning". */
export function foldTerm(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The initials of a multi-word value, small words left out: "Human Resources" → "hr", "Chief Executive's Office" → "ceo". */
export function initialsOf(label: string): string | undefined {
  const words = foldTerm(label.replace(/['’]s\b/g, ''))
    .split(' ')
    .filter((w) => w !== '' && !SMALL_WORDS.has(w));
  return words.length >= 2 ? words.map((w) => w[0]).join('') : undefined;
}

/**
 * The values `phrase` names, best kind first: every exact match, else every alias match (`aliases` maps a folded
 * alias to a folded key), else (unless `initials` is false) every value whose initials the phrase is, else every value containing the phrase
 * as whole words. Only one kind is returned, so the caller never mixes an exact value with looser ones; the
 * looser ones are available as `related`.
 */
export function matchTerms(
  phrase: string,
  terms: readonly Term[],
  aliases: ReadonlyMap<string, string> = new Map(),
  opts: { initials?: boolean } = {},
): { matches: TermMatch[]; related: Term[] } {
  const q = foldTerm(phrase);
  if (q === '') return { matches: [], related: [] };
  const folded = terms.map((t) => ({ term: t, f: foldTerm(t.label), k: foldTerm(t.key) }));
  const containing = folded.filter((x) => x.f !== q && ` ${x.f} `.includes(` ${q} `)).map((x) => x.term);
  const pick = (kind: TermMatchKind, hits: Term[]) => ({
    matches: hits.map((t) => ({ ...t, matchedBy: kind })),
    related: kind === 'contains' ? [] : containing.filter((t) => !hits.includes(t)),
  });
  const exact = folded.filter((x) => x.f === q || x.k === q).map((x) => x.term);
  if (exact.length > 0) return pick('exact', exact);
  const aliasKey = aliases.get(q);
  if (aliasKey !== undefined) {
    const viaAlias = folded.filter((x) => x.f === aliasKey || x.k === aliasKey).map((x) => x.term);
    if (viaAlias.length > 0) return pick('alias', viaAlias);
  }
  // Initials are only worth trying for a short phrase written as one word ("HR", "ICT").
  if (opts.initials !== false && /^[a-z]{2,6}$/.test(q)) {
    const byInitials = folded.filter((x) => initialsOf(x.term.label) === q).map((x) => x.term);
    if (byInitials.length > 0) return pick('initials', byInitials);
  }
  return pick('contains', containing);
}
