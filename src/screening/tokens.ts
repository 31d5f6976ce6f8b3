// Turns a party name into the tokens screening compares: folded (case, accents, punctuation), without legal forms
// and filler words, each with a transliteration key so "Aerocarribean"/"AEROCARIBBEAN" or "Yusuf"/"Yousuf" meet.
import { foldName, normalizeSupplierName } from '../domain/supplier-name.js';
import { editDistance } from './similarity.js';

/** One word of a name: its folded text, the key under which spelling variants of it coincide, and its skeleton. */
export type NameToken = { text: string; key: string; skeleton: string };

/** A name ready for comparison, with what was removed before comparing (for explanations). */
export type PreparedName = {
  original: string;
  /** Folded form of the whole name (case, accents, punctuation gone; nothing removed). */
  folded: string;
  tokens: NameToken[];
  /** Legal forms taken off, as written in the original ("S.A.", "OOO"). */
  legalForms: string[];
};

// Letters NFKD does not decompose into a base letter plus accents.
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  Æ: 'AE',
  ø: 'o',
  Ø: 'O',
  œ: 'oe',
  Œ: 'OE',
  đ: 'd',
  Đ: 'D',
  ł: 'l',
  Ł: 'L',
  ı: 'i',
  þ: 'th',
  Þ: 'TH',
};
const SPECIAL_RE = new RegExp(`[${Object.keys(SPECIAL_LETTERS).join('')}]`, 'g');

// Legal forms normalizeSupplierName does not know, common on sanctions lists (Russian, Gulf, Latin American,
// Indonesian...). Leading ones are written before the name ("OOO Romashka", "PT Bank X").
const LEADING_FORMS = (
  'ooo, zao, oao, pao, ao, jsc, ojsc, cjsc, pjsc, llc, pt, cv, tov, doo, sarl, eurl, ' +
  'limited liability company, ' +
  'joint stock company, public joint stock company, open joint stock company, ' +
  'closed joint stock company, private joint stock company, ' +
  'obshchestvo s ogranichennoi otvetstvennostyu, aktsionernoe obshchestvo, ' +
  'zakrytoe aktsionernoe obshchestvo, otkrytoe aktsionernoe obshchestvo, ' +
  'publichnoe aktsionernoe obshchestvo'
)
  .split(', ')
  .map((f) => f.split(' '));
const TRAILING_FORMS = (
  'jsc, ojsc, cjsc, pjsc, ooo, zao, oao, pao, ao, fze, fzco, fzc, fz llc, fzllc, dmcc, ltda, lda, sal, ' +
  'sae, saog, saoc, wll, pvt, pvt ltd, private, tbk, sa de cv, de cv, s de rl, s de rl de cv, ' +
  'sapi de cv, spr de rl, spr de rl de cv, sl, sac, saic, sasu, bsc, eood, ood, ead, doo, dd, kft, zrt, sro, ' +
  'sp z oo, sp zoo, ca, eirl, tov, ' +
  'sirketi, limited sirketi, anonim sirketi, ltd sti, limited liability company, limited liability, ' +
  'joint stock company, joint stock, est, llc, ltd, limited, co, inc, corp, sa'
)
  .split(', ')
  .map((f) => f.split(' '));

// Filler words that never distinguish two parties; "al"/"el" are Arabic articles written with or without a hyphen.
const FILLER = new Set('and of the de del della da do dos das du des la le les el al ul y e et und for a'.split(' '));
const ARTICLES = new Set(['al', 'el', 'ul']);

/**
 * Case-folds like foldName, after mapping the letters NFKD leaves alone (ß, æ, ø, ł...). Dotted letters read as one
 * word ("S.A.S." → "sas", "L.L.C" → "llc"), and so do single letters written apart ("S A DE C V" → "sa de cv",
 * "D G D" → "dgd"), so an ERP that drops the dots still meets the list; separately dotted groups stay apart
 * ("C.I. S.A.S." → "ci sas", "Title I L.L.C." → "title i llc").
 */
export function foldForScreening(name: string): string {
  return foldedUnits(name)
    .map((u) => u.text)
    .join(' ');
}

/** One folded word and the written words (by index in the whitespace-split name) it comes from. */
type FoldedUnit = { text: string; from: number; to: number; letter: boolean };

const BREAK = /[,;()[\]]/;

function isLetter(w: string): boolean {
  return w.length === 1 && w >= 'a' && w <= 'z';
}

// The folded words of a name, with runs of single letters joined. A run never crosses a comma or a bracket: in
// "Title I, S.A." the initial and the legal form stay apart.
function foldedUnits(name: string): FoldedUnit[] {
  const written = name
    .replace(SPECIAL_RE, (c) => SPECIAL_LETTERS[c] ?? c)
    .trim()
    .split(/\s+/);
  const units: FoldedUnit[] = [];
  let broken = true;
  written.forEach((word, i) => {
    word.split(BREAK).forEach((part, k) => {
      if (k > 0) broken = true;
      // Dotted letters ("S.A.S.") are one word of their own; letters apart or hyphenated ("T-N K") join a run.
      const dotted = part
        .split('.')
        .map((p) => foldName(p))
        .filter((p) => p !== '');
      if (dotted.length > 1 && dotted.every(isLetter)) {
        units.push({ text: dotted.join(''), from: i, to: i, letter: false });
        broken = false;
        return;
      }
      const pieces = dotted.flatMap((p) => p.split(' '));
      if (pieces.length === 0) return;
      for (const piece of pieces) {
        const last = units[units.length - 1];
        const letter = isLetter(piece);
        if (letter && last?.letter && !broken) {
          last.text += piece;
          last.to = i;
        } else {
          units.push({ text: piece, from: i, to: i, letter });
        }
        broken = false;
      }
    });
    if (BREAK.test(word.slice(-1))) broken = true;
  });
  return splitRunsBeforeForms(units);
}

// Legal forms a run of single letters may end in ("C I S A S" is "C.I. S.A.S.", "TITLE I S A DE C V" is "Title I,
// S.A. de C.V."): several words, or one of three letters or more. Two-letter forms ("sa", "as") are left alone, so
// an acronym such as "R S A" stays one word.
const RUN_TAIL_FORMS = new Set([
  ...TRAILING_FORMS.map((f) => f.join(' ')).filter((f) => f.includes(' ') || f.length >= 3),
  ...'ltd plc llc llp inc corp gmbh sas sarl srl spa pty pte bhd oyj asa aps cic cio'.split(' '),
]);

// Splits a run of single letters whose end, with the words after it, is a legal form ending the name.
function splitRunsBeforeForms(units: FoldedUnit[]): FoldedUnit[] {
  for (let i = 0; i < units.length; i++) {
    const u = units[i]!;
    const rest = units.slice(i + 1).map((x) => x.text);
    if (!u.letter || u.text.length < 3 || rest.length > 4 || RUN_TAIL_FORMS.has([u.text, ...rest].join(' '))) continue;
    for (let k = 1; k <= u.text.length - 2; k++) {
      if (!RUN_TAIL_FORMS.has([u.text.slice(k), ...rest].join(' '))) continue;
      // When each letter was written as a word, each part keeps its own written words.
      const apart = u.to - u.from + 1 === u.text.length;
      units.splice(
        i,
        1,
        { ...u, text: u.text.slice(0, k), ...(apart ? { to: u.from + k - 1 } : {}) },
        { ...u, text: u.text.slice(k), letter: false, ...(apart ? { from: u.from + k } : {}) },
      );
      break;
    }
  }
  return units;
}

/** Splits, folds and cleans a name for screening: legal forms and filler words removed, keys computed. */
export function prepareName(name: string): PreparedName {
  const folded = foldForScreening(name);
  const normalized = normalizeSupplierName(folded);
  let words = normalized === '' ? [] : normalized.split(' ');
  // What normalizeSupplierName removed from the end ("sa", "ltd") or the start ("the").
  const foldedWords = folded === '' ? [] : folded.split(' ');
  const start = foldedWords[0] === 'the' && words[0] !== 'the' ? 1 : 0;
  let removedTail = Math.max(0, foldedWords.length - start - words.length);
  let removedHead = 0;
  // Screening-only legal forms, never removing the last word.
  for (let changed = true; changed && words.length > 1; ) {
    changed = false;
    const lead = LEADING_FORMS.find(
      (form) => form.length < words.length && form.every((f, i) => formWord(words[i]!, f)),
    );
    if (lead) {
      words = words.slice(lead.length);
      removedHead += lead.length;
      changed = true;
      continue;
    }
    for (const form of TRAILING_FORMS) {
      if (form.length >= words.length) continue;
      const tail = words.slice(words.length - form.length);
      if (tail.every((w, i) => formWord(w, form[i]!))) {
        words = words.slice(0, words.length - form.length);
        removedTail += form.length;
        changed = true;
        break;
      }
    }
  }
  const kept = dropFiller(words);
  return {
    original: name,
    folded,
    tokens: kept.map((text) => {
      const key = tokenKey(text);
      return { text, key, skeleton: skeleton(key) };
    }),
    legalForms: [
      ...originalWords(name, 'head', start + removedHead),
      ...originalWords(name, 'tail', removedTail),
    ].filter((w) => w !== ''),
  };
}

// A word of a legal form, tolerating one typo in the long ones ("Comapny", "Liablity").
function formWord(word: string, form: string): boolean {
  return (
    word === form || (form.length >= 6 && Math.abs(word.length - form.length) <= 1 && editDistance(word, form, 1) <= 1)
  );
}

// Filler words go only between two real words ("Banco Nacional de Cuba", "Abd al-Rahman"), plus a leading Arabic
// article ("Al-Qaida") or an article moved to the end as indexes write it ("Qaida, Al", "Carbon Trust, The"):
// elsewhere a short word may be an initial or an acronym ("DES International").
function dropFiller(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (FILLER.has(w)) {
      const next = words[i + 1];
      const prev = words[i - 1];
      const between =
        prev !== undefined && next !== undefined && prev.length > 1 && next.length > 1 && !FILLER.has(next);
      const article = i === 0 && (ARTICLES.has(w) || w === 'the') && next !== undefined && next.length > 1;
      const moved =
        i > 0 && i === words.length - 1 && (ARTICLES.has(w) || w === 'the') && prev !== undefined && prev.length > 1;
      if (between || article || moved) continue;
    }
    out.push(w);
  }
  return out;
}

// The original spelling of the first or last `count` folded words ("S.A." for the folded "sa", "S A" for the
// joined "sa").
function originalWords(name: string, side: 'head' | 'tail', count: number): string[] {
  if (count <= 0) return [];
  const units = foldedUnits(name);
  const picked = side === 'tail' ? units.slice(Math.max(0, units.length - count)) : units.slice(0, count);
  if (picked.length === 0) return [];
  const text = name
    .replace(SPECIAL_RE, (c) => SPECIAL_LETTERS[c] ?? c)
    .trim()
    .split(/\s+/)
    .slice(picked[0]!.from, picked[picked.length - 1]!.to + 1)
    .join(' ')
    .replace(/^[,;(]+|[,;)]+$/g, '');
  return text === '' ? [] : [text];
}

const DIGRAPH_KEYS: Readonly<Record<string, string>> = {
  sch: 'sh',
  tch: 'ch',
  ph: 'f',
  ck: 'k',
  kh: 'h',
  gh: 'g',
  dh: 'd',
  th: 't',
  dj: 'j',
};
const DIGRAPHS = /sch|tch|ph|ck|kh|gh|dh|th|dj/g;

// Arabic given-name prefixes written as one word or two: "Abdul Rahman", "Abd al-Rahman", "Abdel Rahman".
const ABD = /^abd[aeiou]?l$/;

/**
 * The transliteration key of one folded word: ph/f, ck/k, kh/h, q/k, w/v, y/i, z/s, ou/u, ee/i, hard c/k, and
 * doubled letters collapse, so common romanisations of one name share a key.
 */
export function tokenKey(word: string): string {
  if (ABD.test(word)) return 'abd';
  if (/^\d+$/.test(word)) return word;
  // Digraphs in one pass, so a replacement never forms a new digraph ("laitkhaus" must not become "laitaus").
  const k = word
    .replace(DIGRAPHS, (d) => DIGRAPH_KEYS[d] ?? d)
    .replace(/q/g, 'k')
    .replace(/x/g, 'ks')
    .replace(/c(?![eihy])/g, 'k')
    .replace(/w/g, 'v')
    .replace(/y/g, 'i')
    .replace(/z/g, 's')
    .replace(/ou|oo/g, 'u')
    .replace(/ee/g, 'i')
    .replace(/(.)\1+/g, '$1');
  return k === '' ? word : k;
}

/** The consonant skeleton of a key ("mohamed", "muhamad" → "mhmd"), kept with its first letter. */
export function skeleton(key: string): string {
  if (key.length === 0) return key;
  return (
    key[0] +
    key
      .slice(1)
      .replace(/[aeiou]/g, '')
      .replace(/(.)\1+/g, '$1')
  );
}
