// Candidates for a scope: by category code first, then by words when the code finds nobody (spend not yet
// classified), with the evidence each candidate is scored on.
import { type CandidateEvidence, candidateEvidence } from '../../src/db/queries/sourcing-candidates.js';
import type { McpDeps } from '../shared/deps.js';
import type { Scope } from './scope.js';

/** The candidates of `scope` (`limit` of them after the first `offset`) and the scope as finally searched. */
export async function candidatesFor(
  deps: McpDeps,
  scope: Scope,
  limit: number,
  offset = 0,
): Promise<{ scope: Scope; candidates: CandidateEvidence[] }> {
  const today = deps.now().toISOString().slice(0, 10);
  const byCode = (l: number, o: number) => candidateEvidence(deps.database, { categoryCode: scope.categoryCode, today, limit: l, offset: o });
  const found = await byCode(limit, offset);
  if (found.length > 0 || scope.words.length === 0) return { scope, candidates: found };
  // Paged past the end of the code's candidates: the words are searched only when the code finds nobody at all.
  if (offset > 0 && (await byCode(1, 0)).length > 0) return { scope, candidates: [] };
  const byWords = await candidateEvidence(deps.database, { words: scope.words, today, limit, offset });
  return { scope: { ...scope, basis: `${scope.basis}; nothing is recorded under that code, so spend mentioning ${scope.words.map((w) => `"${w}"`).join(' or ')} was searched` }, candidates: byWords };
}
