// Candidates for a scope: by category code first, then by words when the code finds nobody (spend not yet
// classified), with the evidence each candidate is scored on.
import { type CandidateEvidence, candidateEvidence } from '../../src/db/queries/sourcing-candidates.js';
import type { McpDeps } from '../shared/deps.js';
import type { Scope } from './scope.js';

/** The candidates of `scope` and the scope as finally searched. */
export async function candidatesFor(deps: McpDeps, scope: Scope, limit: number): Promise<{ scope: Scope; candidates: CandidateEvidence[] }> {
  const today = deps.now().toISOString().slice(0, 10);
  const found = await candidateEvidence(deps.database, { categoryCode: scope.categoryCode, today, limit });
  if (found.length > 0 || scope.words.length === 0) return { scope, candidates: found };
  const byWords = await candidateEvidence(deps.database, { words: scope.words, today, limit });
  return { scope: { ...scope, basis: `${scope.basis}; nothing is recorded under that code, so spend mentioning ${scope.words.map((w) => `"${w}"`).join(' or ')} was searched` }, candidates: byWords };
}
