// A contract text prepared for pattern search: a same-length flattened form, sentence bounds and quotable clauses.
import type { NewContractClause } from '../db/contracts.js';

// A full stop after one of these (or after a single letter) does not end a sentence.
const ABBREVIATIONS = new Set(['inc', 'ltd', 'co', 'corp', 'no', 'nos', 'n.a', 'u.s', 'u.s.a', 'e.g', 'i.e', 'etc',
  'sec', 'secs', 'art', 'para', 'vs', 'v', 'mr', 'mrs', 'ms', 'dr', 'st', 'jr', 'sr', 'llc', 'l.l.c', 'l.p', 'p.c',
  's.a', 'n.v', 'b.v', 'plc', 'pte', 'pty', 'ave', 'blvd', 'fig', 'approx', 'dept', 'p.o', 'u.k', 'a.m', 'p.m']);

/** A contract text with a same-length search form (straight quotes, single-character spaces) and sentence starts. */
export class ContractDoc {
  readonly text: string;
  readonly flat: string;
  private readonly starts: number[];

  constructor(text: string) {
    this.text = text;
    this.flat = text.replace(/[\u201c\u201d\u201e\u201f\u2033]/g, '"').replace(/[\u2018\u2019\u201a\u201b\u2032]/g, "'")
      .replace(/[\u2013\u2014]/g, '-').replace(/\s/g, ' ');
    this.starts = [0];
    const boundary = /[.!?]["')\]]?(\s+)(?=["'([]?[A-Z0-9])|\n[ \t]*\n\s*/g;
    for (const m of text.matchAll(boundary)) {
      if (m[0][0] === '.') {
        const token = /(\S+)$/.exec(text.slice(Math.max(0, m.index - 12), m.index))?.[1]?.replace(/^[("'[]+/, '');
        if (token && (ABBREVIATIONS.has(token.toLowerCase()) || /^[A-Za-z]$/.test(token))) continue;
      }
      this.starts.push(m.index + m[0].length);
    }
  }

  /** The sentence (or at most ~1,500 characters of it) around `at`, trimmed. */
  sentence(at: number): { start: number; end: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    let start = this.starts[lo]!;
    let end = this.starts[lo + 1] ?? this.text.length;
    if (end - start > 1500) {
      start = Math.max(start, at - 600);
      end = Math.min(end, at + 900);
    }
    while (start < end && /\s/.test(this.text[start]!)) start++;
    while (end > start && /\s/.test(this.text[end - 1]!)) end--;
    return { start, end };
  }

  /** The sentence after the one around `at`, if any. */
  nextSentence(at: number): { start: number; end: number } | undefined {
    const { end } = this.sentence(at);
    let i = end;
    while (i < this.text.length && /\s/.test(this.text[i]!)) i++;
    return i < this.text.length ? this.sentence(i) : undefined;
  }

  /** The search form of `span`. */
  flatSlice(span: { start: number; end: number }): string {
    return this.flat.slice(span.start, span.end);
  }

  /** A clause of `kind` quoting `span` of the original text, else the sentence around `at`. */
  clause(kind: string, at: number, value: string | undefined, span?: { start: number; end: number }): NewContractClause {
    const s = span ?? this.sentence(at);
    return { kind, text: this.text.slice(s.start, s.end), value, start: s.start, end: s.end };
  }
}
