// Shared vocabulary of clause detection: the clause types, what a detector reports, and sentence scanning.
import type { ContractDoc } from '../document.js';

/** The clause types detected, named after the CUAD categories they follow. */
export const CLAUSE_TYPES = {
  governing_law: 'Governing Law',
  expiration_date: 'Expiration Date',
  renewal_term: 'Renewal Term',
  notice_to_terminate_renewal: 'Notice Period to Terminate Renewal',
  termination_for_convenience: 'Termination for Convenience',
  change_of_control: 'Change of Control',
  anti_assignment: 'Anti-Assignment',
  exclusivity: 'Exclusivity',
  minimum_commitment: 'Minimum Commitment',
  most_favoured_nation: 'Most Favored Nation',
  audit_rights: 'Audit Rights',
  insurance: 'Insurance',
  cap_on_liability: 'Cap on Liability',
  uncapped_liability: 'Uncapped Liability',
  liquidated_damages: 'Liquidated Damages',
  warranty_duration: 'Warranty Duration',
} as const;

export type ClauseType = keyof typeof CLAUSE_TYPES;

/** Every clause type, in the order results are reported. */
export const CLAUSE_TYPE_IDS = Object.keys(CLAUSE_TYPES) as ClauseType[];

/** A quoted stretch of the text: `start`/`end` are UTF-16 offsets into the text as given. */
export type ClauseSpan = { text: string; start: number; end: number };

/** What a detector found for one clause type: the quoted spans and, where one exists, a normalised value. */
export type Detected = { spans: ClauseSpan[]; value?: string };

/** A clause family's detector: the types it found (types it did not find are absent from the result). */
export type Detector = (doc: ContractDoc) => Partial<Record<ClauseType, Detected>>;

/** At most this many spans are quoted per clause type; the first ones in the text. */
export const MAX_SPANS = 5;

type Bounds = { start: number; end: number };

/** A span quoting `bounds` of the original text. */
export function quote(doc: ContractDoc, bounds: Bounds): ClauseSpan {
  return { text: doc.text.slice(bounds.start, bounds.end), start: bounds.start, end: bounds.end };
}

/**
 * The sentences holding a match of `cue` (a global regex over the flattened text) that `accept` keeps, each once,
 * in text order. `accept` sees the sentence's flattened text and the match's offset within it.
 */
export function sentencesWith(
  doc: ContractDoc,
  cue: RegExp,
  accept: (sentence: string, at: number, match: RegExpExecArray) => boolean = () => true,
  limit = MAX_SPANS,
): ClauseSpan[] {
  const found: ClauseSpan[] = [];
  let lastStart = -1;
  for (const m of doc.flat.matchAll(cue)) {
    const bounds = doc.sentence(m.index);
    if (bounds.start === lastStart || found.some((s) => s.start === bounds.start)) continue;
    const sentence = doc.flatSlice(bounds);
    if (!accept(sentence, m.index - bounds.start, m)) continue;
    lastStart = bounds.start;
    found.push(quote(doc, bounds));
    if (found.length >= limit) break;
  }
  return found.sort((a, b) => a.start - b.start);
}

/** `spans` once each (by start), in text order, at most MAX_SPANS of them. */
export function dedupe<T extends { start: number }>(spans: T[]): T[] {
  const byStart = new Map(spans.map((s) => [s.start, s]));
  return [...byStart.values()].sort((a, b) => a.start - b.start).slice(0, MAX_SPANS);
}

/** `spans` as a finding with `value`, or nothing when there are none. */
export function found(spans: ClauseSpan[], value = 'Yes'): Detected | undefined {
  return spans.length > 0 ? { spans, value } : undefined;
}

/** The text of `sentence` within `before` characters ahead of offset `at`. */
export function lookBehind(sentence: string, at: number, before: number): string {
  return sentence.slice(Math.max(0, at - before), at);
}

/**
 * The lead-in of a list the sentence at `start` belongs to ("Either party may terminate this Agreement if:"), so a
 * list item can be read with the words that govern it; empty when the sentence follows no colon nearby.
 */
export function leadIn(doc: ContractDoc, start: number): string {
  const from = Math.max(0, start - 1500);
  const colon = doc.flat.lastIndexOf(':', start);
  if (colon < from) return '';
  const bounds = doc.sentence(colon);
  return doc.flat.slice(bounds.start, colon + 1);
}
