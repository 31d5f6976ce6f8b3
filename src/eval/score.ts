// Scoring an answer against what was expected: a figure is right when a number in the answer equals it at the
// precision shown (so "£1.2m" expected matches only an answer that rounds the same way, and 2400 matches
// "£2,400.00"); a name is right when the answer contains it after case and punctuation folding.
import { compareDecimal, isDecimal } from '../domain/money.js';

export type Expected = string | number;

/** A number as written in text: its exact decimal value and the scale word after it ("m", "bn", "k"), if any. */
export type Figure = { value: string; scale: string; text: string };

const SCALES: Record<string, string> = { k: 'k', thousand: 'k', m: 'm', mn: 'm', million: 'm', bn: 'bn', b: 'bn', billion: 'bn' };
const FIGURE = /(?<![\w.])[-−]?[£$€]?\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s?(k|m|mn|bn|b|thousand|million|billion)\b)?%?/gi;

/** Every number written in `text`, in order. */
export function figuresIn(text: string): Figure[] {
  const out: Figure[] = [];
  for (const m of text.matchAll(FIGURE)) {
    const negative = /^[-−]/.test(m[0]);
    const value = `${negative ? '-' : ''}${m[1]!.replace(/,/g, '')}${m[2] ?? ''}`;
    out.push({ value, scale: m[3] ? (SCALES[m[3].toLowerCase()] ?? '') : '', text: m[0].trim() });
  }
  return out;
}

/** An expected item read as a figure, when it is one (a number, or text that is only a number). */
export function asFigure(expected: Expected): Figure | undefined {
  if (typeof expected === 'number') {
    if (!Number.isFinite(expected)) return undefined;
    return { value: String(expected), scale: '', text: String(expected) };
  }
  const all = figuresIn(expected.trim());
  if (all.length !== 1 || all[0]!.text.replace(/\s/g, '') !== expected.trim().replace(/\s/g, '')) return undefined;
  return all[0];
}

/** Case, accents and punctuation folded, spaces collapsed: "Dell Technologies, Ltd." → "dell technologies ltd". */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The part of `answer` that shows `expected`, or undefined when the answer does not show it. */
export function found(expected: Expected, answer: string): string | undefined {
  const figure = asFigure(expected);
  if (figure) {
    const hit = figuresIn(answer).find(
      (f) => f.scale === figure.scale && isDecimal(f.value) && isDecimal(figure.value) && compareDecimal(f.value, figure.value) === 0,
    );
    return hit?.text;
  }
  const name = foldText(String(expected));
  if (name === '') return undefined;
  return ` ${foldText(answer)} `.includes(` ${name} `) ? String(expected) : undefined;
}

/** Whether the answer shows every expected item, and what it showed for each (null when missing). */
export function score(expected: readonly Expected[], answer: string): { ok: boolean; got: (string | null)[] } {
  const got = expected.map((e) => found(e, answer) ?? null);
  return { ok: expected.length > 0 && got.every((g) => g !== null), got };
}
