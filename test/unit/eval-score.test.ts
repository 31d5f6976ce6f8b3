// Scoring answers for `qm eval`: figures at the precision shown, names after case and punctuation folding, and
// question banks read from JSON or JSONL with every bad item reported by line.
import { describe, expect, it } from 'vitest';
import { parseBank } from '../../src/eval/bank.js';
import { figuresIn, found, score } from '../../src/eval/score.js';

describe('figures', () => {
  it('reads money, counts and scaled figures as written', () => {
    expect(figuresIn('We spent £304,739,476.32 across 8,190 payments in 2012; about £1.2m a day, -£5.00 back.').map((f) => [f.value, f.scale])).toEqual([
      ['304739476.32', ''],
      ['8190', ''],
      ['2012', ''],
      ['1.2', 'm'],
      ['-5.00', ''],
    ]);
  });

  it('matches a figure at the precision shown', () => {
    const answer = 'We spent £2,400.00 across 3 payments, about £1.2m in the year.';
    expect(found(2400, answer)).toBe('£2,400.00');
    expect(found('2400.00', answer)).toBe('£2,400.00');
    expect(found('£2,400', answer)).toBe('£2,400.00');
    expect(found(3, answer)).toBe('3');
    expect(found('£1.2m', answer)).toBe('£1.2m');
    // A rounded figure matches only an expectation written the same way.
    expect(found(1200000, answer)).toBeUndefined();
    expect(found('1.2', answer)).toBeUndefined();
    expect(found(2400.01, answer)).toBeUndefined();
    expect(found(24, answer)).toBeUndefined();
  });
});

describe('names', () => {
  it('match after case and punctuation folding, as whole words', () => {
    const answer = 'Top 2 suppliers: 1. HEWLETT-PACKARD LTD £10.00; 2. Smith & Sons, Ltd. £5.00.';
    expect(found('Hewlett Packard Ltd', answer)).toBe('Hewlett Packard Ltd');
    expect(found('smith and sons ltd', answer)).toBe('smith and sons ltd');
    expect(found('Smith', answer)).toBe('Smith');
    expect(found('Smit', answer)).toBeUndefined();
    expect(found("couldn't find", "I couldn't find a supplier called X")).toBe("couldn't find");
  });

  it('scores an answer right only when it shows everything expected', () => {
    expect(score(['Refinitiv Ltd', '15500.00', 1], 'We spent £15,500.00 across 1 payment with Refinitiv Ltd.')).toEqual({
      ok: true,
      got: ['Refinitiv Ltd', '£15,500.00', '1'],
    });
    expect(score(['Refinitiv Ltd', 2], 'We spent £15,500.00 across 1 payment with Refinitiv Ltd.')).toEqual({ ok: false, got: ['Refinitiv Ltd', null] });
    expect(score([], 'anything').ok).toBe(false);
  });
});

describe('question banks', () => {
  it('reads JSONL (blank lines and // comments skipped) and JSON arrays', () => {
    const jsonl = '{"q":"What did we spend in 2012?","sql":"select 1"}\n\n// a comment\n{"q":"Top 3","expect":["A",2],"class":"rankings","as":"a@b.c"}\n';
    expect(parseBank(jsonl, 'bank.jsonl')).toEqual([
      { q: 'What did we spend in 2012?', sql: 'select 1', line: 1 },
      { q: 'Top 3', expect: ['A', 2], class: 'rankings', as: 'a@b.c', line: 4 },
    ]);
    expect(parseBank('[{"q":"x","expect":[1]}]', 'bank.json')).toEqual([{ q: 'x', expect: [1], line: 1 }]);
  });

  it('reports every bad item by line and reads nothing', () => {
    const bad = '{"q":"ok","expect":[1]}\n{"q":"both","expect":[1],"sql":"select 1"}\n{not json\n{"q":"","expect":[1]}\n{"q":"x","expect":[],"extra":1}\n';
    expect(() => parseBank(bad, 'bank.jsonl')).toThrow(/bank\.jsonl has 4 bad items:\n {2}line 3: not valid JSON[^\n]*\n {2}line 2: .*either "expect" or "sql"[^\n]*\n {2}line 4: q: q \(the question\) is empty\n {2}line 5: /);
    expect(() => parseBank('', 'empty.jsonl')).toThrow('empty.jsonl has no questions.');
    expect(() => parseBank('{"a":1}', 'x.json')).toThrow(/line 1/);
  });
});
