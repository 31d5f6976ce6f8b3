// Screens a name against the latest imported version of every sanctions list. The name index is built once per
// set of list versions and kept per database; importing a newer version changes the set, so the next screening
// rebuilds it.
import type { Database } from '../db/client.js';
import {
  latestSanctionsLists,
  type SanctionsEntryDetail,
  type SanctionsListVersion,
  sanctionsEntriesByIds,
  sanctionsNamesOfLists,
} from '../db/queries/sanctions.js';
import { buildScreeningIndex, type IndexHit, type ScreeningIndex } from './name-index.js';
import { prepareName } from './tokens.js';

/** Scores at or above this are reported by default: tuned on real list names against ordinary supplier names. */
export const DEFAULT_THRESHOLD = 0.8;
/** Scores at or above this are strong matches (a weak alias alone never reaches it). */
export const STRONG_SCORE = 0.92;

export const ENTRY_TYPES = ['individual', 'entity', 'vessel', 'aircraft'] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

/** What to screen and how strictly. */
export type ScreenRequest = {
  name: string;
  /** ISO 3166 alpha-2 code or English name; a listed party mentioning it scores slightly higher. */
  country?: string;
  entityType?: EntryType;
  threshold?: number;
  limit?: number;
};

/** One listed party that matched. */
export type ScreeningMatch = {
  score: number;
  band: 'strong' | 'possible';
  list: { source: string; version: string };
  entryId: string;
  entryName: string;
  entryType: string;
  programs: string[];
  matchedName: { name: string; kind: string; strength: string };
  remarks: string | null;
  why: string[];
};

/** The outcome of screening one name. */
export type ScreeningOutcome = {
  verdict: 'strong_match' | 'possible_match' | 'no_match' | 'not_screened';
  /** The words compared, after folding and removing legal forms. */
  screenedAs: string;
  threshold: number;
  lists: SanctionsListVersion[];
  matches: ScreeningMatch[];
};

type Built = {
  index: ScreeningIndex;
  entryTypes: Map<number, string>;
  /** What the index found per (threshold, limit, name): pure for a given set of list versions. */
  memo: Map<string, IndexHit[]>;
};
type Cached = { signature: string; built: Promise<Built> };

const cache = new WeakMap<Database, Cached>();
const REMARKS_EXCERPT = 240;
// Names remembered per index; past this the memory is cleared rather than grown.
const MEMO_LIMIT = 200_000;
const COUNTRY_BONUS = 0.02;
const regions = new Intl.DisplayNames(['en'], { type: 'region' });

async function indexFor(database: Database, lists: SanctionsListVersion[]): Promise<Built> {
  const signature = lists.map((l) => l.id).join(',');
  const hit = cache.get(database);
  if (hit && hit.signature === signature) return hit.built;
  const built = (async () => {
    const rows = await sanctionsNamesOfLists(
      database,
      lists.map((l) => l.id),
    );
    const entryTypes = new Map<number, string>();
    for (const r of rows) entryTypes.set(r.entry, r.entryType);
    return { index: buildScreeningIndex(rows), entryTypes, memo: new Map<string, IndexHit[]>() };
  })();
  cache.set(database, { signature, built });
  // A failed build must not stick: the next screening tries again.
  built.catch(() => {
    if (cache.get(database)?.built === built) cache.delete(database);
  });
  return built;
}

/** Screens `request.name` against the latest version of each imported list; explains every match. */
export async function screenName(database: Database, request: ScreenRequest): Promise<ScreeningOutcome> {
  const threshold = request.threshold ?? DEFAULT_THRESHOLD;
  const limit = request.limit ?? 10;
  const screenedAs = screenedForm(request.name);
  const lists = await latestSanctionsLists(database);
  if (lists.length === 0 || screenedAs === '') {
    return { verdict: lists.length === 0 ? 'not_screened' : 'no_match', screenedAs, threshold, lists, matches: [] };
  }
  const { index, entryTypes } = await indexFor(database, lists);
  const country = request.country ? countryNames(request.country) : undefined;
  const type = request.entityType;
  const hits = index.search(request.name, {
    limit: country ? limit + 10 : limit,
    minScore: country ? threshold - COUNTRY_BONUS : threshold,
    accept: type ? (entry) => entryTypes.get(entry) === type : undefined,
  });
  const details = await sanctionsEntriesByIds(
    database,
    hits.map((h) => h.entry),
  );
  const matches = toMatches(hits, details, lists, threshold, country);
  matches.splice(limit);
  return { verdict: verdictOf(matches), screenedAs, threshold, lists, matches };
}

/** Options of a batch screening: the lowest score kept and the most matches per name. */
export type BatchScreening = { threshold?: number; limit?: number };

/** The outcome of screening many names: the lists screened and, per distinct name, its matches (best first). */
export type BatchOutcome = { lists: SanctionsListVersion[]; matches: Map<string, ScreeningMatch[]> };

/**
 * Screens many names against the latest version of each list: one index, one lookup of the matched entries.
 * What the index found for a name is remembered with the index, so screening the same names again (a monitor's
 * next run) costs only the lookup until a new list version is imported.
 */
export async function screenNames(
  database: Database,
  names: Iterable<string>,
  options: BatchScreening = {},
): Promise<BatchOutcome> {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const limit = options.limit ?? 10;
  const lists = await latestSanctionsLists(database);
  const out = new Map<string, ScreeningMatch[]>();
  if (lists.length === 0) return { lists, matches: out };
  const built = await indexFor(database, lists);
  const hitsByName = new Map<string, IndexHit[]>();
  const memoKey = `${threshold}:${limit}:`;
  for (const name of names) {
    if (hitsByName.has(name)) continue;
    const key = memoKey + name;
    let hits = built.memo.get(key);
    if (hits === undefined) {
      hits = screenedForm(name) === '' ? [] : built.index.search(name, { limit, minScore: threshold });
      if (built.memo.size >= MEMO_LIMIT) built.memo.clear();
      built.memo.set(key, hits);
    }
    hitsByName.set(name, hits);
  }
  const details = await sanctionsEntriesByIds(database, [
    ...new Set([...hitsByName.values()].flatMap((hits) => hits.map((h) => h.entry))),
  ]);
  for (const [name, hits] of hitsByName) out.set(name, toMatches(hits, details, lists, threshold));
  return { lists, matches: out };
}

/** The words a name is compared by, after folding and removing legal forms. */
function screenedForm(name: string): string {
  return prepareName(name)
    .tokens.map((t) => t.text)
    .join(' ');
}

function verdictOf(matches: readonly ScreeningMatch[]): ScreeningOutcome['verdict'] {
  return matches.some((m) => m.band === 'strong') ? 'strong_match' : matches.length > 0 ? 'possible_match' : 'no_match';
}

// Index hits as reported matches, best first: entry details, the list version, the country bonus if any.
function toMatches(
  hits: readonly IndexHit[],
  details: Map<number, SanctionsEntryDetail>,
  lists: readonly SanctionsListVersion[],
  threshold: number,
  country?: { label: string; words: string[] },
): ScreeningMatch[] {
  const byList = new Map(lists.map((l) => [l.id, l]));
  const matches: ScreeningMatch[] = [];
  for (const h of hits) {
    const entry = details.get(h.entry);
    const list = entry ? byList.get(entry.listId) : undefined;
    if (!entry || !list) continue;
    let score = h.score;
    const why = [...h.reasons];
    const mention = country ? countryMention(entry, country) : undefined;
    if (mention) {
      score = Math.min(1, score + COUNTRY_BONUS);
      why.push(mention);
    }
    if (score < threshold) continue;
    matches.push({
      score: Math.round(score * 1000) / 1000,
      band: score >= STRONG_SCORE ? 'strong' : 'possible',
      list: { source: list.source, version: list.version },
      entryId: entry.entryId,
      entryName: entry.name,
      entryType: entry.entryType,
      programs: entry.programs,
      matchedName: { name: h.name.name, kind: h.name.kind, strength: h.name.strength },
      remarks: excerpt(entry.remarks),
      why,
    });
  }
  return matches.sort((a, b) => b.score - a.score);
}

// The ways a country may be written in an entry: its English name and, for a code, the code itself in programs.
function countryNames(input: string): { label: string; words: string[]; code?: string } {
  const t = input.trim();
  if (/^[A-Za-z]{2}$/.test(t)) {
    const code = t.toUpperCase();
    let name: string | undefined;
    try {
      name = regions.of(code);
    } catch {
      name = undefined;
    }
    if (name && name !== code) return { label: `${name} (${code})`, words: [name.toLowerCase()], code };
    return { label: code, words: [], code };
  }
  return { label: t, words: [t.toLowerCase()] };
}

function countryMention(entry: SanctionsEntryDetail, country: { label: string; words: string[] }): string | undefined {
  const programs = entry.programs.map((p) => p.toLowerCase());
  for (const w of country.words) {
    if (programs.some((p) => p.includes(w))) return `country ${country.label} appears in the entry's programs`;
    const pattern = new RegExp(`\\b${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i');
    if (entry.remarks && pattern.test(entry.remarks)) return `country ${country.label} appears in the entry's remarks`;
  }
  return undefined;
}

function excerpt(remarks: string | null): string | null {
  if (!remarks) return null;
  return remarks.length <= REMARKS_EXCERPT ? remarks : `${remarks.slice(0, REMARKS_EXCERPT - 1).trimEnd()}…`;
}
