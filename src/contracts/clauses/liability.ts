// The liability family: caps on liability (amount caps, exclusions of indirect loss, time limits on claims),
// liability left uncapped (carve-outs from a cap), and liquidated damages or termination fees.
import type { ContractDoc } from '../document.js';
import { PERIOD_SRC } from '../periods.js';
import { type Detector, found, lookBehind, sentencesWith } from './scan.js';

const LIABILITY = /\bliabilit(?:y|ies)\b|\bliable\b/gi;
// An amount cap: "shall not exceed", "limited to", "capped at", "in excess of the fees paid".
const AMOUNT_CAP =
  /\b(?:shall|will|may|does|do)\s+(?:not|in\s+no\s+(?:event|case)|under\s+no\s+circumstances?)\s+(?:\w+\s+){0,3}?exceed\b|\bnot\s+(?:to\s+)?exceed\b|\b(?:be|is|are)\s+(?:limited|capped)\s+(?:in\s+(?:the\s+)?aggregate\s+)?(?:to|at)\b|\bliability\s+cap\b|\bin\s+excess\s+of\s+(?:the\s+)?(?:total\s+|aggregate\s+)?(?:amount|fees|sums?|price|charges|compensation)\b|\bmaximum\s+(?:aggregate\s+)?liability\b/i;
// An exclusion of indirect or consequential loss.
const INDIRECT_LOSS =
  /\b(?:indirect|incidental|consequential|special|punitive|exemplary)\b[^.;]{0,40}\b(?:damages?|loss(?:es)?)\b|\b(?:lost|loss\s+of)\s+(?:profits?|revenues?|business|goodwill)\b/i;
const NOT_LIABLE =
  /\b(?:in\s+no\s+event|under\s+no\s+circumstances?|(?:shall|will|does|do|is|are)\s+not\s+(?:be\s+)?(?:liable|responsible)|(?:neither|no)\s+party\s+(?:shall|will)\s+(?:be\s+|have\s+any\s+)?liab\w*|(?:shall|will)\s+have\s+no\s+liability|exclud\w*\s+(?:all\s+)?liability|disclaims?\s+(?:all\s+|any\s+)?liability)\b/i;
const CLAIM_TIME_LIMIT = new RegExp(
  `\\b(?:no|any)\\s+(?:action|claim|suit|proceeding)s?\\b[^.;]{0,160}\\b(?:brought|commenced|filed|asserted|instituted)\\b[^.;]{0,80}\\b(?:more\\s+than|later\\s+than|within|after)\\s+${PERIOD_SRC}`,
  'gi',
);
// A carve-out from a cap: the cap does not apply to some liabilities, which are therefore uncapped.
const CAP_EXCEPTION =
  /\b(?:limitations?|exclusions?|caps?|limits?)\b[^.;]{0,160}\b(?:shall|will|do|does)\s+not\s+apply\s+(?:to|in|with\s+respect\s+to|for)\b|\bnothing\s+in\s+this\s+(?:agreement|clause|section|article|paragraph)\b[^.;]{0,100}\b(?:limits?|excludes?|restricts?)\b[^.;]{0,60}\bliabilit|\bunlimited\s+liability\b|\bliabilit(?:y|ies)\b[^.;]{0,80}\b(?:shall|will)\s+be\s+unlimited\b|\bwithout\s+(?:any\s+)?(?:limit|limitation|cap)\s+(?:as\s+to\s+amount|on\s+(?:the\s+)?(?:amount|liability))\b/gi;
const EXCEPT_BEFORE_CAP = /^\W*(?:\d+(?:\.\d+)*\s+)?except\s+(?:for|as|with\s+respect\s+to|in\s+the\s+case\s+of|in\s+respect\s+of)\b|,\s*except\s+(?:for|with\s+respect\s+to|in\s+the\s+case\s+of)\s+(?:a\s+party's\s+|either\s+party's\s+|its\s+)?(?:breach|indemnif|gross|wil+ful|fraud|obligations|liabilit|death|personal|infring|confidential)/i;
const LIQUIDATED =
  /\bliquidated\s+damages\b|\b(?:early\s+)?termination\s+(?:fee|charge|penalty)s?\b|\bbreak(?:age)?\s+fees?\b/gi;
// Kinds of insurance cover name "liability" without limiting anyone's.
const INSURANCE_LIABILITY =
  /\b(?:(?:general|products?|professional|public|employers'?|automobile|auto|umbrella|excess|cyber|third[-\s]party)\s+liability|liability\s+(?:insurance|coverage|policy|policies|insurer))\b/gi;
const WAIVED = /\b(?:no|without|not|free\s+of|any\s+and\s+all)\b[^.;]{0,30}$/i;

function aboutLiability(sentence: string): boolean {
  return /\bliab\w*/i.test(sentence.replace(INSURANCE_LIABILITY, ''));
}

/** Detects caps on liability, liability left uncapped, and liquidated damages. */
export const detectLiability: Detector = (doc: ContractDoc) => {
  const capped = sentencesWith(doc, LIABILITY, (s) => aboutLiability(s) && (AMOUNT_CAP.test(s) || (NOT_LIABLE.test(s) && INDIRECT_LOSS.test(s))));
  const timeLimited = sentencesWith(doc, CLAIM_TIME_LIMIT, () => true, 2);
  const cap = [...capped, ...timeLimited.filter((t) => !capped.some((c) => c.start === t.start))].sort((a, b) => a.start - b.start);

  // "The limitations in this Section shall not apply to...": the cap it refers to is usually the sentence before.
  const carveOuts = sentencesWith(doc, CAP_EXCEPTION, (s, _at, m) => {
    const before = doc.flat.slice(Math.max(0, m.index - 500), m.index);
    return aboutLiability(s) || /\bdamages\b/i.test(s) || (aboutLiability(before) && AMOUNT_CAP.test(before));
  });
  const exceptedCaps = sentencesWith(doc, LIABILITY, (s) => aboutLiability(s) && AMOUNT_CAP.test(s) && EXCEPT_BEFORE_CAP.test(s));
  const uncapped = [...carveOuts, ...exceptedCaps.filter((e) => !carveOuts.some((c) => c.start === e.start))].sort(
    (a, b) => a.start - b.start,
  );

  const liquidated = sentencesWith(doc, LIQUIDATED, (s, at) => !WAIVED.test(lookBehind(s, at, 40)));
  return {
    cap_on_liability: found(cap.slice(0, 5)),
    uncapped_liability: found(uncapped.slice(0, 5)),
    liquidated_damages: found(liquidated),
  };
};
