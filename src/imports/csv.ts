// Streaming RFC 4180 reader that reports where each record starts and recovers from a missing closing quote.
// csv-parse cannot resume after an unclosed quote without swallowing the rest of the file, hence this module.
import { AppError } from '../errors.js';

/** One record: `line` is the 1-based physical line it starts on, `raw` its source text (at most 2,000 characters). */
export type CsvRecord = { line: number; fields: string[]; raw: string };

/** A stretch of input that is not a record, with the line it starts on and its source text. */
export type CsvProblem = { line: number; reason: string; raw: string };

/** What readCsv yields: a record, or a problem marked with `problem: true`. */
export type CsvItem = CsvRecord | ({ problem: true } & CsvProblem);

const RAW_LIMIT = 2000;
// Beyond this a "line" is almost certainly not CSV (a binary or minified file); bounds memory per line.
const MAX_LINE_CHARS = 1 << 20;
// A quoted field that grows past this without closing is treated like one that never closes.
const MAX_RECORD_CHARS = 4 << 20;
const DEFAULT_MAX_RECORD_LINES = 200;
const UNCLOSED = 'unclosed quote starting in this line';
const JUNK = 'unexpected text after a closing quote';
const QUOTE = 0x22;
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const SNIFF_CANDIDATES = [',', ';', '\t', '|'];

/** Picks the most frequent of `,` `;` tab `|` outside quotes in a header line; `,` when none occurs. */
export function sniffDelimiter(firstLine: string): string {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const ch of firstLine) {
    // Toggling on every quote also handles "" escapes, which toggle twice.
    if (ch === '"') quoted = !quoted;
    else if (!quoted && SNIFF_CANDIDATES.includes(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  let bestCount = 0;
  for (const candidate of SNIFF_CANDIDATES) {
    const count = counts.get(candidate) ?? 0;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/** Reads CSV records from text chunks split anywhere; bad stretches become problems instead of stopping the read. */
export async function* readCsv(
  chunks: AsyncIterable<string>,
  opts: { delimiter?: string; maxRecordLines?: number } = {},
): AsyncGenerator<CsvItem> {
  for await (const batch of readCsvBatches(chunks, opts)) yield* batch;
}

/**
 * Like readCsv, but yields the items completed by each input chunk as one array: one await per chunk instead of
 * one per record, which is what makes million-row files fast. The array is reused after the next step.
 */
export async function* readCsvBatches(
  chunks: AsyncIterable<string>,
  opts: { delimiter?: string; maxRecordLines?: number } = {},
): AsyncGenerator<CsvItem[]> {
  const parser = new CsvParser(opts.delimiter ?? ',', opts.maxRecordLines ?? DEFAULT_MAX_RECORD_LINES);
  const out: CsvItem[] = [];
  for await (const chunk of chunks) {
    try {
      parser.push(chunk, out);
    } finally {
      // Items completed before a fatal error still reach the caller, whatever the chunking.
      if (out.length > 0) yield out;
      out.length = 0;
    }
  }
  parser.end(out);
  if (out.length > 0) yield out;
}

/**
 * A physical line with its number and the line break that ended it ('' at end of input). `inside` caches how the
 * line ends when read as the continuation of an open quoted field, so replaying it after a recovery is cheap.
 */
type Line = { n: number; text: string; eol: string; inside?: FieldsEnd };

/** A record whose last field is still inside quotes, kept line by line so it can be replayed if abandoned. */
type Pending = { lines: Line[]; chars: number };

type FieldsEnd = 'done' | 'open' | 'junk';

class CsvParser {
  private readonly delimiter: string;
  private readonly delimiterCode: number;
  private readonly maxRecordLines: number;
  private carry = '';
  private started = false;
  private lineNo = 0;
  private pending: Pending | undefined;

  constructor(delimiter: string, maxRecordLines: number) {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw new RangeError(`CSV delimiter must be one character other than a quote or line break: ${JSON.stringify(delimiter)}`);
    }
    if (!Number.isInteger(maxRecordLines) || maxRecordLines < 1) {
      throw new RangeError(`maxRecordLines must be a positive integer, got ${maxRecordLines}`);
    }
    this.delimiter = delimiter;
    this.delimiterCode = delimiter.charCodeAt(0);
    this.maxRecordLines = maxRecordLines;
  }

  /** Consumes a chunk, appending every item it completes to `out`. */
  push(chunk: string, out: CsvItem[]): void {
    let text = this.carry + chunk;
    if (!this.started && text !== '') {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.carry = this.splitLines(text, false, out);
  }

  /** Flushes the last line and abandons whatever record is still open at the end of input. */
  end(out: CsvItem[]): void {
    this.splitLines(this.carry, true, out);
    this.carry = '';
    while (this.pending !== undefined) this.drain(this.recover(out), out);
  }

  /** Handles every complete line of `text` and returns the unfinished rest. */
  private splitLines(text: string, final: boolean, out: CsvItem[]): string {
    const d = this.delimiter;
    const length = text.length;
    // Next index of each character of interest, searched again only once passed; Infinity when none is left.
    let lf = -1;
    let cr = -1;
    let quote = -1;
    let delimiter = -1;
    let pos = 0;
    while (pos < length) {
      if (lf < pos) lf = indexOrInfinity(text, '\n', pos);
      if (cr < pos) cr = indexOrInfinity(text, '\r', pos);
      let end = Math.min(lf, cr);
      if (end === Number.POSITIVE_INFINITY) {
        if (!final) break;
        end = length;
      } else if (end === cr && end === length - 1 && !final) {
        // Only the next chunk can tell a lone CR from the first half of CRLF.
        break;
      }
      this.lineNo++;
      if (end - pos > MAX_LINE_CHARS) throw tooLong(this.lineNo);
      const eolLength = end === length ? 0 : end === cr && text.charCodeAt(end + 1) === LF ? 2 : 1;
      if (quote < pos) quote = indexOrInfinity(text, '"', pos);
      if (this.pending === undefined && quote >= end) {
        // Fast path: a line without quotes outside an open record is a whole record, unless blank. Fields are
        // sliced straight from the chunk, which is markedly faster than slicing the line and splitting it.
        if (!this.isBlank(text, pos, end)) {
          const fields: string[] = [];
          let start = pos;
          if (delimiter < start) delimiter = indexOrInfinity(text, d, start);
          while (delimiter < end) {
            fields.push(text.slice(start, delimiter));
            start = delimiter + 1;
            delimiter = indexOrInfinity(text, d, start);
          }
          fields.push(text.slice(start, end));
          out.push({ line: this.lineNo, fields, raw: text.slice(pos, Math.min(end, pos + RAW_LIMIT)) });
        }
      } else {
        const line = { n: this.lineNo, text: text.slice(pos, end), eol: text.slice(end, end + eolLength) };
        const replay = this.feed(line, out);
        if (replay !== undefined) this.drain(replay, out);
      }
      pos = end + eolLength;
    }
    const rest = text.slice(pos);
    if (rest.length > MAX_LINE_CHARS) throw tooLong(this.lineNo + 1);
    return rest;
  }

  /** Re-reads the lines of an abandoned record in order; lines handed back again go before the ones still waiting. */
  private drain(lines: Line[], out: CsvItem[]): void {
    // A stack with the next line on top, so putting lines back is cheap.
    const stack = lines.reverse();
    while (stack.length > 0) {
      const replay = this.feed(stack.pop()!, out);
      if (replay !== undefined) for (let i = replay.length - 1; i >= 0; i--) stack.push(replay[i]!);
    }
  }

  /** Parses one line into the current record; returns the lines to re-read when that record is abandoned. */
  private feed(line: Line, out: CsvItem[]): Line[] | undefined {
    let p = this.pending;
    if (p === undefined) {
      if (this.isBlank(line.text)) return undefined;
      const fields: string[] = [];
      const end = this.parseFields(line.text, false, fields);
      if (end === 'done') out.push({ line: line.n, fields, raw: truncate(line.text) });
      if (end === 'junk') out.push({ problem: true, line: line.n, reason: JUNK, raw: truncate(line.text) });
      if (end !== 'open') return undefined;
      p = { lines: [line], chars: line.text.length };
      this.pending = p;
    } else {
      line.inside ??= this.parseFields(line.text, true, []);
      p.chars += p.lines[p.lines.length - 1]!.eol.length + line.text.length;
      p.lines.push(line);
      if (line.inside === 'done') {
        // Only a record that closes is split into fields, from its whole text, so each line is scanned once as a
        // continuation however many abandoned records it is replayed into.
        this.pending = undefined;
        let text = p.lines[0]!.text;
        for (let i = 1; i < p.lines.length; i++) text += p.lines[i - 1]!.eol + p.lines[i]!.text;
        const fields: string[] = [];
        this.parseFields(text, false, fields);
        out.push({ line: p.lines[0]!.n, fields, raw: truncate(text) });
        return undefined;
      }
      // Text right after the quote that ends a multi-line field means that quote was really another field's
      // opening one: the record's own quote was never closed.
      if (line.inside === 'junk') return this.recover(out);
    }
    return p.lines.length >= this.maxRecordLines || p.chars > MAX_RECORD_CHARS ? this.recover(out) : undefined;
  }

  /** Gives up on the open record: reports its first line and returns the lines after it for reading afresh. */
  private recover(out: CsvItem[]): Line[] {
    const [first, ...rest] = this.pending!.lines;
    this.pending = undefined;
    out.push({ problem: true, line: first!.n, reason: UNCLOSED, raw: truncate(first!.text) });
    return rest;
  }

  /**
   * Splits `text` into `fields`, starting inside a quoted field when `inside`. Returns 'open' when the text ends
   * inside quotes, 'junk' when other text follows a closing quote.
   */
  private parseFields(text: string, inside: boolean, fields: string[]): FieldsEnd {
    const d = this.delimiter;
    const n = text.length;
    let i = 0;
    let quoted = inside;
    for (;;) {
      if (!quoted) {
        let j = i;
        while (j < n && this.isPadding(text.charCodeAt(j))) j++;
        if (j < n && text.charCodeAt(j) === QUOTE) {
          i = j + 1;
        } else {
          // Unquoted: a quote inside the field is an ordinary character (5" screen).
          const k = text.indexOf(d, i);
          fields.push(text.slice(i, k === -1 ? n : k));
          if (k === -1) return 'done';
          i = k + 1;
          continue;
        }
      }
      let value = '';
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) return 'open';
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += text.slice(i, q + 1);
          i = q + 2;
        } else {
          value += text.slice(i, q);
          i = q + 1;
          break;
        }
      }
      fields.push(value);
      quoted = false;
      while (i < n && this.isPadding(text.charCodeAt(i))) i++;
      if (i === n) return 'done';
      if (text.charCodeAt(i) !== this.delimiterCode) return 'junk';
      i++;
    }
  }

  /** Spaces and tabs around a quoted field are tolerated, unless the tab is the delimiter. */
  private isPadding(c: number): boolean {
    return (c === SPACE || c === TAB) && c !== this.delimiterCode;
  }

  private isBlank(text: string, from = 0, to = text.length): boolean {
    for (let i = from; i < to; i++) if (!this.isPadding(text.charCodeAt(i))) return false;
    return true;
  }
}

function indexOrInfinity(text: string, search: string, from: number): number {
  const i = text.indexOf(search, from);
  return i === -1 ? Number.POSITIVE_INFINITY : i;
}

function truncate(text: string): string {
  return text.length > RAW_LIMIT ? text.slice(0, RAW_LIMIT) : text;
}

function tooLong(line: number): AppError {
  return new AppError('import:fatal', `Line ${line} is longer than ${MAX_LINE_CHARS} characters; is this really a CSV file?`);
}
