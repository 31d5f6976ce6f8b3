// The assignment family: whether the contract may be assigned without the other party's consent, and what a
// change of control of a party sets off (a right to terminate, or a consent needed).
import type { ContractDoc } from '../document.js';
import { type Detector, found, leadIn, sentencesWith } from './scan.js';

const ASSIGN = /\b(?:assign|transfer|delegat|novat)\w*/gi;
// What is being assigned must be the contract or rights under it, not staff or title to work product.
const CONTRACT_OBJECT =
  /\b(?:this\s+(?:agreement|contract|amendment)|the\s+(?:agreement|contract)|(?:its|any|their|his|her|such\s+party's|either\s+party's|a\s+party's)\s+(?:\w+\s+){0,3}?(?:rights?|obligations?|interests?|duties|benefits?)|hereunder|any\s+part\s+(?:hereof|thereof)|in\s+whole\s+or\s+(?:in\s+)?part|may\s+not\s+be\s+(?:assigned|transferred))\b/i;
const RESTRICTED =
  /\b(?:may|shall|will|can|could)\s+not\b|\bcannot\b|\b(?:neither|no)\s+party\b|\bnot\s+(?:be\s+)?(?:freely\s+)?(?:assign|transfer)|\bwithout\s+(?:first\s+)?(?:obtaining\s+|having\s+obtained\s+)?(?:the\s+)?(?:\w+\s+){0,4}?(?:consent|approval|authori[sz]ation|agreement\s+in\s+writing)|\b(?:null\s+and\s+void|void|of\s+no\s+(?:force|effect))\b|\bsubject\s+to\s+(?:the\s+)?(?:\w+\s+){0,4}?consent\b|\b(?:requires?|required)\s+(?:the\s+)?(?:\w+\s+){0,3}consent\b/i;
const CONSENT_OR_NOTICE = /\bconsent|\bapprov|\bnotice|\bnotif|\bvoid\b|\bnull\b|\bnot\s+(?:be\s+)?(?:freely\s+)?(?:assign|transfer)/i;
const FREELY =
  /\bfreely\s+(?:assign|transfer)|\bmay\s+(?!not\b)(?:(?!not\b)\w+\s+){0,3}?(?:assign|transfer)\w*\b[^.;]{0,80}?\bwithout\s+(?:the\s+)?(?:need\s+for\s+|requiring\s+|obtaining\s+)?(?:any\s+)?(?:\w+\s+){0,2}?consent/i;

// Moving data, title, risk or staff is not assigning the contract.
const OTHER_OBJECT =
  /^\w+\s+(?:any\s+|the\s+|such\s+|its\s+|all\s+)?(?:personal\s+data|data|confidential\s+information|information|title|risk|personnel|employees?|staff|ownership|funds|goods|products)\b/i;
// An insolvency event, not a transfer of the contract.
const CREDITORS = /\bassign\w*\s+(?:\w+\s+){0,2}?for\s+the\s+benefit\s+of\s+(?:its\s+|their\s+|his\s+)?creditors/gi;

const CHANGE_OF_CONTROL =
  /\bchange\s+(?:of|in)\s+(?:the\s+)?(?:[\w,]+\s+){0,4}?(?:control|ownership)\b|\bcontrol\s+of\s+(?:either|such|the\s+other|a)\s+party\b[^.;]{0,60}\b(?:pass|transfer|change|acquire)\w*|\b(?:merger|consolidation|amalgamation|acquisition)\b|\b(?:sale|transfer|disposition|disposal)\s+(?:or\s+(?:other\s+)?(?:sale|transfer|disposition)\s+)?of\s+(?:all\s+or\s+)?substantially\s+all\b|\bcontrolling\s+(?:interest|stock|stake|shareholding|shares)\b|\bceases?\s+to\s+(?:own|hold|control)\b|\b(?:holds?|owns?)\s+(?:\w+\s+){0,2}?less\s+than\b|\b(?:is|are|be|being|becomes?)\s+acquired\s+by\b|\bmerges?\s+(?:with|into|or)\b|\btransfer\w*\s+(?:of\s+)?(?:the\s+)?ownership\b|\bacquir\w*\s+(?:all\s+or\s+)?substantially\s+all\b|\b(?:voting\s+(?:stock|securities|power|shares|interests?)|equity\s+interests?|ownership\s+interests?)\b[^.;]{0,80}\b(?:transfer|acquir|sold|sale|cease)\w*|\b(?:ownership|management)\s+(?:\w+\s+){0,2}?(?:is|are|be)\s+changed\b/gi;
// An event that sets something off: "upon a change of control", "in the event of a merger".
const UPON_EVENT = /\b(?:upon|on|following|after|in\s+(?:the\s+)?(?:case|event)\s+of|as\s+a\s+result\s+of)\s+(?:(?:a|any|such|the)\s+)?(?:\w+\s+or\s+)?$/i;
// Consent needed for a transfer that a merger or sale of the business counts as.
const CONSENT_NEEDED =
  /\b(?:may|shall|will|can)\s+not\b|\bcannot\b|\bneither\s+party\b|\bvoid\b|\b(?:prior|written)\s+(?:written\s+)?(?:consent|approval)\b|\bconsent\s+(?:\w+\s+){0,2}?(?:is\s+)?required\b|\bpreviously\s+approved\b/i;
// A merger exempted from a restriction ("except to a successor by merger", "no consent is required in connection
// with a merger", "may assign without consent upon a merger") sets nothing off.
const PERMITTED =
  /\bexcept\b(?!\s+(?:with|upon)\s+(?:the\s+)?(?:[\w']+\s+){0,3}?(?:prior\s+)?(?:written\s+)?(?:consent|approval)|\s+as\s+(?:otherwise\s+)?(?:expressly\s+)?(?:provided|set\s+forth|permitted|stated))|\bprovided\b[^.;]{0,30}\bmay\b|\bno\s+(?:such\s+)?(?:consent|approval)\b|\b(?:shall|will)\s+consent\b|\bmay\s*,?\s*without\b|(?<!\b(?:neither|no)\s+(?:party|parties)\s+)\bmay\s+(?!not\b)(?:(?!not\b)\w+\s+){0,4}?(?:assign|transfer|novate)\w*\b/i;
// A definition of the event counts: CUAD labels the definition with the clause that uses it.
const DEFINED = /^"?(?:change\s+(?:of|in)\s+control|[\w\s]{0,30}(?:change|event))"?\s+(?:shall\s+)?means?\b/i;

/** Detects restrictions on assignment and change-of-control provisions. */
export const detectAssignment: Detector = (doc: ContractDoc) => {
  const antiAssignment = sentencesWith(doc, ASSIGN, (sentence, at) => {
    const s = sentence.replace(CREDITORS, ' ');
    if (new RegExp(CREDITORS.source, 'i').test(sentence.slice(at, at + 80))) return false;
    if (OTHER_OBJECT.test(s.slice(at, at + 60))) return false;
    // What is assigned sits near the verb: "may not assign this Agreement", "this Agreement may not be assigned".
    if (!CONTRACT_OBJECT.test(s.slice(Math.max(0, at - 120), at + 150))) return false;
    if (!RESTRICTED.test(s) || !CONSENT_OR_NOTICE.test(s)) return false;
    // "either party may assign freely" restricts nothing, unless a restriction is stated besides.
    return !FREELY.test(s) || /\b(?:neither|no)\s+party\b|\b(?:may|shall|will|can)\s+not\b|\bcannot\b|\bvoid\b/i.test(s);
  });
  const changeOfControl = sentencesWith(doc, CHANGE_OF_CONTROL, (s, at, m) => {
    if (PERMITTED.test(s.slice(0, at)) && !/\bterminat/i.test(s)) return false;
    // A merger that is "not deemed an assignment" is expressly not a change-of-control event.
    if (/\bnot\s+(?:be\s+)?(?:deemed|considered)\b/i.test(s)) return false;
    const context = `${leadIn(doc, doc.sentence(m.index).start)} ${s}`;
    if (UPON_EVENT.test(s.slice(Math.max(0, at - 40), at))) return true;
    if (/^change|^control/i.test(m[0])) return /\bterminat|\bconsent|\bnotice|\bnotif|\bassign|\bapprov|\bmeans?\b|\bdeemed\b/i.test(context);
    if (DEFINED.test(s.replace(/^[^"]{0,40}"/, '"')) || /"[^"]{2,40}"\s+(?:shall\s+)?means?\b/i.test(s.slice(0, at))) return /\bcontrol|\bmerger|\bacqui|\bownership/i.test(s);
    if (/\bdeemed\s+(?:to\s+be\s+|to\s+constitute\s+)?an?\s+(?:assignment|transfer)/i.test(s)) return true;
    // "may not be assigned ... in connection with a merger" without consent: consent is needed on the event (a
    // merger exempted from it was set aside above).
    if (/\b(?:assign|transfer)\w*/i.test(s) && CONSENT_NEEDED.test(s)) return true;
    if (/\bnotif(?:y|ication)\b/i.test(s)) return true;
    const near = `${leadIn(doc, doc.sentence(m.index).start)} ${s.slice(Math.max(0, at - 200), at + 200)}`;
    return /\bterminat\w*/i.test(near) && /\b(?:may|right\s+to|entitled\s+to|option\s+to|(?:shall|will)\s+(?:automatically\s+)?terminate)\b/i.test(near);
  });
  return { anti_assignment: found(antiAssignment), change_of_control: found(changeOfControl) };
};
