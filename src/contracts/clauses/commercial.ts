// The commercial family: exclusive dealing, minimum purchase commitments, and most-favoured-customer pricing.
import type { ContractDoc } from '../document.js';
import { type Detector, dedupe, found, lookBehind, sentencesWith } from './scan.js';

// An exclusive appointment, licence or supply relationship; "exclusive remedy" or "exclusive jurisdiction" is not.
const EXCLUSIVE_GRANT =
  /\bexclusive(?:ly)?\s*(?:\([^)]{0,80}\)\s*)?(?:(?:and\s+\w+\s+|worldwide\s+|world-wide\s+|perpetual\s+|royalty[-\s]free\s+|irrevocable[\s,]+|non-?\s?transferable[\s,]+|non-?\s?sublicensable[\s,]+|sublicensable[\s,]+|non-?\s?assignable[\s,]+|limited[\s,]+|personal[\s,]+|fully[-\s]paid\s+|(?:\([^)]{0,80}\)\s*)|,\s*)*)(?:right|rights|licen[cs]e|licen[cs]ee|distributor|distribution|distributorship|dealer|agent|agency|reseller|supplier|provider|source|sourcing|manufacturer|basis|territory|marketing|sales|seller|purchaser|partner|appointment|arrangement|relationship)\b|\b(?:purchase|buy|procure|source|obtain|order)\w*\s+(?:\w+\s+){0,4}?exclusively\s+from\b|\bsell\w*\s+(?:\w+\s+){0,4}?exclusively\s+(?:to|through)\b/gi;
// "the license granted herein shall be exclusive", "sales will be carried out exclusively by Distributor".
const EXCLUSIVE_STATED =
  /\b(?:licen[cs]e|rights?|appointment|distributorship|arrangement)\s+(?:\w+\s+){0,3}?(?:shall|will)\s+be\s+exclusive\b|\b(?:carried\s+out|made|conducted|sold|marketed|distributed|handled|performed)\s+exclusively\s+(?:and\s+\w+\s+)?(?:by|through)\b/gi;
// A promise not to deal with others: "shall not enter into any agreement with any other provider of", "shall be
// prohibited from developing ... for another", "shall not sell ... except through the Distributor".
const NO_OTHER_DEALING =
  /\b(?:shall|will|may|agrees?\s+to|covenants?\s+to)\s+not\s+(?:\w+\s+){0,3}?enter\s+into\s+(?:any|an)\s+(?:\w+\s+){0,4}?(?:agreements?|arrangements?|relationships?)\b[^.;]{0,160}\b(?:any\s+(?:other\s+)?(?:provider|third|competitor|company|person|party|entity|supplier|distributor|manufacturer|vendor)|other\s+than)\b|\bprohibited\s+from\s+(?:\w+\s+){0,2}?(?:develop|sell|market|distribut|manufactur|licens|promot|offer)\w*|\b(?:shall|will|may)\s+not\s+(?:\w+\s+){0,3}?(?:sell|supply|distribute|market)\b[^.;]{0,160}\bexcept\s+(?:by\s+\w+\s+)?through\b/gi;
const REQUIREMENTS =
  /\b(?:all|one\s+hundred\s+percent|100\s*%)\s*(?:\(\s*100\s*%\s*\)\s*)?of\s+(?:its|their|the\s+\w+'s|[A-Z]\w+'s)\s+(?:\w+\s+){0,3}?requirements\b/gi;
const NO_COMPETING =
  /\b(?:shall|will|agrees?|covenants?|undertakes?)\s+(?:\w+\s+){0,2}?not\s+(?:to\s+)?(?:\w+\s+){0,2}?(?:sell|supply|distribute|purchase|buy|procure|license|market|promote|manufacture|represent)\b[^.;]{0,160}\b(?:any\s+(?:other|third)\s+(?:party|parties|person|persons|supplier|suppliers|distributor|manufacturer|entity)|competing|competitive|competitor|similar\s+products)\b/gi;
// More ways to say it: an exclusive role with words in between ("the exclusive third party provider of", "exclusive
// automobile manufacturer sponsor"), a sole or only one ("sole agent", "the only distributor appointed"), a stated
// exclusivity ("the manufacturing license granted in this Agreement is exclusive"), and dealing only with each other
// ("work exclusively with", "exclusively repaired by", "procure the Products solely from").
// Words that make "exclusive" or "sole" about something else: a remedy, an obligation, a benefit, a jurisdiction.
const NOT_A_ROLE = String.raw`(?!(?:remed\w*|obligations?|liabilit\w*|benefit|jurisdiction|venue|right\s+to|property|ownership|title|to|its|their|those|the|such|for|by|with|and)\b)[\w-]+\s+`;
const ROLE = String.raw`(?:providers?|suppliers?|sponsors?|advis[eo]rs?|agents?|distributors?|resellers?|partners?|vendors?|manufacturers?|licensees?|dealers?|representatives?|branding|entitlement|sources?|customers?|purchasers?)\b(?!['’]s)`;
const EXCLUSIVE_ROLE = new RegExp(
  String.raw`\bexclusive\s+(?:${NOT_A_ROLE}){0,3}?${ROLE}|\b(?:sole|(?:the|its|their|as|be)\s+only)\s+(?:and\s+exclusive\s+)?(?:${NOT_A_ROLE}){0,2}?${ROLE}`,
  'gi',
);
const EXCLUSIVE_IS =
  /\b(?:licen[cs]es?|rights?|appointment|distributorship|arrangement|sponsorship|relationship)\b(?:[^.;]|\.(?=\d)){0,120}?\b(?:(?:shall|will)\s+be|is|are)\s+exclusive\b|\b(?:work|deal|partner|collaborate|cooperate)\w*\s+exclusively\s+with\b|\b\w+ed\s+exclusively\s+(?:by|through|via|from|to|with|for\s+the\s+benefit\s+of)\b|\b(?:purchase|buy|procure|source|obtain|order)\w*\s+(?:\w+\s+){0,4}?(?:solely|only)\s+from\b/gi;
// Promises not to appoint or deal with anyone else: "not to appoint additional distributors", "will grant no other
// licenses", "shall not engage in similar promotions with any other", "will not purchase ... from any entity other than".
const NO_OTHERS =
  /\bnot\s+(?:to\s+)?(?:appoint|grant|license|authori[sz]e|designate)\s+(?:any\s+)?(?:additional|other|another|further)\s+(?:\w+\s+){0,2}?(?:distributors?|licensees?|resellers?|agents?|dealers?|franchises?|licen[cs]es?|sponsors?|suppliers?)\b|\bgrant\s+no\s+other\s+(?:licen[cs]es?|rights|franchises?)\b|\b(?:shall|will|agrees?|covenants?|undertakes?)\s+(?:\w+\s+){0,2}?not\s+(?:to\s+)?(?:\w+\s+){0,2}?(?:engage|endorse|sponsor|accept|work|enter|obtain|grant|operate|appoint|advertise|display|purchase|buy|sell|supply|distribute|market|promote|represent|license|procure)\b[^.;]{0,200}\b(?:(?:with|from|to|for)\s+(?:any|an|a)\s+(?:other|third|competing|competitive)\b|another\s+(?:company|entity|person|party|supplier|provider|distributor|manufacturer|sponsor)|other\s+than\b|compet(?:ing|itive|itor)\b|(?:same|substantially)\s+(?:or\s+)?similar\b)/gi;
// What a promise not to deal concerns: not confidential information, staff, sublicences or security.
const NOT_RIVALS = /\bconfidential|\bsolicit|\bsublicens|\bassign|\bsecurity\s+interest|\blien\b|\bdisclos|\bemploy|\bhire\b/i;

// Ownership of work, remedies and enforcement rights are "exclusive rights" that restrict no one's dealings.
const NOT_DEALING = /^exclusive(?:ly)?\s+rights?\s*(?:(?:,|and)\s*(?:title|remed)|to\s+(?:terminate|sue|enforce|bring|defend|control|prosecute|cure|own))/i;
const NOT_EXCLUSIVE = /\bnon[-\s]?exclusive|\bnot\s+(?:be\s+)?(?:an?\s+)?exclusive|\bno\s+exclusiv|\bnothing\b[^.;]{0,80}\bexclusiv/i;

const MINIMUM =
  /\bminimum\s+(?:(?:annual|monthly|quarterly|yearly|weekly|guaranteed|aggregate|total|firm|cumulative|agreed)\s+)*(?:(?:product|unit|units|order|purchase|sales)\s+)*(?:purchases?|orders?|order\s+quantit(?:y|ies)|volumes?|quantit(?:y|ies)|commitments?|spend|units|revenues?|royalt(?:y|ies)|fees?|payments?|amounts?|number\s+of\s+units)\b|\bminimum\s+(?:(?:annual|monthly|quarterly|yearly)\s+)?(?:\w+\s+)?(?:purchase|order|volume)\s+requirements?\b|\bguaranteed\s+minimum\b|\b(?:annual|monthly|quarterly|yearly)\s+minimum\b|\btake[-\s]or[-\s]pay\b|\b(?:purchase|order|buy|acquire|sell)\s+(?:from\s+\w+\s+)?(?:at\s+least|not\s+less\s+than|no\s+less\s+than|a\s+minimum\s+of)\b/gi;
// A committed quantity written as "at least N" or "a minimum of N" after a duty to buy, pay, supply or deliver:
// "agrees to purchase ... for a total price of at least $X", "will deliver a minimum of N impressions".
const AT_LEAST =
  /\b(?:a\s+minimum\s+of|minimum\s+of|at\s+(?:a\s+)?minimum(?:,)?|at\s+least|not\s+less\s+than|no\s+less\s+than|no\s+fewer\s+than|not\s+fewer\s+than|equal\s+to\s+or\s+(?:greater|more)\s+than)\s+(?=(?:an?\s+)?(?:total\s+|aggregate\s+|amount\s+(?:of\s+|equal\s+to\s+)?|average\s+of\s+)?(?:amount\s+equal\s+to\b|[$€£]|US\$|USD|\d|\*|\[|X{3}|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)\b))/gi;
const COMMITTED_ACT =
  /\b(?:purchas|buy|order|spend|spent|pay|supply|deliver|provid|sell|guarantee|commit|invest|share|earn|generat|achiev|display|broadcast|perform|conduct|set\s+up|open|maintain|fund|contribut|promot|use|expend|make\s+available|produc|manufactur|distribut|run|place|serve|send|sold)\w*\b[^.;]{0,200}$/i;
const DUTY = /\b(?:shall|will|must|agrees?\s+to|undertakes?\s+to|commits?\s+to|(?:is|are)\s+(?:required|obligated)\s+to|guarantees?)\b/i;
// Durations, notice, insurance cover and liability limits are also "at least" something, and commit to no volume.
const QUANTITY = /^(?:an?\s+)?(?:[$€£]|US\$)?[\w,.*[\]]+(?:[-\s](?:hundred|thousand|and|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b)*\s*(?:\([^)]{0,20}\)\s*)?/i;
const NOT_A_VOLUME = /^(?:(?:calendar|business|working|consecutive|full)\s+)?(?:days?|weeks?|months?|years?|hours?|minutes?|anniversary)\b/i;
const OTHER_MINIMUMS = /\binsur\w*|\baudit\w*|\bunderpa\w*|\bcoverage\b|\bper\s+occurrence\b|\bliab\w*|\bnotice\b|\bshelf\s+life\b|\bvot(?:e|es|ing)\b|\bquorum\b|\binterest\s+rate\b/i;
// A guaranteed sum or a shortfall to be paid also commits a volume: "a minimum guarantee of $X", "pay the shortfall".
const GUARANTEED =
  /\bminimum\s+(?:\w+\s+)?guarantee\b|\bguaranteed\s+(?:service\s+)?(?:fee|revenues?|payments?|amount|sum|impressions|royalt(?:y|ies))\b|\b(?:pay|deliver|make\s+up)\w*\s+(?:\w+\s+){0,4}?shortfall\b|\bminimum\s+order\s+quantit(?:y|ies)\b|\bMOQ\b/gi;

// A volume promised by name: "the Quarterly Volume Commitment", "annual sales targets", "the Quotas"; a
// deficiency payment is what falling short of one costs.
const COMMITTED_VOLUME =
  /\b(?:purchase|purchasing|volume|sales|spend(?:ing)?|order|capacity)\s+commitments?\b|\b(?:sales?|purchase|purchasing|volume|revenue|order)\s+(?:targets?|quotas?)\b|\b(?:meet|achieve|reach|satisfy|attain|fail\w*\s+to\s+(?:meet|achieve|reach))\s+(?:\w+\s+){0,3}?(?:quotas?|targets?)\b|\bdeficiency\s+(?:payments?|fees?|amounts?|charges?)\b|\b(?:firm|binding)\s+(?:purchase\s+)?(?:orders?|commitments?)\b|\bminimum\b[^.;]{0,30}\b(?:lot|batch)\s+sizes?\b/gi;

const NO_MINIMUM =
  /\bno\s+(?:\w+\s+)?minimum|\bwithout\s+(?:any\s+)?minimum|\bnot\s+(?:be\s+)?(?:obligated|obliged|required|committed)\s+to\s+(?:purchase|order|buy)|\bno\s+obligation\s+to\s+(?:purchase|order|buy)/i;
// "minimum requirements" of a specification or the law are not a purchase commitment.
const NOT_A_COMMITMENT = /\bminimum\s+requirements?\s+(?:of|for|set|under|in)\b|\bminimum\s+wage/i;

// Most-favoured terms: named outright, or terms compared with what other customers get ("no less favourable than
// those offered to any other customer", "the lowest price charged to any third party", "not be charged a higher fee").
const MFN_NAMED = /\bmost[-\s]favou?r(?:ed|able)[-\s](?:nation|customer|client|licensee|pricing|price|prices|terms|status|treatment|rates?|basis|financial)\b/gi;
const MFN_COMPARED =
  /\b(?:(?:no|not)\s+(?:be\s+)?less\s+favou?rable|(?:at\s+least|equally)\s+as\s+favou?rable|as\s+favou?rable\s+as|(?:same\s+or\s+)?(?:more|better|most)\s+favou?rable|equal\s+to\s+or\s+(?:better|lower|less)\s+than|(?:no|not)\s+(?:be\s+)?(?:higher|greater)\s+than|as\s+low\s+as|lower\s+than|better\s+than|higher\s+(?:fees?|prices?|rates?|royalt(?:y|ies))\s+than|lowest\s+(?:net\s+)?(?:prices?|pricing|rates?|fees?|royalt(?:y|ies))|best\s+(?:prices?|pricing|terms|rates?)|preferred\s+pricing|highest\s+(?:then[-\s]current\s+)?rate|(?:not|never)\s+exceed\s+the\s+(?:\w+\s+)?(?:prices?|fees?|rates?|royalt(?:y|ies)|charges?)\s+(?:charged|paid|offered|granted))\b/gi;
// What is compared: the price or terms given, not quality or timing.
const MFN_OBJECT = /\b(?:prices?|pricing|terms|rates?|fees?|royalt(?:y|ies)|discounts?|remuneration|compensation|charges?|benefits|allowances|conditions|treatment)\b/i;
// Compared with what someone else gets: another customer, licensee or third party.
const OTHER_CUSTOMERS =
  /\b(?:any|all|another|other|such)\s+(?:(?:other|third|existing|future|similarly[-\s]situated|similar|comparable|new)\s+){0,2}(?:party|parties|customers?|clients?|purchasers?|licensees?|distributors?|resellers?|persons?|entit(?:y|ies)|compan(?:y|ies)|buyers?|collaborators?|users?)\b|\bthird[-\s]part(?:y|ies)\b|\bsimilarly[-\s]situated\b|\bother\s+(?:customers?|clients?|licensees?|distributors?)\b|\b(?:paid|charged|offered|granted|given|provided|extended|available|sold)\s+(?:by\s+\w+\s+)?to\s+(?:any|all|others|other|its\s+other|similar|similarly)\b/i;
// A matching promise: if one party grants another customer something, it grants the same here ("In the event that
// Licensor grants to another provider ..., Licensor shall also grant to Customer ...").
const MFN_MATCHING =
  /\b(?:if|in\s+the\s+event\s+(?:that\s+)?|should)\s+(?:[\w'-]+\s+){1,3}?(?:grants?|offers?|provides?|extends?|sells?|charges?|reduces?|lowers?|enters?\s+into|shall\s+enter\s+into)\b[^.;]{0,200}?\b(?:another|any\s+other|a\s+third\s+party|any\s+third\s+party)\b[^.]{0,400}?\b(?:shall|will)\s+(?:also\s+|promptly\s+|immediately\s+|likewise\s+)?(?:grant|offer|extend|provide|make\s+available|increase|reduce|adjust|amend)\b/gi;
// A right of first refusal or a negotiation standard compares with a rival offer or the market, not with customers.
const NOT_MFN = /\bfirst\s+refusal\b|\bmatch\s+(?:such|the|any)\s+(?:offer|bid)\b|\bmarket\s+(?:practice|rates?|terms|prices?)\b|\barm'?s[-\s]length\b/i;

/** Whether a sentence compares the terms one party gets with those another customer gets. */
function comparesWithOthers(sentence: string): boolean {
  return MFN_OBJECT.test(sentence) && OTHER_CUSTOMERS.test(sentence) && !NOT_MFN.test(sentence);
}

/** Detects exclusivity, minimum commitments and most-favoured-nation terms. */
export const detectCommercial: Detector = (doc: ContractDoc) => {
  const exclusive = [
    ...sentencesWith(
      doc,
      EXCLUSIVE_GRANT,
      (s, at) =>
        !NOT_EXCLUSIVE.test(lookBehind(s, at, 60)) &&
        !/\bnot\b[^.;]{0,20}$/i.test(lookBehind(s, at, 25)) &&
        !NOT_DEALING.test(s.slice(at, at + 80)),
    ),
    ...sentencesWith(doc, REQUIREMENTS, (s) => /\b(?:purchase|buy|procure|obtain|order|suppl)\w*/i.test(s)),
    ...sentencesWith(doc, NO_COMPETING, (s) => !/\bconfidential/i.test(s)),
    ...sentencesWith(doc, EXCLUSIVE_STATED, (s) => !NOT_EXCLUSIVE.test(s) && !/\b(?:laws?|jurisdiction|courts?|remed(?:y|ies))\b/i.test(s)),
    ...sentencesWith(doc, NO_OTHER_DEALING, (s) => !/\bconfidential|\bsolicit/i.test(s)),
    ...sentencesWith(doc, EXCLUSIVE_ROLE, (s, at) => !NOT_EXCLUSIVE.test(lookBehind(s, at, 60)) && !/\bconfidential/i.test(s)),
    ...sentencesWith(doc, EXCLUSIVE_IS, (s, at, m) => !NOT_EXCLUSIVE.test(s.slice(0, at + m[0].length)) && !/\b(?:laws?|jurisdiction|courts?|remed(?:y|ies)|arbitrat\w*|venue)\b/i.test(s)),
    // "other than" names the one party dealt with ("from any entity other than Cisco"), not an exception of kind.
    ...sentencesWith(doc, NO_OTHERS, (s, at, m) => !NOT_RIVALS.test(s) && (!/other\s+than$/i.test(m[0]) || /^\s*(?:the\s+)?[A-Z]/.test(s.slice(at + m[0].length)))),
  ];
  const minimum = sentencesWith(doc, MINIMUM, (s, at, m) => {
    if (NO_MINIMUM.test(s) || NOT_A_COMMITMENT.test(s.slice(at, at + 40))) return false;
    // "order at least 30 days in advance" is a lead time, not a quantity.
    if (/^(?:purchase|order|buy|acquire)/i.test(m[0]) && /^[^.;]{0,40}\b(?:in\s+advance|prior\s+to|before|notice)\b/i.test(s.slice(at + m[0].length))) {
      return false;
    }
    // A minimum amount of insurance cover is not a purchase commitment.
    return !(/\b(?:amounts?|fees?|payments?)\b/i.test(m[0]) && /\binsur|\bcoverage\b/i.test(s));
  });
  const atLeast = sentencesWith(doc, AT_LEAST, (s, at, m) => {
    const before = s.slice(Math.max(0, at - 200), at);
    if (!COMMITTED_ACT.test(before) || !DUTY.test(before) || OTHER_MINIMUMS.test(s) || NO_MINIMUM.test(s)) return false;
    return !NOT_A_VOLUME.test(s.slice(at + m[0].length).replace(QUANTITY, ''));
  });
  const guaranteed = sentencesWith(doc, GUARANTEED, (s) => !NO_MINIMUM.test(s) && !OTHER_MINIMUMS.test(s));
  const committed = sentencesWith(doc, COMMITTED_VOLUME, (s) => !NO_MINIMUM.test(s) && !/\bnon[-\s]?binding\b|\bSLA\b|\bservice\s+levels?\b|\bavailability\b|\buptime\b/i.test(s));
  const mfn = [
    ...sentencesWith(doc, MFN_NAMED),
    ...sentencesWith(doc, MFN_COMPARED, (s) => comparesWithOthers(s)),
    ...sentencesWith(doc, MFN_MATCHING, (s) => MFN_OBJECT.test(s) || /\bsame\b|\bequivalent\b/i.test(s)),
  ];
  return {
    exclusivity: found(dedupe(exclusive)),
    minimum_commitment: found(dedupe([...minimum, ...atLeast, ...guaranteed, ...committed])),
    most_favoured_nation: found(dedupe(mfn)),
  };
};
