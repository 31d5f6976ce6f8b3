import { describe, expect, it } from 'vitest';
import { type CsvItem, readCsv, sniffDelimiter } from '../../src/imports/csv.js';

async function* chunked(chunks: string[]): AsyncGenerator<string> {
  for (const chunk of chunks) yield chunk;
}

async function parse(input: string | string[], opts?: Parameters<typeof readCsv>[1]): Promise<CsvItem[]> {
  const items: CsvItem[] = [];
  for await (const item of readCsv(chunked(typeof input === 'string' ? [input] : input), opts)) items.push(item);
  return items;
}

/** Records as [line, fields] and problems as [line, reason], for compact expectations. */
async function summary(input: string | string[], opts?: Parameters<typeof readCsv>[1]) {
  return (await parse(input, opts)).map((i) => ('problem' in i ? [i.line, i.reason] : [i.line, i.fields]));
}

/** Deterministic pseudo-random numbers so a failing split can be reproduced. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('readCsv', () => {
  it('reads a header and rows with 1-based line numbers', async () => {
    expect(await summary('id,name\n1,Widget\n2,Gadget\n')).toEqual([
      [1, ['id', 'name']],
      [2, ['1', 'Widget']],
      [3, ['2', 'Gadget']],
    ]);
  });

  it('gives a multi-line record the line it starts on and keeps later line numbers right', async () => {
    const input = 'id,note\n1,"first\nsecond"\n\n2,plain\n3,"a\n\nb"\n4,end';
    expect(await summary(input)).toEqual([
      [1, ['id', 'note']],
      [2, ['1', 'first\nsecond']],
      [5, ['2', 'plain']],
      [6, ['3', 'a\n\nb']],
      [9, ['4', 'end']],
    ]);
  });

  it('skips blank and whitespace-only lines but counts them', async () => {
    expect(await summary('a,b\n\n   \n\r\n1,2\n\n')).toEqual([
      [1, ['a', 'b']],
      [5, ['1', '2']],
    ]);
  });

  it('keeps a row of empty fields', async () => {
    expect(await summary('a,b\n,\n')).toEqual([
      [1, ['a', 'b']],
      [2, ['', '']],
    ]);
  });

  it('handles CRLF and lone CR line endings, keeping breaks inside quotes as written', async () => {
    expect(await summary('a,b\r\n1,"x\r\ny"\r\n2,z\r3,w\r')).toEqual([
      [1, ['a', 'b']],
      [2, ['1', 'x\r\ny']],
      [4, ['2', 'z']],
      [5, ['3', 'w']],
    ]);
  });

  it('reads a file that does not end with a newline', async () => {
    expect(await summary('a,b\n1,2')).toEqual([
      [1, ['a', 'b']],
      [2, ['1', '2']],
    ]);
    expect(await summary('a,b\n1,"2"')).toEqual([
      [1, ['a', 'b']],
      [2, ['1', '2']],
    ]);
  });

  it('unescapes doubled quotes and keeps delimiters inside quotes', async () => {
    expect(await summary('"He said ""hi""","a,b",""\n')).toEqual([[1, ['He said "hi"', 'a,b', '']]]);
  });

  it('keeps a quote in the middle of an unquoted field', async () => {
    expect(await summary('sku,desc\n1,5" screen\n2,7"\n')).toEqual([
      [1, ['sku', 'desc']],
      [2, ['1', '5" screen']],
      [3, ['2', '7"']],
    ]);
  });

  it('tolerates spaces around a quoted field', async () => {
    expect(await summary('"a" ,  "b, c"  ,d\n')).toEqual([[1, ['a', 'b, c', 'd']]]);
  });

  it('keeps spaces in unquoted fields', async () => {
    expect(await summary(' a , b \n')).toEqual([[1, [' a ', ' b ']]]);
  });

  it('reports text after a closing quote as a problem and goes on', async () => {
    expect(await summary('a,b\n"x"y,1\n2,3\n')).toEqual([
      [1, ['a', 'b']],
      [2, 'unexpected text after a closing quote'],
      [3, ['2', '3']],
    ]);
  });

  it('reads semicolon- and tab-delimited files', async () => {
    expect(await summary('a;b\n"1;5";2\n', { delimiter: ';' })).toEqual([
      [1, ['a', 'b']],
      [2, ['1;5', '2']],
    ]);
    expect(await summary('a\tb\n1\t \n', { delimiter: '\t' })).toEqual([
      [1, ['a', 'b']],
      [2, ['1', ' ']],
    ]);
  });

  it('strips a byte-order mark from the first header', async () => {
    expect(await summary('\uFEFFid,name\n')).toEqual([[1, ['id', 'name']]]);
  });

  it('returns each record’s source text, truncated to 2,000 characters', async () => {
    const long = 'x'.repeat(3000);
    const items = await parse(`a,"b\nc"\n${long}\n`);
    expect(items.map((i) => i.raw)).toEqual(['a,"b\nc"', long.slice(0, 2000)]);
  });

  it('rejects a delimiter it cannot use', async () => {
    await expect(parse('a', { delimiter: '"' })).rejects.toThrow(/delimiter/);
    await expect(parse('a', { delimiter: ',,' })).rejects.toThrow(/delimiter/);
  });

  it('fails clearly on a line too long to be CSV', async () => {
    await expect(parse(['a,b\n', 'x'.repeat(1 << 20), 'x\n'])).rejects.toThrow(/Line 2 is longer than/);
  });

  describe('an unclosed quote', () => {
    it('in the middle of a file is one problem at its line, and every later row is still read', async () => {
      const rows = Array.from({ length: 300 }, (_, i) => `${i + 3},item ${i + 3},1`);
      const input = ['id,name,qty', '1,"Widget,3', '2,Gadget,4', ...rows].join('\n');
      const items = await summary(input);
      expect(items[0]).toEqual([1, ['id', 'name', 'qty']]);
      expect(items[1]).toEqual([2, 'unclosed quote starting in this line']);
      expect(items[2]).toEqual([3, ['2', 'Gadget', '4']]);
      expect(items).toHaveLength(3 + rows.length);
      expect(items.at(-1)).toEqual([303, ['302', 'item 302', '1']]);
    });

    it('is found when a later quoted field would close it', async () => {
      expect(await summary('a,b\n1,"oops\n2,"fine"\n3,ok\n')).toEqual([
        [1, ['a', 'b']],
        [2, 'unclosed quote starting in this line'],
        [3, ['2', 'fine']],
        [4, ['3', 'ok']],
      ]);
    });

    it('on the last line is a problem at that line', async () => {
      expect(await summary('a,b\n1,2\n3,"4\n')).toEqual([
        [1, ['a', 'b']],
        [2, ['1', '2']],
        [3, 'unclosed quote starting in this line'],
      ]);
    });

    it('gives up after maxRecordLines lines and re-reads what follows', async () => {
      const input = 'a,b\n1,"x\n2,y\n3,z\n4,"w"\n';
      expect(await summary(input, { maxRecordLines: 2 })).toEqual([
        [1, ['a', 'b']],
        [2, 'unclosed quote starting in this line'],
        [3, ['2', 'y']],
        [4, ['3', 'z']],
        [5, ['4', 'w']],
      ]);
    });

    it('allows no multi-line field at all with maxRecordLines 1', async () => {
      expect(await summary('a,"x\ny",b\n1,2\n', { maxRecordLines: 1 })).toEqual([
        [1, 'unclosed quote starting in this line'],
        [2, ['y"', 'b']],
        [3, ['1', '2']],
      ]);
    });

    it('keeps a legitimate multi-line field within maxRecordLines', async () => {
      expect(await summary('a,"1\n2\n3"\n', { maxRecordLines: 3 })).toEqual([[1, ['a', '1\n2\n3']]]);
    });

    it('reports the source text of its first line only', async () => {
      const items = await parse('1,"x\n2,y\n');
      expect(items[0]).toEqual({ problem: true, line: 1, reason: 'unclosed quote starting in this line', raw: '1,"x' });
    });
  });

  describe('chunk boundaries', () => {
    const sample = [
      '\uFEFFid,name,note\r\n',
      '1,"Smith, J","said ""hi""\r\nthen left"\r\n',
      '\r\n',
      '2,5" screen,"a""b"\n',
      '3, "padded" ,x\r',
      '4,"unclosed,y\n',
      '5,after,z\r\n',
      '6,"",""""\n',
      '\n',
      '7,"x"junk,1\n',
      '8,last,"end"',
    ].join('');

    it('does not change the result wherever a single split falls', async () => {
      const whole = await parse(sample, { maxRecordLines: 3 });
      expect(whole.length).toBeGreaterThan(5);
      for (let at = 0; at <= sample.length; at++) {
        const split = await parse([sample.slice(0, at), sample.slice(at)], { maxRecordLines: 3 });
        expect(split, `split at ${at}`).toEqual(whole);
      }
    });

    it('does not change the result with many random chunks', async () => {
      const whole = await parse(sample, { maxRecordLines: 3 });
      const next = random(42);
      for (let round = 0; round < 300; round++) {
        const chunks: string[] = [];
        for (let i = 0; i < sample.length; ) {
          const size = Math.floor(next() * 8);
          chunks.push(sample.slice(i, i + size));
          i += size;
        }
        expect(await parse(chunks, { maxRecordLines: 3 }), `round ${round}`).toEqual(whole);
      }
    });

    it('does not change the result with one character per chunk', async () => {
      const whole = await parse(sample);
      expect(await parse([...sample])).toEqual(whole);
    });
  });
});

describe('sniffDelimiter', () => {
  it.each([
    ['id,name,amount', ','],
    ['id;name;amount', ';'],
    ['id\tname\tamount', '\t'],
    ['id|name|amount', '|'],
    ['"a;b;c",d,e', ','],
    ['"a,b,c";d;e', ';'],
    ['single', ','],
  ])('%j → %j', (line, expected) => {
    expect(sniffDelimiter(line)).toBe(expected);
  });
});
