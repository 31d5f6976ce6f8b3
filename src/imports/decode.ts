// Turns an import file into decoded text chunks without ever holding the whole file in memory.
import { createReadStream } from 'node:fs';

/** Text encodings an import file may be in: UTF-8, or Latin-1 (decoded as its superset windows-1252). */
export type TextEncoding = 'utf-8' | 'latin1';

const CHUNK_BYTES = 64 * 1024;
const SUB = 0x1a;
// DOS-era tools pad with at most a sector after the EOF marker; anything longer is content, not padding.
const MAX_EOF_PADDING = 64 * 1024;

/** Streams the whole file once: 'utf-8' when every byte sequence is valid UTF-8, otherwise 'latin1'. */
export async function detectEncoding(path: string): Promise<TextEncoding> {
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

/** Yields the file's text in chunks, without a leading byte-order mark or a trailing DOS end-of-file marker. */
export async function* readText(
  path: string,
  opts: { encoding?: TextEncoding; onBytes?: (n: number) => void } = {},
): AsyncGenerator<string> {
  // windows-1252 is what the WHATWG 'latin1' label means, and what "Latin-1" spreadsheets really contain.
  const decoder = new TextDecoder(opts.encoding ?? 'utf-8', { ignoreBOM: true });
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
      bytes = withoutBom(head);
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

  const last = (head === undefined ? '' : decoder.decode(withoutBom(head), { stream: true })) + decoder.decode();
  const [text] = splitEofMarker(tail + last);
  if (text !== '') yield text;
}

function withoutBom(bytes: Buffer): Buffer {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
}

/** Splits off a trailing SUB character plus the whitespace after it, which may turn out to be the end of the file. */
function splitEofMarker(text: string): [string, string] {
  let i = text.length;
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  if (i > 0 && text.charCodeAt(i - 1) === SUB) return [text.slice(0, i - 1), text.slice(i - 1)];
  return [text, ''];
}
