// The name matcher behind sanctions screening and duplicate detection, without a database: folding, keys,
// word similarity, alignment and explanations, the rarity-weighted index, and duplicate pairing.
import { describe, expect, it } from 'vitest';
import { findDuplicatePairs, normalizeTaxId } from '../../src/screening/duplicates.js';
import { compareNames, explainComparison, type WordWeights } from '../../src/screening/match.js';
import { buildScreeningIndex, type ListedName, WEAK_ALIAS_FACTOR } from '../../src/screening/name-index.js';
import { editDistance, jaroWinkler } from '../../src/screening/similarity.js';
import { prepareName, tokenKey } from '../../src/screening/tokens.js';

const uniform: WordWeights = { word: () => 1, extra: () => 1 };
const texts = (name: string) => prepareName(name).tokens.map((t) => t.text);

describe('name preparation', () => {
  it('folds case, accents and punctuation and removes legal forms, remembering them as written', () => {
    const p = prepareName('Aerocaribbean Airlines S.A.');
    expect(texts('Aerocaribbean Airlines S.A.')).toEqual(['aerocaribbean', 'airlines']);
    expect(p.legalForms).toEqual(['S.A.']);
    expect(texts('SOCIÉTÉ GÉNÉRALE, S.A.')).toEqual(['societe', 'generale']);
    expect(texts('Straße Müller GmbH')).toEqual(['strasse', 'muller']);
  });

  it('removes leading legal forms common on sanctions lists, tolerating a typo in long ones', () => {
    expect(texts('OOO Romashka')).toEqual(['romashka']);
    expect(texts('LIMITED LIABILITY COMPANY GARDA TECHNOLOGIES')).toEqual(['garda', 'technologies']);
    expect(texts('Closed Joint Stock Comapny Vologda Bearing Plant')).toEqual(['vologda', 'bearing', 'plant']);
    expect(prepareName('PJSC Sberbank').legalForms).toEqual(['PJSC']);
  });

  it('drops filler words between words and a leading or moved Arabic article, but keeps initials and acronyms', () => {
    expect(texts('Banco Nacional de Cuba')).toEqual(['banco', 'nacional', 'cuba']);
    expect(texts('Al-Qaida')).toEqual(['qaida']);
    expect(texts('Abd al-Rahman')).toEqual(['abd', 'rahman']);
    expect(texts('A A Trading')).toEqual(['aa', 'trading']);
    expect(texts("Qa'ida, Al")).toEqual(['qaida']);
    expect(texts('Carbon Trust, The')).toEqual(['carbon', 'trust']);
    expect(texts('DES International')).toEqual(['des', 'international']);
  });

  it('reads spaced initials and legal forms like dotted ones', () => {
    expect(texts('D G D Investments Ltd')).toEqual(texts('D.G.D. INVESTMENTS LTD.'));
    expect(texts('Comercial Joana S A de C V')).toEqual(['comercial', 'joana']);
    expect(texts('Royal Shell Goods Wholesalers L L C')).toEqual(['royal', 'shell', 'goods', 'wholesalers']);
    expect(prepareName('Easy Cash S de R L').legalForms).toEqual(['S de R L']);
    expect(texts('DOO MM Kom Inter Blue')).toEqual(texts('MM KOM INTER BLUE, D.O.O.'));
    // A spaced initial before a spaced legal form, and an acronym ending in letters that are also a legal form.
    expect(texts('Corporativo Title I S A de C V')).toEqual(texts('CORPORATIVO TITLE I, S.A. DE C.V.'));
    expect(prepareName('Corporativo Title I S A de C V').legalForms).toEqual(['S A de C V']);
    expect(texts('Zuliana de Esmeraldas C I S A S')).toEqual(['zuliana', 'esmeraldas', 'ci']);
    expect(texts('Kingston R S A')).toEqual(['kingston', 'rsa']);
  });

  it('never removes the whole name', () => {
    expect(texts('Limited')).toEqual(['limited']);
    expect(texts('The')).toEqual(['the']);
    expect(prepareName('北京').tokens).toEqual([]);
  });

  it('gives common romanisations of a word one key', () => {
    for (const [a, b] of [
      ['aerocarribean', 'aerocaribbean'],
      ['yusuf', 'yousuf'],
      ['philip', 'filip'],
      ['khalid', 'halid'],
      ['qasim', 'kasim'],
      ['abdul', 'abdel'],
    ] as const) {
      expect(tokenKey(a), `${a} ~ ${b}`).toBe(tokenKey(b));
    }
    expect(tokenKey('laitkhaus')).toBe('laithaus');
    expect(tokenKey('smith')).not.toBe(tokenKey('smyth2'));
  });
});

describe('word similarity', () => {
  it('computes Jaro-Winkler like the reference examples', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 2);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
    expect(jaroWinkler('abc', 'abc')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
  });

  it('counts a swap of neighbours as one edit and stops early past the maximum', () => {
    expect(editDistance('semyonovich', 'semyoonvich')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('kitten', 'sitting', 1)).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('name comparison', () => {
  it('is independent of word order and says so', () => {
    const q = prepareName('Airlines Aerocaribbean');
    const c = prepareName('AEROCARIBBEAN AIRLINES');
    const r = compareNames(q, c, uniform);
    expect(r.score).toBe(1);
    expect(explainComparison(q, c, r, uniform)).toEqual(['all words match', 'word order differs']);
  });

  it('explains a removed legal suffix, a spelling variant and a typo', () => {
    const c = prepareName('AEROCARIBBEAN AIRLINES');
    const suffix = prepareName('Aerocaribbean Airlines S.A.');
    expect(explainComparison(suffix, c, compareNames(suffix, c, uniform), uniform)).toEqual([
      "all words match after removing legal suffix 'S.A.'",
    ]);
    const variant = prepareName('Aerocarribean Airlines');
    const rv = compareNames(variant, c, uniform);
    expect(rv.score).toBeGreaterThan(0.95);
    expect(explainComparison(variant, c, rv, uniform)).toContain(
      "'Aerocarribean' is a spelling variant of 'AEROCARIBBEAN' (2 character edits; same transliteration)",
    );
    const typo = prepareName('Aerocaribean Airlnes');
    const rt = compareNames(typo, c, uniform);
    expect(rt.score).toBeGreaterThan(0.85);
    expect(explainComparison(typo, c, rt, uniform)).toContain("1 character edit in 'Airlnes' (listed: 'AIRLINES')");
  });

  it('matches words written together or apart', () => {
    const q = prepareName('North Bridge Office Supplies');
    const c = prepareName('NORTHBRIDGE OFFICE SUPPLIES');
    const r = compareNames(q, c, uniform);
    expect(r.score).toBeGreaterThan(0.95);
    expect(explainComparison(q, c, r, uniform)).toContain("'North Bridge' is listed as one word 'NORTHBRIDGE'");
  });

  it('tolerates no edit in short words, where one edit makes another name', () => {
    expect(compareNames(prepareName('Bank'), prepareName('Band'), uniform).score).toBe(0);
    expect(compareNames(prepareName('AWA'), prepareName('AVA'), uniform).score).toBe(0);
    expect(compareNames(prepareName('K International'), prepareName('CK International'), uniform).score).toBeLessThan(
      0.8,
    );
  });

  it('weighs the listed name more than extra words of the screened one', () => {
    const listed = prepareName('AEROCARIBBEAN AIRLINES');
    const longer = compareNames(prepareName('Aerocaribbean Airlines Charter'), listed, uniform);
    const shorter = compareNames(prepareName('Aerocaribbean'), listed, uniform);
    expect(longer.recall).toBe(1);
    expect(longer.score).toBeGreaterThan(shorter.score);
  });
});

// A small list where "international" and "trading" are as common as they are on real lists.
function sampleList(): ListedName[] {
  const names: ListedName[] = [
    { entry: 1, name: 'AEROCARIBBEAN AIRLINES', kind: 'primary', strength: 'strong' },
    { entry: 2, name: 'MINGZHENG INTERNATIONAL TRADING LIMITED', kind: 'primary', strength: 'strong' },
    { entry: 3, name: 'BANCO NACIONAL DE CUBA', kind: 'primary', strength: 'strong' },
    { entry: 3, name: 'BNC', kind: 'aka', strength: 'weak' },
    { entry: 4, name: 'GUZMAN LOERA, Joaquin', kind: 'primary', strength: 'strong' },
    { entry: 4, name: 'Joaquin GUZMAN LOERA', kind: 'primary', strength: 'strong' },
    { entry: 4, name: 'EL CHAPO', kind: 'aka', strength: 'weak' },
  ];
  const places = ['ALPHA', 'BRAVO', 'CEDAR', 'DELTA', 'EMBER', 'FALCON', 'GARNET', 'HARBOR', 'IONIC', 'JASPER'];
  places.forEach((p, i) => {
    names.push({ entry: 100 + i, name: `${p} INTERNATIONAL TRADING CO., LTD.`, kind: 'primary', strength: 'strong' });
    names.push({ entry: 200 + i, name: `${p} GENERAL TRADING LLC`, kind: 'primary', strength: 'strong' });
  });
  return names;
}

describe('screening index', () => {
  const index = buildScreeningIndex(sampleList());
  const search = (name: string, minScore = 0.5) => index.search(name, { limit: 5, minScore });

  it('finds the listed party despite suffix, case, punctuation, accents, order and a typo', () => {
    for (const v of [
      'Aerocaribbean Airlines S.A.',
      'aerocaribbean airlines',
      'AEROCARIBBEAN, AIRLINES.',
      'Aérocaribbean Airlines',
      'Airlines Aerocaribbean',
      'Aerocarribean Airlines',
    ]) {
      const [top] = search(v, 0.9);
      expect(top?.entry, v).toBe(1);
    }
    expect(search('Joaquin Guzman Loera')[0]?.entry).toBe(4);
    expect(search('Loera Joaquin Guzman')[0]?.score).toBeGreaterThan(0.99);
  });

  it('weighs words by rarity: common words alone never make a strong match', () => {
    expect(index.weights.word('trading')).toBeLessThan(index.weights.word('mingsheng') / 3);
    const hits = search('International Trading Ltd', 0);
    const mingzheng = hits.find((h) => h.entry === 2);
    expect(mingzheng === undefined || mingzheng.score < 0.5).toBe(true);
    expect(hits.every((h) => h.score < 0.8)).toBe(true);
    const [top] = search('Mingzheng International Trading Ltd', 0.9);
    expect(top?.entry).toBe(2);
    expect(top?.reasons.join('; ')).not.toContain('only common words');
  });

  it('says when only common words match and the distinctive one does not', () => {
    const hit = search('Acme International Trading', 0).find((h) => h.entry === 2);
    if (hit) expect(hit.reasons.join('; ')).toContain("the distinctive 'MINGZHENG' does not");
  });

  it('scores a match on a weak alias lower and says why', () => {
    const [top] = search('BNC', 0.5);
    expect(top?.entry).toBe(3);
    expect(top?.score).toBeCloseTo(WEAK_ALIAS_FACTOR, 5);
    expect(top?.reasons.at(-1)).toContain('weak a.k.a.');
  });

  it('filters by entry', () => {
    // Its speed is measured by bench/screening.ts.
    expect(index.search('Aerocaribbean Airlines', { limit: 5, minScore: 0.5, accept: (e) => e !== 1 })).toEqual([]);
  });

  it('returns nothing for a name with nothing to compare', () => {
    expect(search('---')).toEqual([]);
    expect(search('北京')).toEqual([]);
  });
});

describe('duplicate suppliers', () => {
  const base = { taxId: null, email: null, country: 'GB', aliases: [] as string[] };
  const records = [
    {
      ...base,
      id: 'a',
      name: 'Northbridge Office Supplies Ltd',
      normalizedName: 'northbridge office supplies',
      taxId: 'GB 123 456 703',
      email: 'orders@northbridge.example',
    },
    {
      ...base,
      id: 'b',
      name: 'North Bridge Office Supplies Limited',
      normalizedName: 'north bridge office supplies',
      taxId: 'GB123456703',
      email: 'orders@northbridge.example',
    },
    { ...base, id: 'c', name: 'Refinitiv Ltd', normalizedName: 'refinitiv', email: 'a@refinitiv.example' },
    {
      ...base,
      id: 'd',
      name: 'Refinitiv Limited',
      normalizedName: 'refinitiv',
      taxId: 'GB123456799',
      email: 'b@gmail.com',
    },
    { ...base, id: 'e', name: 'Kestrel Security', normalizedName: 'kestrel security', email: 'x@gmail.com' },
    { ...base, id: 'f', name: 'Greenleaf Catering', normalizedName: 'greenleaf catering', email: 'y@gmail.com' },
  ];

  it('pairs records by tax id, email and name, with the evidence', () => {
    const pairs = findDuplicatePairs(records, { minScore: 0.3 });
    const [top] = pairs;
    expect([top?.a, top?.b].sort()).toEqual(['a', 'b']);
    expect(top?.evidence.map((e) => e.kind)).toEqual(['tax_id', 'email', 'name']);
    expect(top?.score).toBeGreaterThan(0.9);
    // A free-mail domain is no evidence; identical names are, though not conclusive.
    expect(pairs.find((p) => [p.a, p.b].includes('e'))).toBeUndefined();
    const refinitiv = pairs.find((p) => p.a === 'c' || p.b === 'c');
    expect(refinitiv?.evidence.map((e) => e.kind)).toEqual(['name']);
  });

  it('lowers the score when the tax ids differ, and can focus on one record', () => {
    const conflicting = records.map((r) => (r.id === 'c' ? { ...r, taxId: 'GB000000001' } : r));
    const c = findDuplicatePairs(conflicting, { minScore: 0, focus: 'c' });
    expect(c).toHaveLength(1);
    expect(c[0]?.evidence.at(-1)?.kind).toBe('conflict');
    expect(findDuplicatePairs(records, { minScore: 0, focus: 'f' })).toEqual([]);
    expect(normalizeTaxId(' gb-123.456 703 ')).toBe('GB123456703');
    expect(normalizeTaxId('12')).toBeUndefined();
  });
});
