// Lexical UNSPSC classification of a free-text line description against the imported category tree. Deliberately
// simple and explainable: words are tokenised and lightly stemmed, weighted by how rare they are among category
// titles (IDF), and a commodity or class scores by the share of the description's weight its own title covers,
// plus a smaller share for words found only in its class, family or segment title. No semantics, no training.
import type { Database } from '../client.js';

type Level = 'segment' | 'family' | 'class' | 'commodity' | 'custom';

type Category = { code: string; level: Level; title: string; parent: string | null; tokens: Set<string> };

type CategoryIndex = { byCode: Map<string, Category>; idf: Map<string, number>; signature: string; documents: number };

export type MatchedTerm = { term: string; weight: number; level: Level };

export type Classification = {
  code: string;
  title: string;
  level: Level;
  score: number;
  path: { code: string; title: string; level: Level }[];
  matched: MatchedTerm[];
};

export type ClassifyResult = { terms: string[]; unknownTerms: string[]; matches: Classification[]; categories: number };

// Words that carry no category meaning in descriptions or in UNSPSC titles ("Paper products and supplies").
const STOPWORDS = new Set(
  'a an and or of the for with without to in on at by from per its their this that is are be as into other others misc miscellaneous various general item items each pack set x'.split(
    ' ',
  ),
);

// Lower-cases, splits on anything but letters and digits, drops stopwords, and stems each word lightly.
function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !STOPWORDS.has(w) && !/^\d+$/.test(w))
    .map(stem);
}

// Light English stemming: plurals and a few verb endings only ("batteries" → "battery", "printing" → "print").
function stem(w: string): string {
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (/(ss|us|is)$/.test(w)) return w;
  if (/(ches|shes|sses|xes)$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s')) return w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5) return w.slice(0, -3);
  return w;
}

// One index per database, rebuilt when the category table changes (its size or largest code moves).
const cache = new WeakMap<Database, CategoryIndex>();

async function categoryIndex(database: Database): Promise<CategoryIndex> {
  const [sig] = await database.query<{ n: number; top: string | null }>(
    'select count(*)::int as n, max(code) as top from categories',
  );
  const signature = `${Number(sig?.n ?? 0)}|${sig?.top ?? ''}`;
  const cached = cache.get(database);
  if (cached && cached.signature === signature) return cached;
  const rows = await database.query<{ code: string; level: Level; title: string; parent_code: string | null }>(
    'select code, level, title, parent_code from categories',
  );
  const byCode = new Map<string, Category>();
  const df = new Map<string, number>();
  for (const r of rows) {
    const tokens = new Set(tokenize(r.title));
    byCode.set(r.code, { code: r.code, level: r.level, title: r.title, parent: r.parent_code, tokens });
    for (const t of tokens) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const idf = new Map<string, number>();
  for (const [t, n] of df) idf.set(t, Math.log(1 + rows.length / n));
  const index = { byCode, idf, signature, documents: rows.length };
  cache.set(database, index);
  return index;
}

function ancestors(index: CategoryIndex, c: Category): Category[] {
  const out: Category[] = [];
  let parent = c.parent ? index.byCode.get(c.parent) : undefined;
  for (let guard = 0; parent && guard < 6; guard++) {
    out.push(parent);
    parent = parent.parent ? index.byCode.get(parent.parent) : undefined;
  }
  return out;
}

// A shared beginning of 5+ letters ("comput" / "computer") is a partial match.
function prefixRelated(term: string, token: string): boolean {
  return term.length >= 5 && token.length >= 5 && (token.startsWith(term) || term.startsWith(token));
}

// How much of a term a title carries: the exact stem fully, a related prefix in part.
function termIn(term: string, tokens: Set<string>): number {
  if (tokens.has(term)) return 1;
  for (const t of tokens) if (prefixRelated(term, t)) return 0.6;
  return 0;
}

// A term's weight: its IDF, or for a term known only by prefix, that of the commonest related title word.
function termWeight(index: CategoryIndex, term: string): number | undefined {
  const exact = index.idf.get(term);
  if (exact !== undefined) return exact;
  let best: number | undefined;
  for (const [token, w] of index.idf) if (prefixRelated(term, token) && (best === undefined || w < best)) best = w;
  return best;
}

const LEVEL_RANK: Record<Level, number> = { commodity: 0, custom: 1, class: 2, family: 3, segment: 4 };

// An ancestor's title counts for less the further up it is: the class says more about a commodity than the segment.
const ANCESTOR_WEIGHT: Record<Level, number> = { custom: 0.5, commodity: 0.5, class: 0.5, family: 0.3, segment: 0.15 };

/** Ranks commodities and classes by how well their titles (and their ancestors' titles) cover `text`. */
export async function classifyDescription(database: Database, text: string, top: number): Promise<ClassifyResult> {
  const index = await categoryIndex(database);
  const terms = [...new Set(tokenize(text))];
  // Words no title contains carry no evidence either way; they are reported, not scored.
  const weights = new Map<string, number>();
  for (const t of terms) {
    const w = termWeight(index, t);
    if (w !== undefined) weights.set(t, w);
  }
  const known = terms.filter((t) => weights.has(t));
  const unknownTerms = terms.filter((t) => !weights.has(t));
  const weightOf = (t: string) => weights.get(t) ?? 0;
  const total = known.reduce((sum, t) => sum + weightOf(t), 0);
  if (total === 0) return { terms, unknownTerms, matches: [], categories: index.documents };

  const scored: Classification[] = [];
  for (const c of index.byCode.values()) {
    if (c.level !== 'commodity' && c.level !== 'class' && c.level !== 'custom') continue;
    const own = known.map((t) => termIn(t, c.tokens));
    if (own.every((x) => x === 0)) continue; // a category must match in its own title to be proposed
    const chain = ancestors(index, c);
    const matched: MatchedTerm[] = [];
    let covered = 0;
    known.forEach((t, i) => {
      const w = weightOf(t);
      if (own[i]! > 0) {
        covered += w * own[i]!;
        matched.push({ term: t, weight: Math.round(w * own[i]! * 100) / 100, level: c.level });
        return;
      }
      for (const a of chain) {
        const hit = termIn(t, a.tokens);
        if (hit > 0) {
          const part = w * hit * ANCESTOR_WEIGHT[a.level];
          covered += part;
          matched.push({ term: t, weight: Math.round(part * 100) / 100, level: a.level });
          return;
        }
      }
    });
    // Among equal coverage, a title that is mostly the words asked for beats a long one that merely mentions them.
    const ownHits = own.filter((x) => x > 0).length;
    const focus = c.tokens.size > 0 ? Math.min(1, ownHits / c.tokens.size) : 0;
    const score = (covered / total) * (0.85 + 0.15 * focus);
    scored.push({
      code: c.code,
      title: c.title,
      level: c.level,
      score: Math.round(score * 1000) / 1000,
      path: chain.reverse().map((a) => ({ code: a.code, title: a.title, level: a.level })),
      matched,
    });
  }
  scored.sort((a, b) => b.score - a.score || LEVEL_RANK[a.level] - LEVEL_RANK[b.level] || a.code.localeCompare(b.code));
  return { terms, unknownTerms, matches: scored.slice(0, top), categories: index.documents };
}
