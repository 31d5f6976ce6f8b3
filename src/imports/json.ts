// Streaming reader for JSON imports: a top-level array of records, or an object whose "data" key holds that array.
// Only one record's text is held at a time, so a large export never has to fit in memory at once.
import { AppError } from '../errors.js';

/** A record: `line` is the 1-based line its value starts on, `raw` its source text (at most 2,000 characters). */
export type JsonRecord = { line: number; value: unknown; raw: string };

/** An element of the records array that could not be used, with the line it starts on. */
export type JsonProblem = { problem: true; line: number; reason: string; raw: string };

/** What readJsonRecords yields. */
export type JsonItem = JsonRecord | JsonProblem;

const SHAPE_ERROR = 'JSON input must be an array or an object with a "data" array';
const RAW_LIMIT = 2000;
// A single record past this size is reported rather than buffered further.
const MAX_RECORD_CHARS = 8 << 20;
// Longer than any spelling of "data", escapes included; longer keys are skipped, not kept.
const MAX_KEY_CHARS = 64;

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const BOM = 0xfeff;

/**
 * Yields each element of the records array with the line it starts on; a malformed or non-object element is a
 * problem and reading goes on. Throws AppError('import:fatal') when the overall structure is broken.
 */
export async function* readJsonRecords(chunks: AsyncIterable<string>): AsyncGenerator<JsonItem> {
  const scanner = new JsonScanner();
  const out: JsonItem[] = [];
  for await (const chunk of chunks) {
    try {
      scanner.push(chunk, out);
    } finally {
      // Items completed before a fatal error still reach the caller, whatever the chunking.
      for (const item of out) yield item;
      out.length = 0;
    }
  }
  scanner.end();
}

/** Where the scanner is inside the top-level object: the part of a `"key": value` pair it expects next. */
type ObjectState = 'key' | 'colon' | 'value' | 'scalar' | 'after';

class JsonScanner {
  private line = 1;
  private prevCR = false;
  private inString = false;
  private escaped = false;
  private stringLine = 0;
  private readonly stack: number[] = [];
  private shape: 'none' | 'array' | 'object' | 'done' = 'none';

  private objectState: ObjectState = 'key';
  private key: string | undefined;
  private keyStart = 0;
  private keyIsData = false;
  private sawData = false;

  // Stack depth of the records array's elements; 0 while outside that array.
  private recordDepth = 0;
  private inElement = false;
  private elementStart = 0;
  private elementLine = 0;
  private elementParts: string[] = [];
  private elementChars = 0;
  private elementHead: string | undefined;
  private afterComma = false;

  /** Scans a chunk, appending every element it completes to `out`. */
  push(text: string, out: JsonItem[]): void {
    if (this.inElement) this.elementStart = 0;
    if (this.key !== undefined) this.keyStart = 0;
    // Hot state lives in locals for the loop and is written back after it.
    let line = this.line;
    let prevCR = this.prevCR;
    let inString = this.inString;
    let escaped = this.escaped;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === LF) {
        if (!prevCR) line++;
        prevCR = false;
        continue;
      }
      if (c === CR) {
        line++;
        prevCR = true;
        continue;
      }
      prevCR = false;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) {
          inString = false;
          this.stringEnded(text, i, line);
        }
        continue;
      }
      if (c === SPACE || c === TAB) {
        if (this.objectState === 'scalar' && this.stack.length === 1) this.objectState = 'after';
        continue;
      }
      if (c === QUOTE) {
        this.valueStarts(i, line, c);
        inString = true;
        this.stringLine = line;
      } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
        this.valueStarts(i, line, c);
        this.stack.push(c);
      } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
        this.closes(text, i, line, c, out);
      } else if (c === COMMA) {
        this.comma(text, i, line, out);
      } else if (c === COLON && this.stack.length === 1 && this.shape === 'object') {
        if (this.objectState !== 'colon') throw broken(line, c);
        this.objectState = 'value';
      } else {
        this.valueStarts(i, line, c);
      }
    }
    this.line = line;
    this.prevCR = prevCR;
    this.inString = inString;
    this.escaped = escaped;
    if (this.inElement) this.keepElementText(text.slice(this.elementStart));
    if (this.key !== undefined && this.key.length <= MAX_KEY_CHARS) this.key += text.slice(this.keyStart);
  }

  /** Checks that the input ended where the top-level value ends. */
  end(): void {
    if (this.inString) {
      throw new AppError('import:fatal', `JSON input ends inside a string that starts at line ${this.stringLine}`);
    }
    if (this.shape === 'none') throw new AppError('import:fatal', SHAPE_ERROR);
    if (this.shape !== 'done') {
      const missing = this.stack[this.stack.length - 1] === OPEN_OBJECT ? '}' : ']';
      throw new AppError('import:fatal', `JSON input ends at line ${this.line} before its closing "${missing}"`);
    }
  }

  /** Handles the first character of a value (or any character of a number or literal). */
  private valueStarts(i: number, line: number, c: number): void {
    const depth = this.stack.length;
    if (depth === 0) {
      if (this.shape === 'none' && c === OPEN_ARRAY) {
        this.shape = 'array';
        this.recordDepth = 1;
      } else if (this.shape === 'none' && c === OPEN_OBJECT) {
        this.shape = 'object';
      } else if (!(this.shape === 'none' && c === BOM)) {
        throw this.shape === 'none' ? new AppError('import:fatal', SHAPE_ERROR) : broken(line, c);
      }
    } else if (depth === this.recordDepth) {
      if (!this.inElement) {
        this.inElement = true;
        this.elementStart = i;
        this.elementLine = line;
        this.afterComma = false;
      }
    } else if (depth === 1 && this.shape === 'object') {
      this.objectValueStarts(i, line, c);
    }
  }

  private objectValueStarts(i: number, line: number, c: number): void {
    switch (this.objectState) {
      case 'key':
        if (c !== QUOTE) throw broken(line, c);
        this.key = '';
        this.keyStart = i + 1;
        return;
      case 'value':
        if (this.keyIsData) {
          if (c !== OPEN_ARRAY) throw new AppError('import:fatal', SHAPE_ERROR);
          this.sawData = true;
          this.recordDepth = 2;
          this.objectState = 'after';
        } else {
          // Values of other keys are skipped; strings and nested values end back at 'after'.
          this.objectState = c === QUOTE || c === OPEN_ARRAY || c === OPEN_OBJECT ? 'after' : 'scalar';
        }
        return;
      case 'scalar':
        if (c === QUOTE || c === OPEN_ARRAY || c === OPEN_OBJECT) throw broken(line, c);
        return;
      default:
        throw broken(line, c);
    }
  }

  private stringEnded(text: string, i: number, line: number): void {
    if (this.key === undefined) return;
    let key = this.key.length <= MAX_KEY_CHARS ? this.key + text.slice(this.keyStart, i) : this.key;
    this.key = undefined;
    if (key.length <= MAX_KEY_CHARS) {
      try {
        key = JSON.parse(`"${key}"`) as string;
      } catch {
        throw new AppError('import:fatal', `JSON input has an invalid property name at line ${line}`);
      }
    }
    this.keyIsData = key === 'data';
    if (this.keyIsData && this.sawData) {
      throw new AppError('import:fatal', 'JSON input has more than one "data" key');
    }
    this.objectState = 'colon';
  }

  private closes(text: string, i: number, line: number, c: number, out: JsonItem[]): void {
    const open = this.stack.pop();
    if (open !== (c === CLOSE_ARRAY ? OPEN_ARRAY : OPEN_OBJECT)) throw broken(line, c);
    const depth = this.stack.length;
    if (depth === this.recordDepth - 1) {
      if (this.inElement) this.finishElement(text, i, out);
      else if (this.afterComma) out.push({ problem: true, line, reason: 'extra comma after the last record', raw: ',' });
      this.recordDepth = 0;
    }
    if (depth === 0) {
      if (this.shape === 'object' && !this.sawData) throw new AppError('import:fatal', SHAPE_ERROR);
      this.shape = 'done';
    }
  }

  private comma(text: string, i: number, line: number, out: JsonItem[]): void {
    const depth = this.stack.length;
    if (depth === 0) throw broken(line, COMMA);
    if (depth === this.recordDepth) {
      if (this.inElement) this.finishElement(text, i, out);
      else out.push({ problem: true, line, reason: 'missing record before this comma', raw: ',' });
      this.afterComma = true;
    } else if (depth === 1 && this.shape === 'object') {
      if (this.objectState !== 'after' && this.objectState !== 'scalar') throw broken(line, COMMA);
      this.objectState = 'key';
    }
  }

  /** Buffers an element's text across chunks, keeping only its start once it is too large to parse. */
  private keepElementText(piece: string): void {
    if (this.elementHead !== undefined) return;
    if (this.elementChars + piece.length > MAX_RECORD_CHARS) {
      this.elementHead = (this.elementParts.join('') + piece.slice(0, RAW_LIMIT)).slice(0, RAW_LIMIT);
      this.elementParts = [];
    } else {
      this.elementParts.push(piece);
    }
    this.elementChars += piece.length;
  }

  private finishElement(text: string, i: number, out: JsonItem[]): void {
    const line = this.elementLine;
    const chars = this.elementChars + (i - this.elementStart);
    const head = this.elementHead;
    const body = head === undefined ? this.elementParts.join('') + text.slice(this.elementStart, i) : '';
    this.inElement = false;
    this.elementParts = [];
    this.elementChars = 0;
    this.elementHead = undefined;
    if (chars > MAX_RECORD_CHARS) {
      const raw = head ?? body.slice(0, RAW_LIMIT);
      out.push({ problem: true, line, reason: `record is larger than ${MAX_RECORD_CHARS} characters`, raw });
      return;
    }
    const trimmed = body.trimEnd();
    const raw = trimmed.length > RAW_LIMIT ? trimmed.slice(0, RAW_LIMIT) : trimmed;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (err) {
      out.push({ problem: true, line, reason: `invalid JSON: ${(err as Error).message}`, raw });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      out.push({ problem: true, line, reason: 'expected an object', raw });
      return;
    }
    out.push({ line, value, raw });
  }
}

function broken(line: number, c: number): AppError {
  return new AppError('import:fatal', `JSON input is broken at line ${line}: unexpected ${JSON.stringify(String.fromCharCode(c))}`);
}
