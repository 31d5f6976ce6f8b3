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
  /\b(?:continu\w*|remain\w*)\s+(?:in\s+(?:full\s+)?(?:force(?:\s+and\s+effect)?|effect)\s+)?(?:thereafter\s+)?(?:indefinitely|in\s+perpetuity|until\s+(?:terminated|such\s+time\s+as\s+(?:it\s+is\s+)?terminated|(?:this|the)\s+agreement\s+is\s+terminated))|\bperpetual\s+(?:term|basis|duration)\b|\bin\s+perpetuity\b/gi;
// An end tied to an event or another document: "shall remain in effect until the date set out in Schedule 1",
// "this Agreement terminates automatically upon termination of the Master Agreement".
const ENDS_WITH =
  /\b(?:this|the)\s+(?:\w+\s+){0,4}?(?:agreement|amendment|contract|addendum|power\s+of\s+attorney|statement\s+of\s+work|term)\b[^.;]{0,80}\b(?:(?:shall|will)\s+(?:remain|continue)\s+in\s+(?:full\s+)?(?:force|effect)(?:\s+and\s+effect)?\s*(?:,[^,;.]{0,100},\s*)?(?:until|through)\b|(?:shall|will)\s+(?:be\s+)?(?:\w+\s+and\s+)?(?:terminate|expire|terminated|expired)\s+(?:automatically\s+)?(?:upon|on|with|at)\s+(?:the\s+)?(?:expiration|expiry|termination|cancellation)(?:\s+or\s+(?:expiration|expiry|termination|cancellation))?\s+of\s+(?:the|that|such)\b)/gi;
// How long the contract runs, stated without a date or period the term extraction reads: "shall continue until five
// (5) years following the Effective Date", "shall remain in effect until the expiration of the Royalty Term", "will
// expire upon the earliest of", "Term shall mean the Effective Date through June 15, 2001", "is valid for 5 years".
const TERM_RUNS =
  /\b(?:(?:this|the)\s+(?:\w+\s+){0,3}?(?:agreement|amendment|contract|term|franchise|appointment|arrangement)|(?:initial|contract|service|services|original)\s+(?:term|period))\b"?(?:\s*\([^)]{0,60}\))?[^.;]{0,220}?\b(?:(?:shall|will|is\s+to|to)\s+(?:\w+\s+){0,2}?)?(?:continue|remain|expire|terminate|end|extend|run|last|be\s+valid|is\s+valid|be\s+in\s+(?:full\s+)?(?:force|effect)|be\s+effective|(?:shall|will)\s+be|is|means?|shall\s+mean)(?:s|d)?\b[^.;]{0,120}?\b(?:until|through|thru|for\s+(?:a\s+(?:period|term)\s+of\s+)?(?:\d|[a-z]+\s*\(|\[|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|so\s+long|the\s+(?:longer|shorter|later|earlier|duration|term|period|service|contract))|on\s+(?:the\s+)?(?:earlier|later|earliest|latest|date|last|expir|\w+\s+\d)|upon\s+(?:the\s+)?(?:earlier|later|earliest|latest|expir|completion|termination\s+of\s+(?:the|such|its|company's)|the\s+date)|at\s+the\s+end\s+of|(?:\w+\s+){0,3}?(?:anniversary|years?|months?)\s+(?:from|after|following|therefrom|thereafter)|(?:from|after|following)\s+the\s+(?:effective|commencement|launch|execution)|so\s+long\s+as|the\s+(?:effective\s+date|date\s+(?:hereof|of\s+(?:this|execution)))\s+(?:through|until|to))/gi;
// More ways of stating how long the contract runs: a duration it has ("shall have an initial term of ten (10)
// years", "will have a duration of [*****]"), a defined end ("'Expiration Date' means March 31, 2020", "'Term'
// shall mean the Effective Date through June 15, 2001"), and a term, promotion or venture that ends, concludes or is
// extended to a written date or an anniversary.
const MONTH_DATE = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s*\d{4}`;
const TERM_STATED = new RegExp(
  String.raw`\b(?:shall|will)\s+have\s+(?:an?\s+)?(?:initial\s+)?(?:term|duration)\s+of\b|"?(?:expiration|expiry|termination|end)\s+date"?\s+(?:shall\s+)?means?\b|(?:^|[.;]\s*|")(?:the\s+)?"?(?:term|contract\s+period|initial\s+term)"?\s+(?:shall\s+)?means?\b[^.;]{0,120}?\b(?:through|until|to|concluding|ending)\b|\b(?:this|the)\s+(?:\w+\s+){0,3}?(?:agreement|term|promotion|program(?:me)?|venture|sponsorship|engagement|collaboration|alliance)\b[^.;]{0,200}?\b(?:end|ends|ending|expire|expires|expiring|terminate|terminates|conclud\w*|extended)\s+(?:on\s+|to\s+|until\s+)?(?:the\s+\w+(?:\s*\(\w+\))?\s+anniversary\s+of\b|${MONTH_DATE})`,
  'gi',
);

// Ends of other things a sentence may share words with: a right to terminate, what survives, post-term duties.
const NOT_THE_TERM =
  /\b(?:may|right\s+to|entitled\s+to|option\s+to|elect\s+to)\s+(?:\w+\s+){0,2}?terminat\w*|\bbreach\w*|\bfail\w*|\bdefault\w*|\bcure[ds]?\b|\bsurviv\w*|\b(?:after|following|upon)\s+(?:the\s+)?(?:termination|expiration|expiry)\s+(?:or\s+\w+\s+)?of\s+(?:this|the)\s+(?:agreement|term)\b(?!\s+(?:shall|will))|\b(?:during|throughout)\s+the\s+(?:initial\s+)?term\b|\bthereafter\b(?![^.;]{0,40}\b(?:renew|extend|continu))|\bliab\w*|\binsur\w*|\barbitrat\w*|\bconfidential\w*|\bwarrant\w*|\bnon-?compet\w*|\bsolicit\w*|\bpayment\s+terms?\b|\bterm\s+of\s+(?:payment|the\s+loan|such\s+(?:license|patent))/i;

// Notice that stops a renewal, however the renewal itself is worded: "written notice of non-renewal no less than 120
// prior to the expiry date", "terminated at the end of the Initial Term by written notice at least 180 days prior",
// "shall automatically renew ... unless either party gives notice of cancellation", "shall thereafter continue until
// either party gives six (6) months prior written notice".
const STOPS_RENEWAL =
  /\bnon-?\s?renewal\b|\bnot\s+to\s+(?:renew|extend)\b|\bintention\s+not\s+to\b|\belect\w*\s+not\s+to\s+(?:renew|extend)\b|\bnot\s+be\s+(?:renewed|extended)\b|\bterminat\w*\s+(?:this\s+\w+\s+)?(?:by\s+[\w-]+\s+)?(?:as\s+of|at|upon|effective\s+(?:as\s+of|at|upon))\s+the\s+(?:end|expiration|expiry)\s+of\s+(?:the\s+)?(?:initial|then[-\s]current|renewal|current|applicable)?\s*(?:term|period)\b|\b(?:renew|extend|continue)\w*\b[^.;]{0,200}?\bunless\b|\b(?:automatically|thereafter)\s+continue\b[^.;]{0,80}\buntil\s+(?:either|any)\s+party\s+(?:gives|provides|delivers|serves|sends)\b/gi;
const NOTICE_LENGTH = new RegExp(`(?:\\b(?:at\\s+least|not\\s+less\\s+than|no\\s+less\\s+than|minimum\\s+of|of)\\s+)?${PERIOD_SRC}(?=[^.;]{0,40}?\\b(?:prior|before|in\\s+advance|notice)\\b)`, 'i');

// A renewal one party may choose ("may extend the Term for one additional year").
const RENEWAL_OPTION =
  /\b(?:may|option\s+to|right\s+to|elect\s+to)\s+(?:be\s+)?(?:renew|extend)(?:ed)?\s+(?:this\s+agreement|the\s+(?:initial\s+)?term|the\s+agreement|for)\b/gi;

// More ways a renewal is offered or stated: a party's option, right or opportunity with words in between ("shall
// have the option, subject to approval, to extend the Term"), a renewal stated outright ("shall renew for a
// subsequent term", "renewable for", "extendable for a further"), defined renewal terms, and a term continuing for
// successive periods or until either party gives notice.
const RENEWAL_OFFERED =
  /\b(?:may|options?|right|opportunity|elect|entitled)\b[^.;]{0,80}?\bto\s+(?:annually\s+)?(?:renew|extend|continue)\b|\b(?:shall|will)\s+(?:\w+\s+)?(?:be\s+)?(?:renew|extend)(?:ed)?\s+for\b|\b(?:renewable|extendable|extendible)\s+(?:for|by)\b|\b(?:additional|successive|further|subsequent)\s+renewal\s+(?:terms?|periods?)\b|"renewal\s+(?:terms?|periods?)"|\bcontinue\s+(?:automatically\s+)?for\s+(?:successive|additional|further|subsequent)\b|\b(?:automatically|thereafter)\s+continue\b[^.;]{0,60}\buntil\s+(?:either|any)\s+party\b/gi;
// What is renewed must be the contract or its term, for a stated period or by a defined renewal term.
const RENEWED_OBJECT = /\b(?:agreement|term|franchise|contract|licen[cs]e|maintenance|services?|appointment|relationship)\b/i;
const NOT_A_RENEWAL = /\b(?:time\s+for|deadline|payment|cure|insur\w*|polic(?:y|ies)|confidential\w*|warrant\w*|survive\w*|exercise\s+period)\b/i;

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

/** The length a term sentence states ("5 years"), or nothing when it names an event or a withheld length. */
function termValue(sentence: string): string | undefined {
  const p = new RegExp(PERIOD_SRC, 'i').exec(sentence);
  return p && !/\bnotice\b/i.test(sentence.slice(Math.max(0, p.index - 40), p.index + 60)) ? periodText(periodAt(p)) : undefined;
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
      let runs = tied.length > 0 ? tied : sentencesWith(doc, TERM_RUNS, (s) => !NOT_THE_TERM.test(s), 1);
      if (runs.length === 0) runs = sentencesWith(doc, TERM_STATED, (s) => !NOT_THE_TERM.test(s), 1);
      if (runs.length > 0) out.expiration_date = { spans: runs, value: termValue(doc.flatSlice(runs[0]!)) };
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
    if (option.length === 0) {
      option.push(
        ...sentencesWith(
          doc,
          RENEWAL_OFFERED,
          (s, _at, m) =>
            // "The Term shall extend for fifty years" is the term itself, not a renewal of it.
            (!/^(?:shall|will)/i.test(m[0]) || /\b(?:additional|further|successive|subsequent|renewal|another|again)\b/i.test(s)) &&
            RENEWED_OBJECT.test(s) && (new RegExp(PERIOD_SRC, 'i').test(s) || /\brenewal\s+(?:terms?|periods?)\b|\bsuccessive\b|\buntil\s+(?:either|any)\s+party\b/i.test(s)) && !NOT_A_RENEWAL.test(s),
          1,
        ),
      );
    }
    const first = option[0];
    if (first) {
      const after = doc.flat.slice(first.start, first.end);
      // The renewal's length follows the word that renews; a period of notice ("thirty (30) days prior") is not it.
      const from = after.slice(Math.max(0, after.search(/renew|extend|continu/i)));
      const p = [...from.matchAll(new RegExp(PERIOD_SRC, 'gi'))].find((x) => !/^['’]?s?\s*(?:prior|before|in\s+advance|(?:advance\s+|prior\s+)?(?:written\s+)?notice)\b/i.test(from.slice(x.index + x[0].length)));
      out.renewal_term = { spans: option, value: p ? `optional ${periodText(periodAt(p))}` : 'optional' };
    }
  }

  const notice = terms.clauses.find((c) => c.kind === 'notice_period');
  // Insurance policies are cancelled or not renewed on notice too; that is not this contract's renewal.
  const aboutCover = (span: ClauseSpan) => /\binsur\w*|\bpolic(?:y|ies)\b|\bcoverage\b/i.test(doc.flatSlice(span));
  if (notice && terms.renewalNoticeDays !== undefined && !aboutCover(spanOf(doc, notice))) {
    const span = spanOf(doc, notice);
    out.notice_to_terminate_renewal = { spans: [span], value: periodWorded(doc, span, terms.renewalNoticeDays) };
  } else {
    const stops = sentencesWith(doc, STOPS_RENEWAL, (s) => /\bnotice\b|\bnotif/i.test(s) && /\bprior\b|\bbefore\b|\badvance\b|\bno\s+later\s+than\b|\bon\s+or\s+before\b/i.test(s) && !/\binsur\w*|\bpolic(?:y|ies)\b|\bcoverage\b/i.test(s), 1);
    const first = stops[0];
    if (first) {
      const p = NOTICE_LENGTH.exec(doc.flatSlice(first));
      const period = p ? new RegExp(PERIOD_SRC, 'i').exec(p[0]) : null;
      out.notice_to_terminate_renewal = { spans: stops, value: period ? periodText(periodAt(period)) : undefined };
    }
  }
  return out;
};
