// The term family: when a contract expires, whether and for how long it renews, and the notice that stops a
// renewal. Built on the term extraction the importer uses, so stored terms and detected clauses agree.
import type { NewContractClause } from '../../db/contracts.js';
import { type DateTerms, extractDates } from '../dates.js';
import type { ContractDoc } from '../document.js';
import { PERIOD_SRC, periodAt, periodDays, periodText } from '../periods.js';
import { extractRenewal, type RenewalTerms } from '../renewal.js';
import { type ClauseSpan, type ClauseType, type Detected, type Detector, quote, sentencesWith } from './scan.js';

// "shall continue in effect until terminated", "perpetual": a term with no end date.
const OPEN_ENDED =
  /\b(?:continue|remain)\s+in\s+(?:full\s+)?(?:force(?:\s+and\s+effect)?|effect)\s+(?:indefinitely|in\s+perpetuity|until\s+(?:terminated|such\s+time\s+as\s+(?:it\s+is\s+)?terminated))|\bperpetual\s+(?:term|basis|duration)\b|\bin\s+perpetuity\b/gi;
// An end tied to an event or another document: "shall remain in effect until the date set out in Schedule 1",
// "this Agreement terminates automatically upon termination of the Master Agreement".
const ENDS_WITH =
  /\b(?:this|the)\s+(?:\w+\s+){0,4}?(?:agreement|amendment|contract|addendum|power\s+of\s+attorney|statement\s+of\s+work|term)\b[^.;]{0,80}\b(?:(?:shall|will)\s+(?:remain|continue)\s+in\s+(?:full\s+)?(?:force|effect)(?:\s+and\s+effect)?\s*(?:,[^,;.]{0,100},\s*)?(?:until|through)\b|(?:shall|will)\s+(?:be\s+)?(?:\w+\s+and\s+)?(?:terminate|expire|terminated|expired)\s+(?:automatically\s+)?(?:upon|on|with|at)\s+(?:the\s+)?(?:expiration|expiry|termination|cancellation)(?:\s+or\s+(?:expiration|expiry|termination|cancellation))?\s+of\s+(?:the|that|such)\b)/gi;
// A renewal one party may choose ("may extend the Term for one additional year").
const RENEWAL_OPTION =
  /\b(?:may|option\s+to|right\s+to|elect\s+to)\s+(?:be\s+)?(?:renew|extend)(?:ed)?\s+(?:this\s+agreement|the\s+(?:initial\s+)?term|the\s+agreement|for)\b/gi;

function spanOf(doc: ContractDoc, c: NewContractClause): ClauseSpan {
  return quote(doc, { start: c.start ?? 0, end: c.end ?? 0 });
}

/** The period worded as written ("12 months") among those in `span` that come to `days`. */
function periodWorded(doc: ContractDoc, span: ClauseSpan, days: number): string {
  for (const m of doc.flatSlice(span).matchAll(new RegExp(PERIOD_SRC, 'gi'))) {
    const p = periodAt(m);
    if (periodDays(p) === days) return periodText(p);
  }
  return `${days} days`;
}

/** Detects the expiration date (or initial term), the renewal term and the notice that stops a renewal. */
export const detectTerm: Detector = (doc) => {
  const terms: DateTerms & RenewalTerms = { clauses: [] };
  extractDates(doc, terms);
  extractRenewal(doc, terms);
  const out: Partial<Record<ClauseType, Detected>> = {};

  const expiry = terms.clauses.find((c) => c.kind === 'expiration_date');
  const term = terms.clauses.find((c) => c.kind === 'term');
  const termSpan = expiry ?? term;
  if (termSpan) {
    out.expiration_date = { spans: [spanOf(doc, termSpan)], value: terms.endDate ?? terms.term };
  } else {
    const spans = sentencesWith(doc, OPEN_ENDED, (s) => /\b(?:agreement|term|contract)\b/i.test(s) && !/\blicen[cs]e/i.test(s), 1);
    if (spans.length > 0) out.expiration_date = { spans, value: 'perpetual' };
    else {
      const tied = sentencesWith(doc, ENDS_WITH, (s) => !/\blicen[cs]e\s+(?:granted|shall|will)/i.test(s), 1);
      if (tied.length > 0) out.expiration_date = { spans: tied };
    }
  }

  const renewal = terms.clauses.find((c) => c.kind === 'renewal' && c.value !== 'no automatic renewal');
  if (renewal && terms.autoRenew) {
    out.renewal_term = { spans: [spanOf(doc, renewal)], value: terms.renewalTerm ?? 'automatic' };
  } else {
    const option = sentencesWith(
      doc,
      RENEWAL_OPTION,
      (s) => /\b(?:agreement|term)\b/i.test(s) && new RegExp(PERIOD_SRC, 'i').test(s) && !/\b(?:time\s+for|deadline|payment|cure)\b/i.test(s),
      1,
    );
    const first = option[0];
    if (first) {
      const after = doc.flat.slice(first.start, first.end);
      const p = new RegExp(PERIOD_SRC, 'i').exec(after.slice(after.search(/renew|extend/i)));
      out.renewal_term = { spans: option, value: p ? `optional ${periodText(periodAt(p))}` : 'optional' };
    }
  }

  const notice = terms.clauses.find((c) => c.kind === 'notice_period');
  if (notice && terms.renewalNoticeDays !== undefined) {
    const span = spanOf(doc, notice);
    out.notice_to_terminate_renewal = { spans: [span], value: periodWorded(doc, span, terms.renewalNoticeDays) };
  }
  return out;
};
