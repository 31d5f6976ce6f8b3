// The claim filter: a language model may explain, but it may not announce outcomes. A sentence that states an
// outcome (approved, raised, ordered, paid, put on hold, …) stays only when something recorded supports it: a
// governance decision of this turn, or a record the tools read in this turn that states the same outcome of the
// same subject ("We have paid Refinitiv Ltd monthly" after reading Refinitiv's payments). The assistant itself
// never does any of these things, so "I have raised the order" is never supported.
import type { ActionDecision } from './types.js';

export type ClaimEvidence = {
  /** Governance's decisions in this turn (what ran, what waits). */
  decisions?: readonly ActionDecision[];
  /** Texts of the records read in this turn (tool results). */
  records: readonly string[];
};

export type FilteredText = { text: string; removed: string[] };

type Outcome = { name: string; claim: RegExp; record: RegExp; decided?: (d: ActionDecision) => boolean };

const auto = (kind: string) => (d: ActionDecision) => d.outcome === 'auto' && d.kind === kind && d.result !== undefined;

const OUTCOMES: readonly Outcome[] = [
  { name: 'approved', claim: /\b(?:approved|authori[sz]ed|signed off)\b/i, record: /\bapproved\b/i },
  { name: 'paid', claim: /\b(?:paid|settled|released (?:the )?(?:payment|invoice)s?)\b/i, record: /\b(?:paid|payments?)\b/i },
  {
    name: 'ordered',
    claim: /\b(?:raised|ordered|placed|issued)\b/i,
    record: /\b(?:purchase orders?|PO-?\d+)\b/i,
    decided: auto('create_purchase_order'),
  },
  { name: 'put on hold', claim: /\b(?:(?:put|placed)\b.*\bon hold|(?:is|are|now|been) on hold|blocked|suspended)\b/i, record: /\bon[ _]hold\b/i, decided: auto('put_supplier_on_hold') },
  { name: 'done', claim: /\b(?:awarded|renewed|terminated|cancelled|executed)\b/i, record: /\b(?:awarded|renewed|terminated|cancelled)\b/i },
];

// A clause that denies, conditions or merely proposes an outcome states none ("it is not approved", "once approved",
// "needs to be approved", "I propose raising…").
const NOT_A_CLAIM =
  /\b(?:not|never|no|nothing|none|cannot|can't|won't|isn't|aren't|wasn't|weren't|hasn't|haven't|hadn't|would|could|should|will|shall|may|might|must|need|needs|if|once|until|unless|before|after|when|whether|propos\w*|suggest\w*|request\w*|pending|awaiting|for approval|to be|can be)\b/i;
// The assistant speaking of its own deeds: it only reads and proposes, so these are never true.
const FIRST_PERSON = /^\s*(?:I|I've|I have|I had)\b/i;
// Words that name a subject (a supplier, an order number): "Refinitiv", "PO-1042", "#12".
const SUBJECT = /\b[A-Z][\w&'-]{2,}|#\d+|\b[\w-]*\d[\w-]*\b/g;

// Capitalised words that name nobody in particular: pronouns, articles, legal suffixes.
const GENERIC = /^(?:We|They|It|The|This|That|These|Those|Our|Their|Ltd|Limited|Plc|Inc|LLC|GmbH|Group|Company)$/i;

/** Removes from `text` every sentence that claims an outcome nothing in `evidence` supports. */
export function filterClaims(text: string, evidence: ClaimEvidence): FilteredText {
  const removed: string[] = [];
  const kept = sentences(text).filter((sentence) => {
    const unsupported = claimsIn(sentence).some((c) => !supported(c, evidence));
    if (unsupported) removed.push(sentence.trim());
    return !unsupported;
  });
  return { text: kept.join('').trim(), removed };
}

type Claim = { outcome: Outcome; clause: string };

/** The outcomes a sentence asserts, clause by clause. */
export function claimsIn(sentence: string): Claim[] {
  return sentence
    .split(/[,;:]|\s(?:and|but|so|then)\s/i)
    .flatMap((clause) => OUTCOMES.filter((o) => o.claim.test(clause) && !NOT_A_CLAIM.test(clause)).map((outcome) => ({ outcome, clause })));
}

function supported(c: Claim, evidence: ClaimEvidence): boolean {
  if (FIRST_PERSON.test(c.clause)) return false;
  if (c.outcome.decided && evidence.decisions?.some(c.outcome.decided)) return true;
  const subjects = [...c.clause.matchAll(SUBJECT)].map((m) => m[0]).filter((w) => !GENERIC.test(w));
  if (subjects.length === 0) return false;
  return evidence.records.some((r) => c.outcome.record.test(r) && subjects.some((s) => r.toLowerCase().includes(s.toLowerCase())));
}

/** Sentences with their trailing space, so joining the kept ones restores the text. */
function sentences(text: string): string[] {
  return text.match(/[^.!?\n]+(?:[.!?]+|\n+|$)\s*/g) ?? [];
}
