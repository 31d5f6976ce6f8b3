// Scores clause detection against expert labels (CUAD): per clause type, precision and recall of "present", how
// well the quoted spans overlap the labelled ones, and value agreement where a value is normalised. Prints one
// JSON line. The bundled ten contracts were looked at while the patterns were written: their figures are a
// development score, not a measure on unseen contracts; pass another texts folder and labels file for that.
// Usage: node --import tsx bench/clauses.ts [textsDir] [labels.json] [--verbose]
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CLAUSE_TYPE_IDS, CLAUSE_TYPES, type ClauseType, detectClauses } from '../src/contracts/clauses/index.js';
import { projectPath } from '../src/paths.js';
import { pythonStrings } from './cuad-literal.js';

type Label = { context: string; answer: string };
type Labelled = { contract_file: string; labels: Record<string, Label | undefined> };
type Counts = { tp: number; fp: number; fn: number; tn: number; labelledSpans: number; spansHit: number; predictedSpans: number; predictedHit: number };

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const verbose = process.argv.includes('--verbose');
const textsDir = args[0] ?? projectPath('data', 'contracts', 'cuad');
const labelsPath = args[1] ?? join(textsDir, 'cuad-dev-labels.json');
const bundled = args[0] === undefined;

/** Text with whitespace runs collapsed, and the original offset of each kept character. */
function squeeze(text: string): { s: string; at: number[] } {
  let s = '';
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ws = /\s/.test(text[i]!);
    if (ws && (s.endsWith(' ') || s === '')) continue;
    s += ws ? ' ' : text[i]!.toLowerCase();
    at.push(i);
  }
  return { s, at };
}

/** Where a labelled span sits in the text (whitespace-insensitive), if it can be found. */
function locate(text: ReturnType<typeof squeeze>, piece: string): { start: number; end: number } | undefined {
  const p = squeeze(piece).s.trim();
  if (p.length < 4) return undefined;
  const i = text.s.indexOf(p);
  if (i < 0) return undefined;
  return { start: text.at[i]!, end: text.at[i + p.length - 1]! + 1 };
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];
function periodKey(s: string | null | undefined): string | undefined {
  const m = /(\d+|[a-z]+)[\s-]*(day|week|month|year)/.exec((s ?? '').toLowerCase());
  if (!m) return undefined;
  return `${/^\d+$/.test(m[1]!) ? Number(m[1]) : WORDS.indexOf(m[1]!)} ${m[2]}`;
}
function labelDate(answer: string): string | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(answer.trim());
  return m ? `${m[3]}-${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}` : undefined;
}
const fold = (s: string | null | undefined) => (s ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
// How a normalised value is compared with the labelled answer, for the types that have one.
const VALUE_MATCH: Partial<Record<ClauseType, (got: string | null, answer: string) => boolean>> = {
  governing_law: (got, answer) => fold(got) !== '' && (fold(answer).includes(fold(got)) || fold(got).includes(fold(answer))),
  expiration_date: (got, answer) => labelDate(answer) !== undefined && got === labelDate(answer),
  renewal_term: (got, answer) => periodKey(got) !== undefined && periodKey(got) === periodKey(answer),
  notice_to_terminate_renewal: (got, answer) => periodKey(got) !== undefined && periodKey(got) === periodKey(answer),
  warranty_duration: (got, answer) => periodKey(got) !== undefined && periodKey(got) === periodKey(answer),
};

const labelled = JSON.parse(await readFile(labelsPath, 'utf8')) as Labelled[];
const counts = Object.fromEntries(
  CLAUSE_TYPE_IDS.map((t) => [t, { tp: 0, fp: 0, fn: 0, tn: 0, labelledSpans: 0, spansHit: 0, predictedSpans: 0, predictedHit: 0 }]),
) as Record<ClauseType, Counts>;
const values: Partial<Record<ClauseType, { compared: number; agreed: number }>> = {};
let ms = 0;
let chars = 0;
for (const c of labelled) {
  const text = (await readFile(join(textsDir, c.contract_file), 'utf8')).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const started = performance.now();
  const findings = detectClauses(text);
  ms += performance.now() - started;
  chars += text.length;
  const squeezed = squeeze(text);
  for (const f of findings) {
    const label = c.labels[CLAUSE_TYPES[f.type]];
    if (!label) continue;
    const pieces = pythonStrings(label.context).flatMap((p) => p.split('<omitted>'));
    const truth = pieces.length > 0;
    const k = counts[f.type];
    if (f.present && truth) k.tp++;
    else if (f.present) k.fp++;
    else if (truth) k.fn++;
    else k.tn++;
    if (verbose && f.present !== truth) {
      process.stderr.write(`${f.present ? 'FP' : 'FN'} ${f.type} ${c.contract_file.slice(0, 40)}\n`);
      for (const s of f.spans) process.stderr.write(`   got: ${s.text.replace(/\s+/g, ' ').slice(0, 300)}\n`);
    }
    if (f.present && truth) {
      const located = pieces.map((p) => locate(squeezed, p)).filter((p) => p !== undefined);
      k.labelledSpans += located.length;
      k.spansHit += located.filter((l) => f.spans.some((s) => overlaps(s, l))).length;
      k.predictedSpans += f.spans.length;
      k.predictedHit += f.spans.filter((s) => located.some((l) => overlaps(s, l))).length;
      const match = VALUE_MATCH[f.type];
      if (match && label.answer.trim() !== '' && label.answer.trim() !== 'Yes') {
        const v = values[f.type] ?? { compared: 0, agreed: 0 };
        values[f.type] = v;
        v.compared++;
        if (match(f.value, label.answer)) v.agreed++;
        else if (verbose) process.stderr.write(`value ${f.type} ${c.contract_file.slice(0, 40)}: got ${f.value} want ${label.answer}\n`);
      }
    }
  }
}

const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 1000) / 1000);
const perType = Object.fromEntries(
  CLAUSE_TYPE_IDS.map((t) => {
    const k = counts[t];
    return [
      t,
      {
        tp: k.tp,
        fp: k.fp,
        fn: k.fn,
        tn: k.tn,
        precision: ratio(k.tp, k.tp + k.fp),
        recall: ratio(k.tp, k.tp + k.fn),
        span_recall: ratio(k.spansHit, k.labelledSpans),
        span_precision: ratio(k.predictedHit, k.predictedSpans),
      },
    ];
  }),
);
const total = Object.values(counts).reduce((a, k) => ({ tp: a.tp + k.tp, fp: a.fp + k.fp, fn: a.fn + k.fn, tn: a.tn + k.tn }), {
  tp: 0,
  fp: 0,
  fn: 0,
  tn: 0,
});
const p = ratio(total.tp, total.tp + total.fp);
const r = ratio(total.tp, total.tp + total.fn);
process.stdout.write(
  `${JSON.stringify({
    bench: 'clauses',
    data: bundled ? 'dev: the 10 bundled CUAD contracts, seen while writing the patterns (not a held-out score)' : labelsPath,
    contracts: labelled.length,
    micro: { ...total, precision: p, recall: r, f1: p !== null && r !== null && p + r > 0 ? Math.round(((2 * p * r) / (p + r)) * 1000) / 1000 : null },
    values: Object.fromEntries(Object.entries(values).map(([t, v]) => [t, { ...v, accuracy: ratio(v.agreed, v.compared) }])),
    per_type: perType,
    ms_per_100k_chars: Math.round((ms / chars) * 100_000 * 10) / 10,
  })}\n`,
);
