// Resolves what a person or a model calls a supplier ("Apex", "refinitiv", a uuid, a misspelling) to one supplier
// record, or says which suppliers come closest. Portable on purpose: no pg_trgm (PGlite may lack it), so SQL
// narrows to a bounded candidate set by shared trigrams and JS does the exact scoring.
import { foldName, normalizeSupplierName } from '../../domain/supplier-name.js';
import type { Database } from '../client.js';

export type SupplierCandidate = {
  id: string;
  name: string;
  /** 0..1: 1 is an exact (normalised) name or alias match. */
  score: number;
  /** The alias that matched best, when it was an alias rather than the supplier's own name. */
  matchedAlias?: string;
  /** Set when the text is a short name of a longer one: its first word ("IBM") or its initials ("HP"). */
  shortFor?: 'first word' | 'initials';
};

export type ResolvedSupplier = {
  id: string;
  name: string;
  status: string;
  country: string | null;
};

export type SupplierResolution =
  | {
      ok: true;
      supplier: ResolvedSupplier;
      matchedBy: 'id' | 'name' | 'alias' | 'fuzzy';
      matchedAlias?: string;
      score: number;
    }
  | { ok: false; message: string; candidates: SupplierCandidate[] };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Bounds the rows scored in JS whatever the size of the supplier master.
const CANDIDATE_POOL = 300;
// A fuzzy match is accepted without asking only when it is this close and clearly ahead of the next one.
const FUZZY_ACCEPT = 0.9;
const FUZZY_MARGIN = 0.1;
const MAX_REF_LENGTH = 200;

function trigrams(s: string): Set<string> {
  const padded = `  ${s} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return out;
}

function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return (2 * shared) / (a.size + b.size);
}

// Share of query tokens found in the candidate: a prefix counts (so "apex" finds "apex facilities management"),
// and so does a misspelt token, in proportion to how alike it is ("refintiv" for "refinitiv").
function tokenContainment(query: string[], candidate: string[]): number {
  if (query.length === 0) return 0;
  let hits = 0;
  for (const q of query) {
    if (candidate.includes(q)) hits += 1;
    else if (q.length >= 3 && candidate.some((c) => c.startsWith(q))) hits += 0.8;
    else if (q.length >= 4) {
      const grams = trigrams(q);
      const best = Math.max(0, ...candidate.map((c) => dice(grams, trigrams(c))));
      if (best >= 0.5) hits += 0.8 * best;
    }
  }
  return hits / query.length;
}

function diceOf(queryGrams: Set<string>, candidate: string): number {
  return dice(queryGrams, trigrams(candidate));
}

// Similarity in 0..1 between two normalised supplier names (1 when equal).
function supplierNameSimilarity(query: string, candidate: string): number {
  if (query === candidate) return 1;
  // Spacing differences ("north bridge" vs "northbridge") are not different companies.
  if (query.replace(/ /g, '') === candidate.replace(/ /g, '')) return 0.97;
  const d = dice(trigrams(query), trigrams(candidate));
  const t = tokenContainment(query.split(' '), candidate.split(' '));
  // Capped below 1 so only an exact match ever scores 1.
  return Math.min(0.95, 0.55 * d + 0.45 * t);
}

type PoolRow = { id: string; name: string; alias: string | null; norm: string; hits: number };
type PoolEntry = Omit<PoolRow, 'hits'>;

// Every supplier name and alias, normalised: the set a lookup scores against.
const POOL_SQL = `select s.id::text as id, s.name, null::text as alias, s.normalized_name as norm from suppliers s
  union all
  select a.supplier_id::text, s.name, a.name, a.normalized_name from supplier_aliases a join suppliers s on s.id = a.supplier_id`;
// Above this many names the pool stays in the database and SQL narrows it instead.
const MAX_CACHED_NAMES = 200_000;
const pools = new WeakMap<Database, { version: string; rows: PoolEntry[] | undefined }>();

/**
 * The name pool, kept in memory per database and reloaded when suppliers or aliases change (a cheap version
 * query: counts and latest timestamps). Lookups then cost microseconds instead of a scan of every name.
 */
async function cachedPool(database: Database): Promise<PoolEntry[] | undefined> {
  const [v] = await database.query<{ version: string; names: number }>(
    `select concat_ws(':', (select count(*) from suppliers), (select count(*) from supplier_aliases),
              (select max(updated_at) from suppliers), (select max(created_at) from supplier_aliases)) as version,
            ((select count(*) from suppliers) + (select count(*) from supplier_aliases))::int as names`,
  );
  const cached = pools.get(database);
  if (cached && cached.version === v!.version) return cached.rows;
  const rows = Number(v!.names) <= MAX_CACHED_NAMES ? await database.query<PoolEntry>(POOL_SQL) : undefined;
  pools.set(database, { version: v!.version, rows });
  return rows;
}

// The same ranking as the SQL path: exact normalised match first, then how many query trigrams a name contains.
function topByHits(pool: PoolEntry[], query: string, grams: string[]): PoolRow[] {
  const scored: PoolRow[] = [];
  for (const p of pool) {
    let hits = p.norm === query ? 1000 : 0;
    for (const g of grams) if (p.norm.includes(g)) hits++;
    if (hits > 0) scored.push({ ...p, hits });
  }
  scored.sort((a, b) => b.hits - a.hits || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return scored.slice(0, CANDIDATE_POOL);
}

// A short name (an acronym, or the first word of a longer legal name) scores just above the planner's acceptance
// line: taken when it names one supplier, a tie (and so a question) when it names several ("BT"). A name that
// starts with the very word asked ("HP Inc UK") is stronger evidence than one whose initials happen to spell it.
const SHORT_NAME_SCORE: Record<'first word' | 'initials', number> = { 'first word': 0.88, initials: 0.85 };
const SMALL_WORDS = new Set(['and', 'of', 'the', 'for']);

/** How `query` (one normalised word) is a short name of the normalised name `norm`, if it is. */
export function shortNameOf(query: string, norm: string): 'first word' | 'initials' | undefined {
  if (!/^[a-z0-9]{2,6}$/.test(query)) return undefined;
  const tokens = norm.split(' ').filter((t) => t !== '');
  if (tokens.length < 2) return undefined;
  if (tokens[0] === query) return 'first word';
  const initials = tokens.filter((t) => !SMALL_WORDS.has(t)).map((t) => t[0]).join('');
  return initials === query ? 'initials' : undefined;
}

// Pool entries the query is a short name of (the in-memory pool; the SQL path can only check the first word).
async function shortNameRows(database: Database, pool: PoolEntry[] | undefined, query: string): Promise<PoolRow[]> {
  if (!/^[a-z0-9]{2,6}$/.test(query)) return [];
  if (pool) return pool.filter((p) => shortNameOf(query, p.norm)).slice(0, CANDIDATE_POOL).map((p) => ({ ...p, hits: 1 }));
  return database.query<PoolRow>(
    `select * from (${POOL_SQL}) p where p.norm like $1 || ' %' order by p.name limit $2`,
    [query, CANDIDATE_POOL],
  ).then((rows) => rows.map((r) => ({ ...r, hits: 1 })));
}

// `whole`: the query is all there in this supplier's name or alias ("brightline" in "brightline consulting").
type ScoredCandidate = SupplierCandidate & { whole: boolean };

/** Ranked suppliers whose name or alias resembles `text`, best first (at most `limit`). */
export async function findSupplierCandidates(database: Database, text: string, limit = 5): Promise<SupplierCandidate[]> {
  return (await scoreCandidates(database, text, limit)).map(({ whole: _whole, ...c }) => c);
}

async function scoreCandidates(database: Database, text: string, limit: number): Promise<ScoredCandidate[]> {
  const query = normalizeSupplierName(text.slice(0, MAX_REF_LENGTH)) || foldName(text.slice(0, MAX_REF_LENGTH));
  if (!query) return [];
  const grams = [...trigrams(query)].map((g) => g.trim()).filter((g) => g.length >= 2);
  const pool = await cachedPool(database);
  const rows = pool
    ? topByHits(pool, query, grams)
    : await database.query<PoolRow>(
        `with q as (select unnest($2::text[]) as g),
         pool as (${POOL_SQL})
         select p.id, p.name, p.alias, p.norm,
                (case when p.norm = $1 then 1000 else 0 end
                 + (select count(*) from q where strpos(p.norm, q.g) > 0))::int as hits
           from pool p
          order by hits desc, p.name
          limit $3`,
        [query, grams, CANDIDATE_POOL],
      );
  for (const r of await shortNameRows(database, pool, query)) rows.push(r);
  const queryTokens = query.split(' ');
  const squeezed = query.replace(/ /g, '');
  const queryGrams = trigrams(query);
  const bySupplier = new Map<string, PoolRow[]>();
  for (const r of rows) {
    if (Number(r.hits) <= 0) continue;
    const list = bySupplier.get(r.id) ?? [];
    list.push(r);
    bySupplier.set(r.id, list);
  }
  const best = new Map<string, ScoredCandidate>();
  for (const [id, names] of bySupplier) {
    let top: { score: number; row: PoolRow } | undefined;
    let dice = 0;
    let whole = false;
    const allTokens = new Set<string>();
    for (const r of names) {
      const score = supplierNameSimilarity(query, r.norm);
      const viaAlias = r.alias !== null && r.alias !== r.name;
      // Prefer the supplier's own name on ties: an alias is shown only when it explains the match.
      if (!top || score > top.score || (score === top.score && !viaAlias)) top = { score, row: r };
      dice = Math.max(dice, diceOf(queryGrams, r.norm));
      const tokens = r.norm.split(' ');
      for (const t of tokens) allTokens.add(t);
      // Spacing is not identity: "northbridge" is in "north bridge office supplies" too, making it ambiguous.
      if (queryTokens.every((t) => tokens.includes(t)) || r.norm.replace(/ /g, '').includes(squeezed)) whole = true;
    }
    if (!top) continue;
    // Words spread over the name and the aliases ("Refinitiv Analytics": name + "LSEG Data & Analytics") count too.
    const spread = Math.min(0.95, 0.55 * dice + 0.45 * tokenContainment(queryTokens, [...allTokens]));
    const similar = Math.max(top.score, spread);
    const kinds = names.map((r) => shortNameOf(query, r.norm));
    const shortKind = kinds.includes('first word') ? 'first word' : kinds.includes('initials') ? 'initials' : undefined;
    const short = shortKind && similar < SHORT_NAME_SCORE[shortKind] ? shortKind : undefined;
    const score = Math.round((short ? SHORT_NAME_SCORE[short] : similar) * 1000) / 1000;
    const alias = top.row.alias !== null && top.row.alias !== top.row.name ? top.row.alias : undefined;
    best.set(id, { id, name: top.row.name, score, whole, ...(alias && !short ? { matchedAlias: alias } : {}), ...(short ? { shortFor: short } : {}) });
  }
  const ranked = [...best.values()].sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  // Names sharing a stray trigram or two are noise next to a real match: keep those near the best.
  const floor = Math.max(0.2, (ranked[0]?.score ?? 0) * 0.5);
  return ranked.filter((c) => c.score >= floor).slice(0, Math.max(1, Math.min(limit, 50)));
}

async function supplierById(database: Database, id: string): Promise<ResolvedSupplier | undefined> {
  const rows = await database.query<ResolvedSupplier>(
    'select id::text as id, name, status, country from suppliers where id = $1::uuid',
    [id],
  );
  return rows[0];
}

// Accepts a fuzzy match without asking only when it is unmistakable: very close and clearly ahead, or the only
// supplier whose name contains every word asked for, or a close misspelling far ahead of anything else.
function fuzzyAcceptable(first: ScoredCandidate, second: ScoredCandidate | undefined, all: ScoredCandidate[]): boolean {
  const margin = first.score - (second?.score ?? 0);
  if (first.score >= FUZZY_ACCEPT && margin >= FUZZY_MARGIN) return true;
  const wholes = all.filter((c) => c.whole).length;
  if (wholes > 1) return false;
  if (first.whole && margin >= FUZZY_MARGIN) return true;
  return first.score >= 0.6 && margin >= 0.3;
}

function describeCandidates(candidates: SupplierCandidate[]): string {
  return candidates
    .map((c) => `${c.name}${c.matchedAlias ? ` (alias "${c.matchedAlias}")` : ''} [${c.id}]`)
    .join('; ');
}

/** Resolves a supplier reference (uuid, name, alias or close spelling) to one supplier, or lists the closest. */
export async function resolveSupplier(database: Database, ref: string): Promise<SupplierResolution> {
  const text = ref.trim();
  if (!text) return { ok: false, message: 'The supplier reference is empty.', candidates: [] };
  if (text.length > MAX_REF_LENGTH) {
    return { ok: false, message: `The supplier reference is longer than ${MAX_REF_LENGTH} characters.`, candidates: [] };
  }
  if (UUID_RE.test(text)) {
    const found = await supplierById(database, text);
    if (found) return { ok: true, supplier: found, matchedBy: 'id', score: 1 };
    return { ok: false, message: `No supplier has the id ${text}.`, candidates: [] };
  }

  const norm = normalizeSupplierName(text) || foldName(text);
  // Exact spelling first, then the normalised name, then aliases: the first unambiguous level wins.
  const exact = await database.query<ResolvedSupplier & { level: number; alias: string | null }>(
    `select id::text as id, name, status, country, 1 as level, null::text as alias
       from suppliers where lower(name) = lower($1)
     union all
     select id::text, name, status, country, 2, null from suppliers where normalized_name = $2
     union all
     select s.id::text, s.name, s.status, s.country, 3, a.name
       from supplier_aliases a join suppliers s on s.id = a.supplier_id
      where lower(a.name) = lower($1) or a.normalized_name = $2
     order by level`,
    [text, norm],
  );
  for (const level of [1, 2, 3]) {
    const hits = exact.filter((r) => Number(r.level) === level);
    const ids = new Set(hits.map((h) => h.id));
    if (ids.size === 1) {
      const h = hits[0]!;
      const supplier = { id: h.id, name: h.name, status: h.status, country: h.country };
      if (level === 3) {
        return { ok: true, supplier, matchedBy: 'alias', ...(h.alias ? { matchedAlias: h.alias } : {}), score: 1 };
      }
      return { ok: true, supplier, matchedBy: 'name', score: 1 };
    }
    if (ids.size > 1) {
      const candidates = [...new Map(hits.map((h) => [h.id, { id: h.id, name: h.name, score: 1 }])).values()];
      return {
        ok: false,
        message: `"${text}" matches ${ids.size} suppliers: ${describeCandidates(candidates)}. Pass the supplier id to choose one.`,
        candidates,
      };
    }
  }

  const scored = await scoreCandidates(database, text, 5);
  const candidates = scored.map(({ whole: _whole, ...c }) => c);
  const [first, second] = scored;
  if (first && fuzzyAcceptable(first, second, scored)) {
    const supplier = await supplierById(database, first.id);
    if (supplier) {
      return {
        ok: true,
        supplier,
        matchedBy: 'fuzzy',
        ...(first.matchedAlias ? { matchedAlias: first.matchedAlias } : {}),
        score: first.score,
      };
    }
  }
  const message =
    candidates.length > 0
      ? `No supplier is called exactly "${text}". Closest matches: ${describeCandidates(candidates)}. Pass one of these names or ids.`
      : `No supplier is called "${text}", and none has a similar name.`;
  return { ok: false, message, candidates };
}
