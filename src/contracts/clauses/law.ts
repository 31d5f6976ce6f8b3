// The governing-law family: which jurisdiction's law governs the contract.
import type { ContractDoc } from '../document.js';
import { extractGoverningLaw, jurisdictionAt, type LawTerms } from '../governing-law.js';
import { type Detector, quote } from './scan.js';

// A choice-of-law sentence naming a place the jurisdiction list does not know: the name is read as written.
const CHOICE_OF_LAW =
  /\b(?:governed\s+by|construed\s+(?:and\s+\w+\s+)?(?:in\s+accordance\s+with|under)|subject\s+to)\s+(?:and\s+construed\s+in\s+accordance\s+with\s+)?(?:the\s+)?(?:(?:internal|domestic|substantive|local)\s+)?[Ll]aws?\s+of\s+(?:the\s+)?(?:(?:[Ss]tate|[Cc]ommonwealth|[Pp]rovince|[Rr]epublic|[Kk]ingdom)\s+of\s+)?([A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+){0,3})/g;

// "subject to the laws of X on export control" is a compliance duty, not a choice of law.
function isChoiceOfLaw(sentence: string): boolean {
  return /\bgovern|\bconstru|\binterpret/i.test(sentence) || !/\bexport|\bimport|\bsanction|\bcompl(?:y|iance)/i.test(sentence);
}

// Other choice-of-law wordings, case aside: "interpreted and enforced in accordance with the laws of", "governed in
// all respects by the Laws of", "determined in accordance with the laws, other than choice of law rules, of", "THE
// LAWS OF THE STATE OF TEXAS ... SHALL CONTROL", "The laws of the State of New York ... govern all matters".
const LAW_CHOSEN =
  /\b(?:governed|construed|interpreted|enforced|determined|controlled|resolved|performed)\b[^.;]{0,160}?\b(?:in\s+accordance\s+with|under|by|according\s+to|pursuant\s+to)\s+(?:the\s+)?(?:(?:internal|domestic|substantive|local)\s+)?laws?(?:\s+and\s+judicial\s+decisions)?(?:\s*,[^,;]{0,60},)?\s+of\s+|\b(?:the\s+)?laws?\s+of\s+(?=[^.;]{0,160}?\b(?:govern|shall\s+(?:apply|control)))/gi;

/** A jurisdiction named after a choice-of-law wording, known or read as written. */
function chosenPlace(doc: ContractDoc): { at: number; name: string } | undefined {
  for (const m of doc.flat.matchAll(LAW_CHOSEN)) {
    const sentence = doc.flatSlice(doc.sentence(m.index));
    if (!isChoiceOfLaw(sentence) || !/\bgovern|\bconstru|\binterpret|\benforc|\bcontrol|\bdetermin/i.test(sentence)) continue;
    const at = m.index + m[0].length;
    const known = jurisdictionAt(doc.flat, at);
    if (known) return { at: m.index, name: known };
  }
  return undefined;
}

function namedPlace(doc: ContractDoc): { at: number; name: string } | undefined {
  for (const m of doc.flat.matchAll(CHOICE_OF_LAW)) {
    const name = m[1]!.replace(/\s+(?:Without|Excluding|Including|Applicable|And|Except)\b.*$/, '');
    if (/^(?:This|Such|Any|Each|The|That)$/.test(name) || !isChoiceOfLaw(doc.flatSlice(doc.sentence(m.index)))) continue;
    return { at: m.index, name };
  }
  return undefined;
}

/** Detects the governing law and reads the jurisdiction it names. */
export const detectLaw: Detector = (doc) => {
  const terms: LawTerms = { clauses: [] };
  extractGoverningLaw(doc, terms);
  const clause = terms.clauses[0];
  if (clause && isChoiceOfLaw(clause.text) && terms.governingLaw) {
    return {
      governing_law: {
        spans: [quote(doc, { start: clause.start ?? 0, end: clause.end ?? 0 })],
        value: terms.governingLaw,
      },
    };
  }
  const place = namedPlace(doc) ?? chosenPlace(doc);
  if (!place) return {};
  return { governing_law: { spans: [quote(doc, doc.sentence(place.at))], value: place.name } };
};
