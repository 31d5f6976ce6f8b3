// The liability family: caps on liability (amount caps, exclusions of indirect loss, time limits on claims),
// liability left uncapped (carve-outs from a cap), and liquidated damages or termination fees.
import type { ContractDoc } from '../document.js';
import { PERIOD_SRC } from '../periods.js';
import { capAmount, capAmountText } from './cap-amount.js';
import { type Detector, dedupe, found, lookBehind, sentencesWith } from './scan.js';

const LIABILITY_OR_DAMAGES = /\bliabilit(?:y|ies)\b|\bliable\b|\bdamages\b/gi;
/** `r` with a dot between digits read as part of the sentence ("Section 10.5 shall not be construed to limit"). */
const withSectionNumbers = (r: RegExp) => new RegExp(r.source.replaceAll('[^.;]', String.raw`(?:[^.;]|\.(?=\d))`), r.flags);
// An amount cap: "shall not exceed", "limited to", "capped at", "in excess of the fees paid", "in no event shall its
// liability ... exceed", "liable for no more than".
const AMOUNT_CAP =
  /\b(?:shall|will|may|does|do)\s+(?:not|in\s+no\s+(?:event|case)|under\s+no\s+circumstances?)\s+(?:\w+\s+){0,3}?exceed\b|\bnot\s+(?:to\s+)?exceed\b|\b(?:be|is|are)\s+(?:limited|capped)\s+(?:in\s+(?:the\s+)?aggregate\s+)?(?:to|at)\b|\bliability\s+cap\b|\bin\s+excess\s+of\s+(?:the\s+)?(?:total\s+|aggregate\s+)?(?:amounts?|fees|sums?|price|charges|compensation)\b|\bmaximum\s+(?:aggregate\s+)?liability\b|\bin\s+no\s+(?:event|case)\b[^.;]{0,250}?\b(?:exceed|greater\s+than|more\s+than)\b|\bneither\b[^.;]{0,120}?\b(?:shall|will)\s+(?:\w+\s+){0,2}?exceed\b|\b(?:liable|responsible)\s+(?:\w+\s+){0,3}?for\s+no\s+more\s+than\b|\b(?:aggregate|cumulative|total|entire)\s+(?:\w+\s+){0,2}?liability\b[^.;]{0,200}?\b(?:shall|will|is)\s+(?:be\s+)?(?:equal\s+to|the\s+lesser|the\s+greater|limited)/i;
// An exclusion of indirect or consequential loss.
const INDIRECT_LOSS =
  /\b(?:indirect|incidental|consequential|special|punitive|exemplary)\b[^.;]{0,40}\b(?:damages?|loss(?:es)?|costs)\b|\b(?:lost|loss\s+of)\s+(?:profits?|revenues?|business|goodwill|savings|data)\b/i;
const NOT_LIABLE =
  /\b(?:in\s+no\s+event|under\s+no\s+circumstances?|(?:shall|will|does|do|is|are)\s+not\s+(?:in\s+any\s+(?:manner|event|way)\s+)?(?:be\s+)?(?:held\s+)?(?:liable|responsible)|(?:neither|no)\s+party\s+(?:shall|will)\s+(?:be\s+|have\s+any\s+)?liab\w*|(?:shall|will)\s+have\s+no\s+liability|exclud\w*\s+(?:all\s+)?liability|disclaims?\s+(?:all\s+|any\s+)?(?:obligations\s+and\s+)?liabilit\w*|entitled\s+to\s+recover|(?:shall|will)\s+(?:\w+\s+){0,3}?(?:be\s+)?(?:liable|responsible)\s+(?:\w+\s+){0,3}?(?:only|solely)\b)/i;
// "neither X nor Y shall be liable", with the parties named at length or an aside in between ("NEITHER PARTY WILL,
// UNDER ANY CIRCUMSTANCES, BE LIABLE").
const NEITHER_LIABLE = /\b(?:neither|no)\b[^.;]{0,200}?\b(?:shall|will|may)\b(?:\s*,[^,.;]{0,60},)?\s+(?:be\s+|have\s+any\s+)?(?:liable|liability|responsible|subject\s+to\s+any\s+liability)/i;
// A waiver of indirect or punitive damages limits what can be recovered just as an exclusion does.
const DAMAGES_WAIVED = /\bwaives?\b[^.;]{0,160}\b(?:consequential|punitive|exemplary|special|incidental|indirect)\b[^.;]{0,80}\bdamages\b/i;
// What a party may recover limited to one remedy: "sole and exclusive remedy", "entire liability".
const SOLE_REMEDY = /\b(?:sole|exclusive)\s+(?:and\s+exclusive\s+|and\s+sole\s+)?(?:remed(?:y|ies)|liability)\b|\bentire\s+(?:liability|obligation)\b/gi;
const CLAIM_TIME_LIMIT = new RegExp(
  `\\b(?:(?:no|any|neither|all)\\b[^.;]{0,60}\\b(?:action|claim|suit|proceeding)s?\\b[^.;]{0,200}\\b(?:brought|bring|commenced?|filed|asserted|instituted)|(?:neither|no)\\b[^.;]{0,60}\\b(?:bring|commence|file|institute|assert)\\s+(?:a|an|any)\\s+(?:\\w+\\s+){0,2}?(?:action|claim|suit|proceeding)s?)\\b[^.;]{0,80}\\b(?:more\\s+than|later\\s+than|within|after)\\s+${PERIOD_SRC}`,
  'gi',
);
// A carve-out from a cap: the cap does not apply to some liabilities, which are therefore uncapped.
const CAP_EXCEPTION = withSectionNumbers(
  /\b(?:limitations?|exclusions?|caps?|limits?)\b[^.;]{0,160}\b(?:shall|will|do|does)\s+not\s+(?:apply|be\s+available)\s+(?:to|in|with\s+respect\s+to|for)\b|\bnothing\s+in\s+this\s+(?:agreement|clause|section|article|paragraph)\b[^.;]{0,100}\b(?:limits?|excludes?|restricts?)\b[^.;]{0,60}\bliabilit|\bunlimited\s+liability\b|\bliabilit(?:y|ies)\b[^.;]{0,80}\b(?:shall|will)\s+be\s+unlimited\b|\bwithout\s+(?:any\s+)?(?:limit|limitation|cap)\s+(?:as\s+to\s+amount|on\s+(?:the\s+)?(?:amount|liability))\b|\bno\s+limit\s+applies\b|\bnone\s+of\s+the\s+(?:\w+\s+){0,2}?(?:limitations?|exclusions?)\b[^.;]{0,160}\b(?:shall|will)\s+(?:apply|be\s+available)\b/gi,
);
// A limit whose own scope is cut back: "this Section does not apply to", "shall not be construed to limit",
// "are excluded from these limitations", "nothing in this Section is intended to limit".
const LIMIT_DISAPPLIED = withSectionNumbers(
  /\b(?:section|article|clause|paragraph|sentence|provision|provisions|limitations?|exclusions?|foregoing)\b[^.;]{0,120}\b(?:(?:shall|will|does|do|is|are)\s+(?:neither\s+|not\s+)(?:\(\w\)\s+)?(?:be\s+construed\s+to\s+|be\s+deemed\s+to\s+|intended\s+to\s+|operate\s+to\s+)?(?:apply|limit|restrict)|(?:shall|will)\s+be\s+inapplicable)\b|\bexcluded\s+from\s+(?:these|the|such|this|any)\s+(?:\w+\s+)?limitations?\b|\bnothing\b[^.;]{0,120}\b(?:is\s+intended\s+to|shall|will)\s+(?:\w+\s+){0,2}?(?:limit|restrict|exclude)\b|\bwaives?\b[^.;]{0,60}\b(?:limitations|liability\s+caps?)\b/gi,
);
// An exception written into the limit itself: "Except for breaches of confidentiality, in no event ...".
const EXCEPTED = /\bexcept\b(?!\s+as\s+(?:otherwise\s+)?(?:expressly\s+)?(?:provided|set\s+forth|stated)\s+(?:in\s+this\s+agreement|herein)\b|\s+as\s+(?:may\s+)?(?:otherwise\s+)?(?:be\s+)?required\s+by\b)|\bwith\s+the\s+exception\s+of\b|\bsave\s+(?:for|in\s+respect\s+of)\b/i;
const LIMIT_CONTEXT = /\bliab\w*|\bdamages\b|\bindemni\w*/i;
const LIQUIDATED =
  /\bliquidated\s+damages\b|\b(?:early\s+)?termination\s+(?:fee|charge|penalty|payment)s?\b|\bbreak(?:age)?\s+fees?\b|\b(?:payment\s+)?penalt(?:y|ies)\s+(?:of\b|equal\s+to\b|(?:shall|will)\s+(?:apply|be\s+(?:applied|assessed|charged|payable|due)))|\bpenalty\s+(?:fee|payment|charge|amount)s?\b/gi;
// A sum fixed in advance for a termination, breach or failure: "In the event Dova terminates ..., Dova shall pay
// ... an amount equal to", "if a Party hires an employee in violation of ..., it shall pay ... an amount equal to".
// A dot between digits is a section number ("Section 12.3.1"), not the end of the sentence.
const PAYMENT_ON_EVENT =
  /\b(?:in\s+the\s+event|if|upon|should)\b(?:[^.;]|\.(?=\d)){0,160}?\b(?:terminat\w*|violat\w*|breach\w*|fails?\s+to|failure\s+to|solicit\w*)\b(?:[^.;]|\.(?=\d)){0,300}?\b(?:shall|will|agrees\s+to)\s+(?:\w+\s+){0,3}?(?:pay|make\s+(?:a\s+)?payments?)\b(?:[^.;]|\.(?=\d)){0,160}?\b(?:an?\s+amount\s+equal\s+to|(?:a|the)\s+sum\s+(?:of|equal\s+to))\b/gi;
// What was earned or incurred before a termination is paid anyway, and fixes no sum for the termination itself.
const ACCRUED = /\baccrued\b|\bshortfall\b|\bearned\b|\b(?:performed|rendered|delivered|incurred)\s+(?:\w+\s+){0,3}?(?:prior\s+to|before|through|up\s+to)\b|\bthrough\s+the\s+(?:date|effective\s+date)\s+of\s+termination\b|\breimburse/i;
// Kinds of insurance cover name "liability" without limiting anyone's.
const INSURANCE_LIABILITY =
  /\b(?:(?:general|products?|professional|public|employers'?|automobile|auto|umbrella|excess|cyber|third[-\s]party)\s+liability|liability\s+(?:insurance|coverage|policy|policies|insurer))\b/gi;
const WAIVED = /\b(?:no|without|not|free\s+of|any\s+and\s+all)\b[^.;]{0,30}$/i;

function aboutLiability(sentence: string): boolean {
  return /\bliab\w*/i.test(sentence.replace(INSURANCE_LIABILITY, ''));
}

/** Whether a sentence limits liability: an amount cap, an exclusion of indirect loss, or a waiver of it. */
function limitsLiability(sentence: string): boolean {
  const about = aboutLiability(sentence) || /\bdamages\b/i.test(sentence);
  return (
    (about && AMOUNT_CAP.test(sentence)) ||
    ((NOT_LIABLE.test(sentence) || NEITHER_LIABLE.test(sentence)) && INDIRECT_LOSS.test(sentence)) ||
    DAMAGES_WAIVED.test(sentence)
  );
}

/** Detects caps on liability, liability left uncapped, and liquidated damages. */
export const detectLiability: Detector = (doc: ContractDoc) => {
  const capped = sentencesWith(doc, LIABILITY_OR_DAMAGES, (s) => limitsLiability(s));
  const timeLimited = sentencesWith(doc, CLAIM_TIME_LIMIT, () => true, 2);
  // "sole and exclusive remedy" for a breach, "the entire liability of": what a party may recover is limited.
  const soleRemedy = sentencesWith(doc, SOLE_REMEDY, (s) => /\b(?:breach|failure|infring\w*|claims?|defect\w*|warrant\w*|damages|liabilit\w*)\b/i.test(s), 2);
  const cap = dedupe([...capped, ...timeLimited, ...soleRemedy]);

  // "The limitations in this Section shall not apply to...": the cap it refers to is usually the sentence before.
  const carveOuts = sentencesWith(doc, CAP_EXCEPTION, (s, _at, m) => {
    const before = doc.flat.slice(Math.max(0, m.index - 500), m.index);
    return aboutLiability(s) || /\bdamages\b/i.test(s) || (aboutLiability(before) && AMOUNT_CAP.test(before));
  });
  const disapplied = sentencesWith(doc, LIMIT_DISAPPLIED, (s, _at, m) => {
    const before = doc.flat.slice(Math.max(0, m.index - 500), m.index);
    return LIMIT_CONTEXT.test(s) || limitsLiability(before);
  });
  // An exception ahead of any exclusion of liability leaves the excepted liability out of it, whatever is excluded
  // ("EXCEPT FOR [**], IN NO EVENT WILL EITHER PARTY BE LIABLE FOR [**]").
  const exceptedLimits = sentencesWith(doc, LIABILITY_OR_DAMAGES, (s) => {
    const except = EXCEPTED.exec(s);
    if (!except) return false;
    const rest = s.slice(except.index);
    return limitsLiability(s) || NOT_LIABLE.test(rest) || NEITHER_LIABLE.test(rest);
  });
  const uncapped = dedupe([...carveOuts, ...disapplied, ...exceptedLimits]);

  const liquidated = dedupe([
    ...sentencesWith(doc, LIQUIDATED, (s, at) => !WAIVED.test(lookBehind(s, at, 40))),
    ...sentencesWith(doc, PAYMENT_ON_EVENT, (s) => !ACCRUED.test(s)),
  ]);
  const amount = cap.map((c) => capAmount(doc.flatSlice(c))).find((a) => a !== undefined);
  return {
    cap_on_liability: found(cap, amount ? capAmountText(amount) : 'Yes'),
    uncapped_liability: found(uncapped),
    liquidated_damages: found(liquidated),
  };
};
