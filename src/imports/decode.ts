// Turns an import file into decoded text chunks without ever holding the whole file in memory.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError } from '../errors.js';

/**
 * Text encodings an import file may be in: UTF-8, Latin-1 (decoded as its superset windows-1252), or UTF-16 in
 * either byte order (what Excel's "Unicode Text" and many Windows tools write).
 */
export type TextEncoding = 'utf-8' | 'latin1' | 'utf-16le' | 'utf-16be';

/** What a file's first bytes show: UTF-16 (by BOM or by its zero bytes), binary content, or ordinary text. */
export type Sniffed =
  | { kind: 'utf-16'; encoding: 'utf-16le' | 'utf-16be' }
  | { kind: 'binary'; detail: string }
  | { kind: 'unsupported'; detail: string }
  | { kind: 'text' };

const CHUNK_BYTES = 64 * 1024;
// Enough to see a signature, a BOM and a few rows; the verdict must not cost a read of the whole file.
const SNIFF_BYTES = 1024;
const SUB = 0x1a;
const ESC = 0x1b;
// DOS-era tools pad with at most a sector after the EOF marker; anything longer is content, not padding.
const MAX_EOF_PADDING = 64 * 1024;

// Formats people try to import by mistake, by their first bytes.
const SIGNATURES: [bytes: number[], what: string][] = [
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (an Excel .xlsx workbook is one): save it as CSV first'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'an old Office document such as an Excel .xls workbook: save it as CSV first'],
  [[0x25, 0x50, 0x44, 0x46, 0x2d], 'a PDF document'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x1f, 0x8b], 'a gzip archive: unpack it first'],
  [[...Buffer.from('SQLite format 3\0')], 'an SQLite database'],
];

/**
 * Classifies a file by its first bytes (at most the first KB is looked at). UTF-16 is recognised by its BOM or,
 * without one, by zero bytes in every other position, which mostly-ASCII CSV and JSON always show. Binary means a
 * known signature, or control bytes (NUL and the like) making up 5% or more of the sample: a text file with a
 * stray NUL in a row stays text, so that row alone is rejected.
 */
export function sniffBytes(bytes: Uint8Array): Sniffed {
  const head = bytes.subarray(0, SNIFF_BYTES);
  const [a, b, c, d] = head;
  if ((a === 0xff && b === 0xfe && c === 0 && d === 0) || (a === 0 && b === 0 && c === 0xfe && d === 0xff)) {
    return { kind: 'unsupported', detail: 'is UTF-32, which is not supported: save it as UTF-8 (or UTF-16)' };
  }
  if (a === 0xff && b === 0xfe) return { kind: 'utf-16', encoding: 'utf-16le' };
  if (a === 0xfe && b === 0xff) return { kind: 'utf-16', encoding: 'utf-16be' };
  for (const [signature, what] of SIGNATURES) {
    if (signature.every((byte, i) => head[i] === byte)) return { kind: 'binary', detail: what };
  }
  const pairs = head.length >> 1;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (head[i] === 0) zeroEven++;
    if (head[i + 1] === 0) zeroOdd++;
  }
  // ASCII in UTF-16 has a zero high byte: odd positions for little-endian, even ones for big-endian.
  if (pairs >= 2 && zeroOdd * 10 >= pairs * 3 && zeroEven * 10 <= zeroOdd) return { kind: 'utf-16', encoding: 'utf-16le' };
  if (pairs >= 2 && zeroEven * 10 >= pairs * 3 && zeroOdd * 10 <= zeroEven) return { kind: 'utf-16', encoding: 'utf-16be' };
  let control = 0;
  for (const byte of head) if (isBinaryControl(byte)) control++;
  if (control > 0 && control * 20 >= head.length) {
    return { kind: 'binary', detail: `${control} of its first ${head.length} bytes are control bytes such as NUL` };
  }
  return { kind: 'text' };
}

/** C0 control bytes that text files do not contain: all but tab, line breaks, form feed, SUB (DOS EOF) and ESC. */
function isBinaryControl(byte: number): boolean {
  return byte < 0x20 && (byte < 0x09 || byte > 0x0d) && byte !== SUB && byte !== ESC;
}

/**
 * The encoding to read `path` in: UTF-16 when its first bytes say so, even over `declared` (reading UTF-16 as UTF-8
 * or Latin-1 is never right), else `declared`, else 'utf-8' when every byte sequence is valid UTF-8 and 'latin1'
 * otherwise (which streams the whole file once). Throws AppError `import:binary` for a binary file.
 */
export async function detectEncoding(path: string, declared?: TextEncoding): Promise<TextEncoding> {
  const sniffed = sniffBytes(await readHead(path));
  if (sniffed.kind === 'binary') {
    throw new AppError('import:binary', `${basename(path)} looks like a binary file, not CSV/JSON: ${sniffed.detail}`);
  }
  if (sniffed.kind === 'unsupported') throw new AppError('import:encoding', `${basename(path)} ${sniffed.detail}`);
  if (sniffed.kind === 'utf-16') return sniffed.encoding;
  if (declared !== undefined) return declared;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
      decoder.decode(chunk as Buffer, { stream: true });
    }
    // Flushing throws when the file ends in the middle of a multi-byte sequence.
    decoder.decode();
  } catch (err) {
    if (err instanceof TypeError) return 'latin1';
    throw err;
  }
  return 'utf-8';
}

async function readHead(path: string): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await file.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** Yields the file's text in chunks, without a leading byte-order mark or a trailing DOS end-of-file marker. */
export async function* readText(
  path: string,
  opts: { encoding?: TextEncoding; onBytes?: (n: number) => void } = {},
): AsyncGenerator<string> {
  const encoding = opts.encoding ?? 'utf-8';
  // windows-1252 is what the WHATWG 'latin1' label means, and what "Latin-1" spreadsheets really contain.
  // Streaming decode keeps a UTF-8 sequence or a UTF-16 surrogate pair split between chunks whole.
  const decoder = new TextDecoder(encoding, { ignoreBOM: true });
  let head: Buffer | undefined = Buffer.alloc(0);
  let tail = '';

  for await (const raw of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
    const chunk = raw as Buffer;
    opts.onBytes?.(chunk.length);
    let bytes = chunk;
    if (head !== undefined) {
      // The BOM is stripped as bytes so it also disappears from files read as Latin-1.
      head = Buffer.concat([head, chunk]);
      if (head.length < 3) continue;
      bytes = withoutBom(head, encoding);
      head = undefined;
    }
    const [text, held] = splitEofMarker(tail + decoder.decode(bytes, { stream: true }));
    tail = held;
    if (tail.length > MAX_EOF_PADDING) {
      yield text + tail;
      tail = '';
    } else if (text !== '') {
      yield text;
    }
  }

  const last = (head === undefined ? '' : decoder.decode(withoutBom(head, encoding), { stream: true })) + decoder.decode();
  const [text] = splitEofMarker(tail + last);
  if (text !== '') yield text;
}

function withoutBom(bytes: Buffer, encoding: TextEncoding): Buffer {
  const [a, b, c] = bytes;
  if (encoding === 'utf-16le') return a === 0xff && b === 0xfe ? bytes.subarray(2) : bytes;
  if (encoding === 'utf-16be') return a === 0xfe && b === 0xff ? bytes.subarray(2) : bytes;
  return a === 0xef && b === 0xbb && c === 0xbf ? bytes.subarray(3) : bytes;
}

/** Splits off a trailing SUB character plus the whitespace after it, which may turn out to be the end of the file. */
function splitEofMarker(text: string): [string, string] {
  let i = text.length;
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  if (i > 0 && text.charCodeAt(i - 1) === SUB) return [text.slice(0, i - 1), text.slice(i - 1)];
  return [text, ''];
}
