// A contract's agreement, effective and expiration dates and its initial term, read from the text.
import type { NewContractClause } from '../db/contracts.js';
import { parseDate } from '../imports/values.js';
import type { ContractDoc } from './document.js';
import { PERIOD_SRC, type Period, periodAt, periodText, type Unit } from './periods.js';

/** The terms this step fills in. */
export type DateTerms = {
  agreementDate?: string;
  effectiveDate?: string;
  startDate?: string;
  endDate?: string;
  term?: string;
  clauses: NewContractClause[];
};

const MONTH = '(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)';
const DATE_SRC = `\\b(?:${MONTH}\\.?\\s+\\d{1,2}(?:\\s*(?:st|nd|rd|th))?,?\\s+\\d{4}|\\d{1,2}(?:\\s*(?:s\\s?t|n\\s?d|r\\s?d|t\\s?h))?\\s+(?:day\\s+of\\s+|of\\s+)?${MONTH}\\.?,?\\s+\\d{4}|\\d{4}-\\d{2}-\\d{2}|\\d{1,2}/\\d{1,2}/\\d{4})\\b`;
const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october',
  'november', 'december'];

/** Builds a case-insensitive global regex where each literal space means "one or more whitespace". */
function rx(source: string, flags = 'gi'): RegExp {
  return new RegExp(source.replaceAll(' ', '\\s+'), flags);
}

/** Parses a date as contracts write it ("October 1, 2019", "the 22nd day of June 2018", "2019-10-01") to ISO. */
function dateFromText(s: string): string | undefined {
  const t = s.toLowerCase().replace(/\s+/g, ' ').trim();
  const year = /(\d{4})$/.exec(t)?.[1];
  let iso: string | undefined;
  const isoForm = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const numeric = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  const monthFirst = /^([a-z]+)\.? (\d{1,2})/.exec(t);
  const dayFirst = /^(\d{1,2})\D.*?\b([a-z]{3,})\.?,? \d{4}$/.exec(t);
  if (isoForm) {
    iso = t;
  } else if (numeric) {
    const [a, b, y] = [Number(numeric[1]), Number(numeric[2]), Number(numeric[3])];
    // All-numeric dates are only read when day and month cannot be confused.
    if (a > 12 && b <= 12) iso = isoOf(y, b, a);
    else if (b > 12 && a <= 12) iso = isoOf(y, a, b);
    else if (a === b) iso = isoOf(y, a, b);
  } else if (monthFirst && year) {
    iso = isoOf(Number(year), monthNumber(monthFirst[1]!), Number(monthFirst[2]));
  } else if (dayFirst && year) {
    iso = isoOf(Number(year), monthNumber(dayFirst[2]!), Number(dayFirst[1]));
  }
  if (!iso) return undefined;
  const checked = parseDate(iso);
  return checked.ok ? checked.value : undefined;
}

function monthNumber(name: string): number {
  return MONTH_NAMES.findIndex((full) => full.startsWith(name.slice(0, 3))) + 1;
}

function isoOf(y: number, m: number, d: number): string | undefined {
  if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** `iso` plus a period; month and year steps keep the day of month, clamped to the month's length. */
function addPeriod(iso: string, p: { n: number; unit: Unit }): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  if (p.unit === 'day' || p.unit === 'week') {
    const t = new Date(Date.UTC(y, m - 1, d + p.n * (p.unit === 'week' ? 7 : 1)));
    return t.toISOString().slice(0, 10);
  }
  const months = p.unit === 'year' ? p.n * 12 : p.n;
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

type Found = { value: string; at: number; score: number };

function best(found: Found[]): Found | undefined {
  return found.sort((a, b) => b.score - a.score || a.at - b.at)[0];
}

function dateGroup(m: RegExpExecArray): { iso?: string; at: number } {
  const raw = m.groups?.date ?? '';
  return { iso: dateFromText(raw), at: m.index + m[0].length - raw.length };
}

// A "dated" that follows a reference to another agreement ("the Supply Agreement dated …") is that one's date.
const REFERENCE_BEFORE =
  /\b(?:that certain|the|said|such|an?|under|to)\s+(?:[\w&,'-]+\s+){0,8}?(?:agreement|amendment|contract|lease|license|licence|order|letter|plan|note)\s*(?:\([^)]*\)\s*)?(?:between\s[^.]{0,160})?,?\s*$/i;

/** Reads the agreement and effective dates, the start, the initial term and the end (stated, or start plus term). */
export function extractDates(doc: ContractDoc, terms: DateTerms): void {
  const f = doc.flat;
  const preamble = f.slice(0, 6000);
  const D = `(?<date>${DATE_SRC})`;

  const effective: Found[] = [];
  for (const m of f.matchAll(rx(`${D}\\s*,?\\s*\\(\\s*(?:the |this )?"?(?:[\\w-]+ )?effective date"?\\s*\\)`))) {
    const d = dateGroup(m);
    if (d.iso) effective.push({ value: d.iso, at: d.at, score: 5 });
  }
  for (const m of f.matchAll(rx(`"effective date" (?:shall )?(?:mean|means|is|shall be) (?:the date of |as of )?${D}`))) {
    const d = dateGroup(m);
    if (d.iso) effective.push({ value: d.iso, at: d.at, score: 4 });
  }
  for (const m of preamble.matchAll(rx(`\\beffective (?:as of |as at |on |from )?(?:the )?${D}`))) {
    const d = dateGroup(m);
    if (d.iso) effective.push({ value: d.iso, at: d.at, score: 3 });
  }

  const agreement: Found[] = [];
  for (const m of preamble.matchAll(
    rx(`\\b(?:made|entered into|executed|signed|concluded)(?: and (?:entered into|made|executed))?(?: effective)?(?: as of| as at| on| this| at)?(?: this)?(?: the)? ${D}`),
  )) {
    const before = f.slice(doc.sentence(m.index).start, m.index);
    if (!/\b(?:agreement|amendment|contract|addendum|memorandum|lease|licen[cs]e|order|instrument|deed|presents)\b/i.test(before)) continue;
    const d = dateGroup(m);
    if (d.iso) agreement.push({ value: d.iso, at: d.at, score: 3 });
  }
  for (const m of preamble.matchAll(rx(`\\bdated (?:as of |as at )?(?:the )?${D}`))) {
    const before = f.slice(Math.max(doc.sentence(m.index).start, m.index - 300), m.index);
    if (REFERENCE_BEFORE.test(before)) continue;
    const d = dateGroup(m);
    if (d.iso) agreement.push({ value: d.iso, at: d.at, score: 3 });
  }
  for (const e of effective) if (e.at < 6000) agreement.push({ ...e, score: 2 });
  for (const m of f.slice(0, 3000).matchAll(rx(`\\bas of ${D}`))) {
    const d = dateGroup(m);
    if (d.iso) agreement.push({ value: d.iso, at: d.at, score: 1 });
  }
  const agreed = best(agreement);
  if (agreed) {
    terms.agreementDate = agreed.value;
    terms.clauses.push(doc.clause('agreement_date', agreed.at, agreed.value));
  }

  // "Effective upon execution" / "as of the date first written above": the agreement date.
  if (effective.length === 0 && agreed) {
    const m = rx(
      '\\b(?:effective|commenc\\w*|enter\\w* into force) (?:as of |on |upon |from )?(?:the date (?:of (?:its |the )?(?:execution|signature|signing)|(?:first )?(?:written|set forth|stated|mentioned) above|hereof)|(?:its |the )?(?:execution|signature|signing)\\b)',
    ).exec(f);
    if (m) effective.push({ value: agreed.value, at: m.index, score: 1 });
  }
  const eff = best(effective);
  if (eff) {
    terms.effectiveDate = eff.value;
    terms.clauses.push(doc.clause('effective_date', eff.at, eff.value));
  }
  terms.startDate = terms.effectiveDate ?? terms.agreementDate;

  const termContext = /\b(?:agreement|amendment|contract|term)\b/i;
  const notTheTerm = /\b(?:confidential\w*|warrant\w*|surviv\w*|compet\w*|solicit\w*|audit\w*|after (?:the )?(?:termination|expiration)|following (?:the )?(?:termination|expiration))\b/i;

  const explicit = rx(
    `\\b(?:agreement|term|amendment)\\b[^.;]{0,120}?\\b(?:terminate|expire|end|remain in (?:full )?(?:force and )?effect|continue(?: in (?:full )?(?:force and )?effect)?)s?\\b[^.;]{0,60}? (?:on|until|through|thru) (?:and including )?(?:the )?${D}`,
  ).exec(f);
  const explicitDate = explicit ? dateGroup(explicit) : undefined;
  if (explicit && explicitDate?.iso) {
    terms.endDate = explicitDate.iso;
    terms.clauses.push(doc.clause('expiration_date', explicitDate.at, explicitDate.iso));
  }

  const termRes = [
    rx(`\\b(?:for|of) (?:an? )?(?:initial |original |primary )?(?:term|period) of ${PERIOD_SRC}`),
    rx(`\\bcontinue (?:in (?:full )?(?:force and )?effect )?(?:for|during) (?:an? )?(?:(?:initial |original )?(?:term|period) of )?${PERIOD_SRC}`),
    rx(`\\b(?:initial )?term (?:of this agreement )?(?:shall be|is|will be) (?:for )?(?:an? )?(?:period of )?${PERIOD_SRC}`),
    rx(`${PERIOD_SRC} (?:initial )?term\\b`),
  ];
  const termHits: { p: Period; at: number }[] = [];
  for (const re of termRes) {
    for (const m of f.matchAll(re)) {
      const sentence = doc.flatSlice(doc.sentence(m.index));
      if (!termContext.test(sentence) || notTheTerm.test(sentence)) continue;
      // Renewal periods, cure periods and notice periods are not the initial term.
      if (/\b(?:renew\w*|additional|successive|subsequent|extension|extended)\b/i.test(f.slice(Math.max(0, m.index - 60), m.index))) continue;
      if (/\b(?:cure\w*|fail\w*|breach\w*|default\w*|within|notice)\b/i.test(f.slice(Math.max(0, m.index - 150), m.index))) continue;
      if (/\bperpetu\w*|indefinite\w*/i.test(sentence)) continue;
      const periodMatch = new RegExp(PERIOD_SRC, 'i').exec(m[0]);
      if (!periodMatch) continue;
      const p = periodAt(periodMatch);
      termHits.push({ p: { ...p, start: m.index + p.start, end: m.index + p.end }, at: m.index });
      break;
    }
  }
  const term = termHits.sort((a, b) => a.at - b.at)[0];
  if (term) {
    terms.term = periodText(term.p);
    terms.clauses.push(doc.clause('term', term.at, terms.term));
    if (!terms.endDate && terms.startDate) {
      terms.endDate = addPeriod(terms.startDate, term.p);
      terms.clauses.push(doc.clause('expiration_date', term.at, terms.endDate));
    }
  }
}
