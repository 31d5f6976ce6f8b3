import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectEncoding, readText, sniffBytes, type TextEncoding } from '../../src/imports/decode.js';

const dir = mkdtempSync(join(tmpdir(), 'qm-decode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function file(bytes: Buffer | number[]): string {
  const path = join(dir, `f${files++}.csv`);
  writeFileSync(path, Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes));
  return path;
}

async function text(path: string, encoding?: TextEncoding): Promise<{ text: string; chunks: number; bytes: number }> {
  let out = '';
  let chunks = 0;
  let bytes = 0;
  for await (const chunk of readText(path, { encoding, onBytes: (n) => (bytes += n) })) {
    out += chunk;
    chunks++;
  }
  return { text: out, chunks, bytes };
}

const utf16le = (s: string, bom = true) => Buffer.concat([Buffer.from(bom ? [0xff, 0xfe] : []), Buffer.from(s, 'utf16le')]);
const utf16be = (s: string, bom = true) => {
  const bytes = Buffer.from(s, 'utf16le').swap16();
  return Buffer.concat([Buffer.from(bom ? [0xfe, 0xff] : []), bytes]);
};

/** Bytes from a fixed-seed generator, so a "random" file is the same on every run. */
function noise(length: number, seed = 7): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    out[i] = seed >>> 24;
  }
  return out;
}

describe('sniffBytes', () => {
  const csv = 'Date,Supplier,Amount\n2024-01-05,Café Émile,10.00\n';

  it('recognises UTF-16 by its byte-order mark, in either byte order', () => {
    expect(sniffBytes(utf16le(csv))).toEqual({ kind: 'utf-16', encoding: 'utf-16le' });
    expect(sniffBytes(utf16be(csv))).toEqual({ kind: 'utf-16', encoding: 'utf-16be' });
  });

  it('recognises UTF-16 without a BOM by the zero high byte of its ASCII characters', () => {
    expect(sniffBytes(utf16le(csv, false))).toEqual({ kind: 'utf-16', encoding: 'utf-16le' });
    expect(sniffBytes(utf16be(csv, false))).toEqual({ kind: 'utf-16', encoding: 'utf-16be' });
  });

  it('refuses UTF-32, whose BOM starts like UTF-16 little-endian', () => {
    expect(sniffBytes(Buffer.from([0xff, 0xfe, 0, 0, 0x41, 0, 0, 0]))).toMatchObject({ kind: 'unsupported', detail: /UTF-32/ });
  });

  it('calls random bytes, images, archives and workbooks binary, naming what they look like', () => {
    expect(sniffBytes(noise(4096))).toMatchObject({ kind: 'binary', detail: /control bytes such as NUL/ });
    expect(sniffBytes(Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), noise(100)]))).toMatchObject({ detail: 'a PNG image' });
    expect(sniffBytes(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0]))).toMatchObject({ kind: 'binary', detail: /Excel \.xlsx/ });
    expect(sniffBytes(Buffer.from('%PDF-1.7\n%\xe2\xe3\n', 'latin1'))).toMatchObject({ kind: 'binary', detail: 'a PDF document' });
  });

  it('keeps text with a stray NUL in a row as text, so only that row is rejected', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `2024-01-${String(i + 1).padStart(2, '0')},Supplier ${i},${i}.00`);
    rows[3] = '2024-01-04,Bad\0Name,4.00';
    expect(sniffBytes(Buffer.from(`Date,Supplier,Amount\n${rows.join('\n')}\n`))).toEqual({ kind: 'text' });
    // Tabs, CRLF, form feeds, a DOS end-of-file byte and ANSI escapes are all text.
    expect(sniffBytes(Buffer.from('a\tb\r\nc\fd\x1b[0m\n\x1a'))).toEqual({ kind: 'text' });
    expect(sniffBytes(Buffer.alloc(0))).toEqual({ kind: 'text' });
  });
});

describe('detectEncoding', () => {
  it('recognises UTF-8, with or without a BOM', async () => {
    expect(await detectEncoding(file(Buffer.from('name\ncafé\n')))).toBe('utf-8');
    expect(await detectEncoding(file(Buffer.from('\uFEFFname\n')))).toBe('utf-8');
    expect(await detectEncoding(file([]))).toBe('utf-8');
  });

  it('falls back to latin1 on any invalid sequence, including one cut off at the end', async () => {
    expect(await detectEncoding(file([0x63, 0x61, 0x66, 0xe9, 0x0a]))).toBe('latin1');
    expect(await detectEncoding(file(Buffer.from('café').subarray(0, 4)))).toBe('latin1');
  });

  it('reads past the first chunk, where a multi-byte character may straddle the boundary', async () => {
    const utf8 = Buffer.concat([Buffer.alloc(64 * 1024 - 1, 0x61), Buffer.from('é'), Buffer.from('\n')]);
    expect(await detectEncoding(file(utf8))).toBe('utf-8');
    const latin = Buffer.concat([Buffer.alloc(200 * 1024, 0x61), Buffer.from([0xe9])]);
    expect(await detectEncoding(file(latin))).toBe('latin1');
  });

  it('returns UTF-16 when the first bytes say so, even over a declared encoding', async () => {
    expect(await detectEncoding(file(utf16le('id,name\n1,café\n')))).toBe('utf-16le');
    expect(await detectEncoding(file(utf16be('id,name\n1,café\n')), 'latin1')).toBe('utf-16be');
    expect(await detectEncoding(file(Buffer.from('id\n1\n')), 'latin1')).toBe('latin1');
  });

  it('refuses a binary file by name, whatever encoding is declared', async () => {
    const path = file(noise(2048));
    await expect(detectEncoding(path)).rejects.toThrow(/f\d+\.csv looks like a binary file, not CSV\/JSON/);
    await expect(detectEncoding(path, 'utf-8')).rejects.toMatchObject({ code: 'import:binary' });
  });
});

describe('readText', () => {
  it('decodes a Latin-1 file with é and drops the trailing DOS end-of-file byte', async () => {
    const path = file([...Buffer.from('name\ncaf'), 0xe9, 0x0a, 0x1a]);
    expect(await detectEncoding(path)).toBe('latin1');
    expect((await text(path, 'latin1')).text).toBe('name\ncafé\n');
  });

  it('decodes Latin-1 as windows-1252, where 0x80 is the euro sign', async () => {
    expect((await text(file([0x80, 0x35]), 'latin1')).text).toBe('€5');
  });

  it('strips a UTF-8 BOM', async () => {
    const path = file(Buffer.from('\uFEFFid,name\n1,café\n'));
    expect((await text(path)).text).toBe('id,name\n1,café\n');
  });

  it('strips the BOM bytes even when the rest is read as Latin-1', async () => {
    expect((await text(file([0xef, 0xbb, 0xbf, 0x41, 0xe9]), 'latin1')).text).toBe('Aé');
  });

  it('drops whitespace after the end-of-file byte, but keeps a SUB that is not at the end', async () => {
    expect((await text(file(Buffer.from('a,b\n\x1a\r\n  \n')))).text).toBe('a,b\n');
    expect((await text(file(Buffer.from('a\x1ab\n')))).text).toBe('a\x1ab\n');
  });

  it('streams large files in chunks, decoding characters split between them, and reports every byte', async () => {
    const content = `${'x'.repeat(64 * 1024 - 1)}é${'y'.repeat(100 * 1024)}\x1a`;
    const path = file(Buffer.from(content));
    const read = await text(path);
    expect(read.text).toBe(content.slice(0, -1));
    expect(read.chunks).toBeGreaterThan(1);
    expect(read.bytes).toBe(Buffer.byteLength(content));
  });

  it('keeps an end-of-file byte in the middle of whitespace that spans chunks', async () => {
    const content = `a\x1a${' '.repeat(100 * 1024)}b`;
    expect((await text(file(Buffer.from(content)))).text).toBe(content);
  });

  it('decodes UTF-16 in both byte orders and strips its BOM', async () => {
    const content = 'id,name,amount\r\n1,Café Émile,€5\r\n2,東京商事,😀\r\n';
    expect((await text(file(utf16le(content)), 'utf-16le')).text).toBe(content);
    expect((await text(file(utf16be(content)), 'utf-16be')).text).toBe(content);
    expect((await text(file(utf16le(content, false)), 'utf-16le')).text).toBe(content);
    expect((await text(file(utf16le('a,b\n\x1a')), 'utf-16le')).text).toBe('a,b\n');
  });

  it('keeps a UTF-16 surrogate pair whole when a chunk boundary splits it', async () => {
    // After the 2-byte BOM, 32,766 characters end at byte 65,534: the emoji's two halves straddle the 64 KB chunk.
    const content = `${'x'.repeat(32_766)}😀${'y'.repeat(40_000)}`;
    const read = await text(file(utf16le(content)), 'utf-16le');
    expect(read.chunks).toBeGreaterThan(1);
    expect(read.text).toBe(content);
    expect(read.bytes).toBe(2 + content.length * 2);
  });

  it('yields nothing for an empty file or one holding only a BOM', async () => {
    expect((await text(file([]))).chunks).toBe(0);
    expect((await text(file([0xef, 0xbb, 0xbf]))).chunks).toBe(0);
    expect((await text(file([0xff, 0xfe]), 'utf-16le')).chunks).toBe(0);
  });
});
