// Which sanctions screening results the supplier-risk monitor acts on. A strong match (on a primary name or a
// strong alias) raises a critical finding; a near-exact match on a weak a.k.a. — which OFAC itself calls a poor
// identifier on its own — raises a review finding only when the alias is distinctive enough to mean something
// (two words or more; for an entity also one word of four letters or more), so a person's nickname such as 'ADEL'
// or a three-letter acronym such as 'RAD' does not flag every supplier that happens to share it.
import { WEAK_ALIAS_FACTOR } from '../screening/name-index.js';
import type { ScreeningMatch } from '../screening/screen.js';
import { prepareName } from '../screening/tokens.js';

/** How strictly screening results become findings. */
export type ScreeningPolicy = {
  /** Screening score at or above which a match is strong. */
  strongScore: number;
  /** Whether near-exact matches on distinctive weak aliases raise a review finding. */
  weakAliases: 'review' | 'ignore';
};

/** What a match means for the monitor: a strong match, a weak-alias match to review, or nothing. */
export type MatchClass = 'strong' | 'review';

// One word of a weak alias must be at least this long to stand alone (entities only).
const LONE_WORD_LETTERS = 4;

/** True when a weak alias is specific enough that a supplier bearing that name deserves a look. */
export function distinctiveAlias(alias: string, entryType: string): boolean {
  const words = prepareName(alias).tokens.filter((t) => t.text.length >= 2);
  if (words.length >= 2) return words.filter((t) => t.text.length >= 3).length >= 1;
  if (entryType !== 'entity' || words.length === 0) return false;
  return words[0]!.text.length >= LONE_WORD_LETTERS && !/^\d+$/.test(words[0]!.text);
}

/** Classifies one screening match under the policy; undefined when it raises nothing. */
export function classifyScreening(match: ScreeningMatch, policy: ScreeningPolicy): MatchClass | undefined {
  const weak = match.matchedName.strength === 'weak';
  if (!weak && match.score >= policy.strongScore) return 'strong';
  if (
    weak &&
    policy.weakAliases === 'review' &&
    match.score >= policy.strongScore * WEAK_ALIAS_FACTOR - 1e-9 &&
    distinctiveAlias(match.matchedName.name, match.entryType)
  ) {
    return 'review';
  }
  return undefined;
}
