// The compliance family: a right to audit the other party's books, records or premises, and insurance one party
// must keep for the other's benefit.
import type { ContractDoc } from '../document.js';
import { type Detector, dedupe, found, sentencesWith } from './scan.js';

const AUDIT = /\baudit(?:s|ing|or|ors)?\b|\binspect(?:ed|ing|ion|ions)?\b|\bexamin(?:e|ed|ing|ation|ations)\b/gi;
const AUDIT_OBJECTS =
  /\b(?:books|records|accounts|ledgers|facilit(?:y|ies)|premises|plants?|factor(?:y|ies)|warehouses?|documents|documentation|systems|procedures|operations|sites?|locations?|materials?|inventor(?:y|ies))\b/i;
// Who pays for an audit, or what it may reveal, presupposes the right to one.
const AUDIT_OUTCOME =
  /\b(?:cost|costs|expenses?|fees?)\s+(?:\w+\s+){0,4}?(?:of|for|in\s+connection\s+with)\s+(?:such\s+|the\s+|any\s+|an\s+)?(?:audit|inspection|examination)s?\b|\b(?:audit|inspection|examination)\s+(?:reveals|shows|discloses|determines|finds|uncovers)\b|\bavailable\s+(?:\w+\s+){0,3}?for\s+(?:\w+\s+){0,2}?(?:inspection|audit|examination)\b|\b(?:audit|inspection)\s+rights?\b/i;
const RIGHT_OR_DUTY =
  /\b(?:right\s+to|may|shall\s+(?:permit|allow|provide|make\s+available|grant|afford|cooperate)|will\s+(?:permit|allow|provide|make\s+available|grant|cooperate)|agrees?\s+to\s+(?:permit|allow|provide)|upon\s+(?:reasonable\s+)?(?:request|notice)|access\s+to|entitled\s+to|subject\s+to\s+(?:audit|inspection)|right\b[^.;]{0,160}?\bto\s+(?:\w+\s+){0,3}?(?:inspect|audit|examin\w*|review|visit|copy)|upon\s+(?:reasonable\s+)?(?:prior\s+|advance\s+)?(?:written\s+)?(?:request|notice)|permit|make\s+(?:\w+\s+){0,4}?available|(?:made\s+)?available|accessible|open\s+to|access)\b/i;
const AUDIT_ACT = /\b(?:conduct|perform|carry\s+out|undertake|request)\w*\s+(?:an?\s+|such\s+|any\s+)?(?:\w+\s+)?audits?\b|\baudit\s+rights?\b|\bright\s+to\s+audit\b|\bsubject\s+to\s+audit\b/i;
// Financial-statement audits and committees are not a right over the other party.
const NOT_AN_AUDIT_RIGHT = /\baudited\s+(?:financial|annual|consolidated|balance)|\baudit\s+committee\b|\bannual\s+audit\s+of\s+(?:its|the\s+company's)\s+financial\b/i;

const INSURANCE =
  /\binsurance\b|\binsured\b|\binsurers?\b|\binsure[sd]?\b|\b(?:general|products?|professional|public|employers'?|auto(?:mobile)?|umbrella|excess|cyber)\s+(?:and\s+\w+\s+)?liability\s+(?:coverage|cover|polic(?:y|ies))\b/gi;
// Payroll and public schemes called "insurance" are not cover kept for the other party.
const NOT_COVER = /\b(?:national|social|unemployment|deposit|health\s+insurance\s+portability)\s+insurance\b|\binsurance\s+(?:company|companies|business|products?|agency|agent|industry)\b(?!\s+(?:rated|with|having|acceptable|reasonably|licensed|authori[sz]ed|of\s+(?:recognised|recognized|good|reputable)))/gi;
// An obligation to keep cover: a duty, then the act of insuring, then the insurance itself.
const KEEP_COVER =
  /\b(?:shall|will|must|agrees?\s+to|undertakes?\s+to|(?:is|are)\s+(?:required|responsible)\s+(?:to|for)|covenants?\s+to|obligated\s+to|represents\s+and\s+warrants\s+that\s+it\s+(?:has|will))\b[^.;]{0,60}\b(?:maintain|carry|procure|obtain|keep|purchase|secure|take\s+out|provide|arrange|acquire)\w*\b[^.;]{0,120}\b(?:insurance|insured|cover(?:age)?|polic(?:y|ies))\b|\b(?:shall|will|must|agrees?\s+to)\s+(?:\w+\s+){0,2}?(?:be\s+)?(?:jointly\s+)?insure[ds]?\b/i;
const COVER_DETAIL =
  /\badditional(?:ly)?\s+(?:named\s+)?insureds?\b|\bcertificates?\s+of\s+(?:\w+\s+){0,2}?insurance\b|\binsurance\b[^.;]{0,80}\b(?:cancell?ed|cancellation|reduced|materially\s+changed)\b|\b(?:insurance|policy|policies|coverage)\b[^.;]{0,100}\b(?:limits?\s+of|not\s+less\s+than|minimum\s+(?:of|amount)|per\s+occurrence|in\s+the\s+aggregate)\b/i;

// Books and records opened to the other party, however the audit is named: "shall make said books available to
// North on reasonable notice", "records ... accessible for inspection by the Owner", "access to the records".
const RECORDS_OPEN =
  /\b(?:books|records|accounts)\b[^.;]{0,200}?\b(?:available|accessible|open\s+to)\b|\baccess\s+(?:\w+\s+){0,3}?to\s+(?:\w+\s+){0,4}?(?:books|records|accounts|premises|facilit(?:y|ies))\b/gi;
const WHEN_ASKED = /\brequest\w*|\bnotice\b|\breasonabl[ey]\b|\b(?:normal|regular)\s+(?:business|working)\s+hours\b|\binspection\b|\bexamination\b|\baudit\w*|\brepresentatives?\b/i;

/** Detects audit rights and insurance requirements. */
export const detectCompliance: Detector = (doc: ContractDoc) => {
  const audit = sentencesWith(doc, AUDIT, (s, at) => {
    if (NOT_AN_AUDIT_RIGHT.test(s)) return false;
    if (AUDIT_OUTCOME.test(s)) return true;
    if (!RIGHT_OR_DUTY.test(s)) return false;
    const word = s.slice(at, at + 12).toLowerCase();
    // "records ... to be examined": what is examined may come before the word.
    return word.startsWith('audit') ? AUDIT_OBJECTS.test(s) || AUDIT_ACT.test(s) : AUDIT_OBJECTS.test(s.slice(Math.max(0, at - 80), at + 300));
  });
  audit.push(...sentencesWith(doc, RECORDS_OPEN, (s) => WHEN_ASKED.test(s) && !NOT_AN_AUDIT_RIGHT.test(s) && !/\bconfidential\s+information\b/i.test(s)));
  const insurance = sentencesWith(doc, INSURANCE, (s) => {
    const cleaned = s.replace(NOT_COVER, '');
    if (!new RegExp(INSURANCE.source, 'i').test(cleaned)) return false;
    if (/\b(?:not\s+be\s+required|no\s+obligation)\s+to\s+(?:maintain|carry|obtain)/i.test(cleaned)) return false;
    return COVER_DETAIL.test(cleaned) || KEEP_COVER.test(cleaned);
  });
  return { audit_rights: found(dedupe(audit)), insurance: found(insurance) };
};
