// The governing-law family: which jurisdiction's law governs the contract.
import type { ContractDoc } from '../document.js';
import { extractGoverningLaw, type LawTerms } from '../governing-law.js';
import { type Detector, quote } from './scan.js';

// A choice-of-law sentence naming a place the jurisdiction list does not know: the name is read as written.
const CHOICE_OF_LAW =
  /\b(?:governed\s+by|construed\s+(?:and\s+\w+\s+)?(?:in\s+accordance\s+with|under)|subject\s+to)\s+(?:and\s+construed\s+in\s+accordance\s+with\s+)?(?:the\s+)?(?:(?:internal|domestic|substantive|local)\s+)?[Ll]aws?\s+of\s+(?:the\s+)?(?:(?:[Ss]tate|[Cc]ommonwealth|[Pp]rovince|[Rr]epublic|[Kk]ingdom)\s+of\s+)?([A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+){0,3})/g;

// "subject to the laws of X on export control" is a compliance duty, not a choice of law.
function isChoiceOfLaw(sentence: string): boolean {
  return /\bgovern|\bconstru|\binterpret/i.test(sentence) || !/\bexport|\bimport|\bsanction|\bcompl(?:y|iance)/i.test(sentence);
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
  const place = namedPlace(doc);
  if (!place) return {};
  return { governing_law: { spans: [quote(doc, doc.sentence(place.at))], value: place.name } };
};
