// An in-memory index of every name on the screened lists: word key → names, plus trigram and consonant-skeleton
// lookups so a misspelt word still finds its names. Word weights come from the list itself (inverse document
// frequency over its names), damped further for everyday business words the list happens to use rarely.
import {
  allowedEdits,
  compareNames,
  explainComparison,
  fScore,
  type NameComparison,
  type WordWeights,
} from './match.js';
import { editDistance } from './similarity.js';
import { type PreparedName, prepareName, skeleton } from './tokens.js';

/** One name of a listed party, as loaded from the lists. */
export type ListedName = {
  /** The listed party this name belongs to (the caller's id for it, e.g. the entry's row id). */
  entry: number;
  name: string;
  kind: 'primary' | 'aka' | 'fka' | 'nka';
  strength: 'strong' | 'weak';
};

/** A listed party whose name scored at or above the requested minimum. */
export type IndexHit = {
  entry: number;
  name: ListedName;
  score: number;
  comparison: NameComparison;
  /** Why it matched, in plain language. */
  reasons: string[];
};

/** Search options: how many hits, the lowest score kept, and which entries may be returned. */
export type IndexSearch = { limit: number; minScore: number; accept?: (entry: number) => boolean };

/** A built index over the names of one set of list versions. */
export type ScreeningIndex = {
  size: number;
  weights: WordWeights;
  search(name: string, options: IndexSearch): IndexHit[];
};

// A match on a weak a.k.a. counts for less: OFAC's own guidance is that weak aliases alone are poor identifiers.
export const WEAK_ALIAS_FACTOR = 0.9;

// Everyday business words: rare on a sanctions list but common among ordinary suppliers, so they never decide a
// match on their own.
const GENERIC_WORDS = (
  'international trading trade traders company companies bank banking group general holding holdings ' +
  'industries industry industrial services service enterprise enterprises investment investments ' +
  'development import export commercial global national shipping management consulting consultants ' +
  'solutions systems technology technologies engineering construction logistics transport supplies ' +
  'supply products partners associates uk london british office network media design marketing finance ' +
  'financial capital resources energy oil gas petroleum air airlines airways marine maritime ' +
  'electronics equipment machinery manufacturing foundation association society trust centre center ' +
  'institute university school council agency house new world first united central east west north ' +
  'south middle star royal universal euro asia africa america american europe european one best city ' +
  'home care health medical food foods chemical chemicals metal metals steel power tech software ' +
  'security insurance exchange money travel tours hotel hotels property properties real estate agro ' +
  'establishment organization organisation corporation co'
).split(' ');
const GENERIC_FACTOR = 0.4;
// Query words whose neighbours are remembered per index; past this the memory is cleared rather than grown.
const NEIGHBOUR_MEMO_LIMIT = 50_000;

/** Builds the index; weights are computed over these names. */
export function buildScreeningIndex(names: readonly ListedName[]): ScreeningIndex {
  const prepared: PreparedName[] = names.map((n) => prepareName(n.name));
  const postings = new Map<string, number[]>();
  const joinedPostings = new Map<string, number[]>();
  const push = (map: Map<string, number[]>, key: string, id: number) => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [id]);
    else if (list[list.length - 1] !== id) list.push(id);
  };
  for (let id = 0; id < prepared.length; id++) {
    const tokens = prepared[id]!.tokens;
    for (const t of tokens) push(postings, t.key, id);
    for (let k = 0; k + 1 < tokens.length; k++) push(joinedPostings, tokens[k]!.key + tokens[k + 1]!.key, id);
  }
  const vocabulary = [...postings.keys()];
  const trigrams = new Map<string, number[]>();
  const skeletons = new Map<string, number[]>();
  for (let v = 0; v < vocabulary.length; v++) {
    const key = vocabulary[v]!;
    if (key.length < 5) continue;
    for (const g of new Set(trigramsOf(key))) push(trigrams, g, v);
    push(skeletons, skeleton(key), v);
  }
  const generic = new Set(GENERIC_WORDS.map((w) => prepareName(w).tokens[0]?.key ?? w));
  const total = Math.max(1, prepared.length);
  const idf = (key: string) => Math.log(1 + total / ((postings.get(key)?.length ?? 0) + 1));
  const damped = new Map<string, number>();
  const weights: WordWeights = {
    word(key) {
      let w = damped.get(key);
      if (w === undefined) {
        w = idf(key) * (generic.has(key) ? GENERIC_FACTOR : 1);
        if (postings.has(key)) damped.set(key, w);
      }
      return w;
    },
    extra: idf,
  };
  const weight = weights.word;

  // Words of the vocabulary within the allowed edits of `key`, or sharing its consonant skeleton. The same words
  // recur across screened names ("services", "london"), so each key's neighbours are remembered.
  const gramCounts = new Int32Array(vocabulary.length);
  const neighbourMemo = new Map<string, string[]>();
  const neighbours = (key: string): string[] => {
    if (key.length < 5) return [];
    const known = neighbourMemo.get(key);
    if (known) return known;
    const allowed = allowedEdits(key.length);
    const grams = [...new Set(trigramsOf(key))];
    // An edit changes at most three trigrams, a swap of neighbours four; keys may differ by one edit more.
    const need = Math.max(2, grams.length - 4 * allowed - 2);
    const seen: number[] = [];
    for (const g of grams) {
      for (const v of trigrams.get(g) ?? []) {
        if (gramCounts[v] === 0) seen.push(v);
        gramCounts[v] = gramCounts[v]! + 1;
      }
    }
    const out = new Set<string>();
    for (const v of seen) {
      const n = gramCounts[v]!;
      gramCounts[v] = 0;
      if (n < need) continue;
      const other = vocabulary[v]!;
      if (other === key) continue;
      // One edit more than a word may have: a typo can cost more in keys than in the written words.
      const edits = allowedEdits(Math.min(other.length, key.length)) + 1;
      if (edits > 1 && editDistance(key, other, edits) <= edits) out.add(other);
    }
    for (const v of skeletons.get(skeleton(key)) ?? []) out.add(vocabulary[v]!);
    out.delete(key);
    const found = [...out];
    if (neighbourMemo.size >= NEIGHBOUR_MEMO_LIMIT) neighbourMemo.clear();
    neighbourMemo.set(key, found);
    return found;
  };

  // Total word weight of each name, and scratch space for one search at a time (search is synchronous).
  const nameWeight = Float64Array.from(prepared, (p) => p.tokens.reduce((sum, t) => sum + weight(t.key), 0));
  const hitQuery = new Float64Array(prepared.length);
  const hitListed = new Float64Array(prepared.length);
  const hitExtra = new Float64Array(prepared.length);
  const stamp = new Int32Array(prepared.length);
  let generation = 0;

  return {
    size: prepared.length,
    weights,
    search(name, { limit, minScore, accept }) {
      const query = prepareName(name);
      if (query.tokens.length === 0) return [];
      const keys = query.tokens.map((t) => t.key);
      const queryWeights = keys.map(weight);
      const queryExtra = keys.map(weights.extra);
      const extraTotal = queryExtra.reduce((sum, w) => sum + w, 0);
      const touched: number[] = [];
      // Each query word adds, to every name it can reach, its weight (bounding precision) and the weight of the
      // listed word it reaches (bounding recall); names whose bounds cannot reach minScore are never compared.
      const reach = (ids: readonly number[] | undefined, queryW: number, extraW: number, listedW: number) => {
        if (!ids) return;
        for (const id of ids) {
          if (stamp[id] === generation) continue;
          stamp[id] = generation;
          if (hitQuery[id] === 0 && hitListed[id] === 0) touched.push(id);
          hitQuery[id] = hitQuery[id]! + queryW;
          hitExtra[id] = hitExtra[id]! + extraW;
          hitListed[id] = hitListed[id]! + listedW;
        }
      };
      for (let i = 0; i < keys.length; i++) {
        generation++;
        const key = keys[i]!;
        const w = queryWeights[i]!;
        const x = queryExtra[i]!;
        reach(postings.get(key), w, x, weight(key));
        for (const other of neighbours(key)) reach(postings.get(other), w, x, weight(other));
        reach(joinedPostings.get(key), w, x, Number.POSITIVE_INFINITY);
        const next = keys[i + 1];
        if (next !== undefined) {
          const joined = key + next;
          generation++;
          reach(postings.get(joined), w + queryWeights[i + 1]!, x + queryExtra[i + 1]!, weight(joined));
        }
      }
      const best = new Map<number, { id: number; score: number; comparison: NameComparison }>();
      for (const id of touched) {
        const hit = hitQuery[id]!;
        const p = Math.min(1, hit / (hit + Math.max(0, extraTotal - hitExtra[id]!)));
        const r = Math.min(1, hitListed[id]! / nameWeight[id]!);
        hitQuery[id] = 0;
        hitListed[id] = 0;
        hitExtra[id] = 0;
        if (fScore(p, r) < minScore) continue;
        const listed = names[id]!;
        if (accept && !accept(listed.entry)) continue;
        const comparison = compareNames(query, prepared[id]!, weights);
        let score = comparison.score * (listed.strength === 'weak' ? WEAK_ALIAS_FACTOR : 1);
        // Among equal scores prefer the spelling whose word order agrees (individuals are listed both ways).
        if (comparison.orderDiffers) score -= 1e-6;
        if (score < minScore) continue;
        const prior = best.get(listed.entry);
        if (!prior || score > prior.score) best.set(listed.entry, { id, score, comparison });
      }
      return [...best.values()]
        .sort((a, b) => b.score - a.score || a.id - b.id)
        .slice(0, limit)
        .map(({ id, score, comparison }) => {
          const listed = names[id]!;
          const reasons = explainComparison(query, prepared[id]!, comparison, weights);
          if (listed.strength === 'weak') {
            reasons.push(
              `matched a weak ${listed.kind === 'aka' ? 'a.k.a.' : listed.kind}, which the list marks as a less reliable identifier`,
            );
          }
          return { entry: listed.entry, name: listed, score: Math.max(0, Math.min(1, score)), comparison, reasons };
        });
    },
  };
}

function trigramsOf(key: string): string[] {
  const padded = `^${key}$`;
  const out: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  return out;
}
