// The rule planner: always available, deterministic, and the fallback when an LLM fails. It reads the intent,
// the period and the supplier phrases, resolves the phrases against the supplier master (through the supplier
// agent's MCP server), and continues the previous turn of the thread for follow-ups.
import type { SupplierMatch } from '../../../agents/agent.js';
import { agentsFor } from '../../../agents/registry.js';
import { type Intent, type Reading, readIntent } from './intents.js';
import { type Period, parsePeriod } from './periods.js';
import type { Plan } from './plan.js';

export type { SupplierMatch };
/** Looks a phrase up in the supplier master: ranked matches, best first. */
export type SupplierResolver = (phrase: string) => Promise<SupplierMatch[]>;
/** Looks a phrase up among the departments or categories of the spend data (exact, alias, initials, contains). */
export type TermResolver = (phrase: string, kind: 'department' | 'category') => Promise<TermLookup>;
export type TermLookup = { matchedBy: 'exact' | 'alias' | 'initials' | 'contains' | null; matches: string[] };

/** A match at or above this score, ahead of the next one, is taken as the supplier meant. */
const ACCEPT_SCORE = 0.8;
/** Below that, a close misspelling ("Refintiv") is taken only when it is far ahead of any other name. */
const MISSPELLING_SCORE = 0.6;
const MISSPELLING_MARGIN = 0.3;
/** Scores this close are a tie between two suppliers: ask rather than pick one. */
const TIE_MARGIN = 0.02;
/** An unrecognised message this short may still continue the thread ("Refinitiv?", "February 2025"). */
const SHORT_FOLLOW_UP_WORDS = 5;

const SPEND_INTENTS = new Set<Intent>(['spend_total', 'spend_top', 'spend_breakdown', 'spend_trend', 'spend_compare', 'spend_anomalies', 'spend_count']);
/** Spend questions whose subjects may be departments or categories as well as suppliers. */
const FILTERED_SPEND = new Set<Intent>(['spend_total', 'spend_top', 'spend_breakdown', 'spend_trend', 'spend_count']);
const SUPPLIER_SCOPED = new Set<Intent>(['supplier_profile', 'supplier_risk', 'contract_terms', 'contracts_of_supplier']);
const FOLLOW_UP = /^\s*(?:and|what about|how about|same for|and for|now|also)\b/i;
const PRONOUN = /\b(?:they|them|their|theirs|it|its|this supplier|that supplier|the same supplier)\b/i;

/** Plans `text`; `previous` is the thread's last plan, used to resolve follow-ups. */
export async function planByRules(
  text: string,
  ctx: { today: Date; resolve: SupplierResolver; resolveTerm?: TermResolver; previous?: Plan; fiscalYearStartMonth?: number },
): Promise<Plan> {
  let reading = readIntent(text);
  let period = parsePeriod(text, ctx.today, ctx.fiscalYearStartMonth);
  const comparePeriod = period ? periodCompared(text, period, ctx.today, ctx.fiscalYearStartMonth) : undefined;
  // "2012 vs 2011" compares periods, not two suppliers called "2012" and "2011".
  if (comparePeriod) {
    const dated = `${period!.matched} ${comparePeriod.matched}`.toLowerCase();
    const kept = reading.supplierPhrases.filter((p) => !dated.includes(p.toLowerCase()) && !/^\d{4}$/.test(p));
    reading = { ...reading, supplierPhrases: kept, intent: reading.intent === 'spend_compare' || reading.intent === 'help' ? 'spend_total' : reading.intent };
  }
  const prev = ctx.previous;
  let followUpOf: string | undefined;

  // A name with "and" inside is one supplier only when the whole of it names one exactly; its parts are not asked.
  const joined = await exactlyNamed(reading.joinedPhrases ?? [], ctx.resolve);
  const within = (phrase: string) => joined.some((j) => j.phrase.toLowerCase().includes(phrase.toLowerCase()));
  const phrases = reading.supplierPhrases.filter((phrase) => !period?.matched.toLowerCase().includes(phrase.toLowerCase()) && !within(phrase));
  const subjects = FILTERED_SPEND.has(reading.intent) && ctx.resolveTerm
    ? await resolveSubjects(phrases, reading.department, ctx.resolve, ctx.resolveTerm)
    : { ...(await resolvePhrases(phrases, ctx.resolve)), department: reading.department, category: undefined };
  const { unresolved } = subjects;
  const suppliers = [...joined.map((j) => ({ id: j.id, name: j.name })), ...subjects.suppliers.filter((x) => !joined.some((j) => j.id === x.id))];
  reading = withSubjects(reading, subjects.department, subjects.category);

  // An unrecognised message continues the thread only when it is short: a full sentence that merely names a
  // supplier must not inherit the previous question's item, amount or intent.
  const short = text.trim().split(/\s+/).length <= SHORT_FOLLOW_UP_WORDS;
  if (prev && (FOLLOW_UP.test(text) || PRONOUN.test(text) || (reading.intent === 'help' && short && (period || suppliers.length > 0)))) {
    followUpOf = prev.text;
    if (period && prev.period) period = anchored(period, prev.period, ctx.today);
    const intent = reading.intent === 'help' || (SPEND_INTENTS.has(prev.reading.intent) && reading.intent === 'spend_total')
      ? prev.reading.intent
      : reading.intent;
    reading = { ...prev.reading, ...definedOnly(reading), intent };
    period ??= prev.period;
    if (suppliers.length === 0 && (PRONOUN.test(text) || unresolved.length === 0)) suppliers.push(...prev.suppliers);
  }

  // "What did we spend with Brightline and Kestrel?" asks for each of them.
  if (reading.intent === 'spend_total' && suppliers.length >= 2) reading = { ...reading, intent: 'spend_compare' };

  // In a spend question a phrase that names no supplier may be a category ("paid to agency staff"). It stays
  // listed as unresolved too, so an answer that finds nothing can offer the closest supplier names.
  // A short name several suppliers share ("BT") is a question back, never a category nor a sum of all of them.
  const ambiguous = unresolved.some((u) => u.ambiguous);
  if (SPEND_INTENTS.has(reading.intent) && suppliers.length === 0 && unresolved.length > 0 && !reading.category && !ambiguous) {
    reading = { ...reading, category: unresolved[0]!.phrase };
  }

  // A question about one supplier that names nobody we know has no answer to fetch: the reply offers the closest
  // names. Nor has a question naming an ambiguous short name: any total would answer a different question.
  const unanswerable = (SUPPLIER_SCOPED.has(reading.intent) && suppliers.length === 0 && unresolved.length > 0) || ambiguous;

  return {
    planner: 'rule',
    text,
    reading,
    ...(period ? { period } : {}),
    ...(comparePeriod && FILTERED_SPEND.has(reading.intent) ? { comparePeriod } : {}),
    suppliers,
    unresolved,
    agents: unanswerable ? [] : agentsFor(reading.intent),
    ...(followUpOf ? { followUpOf } : {}),
  };
}

/** The reading with the department and category the subjects resolved to (an unresolved department stays asked for). */
function withSubjects(reading: Reading, department: string | undefined, category: string | undefined): Reading {
  const { department: _asked, ...rest } = reading;
  return { ...rest, ...(department ? { department } : {}), ...(category && !rest.category ? { category } : {}) };
}

/**
 * Resolves the subjects of a spend question. A phrase is a supplier when it is a supplier's exact name or alias;
 * otherwise a department (by name, alias or initials) or a category named exactly wins over a merely similar
 * supplier name, which still wins over nothing. A phrase asked as a department ("What did Procurement spend?")
 * that names no department may be a supplier; if it is neither it stays the department asked for, and the spend
 * tools say there is no such department, with the ones there are.
 */
async function resolveSubjects(
  phrases: string[],
  departmentPhrase: string | undefined,
  resolve: SupplierResolver,
  resolveTerm: TermResolver,
): Promise<Pick<Plan, 'suppliers' | 'unresolved'> & { department?: string; category?: string }> {
  const some = [...new Set([...phrases.slice(0, 3), ...(departmentPhrase && !phrases.includes(departmentPhrase) ? [departmentPhrase] : [])])];
  const looked = await Promise.all(
    some.map(async (phrase) => {
      const matches = await resolve(phrase);
      const exact = matches[0]?.score === 1 && (matches[1]?.score ?? 0) < 1;
      if (exact) return { phrase, matches, exact };
      const [department, category] = await Promise.all([resolveTerm(phrase, 'department'), resolveTerm(phrase, 'category')]);
      return { phrase, matches, exact, department, category };
    }),
  );
  const out: Pick<Plan, 'suppliers' | 'unresolved'> & { department?: string; category?: string } = { suppliers: [], unresolved: [] };
  const addSupplier = (m: SupplierMatch, phrase: string) => {
    if (!out.suppliers.some((s) => s.id === m.id)) out.suppliers.push({ id: m.id, name: m.name, ...(m.score < 1 ? { readAs: phrase } : {}) });
  };
  for (const l of looked) {
    const precise = (t: TermLookup | undefined) => t !== undefined && t.matchedBy !== null && t.matchedBy !== 'contains';
    if (l.exact) addSupplier(l.matches[0]!, l.phrase);
    else if (!out.department && precise(l.department)) out.department = l.phrase;
    else if (!out.category && precise(l.category) && l.phrase !== departmentPhrase) out.category = l.phrase;
    else {
      const best = accepted(l.matches);
      if (best) addSupplier(best, l.phrase);
      else if (l.phrase === departmentPhrase) out.department ??= l.phrase;
      else out.unresolved.push(unresolvedPhrase(l.phrase, l.matches));
    }
  }
  return out;
}

/** The phrases that name exactly one supplier (its name or an alias, any case), with that supplier. */
async function exactlyNamed(phrases: string[], resolve: SupplierResolver): Promise<{ phrase: string; id: string; name: string }[]> {
  const some = phrases.slice(0, 2);
  const looked = await Promise.all(some.map((phrase) => resolve(phrase)));
  return some.flatMap((phrase, i) => {
    const [first, second] = looked[i]!;
    return first && first.score >= 1 && (second?.score ?? 0) < 1 ? [{ phrase, id: first.id, name: first.name }] : [];
  });
}

const closestNames = (matches: SupplierMatch[]) => matches.filter((m) => m.score >= 0.4).slice(0, 3).map((m) => m.name);

/** A phrase that matched nobody, or several suppliers equally well (then it is ambiguous, not unknown). */
function unresolvedPhrase(phrase: string, matches: SupplierMatch[]): Plan['unresolved'][number] {
  const [first, second] = matches;
  const ambiguous = first !== undefined && second !== undefined && first.score >= ACCEPT_SCORE && first.score - second.score <= TIE_MARGIN;
  const tied = ambiguous ? matches.filter((m) => first.score - m.score <= TIE_MARGIN).slice(0, 6).map((m) => m.name) : closestNames(matches);
  return { phrase, closest: tied, ...(ambiguous ? { ambiguous } : {}) };
}

/**
 * Resolves supplier phrases (at most three: questions name one or two suppliers), all at once: each lookup is a
 * round trip to the supplier server. A phrase either names one supplier beyond doubt or stays unresolved.
 */
export async function resolvePhrases(
  phrases: string[],
  resolve: SupplierResolver,
): Promise<Pick<Plan, 'suppliers' | 'unresolved'>> {
  const suppliers: Plan['suppliers'] = [];
  const unresolved: Plan['unresolved'] = [];
  const some = phrases.slice(0, 3);
  const lookups = await Promise.all(some.map((phrase) => resolve(phrase)));
  for (const [i, phrase] of some.entries()) {
    const matches = lookups[i]!;
    const best = accepted(matches);
    if (best) {
      if (!suppliers.some((s) => s.id === best.id)) suppliers.push({ id: best.id, name: best.name, ...(best.score < 1 ? { readAs: phrase } : {}) });
    } else {
      unresolved.push(unresolvedPhrase(phrase, matches));
    }
  }
  return { suppliers, unresolved };
}

/** The supplier meant by a phrase, when the ranking leaves no real doubt; otherwise undefined. */
function accepted(matches: SupplierMatch[]): SupplierMatch | undefined {
  const [first, second] = matches;
  if (!first) return undefined;
  const margin = first.score - (second?.score ?? 0);
  if (first.score >= 1) return first;
  if (first.score >= ACCEPT_SCORE && margin > TIE_MARGIN) return first;
  if (first.score >= MISSPELLING_SCORE && margin >= MISSPELLING_MARGIN) return first;
  return undefined;
}

const VERSUS = /\b(?:vs\.?|versus|compared (?:to|with)|against)\s+(.+)$/i;
const YEAR_ON_YEAR = /\b(?:year[- ]on[- ]year|year[- ]over[- ]year|yoy|(?:vs\.?|versus|compared (?:to|with)|against) (?:the )?(?:same (?:period|month|quarter) )?last year)\b/i;

/**
 * The period `period` is compared with: the one named after "vs"/"compared with" ("March 2012 vs February": a
 * month without a year takes the first period's year), or the same period a year earlier ("year on year").
 */
function periodCompared(text: string, period: Period, today: Date, fiscalYearStartMonth?: number): Period | undefined {
  if (YEAR_ON_YEAR.test(text)) return shiftYears(period, -1);
  const after = VERSUS.exec(text)?.[1];
  if (!after) return undefined;
  // After "compared with", a bare "May" is the month ("in May" is how parsePeriod tells it from the verb).
  const second = parsePeriod(after, today, fiscalYearStartMonth) ?? parsePeriod(`in ${after}`, today, fiscalYearStartMonth);
  if (!second) return undefined;
  if (second.grain === 'month' && !/\d{4}/.test(second.matched)) {
    const again = parsePeriod(`${second.label.split(' ')[0]} ${period.from.slice(0, 4)}`, today, fiscalYearStartMonth);
    return again ? { ...again, matched: second.matched } : second;
  }
  return second;
}

/** The same period `years` years later (earlier when negative), labelled as parsePeriod would. */
function shiftYears(p: Period, years: number): Period {
  const shift = (iso: string) => {
    const y = Number(iso.slice(0, 4)) + years;
    const [m, d] = [iso.slice(5, 7), iso.slice(8, 10)];
    // 29 February becomes 28 February in a year that has none.
    const day = m === '02' && d === '29' && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? '28' : d;
    return `${String(y).padStart(4, '0')}-${m}-${day}`;
  };
  const label = p.label.replace(/\b(\d{4})\b/g, (y) => String(Number(y) + years)).replace(/FY(\d{4})-(\d{2})/, (_x, a: string) => `FY${Number(a) + years}-${String(Number(a) + years + 1).slice(2)}`);
  return { ...p, from: shift(p.from), to: shift(p.to), label, matched: 'year on year' };
}

/**
 * A month named without a year in a follow-up ("and in February?") belongs to the period being discussed when
 * that period is over ("March 2012" → February 2012); otherwise it is the most recent such month.
 */
function anchored(period: Period, previous: Period, today: Date): Period {
  if (period.grain !== 'month' || /\d{4}/.test(period.matched)) return period;
  const todayIso = today.toISOString().slice(0, 10);
  if (previous.to >= todayIso) return period;
  const month = period.from.slice(5, 7);
  const years = [Number(previous.to.slice(0, 4)), Number(previous.from.slice(0, 4))];
  const year =
    years.find((y) => `${y}-${month}-01` <= previous.to && `${y}-${month}-31` >= previous.from) ?? Number(previous.from.slice(0, 4));
  const again = parsePeriod(`${period.label.split(' ')[0]} ${year}`, today);
  return again ? { ...again, matched: period.matched } : period;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(o).filter(([k, v]) => v !== undefined && !(k === 'supplierPhrases' && Array.isArray(v) && v.length === 0)),
  ) as Partial<T>;
}
