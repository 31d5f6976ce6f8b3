// Compares a screened name with a listed name: words are aligned regardless of order, each pair scored exact,
// transliteration variant, typo, vowel-only difference or run-together, and words weighted by how rare they are
// on the list, so a shared common word ("international", "trading") counts for little and a shared distinctive
// one for a lot. The score favours covering the listed name: extra words in the screened name cost less than
// missing words of the listed one.
import { editDistance } from './similarity.js';
import { foldForScreening, type NameToken, type PreparedName } from './tokens.js';

/**
 * How much a word counts, by its transliteration key (rarer on the list = heavier). `word` weighs listed words and
 * matched screened words; `extra` weighs screened words left unmatched, undamped, so that an everyday word the
 * listed name lacks still counts against the match.
 */
export type WordWeights = { word(key: string): number; extra(key: string): number };

/** How two words (or a word and two run-together words) were found to correspond. */
export type PairKind = 'exact' | 'variant' | 'typo' | 'vowels' | 'joined';

/** Words of the screened name aligned with words of the listed name. */
export type TokenPair = { query: number[]; candidate: number[]; similarity: number; kind: PairKind };

/** The outcome of comparing two names. */
export type NameComparison = {
  /** 0..1: recall-weighted F-score of the weighted word alignment. */
  score: number;
  /** Share of the screened name's weight that is matched. */
  precision: number;
  /** Share of the listed name's weight that is matched. */
  recall: number;
  pairs: TokenPair[];
  orderDiffers: boolean;
};

// Recall (covering the listed name) counts twice as much as precision (explaining every screened word).
const BETA_SQUARED = 4;

/** The recall-weighted F-score of a precision and a recall, 0..1. */
export function fScore(precision: number, recall: number): number {
  const denominator = BETA_SQUARED * precision + recall;
  return denominator > 0 ? ((1 + BETA_SQUARED) * precision * recall) / denominator : 0;
}

/** Edits tolerated in a word of this many characters: none in short words, where one edit makes another word. */
export function allowedEdits(length: number): number {
  return length <= 4 ? 0 : length <= 8 ? 1 : 2;
}

/** How similar two words are (0 = unrelated) and why. */
export function tokenSimilarity(a: NameToken, b: NameToken): { similarity: number; kind: PairKind } | undefined {
  if (a.text === b.text) return { similarity: 1, kind: 'exact' };
  // Words of up to three letters are mostly initials or acronyms: "AWA" and "AVA" are different parties.
  if (a.key === b.key && a.text.length > 3 && b.text.length > 3) return { similarity: 0.97, kind: 'variant' };
  const shorter = Math.min(a.key.length, b.key.length);
  const allowed = allowedEdits(shorter);
  // A differing first letter is rarer in real typos than a later one, and in a short word makes another name.
  const firstDiffers = a.key.charCodeAt(0) !== b.key.charCodeAt(0);
  if (allowed > 0 && !(firstDiffers && shorter <= 6)) {
    // Keys can magnify a typo ("soution" keys to "sution"), so the written words get their own chance.
    const edits = Math.min(editDistance(a.key, b.key, allowed), editDistance(a.text, b.text, allowed));
    // An edit weighs more in a short word: one edit in five letters is a fifth of it.
    if (edits <= allowed) return { similarity: 1 - (1.2 * edits) / shorter - (firstDiffers ? 0.04 : 0), kind: 'typo' };
  }
  if (shorter >= 5 && a.skeleton === b.skeleton && vowelsOnlyDiffer(a.key, b.key))
    return { similarity: 0.85, kind: 'vowels' };
  return undefined;
}

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

// Same length, and wherever the letters differ both are vowels ("mohamed"/"muhamad", not "gradian"/"gardenia").
function vowelsOnlyDiffer(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i] && !(VOWELS.has(a[i]!) && VOWELS.has(b[i]!))) return false;
  }
  return true;
}

// Two words may be read as one run together only if each is a real word, not an initial ("North Bridge").
function joinable(x: NameToken, y: NameToken): boolean {
  return x.text.length >= 2 && y.text.length >= 2 && x.key.length + y.key.length >= 6;
}

type Option = TokenPair & { weight: number };

/** Aligns the words of two prepared names and scores the alignment with the given word weights. */
export function compareNames(query: PreparedName, candidate: PreparedName, weights: WordWeights): NameComparison {
  const q = query.tokens;
  const c = candidate.tokens;
  const wq = q.map((t) => weights.word(t.key));
  const wc = c.map((t) => weights.word(t.key));
  const options: Option[] = [];
  for (let i = 0; i < q.length; i++) {
    for (let j = 0; j < c.length; j++) {
      const s = tokenSimilarity(q[i]!, c[j]!);
      if (s)
        options.push({ query: [i], candidate: [j], similarity: s.similarity, kind: s.kind, weight: wq[i]! + wc[j]! });
    }
  }
  // Words written together on one side and apart on the other ("North Bridge" / "NORTHBRIDGE").
  for (let i = 0; i + 1 < q.length; i++) {
    if (!joinable(q[i]!, q[i + 1]!)) continue;
    const joined = q[i]!.key + q[i + 1]!.key;
    for (let j = 0; j < c.length; j++) {
      if (c[j]!.key === joined) {
        options.push({
          query: [i, i + 1],
          candidate: [j],
          similarity: 0.97,
          kind: 'joined',
          weight: wq[i]! + wq[i + 1]! + wc[j]!,
        });
      }
    }
  }
  for (let j = 0; j + 1 < c.length; j++) {
    if (!joinable(c[j]!, c[j + 1]!)) continue;
    const joined = c[j]!.key + c[j + 1]!.key;
    for (let i = 0; i < q.length; i++) {
      if (q[i]!.key === joined) {
        options.push({
          query: [i],
          candidate: [j, j + 1],
          similarity: 0.97,
          kind: 'joined',
          weight: wq[i]! + wc[j]! + wc[j + 1]!,
        });
      }
    }
  }
  options.sort((x, y) => y.similarity - x.similarity || y.weight - x.weight);
  const usedQ = new Uint8Array(q.length);
  const usedC = new Uint8Array(c.length);
  const pairs: TokenPair[] = [];
  let matchedQ = 0;
  let matchedC = 0;
  for (const o of options) {
    if (o.query.some((i) => usedQ[i]) || o.candidate.some((j) => usedC[j])) continue;
    for (const i of o.query) usedQ[i] = 1;
    for (const j of o.candidate) usedC[j] = 1;
    pairs.push({ query: o.query, candidate: o.candidate, similarity: o.similarity, kind: o.kind });
    matchedQ += o.similarity * o.query.reduce((s, i) => s + wq[i]!, 0);
    matchedC += o.similarity * o.candidate.reduce((s, j) => s + wc[j]!, 0);
  }
  let totalQ = 0;
  for (let i = 0; i < q.length; i++) totalQ += usedQ[i] ? wq[i]! : weights.extra(q[i]!.key);
  const totalC = wc.reduce((s, w) => s + w, 0);
  const precision = totalQ > 0 ? matchedQ / totalQ : 0;
  const recall = totalC > 0 ? matchedC / totalC : 0;
  const score = fScore(precision, recall);
  pairs.sort((x, y) => x.query[0]! - y.query[0]!);
  let orderDiffers = false;
  for (let k = 1; k < pairs.length; k++) {
    if (pairs[k]!.candidate[0]! < pairs[k - 1]!.candidate[0]!) orderDiffers = true;
  }
  return { score, precision, recall, pairs, orderDiffers };
}

/** The word of `original` whose folded form is `text`, as written ("Aerocarribean" for "aerocarribean"). */
export function displayWord(original: string, text: string): string {
  for (const w of original.split(/[\s\-–—/,;:()]+/)) {
    if (w !== '' && foldForScreening(w) === text) return w.replace(/^['"‘“]+|['"’”.]+$/g, '');
  }
  return text;
}

/**
 * Plain-language reasons for a comparison, most telling first: what matched after which removals, each
 * spelling difference, word order, and words left over on either side.
 */
export function explainComparison(
  query: PreparedName,
  candidate: PreparedName,
  result: NameComparison,
  weights: WordWeights,
): string[] {
  const reasons: string[] = [];
  const qWord = (i: number) => displayWord(query.original, query.tokens[i]!.text);
  const cWord = (j: number) => displayWord(candidate.original, candidate.tokens[j]!.text);
  const quote = (words: string[]) => words.map((w) => `'${w}'`).join(', ');
  const matchedQ = new Set(result.pairs.flatMap((p) => p.query));
  const matchedC = new Set(result.pairs.flatMap((p) => p.candidate));
  const allQ = matchedQ.size === query.tokens.length;
  const allC = matchedC.size === candidate.tokens.length;
  // Each legal form once, however many names it was removed from ("S.A." from both).
  const forms = new Map<string, string>();
  for (const f of [...query.legalForms, ...candidate.legalForms])
    if (!forms.has(foldForScreening(f))) forms.set(foldForScreening(f), `'${f}'`);
  const removed = [...forms.values()];
  const removedText =
    removed.length === 0
      ? ''
      : ` after removing legal ${removed.length === 1 ? 'suffix' : 'forms'} ${removed.join(' and ')}`;
  if (query.folded === candidate.folded) {
    reasons.push(
      query.original === candidate.original ? 'identical name' : 'same name apart from case, accents and punctuation',
    );
  } else if (allQ && allC) {
    reasons.push(`all words match${removedText}`);
  } else if (allC) {
    reasons.push(`every word of the listed name appears in the screened name${removedText}`);
  } else {
    const words = [...matchedC].sort((a, b) => a - b).map(cWord);
    reasons.push(
      `${matchedC.size} of ${candidate.tokens.length} words of the listed name match${words.length ? ` (${quote(words)})` : ''}`,
    );
  }
  for (const p of result.pairs) {
    if (p.kind === 'exact') continue;
    const qs = p.query.map(qWord).join(' ');
    const cs = p.candidate.map(cWord).join(' ');
    if (p.kind === 'joined') {
      reasons.push(
        p.query.length > 1 ? `'${qs}' is listed as one word '${cs}'` : `'${qs}' is listed as two words '${cs}'`,
      );
    } else if (p.kind === 'variant') {
      const edits = editDistance(query.tokens[p.query[0]!]!.text, candidate.tokens[p.candidate[0]!]!.text);
      reasons.push(
        `'${qs}' is a spelling variant of '${cs}' (${plural(edits, 'character edit')}; same transliteration)`,
      );
    } else if (p.kind === 'typo') {
      const edits = editDistance(query.tokens[p.query[0]!]!.text, candidate.tokens[p.candidate[0]!]!.text);
      reasons.push(`${plural(edits, 'character edit')} in '${qs}' (listed: '${cs}')`);
    } else {
      reasons.push(`'${qs}' and '${cs}' differ only in vowels`);
    }
  }
  if (result.orderDiffers) reasons.push('word order differs');
  const missingC = candidate.tokens.map((_, j) => j).filter((j) => !matchedC.has(j));
  const extraQ = query.tokens.map((_, i) => i).filter((i) => !matchedQ.has(i));
  if (missingC.length > 0 && !allC && reasons.length > 0) {
    reasons.push(`listed name also has ${quote(missingC.map(cWord))}`);
  }
  if (extraQ.length > 0) reasons.push(`screened name also has ${quote(extraQ.map(qWord))}, not in the listed name`);
  // Say so when only common words carry the match and the distinctive word of the listed name is missing.
  if (missingC.length > 0 && matchedC.size > 0) {
    const heaviestMissing = Math.max(...missingC.map((j) => weights.word(candidate.tokens[j]!.key)));
    const heaviestMatched = Math.max(...[...matchedC].map((j) => weights.word(candidate.tokens[j]!.key)));
    if (heaviestMatched < heaviestMissing / 2) {
      reasons.push(
        `only common words match; the distinctive ${quote(missingC.map(cWord))} do${missingC.length === 1 ? 'es' : ''} not`,
      );
    }
  }
  return reasons;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
