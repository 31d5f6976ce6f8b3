// Candidate duplicate supplier records: pairs that share a tax id, an email address or company email domain, an
// alias, or a name that is the same after normalisation (spacing, legal form, transliteration, word order) or
// nearly so. Each piece of evidence has a strength; the pair's score combines them as independent clues
// (1 - Π(1 - strength)), and conflicting facts (different tax ids or countries) scale it down.
import { compareNames, type WordWeights } from './match.js';
import { type PreparedName, prepareName } from './tokens.js';

/** What duplicate detection knows about a supplier record. */
export type DuplicateCandidate = {
  id: string;
  name: string;
  normalizedName: string;
  taxId: string | null;
  email: string | null;
  country: string | null;
  /** Normalised aliases (the supplier's own normalised name may be among them). */
  aliases: string[];
};

export type EvidenceKind = 'tax_id' | 'email' | 'email_domain' | 'name' | 'alias' | 'conflict';
export type Evidence = { kind: EvidenceKind; detail: string };
export type DuplicatePair = { a: string; b: string; score: number; evidence: Evidence[] };

const STRENGTH = { taxId: 0.7, email: 0.5, emailDomain: 0.35, alias: 0.5, name: 0.6 } as const;
const DIFFERENT_TAX_ID = 0.5;
const DIFFERENT_COUNTRY = 0.7;
// Names at least this similar count as evidence; below it they are just alike.
const NAME_SIMILARITY = 0.85;
// A token shared by more records than this is too common to pair records on; a domain likewise.
const MAX_BLOCK = 25;
const FREE_MAIL = new Set(
  (
    'gmail.com googlemail.com hotmail.com hotmail.co.uk outlook.com live.com live.co.uk yahoo.com ' +
    'yahoo.co.uk icloud.com me.com aol.com btinternet.com protonmail.com proton.me gmx.com gmx.de web.de ' +
    'mail.ru yandex.ru qq.com 163.com'
  ).split(' '),
);

/** Tax ids compared without spaces, dots, dashes or case. */
export function normalizeTaxId(taxId: string | null): string | undefined {
  const t = taxId?.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return t && t.length >= 5 ? t : undefined;
}

function emailParts(email: string | null): { address: string; domain: string } | undefined {
  const e = email?.trim().toLowerCase();
  const at = e ? e.lastIndexOf('@') : -1;
  if (!e || at <= 0 || at === e.length - 1) return undefined;
  return { address: e, domain: e.slice(at + 1) };
}

/**
 * Scores every pair of records that shares some evidence and returns those at or above `minScore`, best first.
 * With `focus`, only pairs involving that record id.
 */
export function findDuplicatePairs(
  records: readonly DuplicateCandidate[],
  options: { minScore: number; focus?: string },
): DuplicatePair[] {
  const n = records.length;
  const prepared: PreparedName[] = records.map((r) => prepareName(r.name));
  const compact = prepared.map((p) => p.tokens.map((t) => t.key).join(''));
  // A pair (i < j) is stored as the number i * n + j.
  const pairs = new Set<number>();
  const consider = (i: number, j: number) => {
    if (i !== j) pairs.add(i < j ? i * n + j : j * n + i);
  };
  const block = (keyOf: (i: number) => readonly string[], cap: number) => {
    const groups = new Map<string, number[]>();
    for (let i = 0; i < n; i++) {
      for (const k of new Set(keyOf(i))) {
        const g = groups.get(k);
        if (g) g.push(i);
        else groups.set(k, [i]);
      }
    }
    for (const g of groups.values()) {
      if (g.length < 2 || g.length > cap) continue;
      for (let x = 0; x < g.length; x++) for (let y = x + 1; y < g.length; y++) consider(g[x]!, g[y]!);
    }
    return groups;
  };
  const taxIds = records.map((r) => normalizeTaxId(r.taxId));
  const emails = records.map((r) => emailParts(r.email));
  // Exact identifiers pair records however many share them; names and domains only in small groups.
  block((i) => (taxIds[i] ? [taxIds[i]!] : []), Number.POSITIVE_INFINITY);
  block((i) => (emails[i] ? [emails[i]!.address] : []), Number.POSITIVE_INFINITY);
  const domains = block((i) => (emails[i] && !FREE_MAIL.has(emails[i]!.domain) ? [emails[i]!.domain] : []), MAX_BLOCK);
  block((i) => (compact[i] ? [compact[i]!] : []), Number.POSITIVE_INFINITY);
  block((i) => records[i]!.aliases, MAX_BLOCK);
  block((i) => prepared[i]!.tokens.map((t) => t.key).filter((k) => k.length >= 4), MAX_BLOCK);
  block((i) => (compact[i] && compact[i]!.length >= 6 ? [compact[i]!.slice(0, 5)] : []), MAX_BLOCK);

  // Word weights over the supplier names themselves: a word many suppliers share ("services") counts little.
  const df = new Map<string, number>();
  for (const p of prepared) for (const k of new Set(p.tokens.map((t) => t.key))) df.set(k, (df.get(k) ?? 0) + 1);
  const idf = (k: string) => Math.log(1 + n / ((df.get(k) ?? 0) + 1));
  const weights: WordWeights = { word: idf, extra: idf };

  const out: DuplicatePair[] = [];
  for (const key of pairs) {
    const i = Math.floor(key / n);
    const j = key % n;
    const a = records[i]!;
    const b = records[j]!;
    if (options.focus && a.id !== options.focus && b.id !== options.focus) continue;
    const evidence: Evidence[] = [];
    const strengths: number[] = [];
    if (taxIds[i] && taxIds[i] === taxIds[j]) {
      evidence.push({ kind: 'tax_id', detail: `same tax id ${a.taxId}` });
      strengths.push(STRENGTH.taxId);
    }
    const ea = emails[i];
    const eb = emails[j];
    if (ea && eb && ea.address === eb.address) {
      evidence.push({ kind: 'email', detail: `same email address ${ea.address}` });
      strengths.push(STRENGTH.email);
    } else if (
      ea &&
      eb &&
      ea.domain === eb.domain &&
      !FREE_MAIL.has(ea.domain) &&
      (domains.get(ea.domain)?.length ?? 0) <= MAX_BLOCK
    ) {
      evidence.push({ kind: 'email_domain', detail: `same email domain ${ea.domain}` });
      strengths.push(STRENGTH.emailDomain);
    }
    // Their own normalised names are name evidence, not alias evidence.
    const own = new Set([a.normalizedName, b.normalizedName]);
    const shared = a.aliases.filter((x) => !own.has(x) && b.aliases.includes(x));
    if (shared.length > 0) {
      evidence.push({
        kind: 'alias',
        detail: `share the spelling${shared.length === 1 ? '' : 's'} ${shared.map((s) => `"${s}"`).join(', ')}`,
      });
      strengths.push(STRENGTH.alias);
    }
    const name = nameEvidence(prepared[i]!, prepared[j]!, compact[i]!, compact[j]!, weights);
    if (name) {
      evidence.push({ kind: 'name', detail: name.detail });
      strengths.push(STRENGTH.name * name.similarity);
    }
    if (strengths.length === 0) continue;
    let score = 1 - strengths.reduce((p, s) => p * (1 - s), 1);
    if (taxIds[i] && taxIds[j] && taxIds[i] !== taxIds[j]) {
      evidence.push({ kind: 'conflict', detail: `different tax ids (${a.taxId} vs ${b.taxId})` });
      score *= DIFFERENT_TAX_ID;
    }
    if (a.country && b.country && a.country.toUpperCase() !== b.country.toUpperCase()) {
      evidence.push({ kind: 'conflict', detail: `different countries (${a.country} vs ${b.country})` });
      score *= DIFFERENT_COUNTRY;
    }
    score = Math.round(score * 1000) / 1000;
    if (score >= options.minScore) out.push({ a: a.id, b: b.id, score, evidence });
  }
  return out.sort((x, y) => y.score - x.score || x.a.localeCompare(y.a) || x.b.localeCompare(y.b));
}

function nameEvidence(
  a: PreparedName,
  b: PreparedName,
  compactA: string,
  compactB: string,
  weights: WordWeights,
): { similarity: number; detail: string } | undefined {
  if (compactA === '' || compactB === '') return undefined;
  if (a.folded === b.folded) return { similarity: 1, detail: 'identical names' };
  if (compactA === compactB) {
    return { similarity: 1, detail: 'same name apart from spacing, punctuation, legal form or spelling variants' };
  }
  const c = compareNames(a, b, weights);
  if (c.score < NAME_SIMILARITY) return undefined;
  if (c.score >= 0.995 && c.orderDiffers) return { similarity: c.score, detail: 'same words in a different order' };
  return { similarity: c.score, detail: `names ${Math.round(c.score * 100)}% similar after normalisation` };
}
