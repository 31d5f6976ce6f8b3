import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectEncoding, readText, type TextEncoding } from '../../src/imports/decode.js';

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

  it('yields nothing for an empty file or one holding only a BOM', async () => {
    expect((await text(file([]))).chunks).toBe(0);
    expect((await text(file([0xef, 0xbb, 0xbf]))).chunks).toBe(0);
  });
});
