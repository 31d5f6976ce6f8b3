import { describe, expect, it } from 'vitest';
import { type JsonItem, readJsonRecords } from '../../src/imports/json.js';

async function* chunked(chunks: string[]): AsyncGenerator<string> {
  for (const chunk of chunks) yield chunk;
}

async function read(input: string | string[]): Promise<JsonItem[]> {
  const items: JsonItem[] = [];
  for await (const item of readJsonRecords(chunked(typeof input === 'string' ? [input] : input))) items.push(item);
  return items;
}

/** Records as [line, value] and problems as [line, reason]. */
async function summary(input: string | string[]) {
  return (await read(input)).map((i) => ('problem' in i ? [i.line, i.reason] : [i.line, i.value]));
}

describe('readJsonRecords', () => {
  it('reads a top-level array with the line each record starts on', async () => {
    const input = '[\n  {"id": 1},\n  {\n    "id": 2\n  }\n]\n';
    expect(await summary(input)).toEqual([
      [2, { id: 1 }],
      [3, { id: 2 }],
    ]);
  });

  it('reads the "data" array of a top-level object and ignores the other keys', async () => {
    const input = [
      '{',
      '  "meta": {"note": "tricky ] } [ { \\" text", "list": [1, [2]]},',
      '  "count": 2,',
      '  "data": [',
      '    {"id": "a"},',
      '    {"id": "b"}',
      '  ],',
      '  "next": null',
      '}',
    ].join('\n');
    expect(await summary(input)).toEqual([
      [5, { id: 'a' }],
      [6, { id: 'b' }],
    ]);
  });

  it('recognises an escaped "data" key', async () => {
    expect(await summary('{"d\\u0061ta": [{"x": 1}]}')).toEqual([[1, { x: 1 }]]);
  });

  it('returns each record’s source text', async () => {
    const items = await read('[ {"a": "x, y"} ,\n{"b": [1, 2]}\n]');
    expect(items.map((i) => i.raw)).toEqual(['{"a": "x, y"}', '{"b": [1, 2]}']);
  });

  it('reports a malformed record at its line and goes on', async () => {
    const input = '[\n{"id": 1},\n{"id": 2,},\n{"id": 3}\n]';
    const items = await summary(input);
    expect(items[0]).toEqual([2, { id: 1 }]);
    expect(items[1]?.[0]).toBe(3);
    expect(items[1]?.[1]).toMatch(/^invalid JSON: /);
    expect(items[2]).toEqual([4, { id: 3 }]);
  });

  it('reports elements that are not objects', async () => {
    expect(await summary('[1, "two", null, [3], {"ok": true}]')).toEqual([
      [1, 'expected an object'],
      [1, 'expected an object'],
      [1, 'expected an object'],
      [1, 'expected an object'],
      [1, { ok: true }],
    ]);
  });

  it('reports an extra comma', async () => {
    expect(await summary('[\n{"a": 1},\n,{"a": 2},\n]')).toEqual([
      [2, { a: 1 }],
      [3, 'missing record before this comma'],
      [3, { a: 2 }],
      [4, 'extra comma after the last record'],
    ]);
  });

  it('reads an empty array and a byte-order mark', async () => {
    expect(await summary('\uFEFF[]')).toEqual([]);
    expect(await summary('{"data": []}')).toEqual([]);
  });

  it('counts CRLF and lone CR line breaks once each', async () => {
    expect(await summary('[\r\n{"a": 1},\r{"a": 2}]')).toEqual([
      [2, { a: 1 }],
      [3, { a: 2 }],
    ]);
  });

  it.each([
    ['a number', '42'],
    ['an object without data', '{"items": []}'],
    ['data that is not an array', '{"data": {"id": 1}}'],
    ['empty input', '  '],
  ])('rejects %s as the wrong shape', async (_, input) => {
    await expect(read(input)).rejects.toThrow('JSON input must be an array or an object with a "data" array');
  });

  it('rejects broken structure with its line', async () => {
    await expect(read('[\n{"a": [1}\n]')).rejects.toThrow('JSON input is broken at line 2: unexpected "}"');
    await expect(read('[{"a": 1}]\n[{"a": 2}]')).rejects.toThrow(/line 2/);
    await expect(read('{"data": [], "data": []}')).rejects.toThrow(/more than one "data"/);
  });

  it('rejects input that ends early', async () => {
    await expect(read('[\n{"a": 1},\n{"a": "oops}\n]')).rejects.toThrow('JSON input ends inside a string that starts at line 3');
    await expect(read('{"data": [\n{"a": 1}')).rejects.toThrow(/ends at line 2 before its closing "]"/);
  });

  it('yields the records read before a fatal error', async () => {
    const seen: JsonItem[] = [];
    await expect(async () => {
      for await (const item of readJsonRecords(chunked(['[{"a": 1}, {"b": 2}] oops']))) seen.push(item);
    }).rejects.toThrow(/unexpected "o"/);
    expect(seen).toHaveLength(2);
  });

  it('reports a record too large to hold instead of buffering it', async () => {
    const huge = `{"blob": "${'x'.repeat(9 << 20)}"}`;
    const items = await read(['[{"a": 1},\n', huge.slice(0, 5 << 20), huge.slice(5 << 20), ',\n{"b": 2}]']);
    expect(items.map((i) => ('problem' in i ? [i.line, i.reason, i.raw.length] : [i.line, i.value]))).toEqual([
      [1, { a: 1 }],
      [2, `record is larger than ${8 << 20} characters`, 2000],
      [3, { b: 2 }],
    ]);
  });

  it('does not change the result wherever a single split falls', async () => {
    const input = '\uFEFF{"meta": {"s": "a\\"]"}, "d\\u0061ta": [\r\n{"id": "x\\\\"},\n 7 ,\r{"id": [1,{}]},\n{"bad": }\n], "z": 1}';
    const whole = await read(input);
    expect(whole).toHaveLength(4);
    for (let at = 0; at <= input.length; at++) {
      expect(await read([input.slice(0, at), input.slice(at)]), `split at ${at}`).toEqual(whole);
    }
    expect(await read([...input])).toEqual(whole);
  });
});
