// How well the clause detectors generalise, measured on CUAD's expert labels for 490 contracts (clause spans and
// answers, no full texts). Each labelled span is run through the detectors: recall is how often a span of type T
// fires T; a false alarm is T firing on a span labelled only as another type (a span counts as a negative for T
// only when that contract has no T label overlapping it: CUAD's types overlap, e.g. Renewal Term and Notice
// Period to Terminate Renewal). Presence per contract and type (as the full-text check scores it): T is predicted
// present when it fires on any of the contract's labelled spans. The split is fixed by a hash of each contract's
// file name (the first byte of its SHA-256 below 128: dev, else held out), with the contracts the patterns were
// first written against (in_cuad_dev_folder) always in the dev half; only the dev half may be read to write or
// tune patterns, so --verbose and --misses list dev spans only. Values (governing law, renewal term, notice
// period, expiration date) are compared with the labelled answers where both exist. Prints one JSON line.
// Usage: node --import tsx bench/cuad-spans.ts [cuad-labels-490.json] [--verbose] [--misses]
//   (default: ../shared/data/contracts/; --verbose lists dev false alarms and value disagreements on stderr,
//   --misses the dev spans of a type on which it did not fire)
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CLAUSE_TYPE_IDS, CLAUSE_TYPES, type ClauseType, detectClauses } from '../src/contracts/clauses/index.js';
import { projectPath } from '../src/paths.js';
import { pythonStrings } from './cuad-literal.js';

type Label = { context: string; answer: string };
type Raw = { cuad_filename: string; in_cuad_dev_folder: boolean; labels: Record<string, Label> };
type Contract = { name: string; dev: boolean; spans: Map<ClauseType, string[]>; answers: Map<ClauseType, string>; effective?: string };

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const verbose = process.argv.includes('--verbose');
const misses = process.argv.includes('--misses');
const path = args[0] ?? projectPath('..', 'shared', 'data', 'contracts', 'cuad-labels-490.json');

/** Whether a contract is in the development half: fixed by its file name, so every run splits alike. */
function inDevHalf(name: string, flagged: boolean): boolean {
  return flagged || createHash('sha256').update(name).digest()[0]! < 128;
}

/** A label's spans (its context is a Python list literal, as CUAD stores it) and answer. */
function readLabel(label: Label): { spans: string[]; answer: string } {
  const spans = pythonStrings(label.context ?? '')
    .flatMap((s) => s.split('<omitted>'))
    .map((s) => s.trim())
    .filter((s) => s.length >= 10);
  return { spans, answer: label.answer ?? '' };
}

const fold = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
const overlaps = (a: string, b: string) => {
  const x = fold(a);
  const y = fold(b);
  return x.includes(y) || y.includes(x);
};

// "90 days", "three (3) months", "1 year" → days, a month counted as 30 and a year as 360 so "12 months" and
// "1 year" agree; undefined when no period is written.
const WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twelve: 12, thirty: 30, sixty: 60, ninety: 90 };
function days(text: string): number | undefined {
  const m = /(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|thirty|sixty|ninety)\s*\)?\s*(?:\(\d+\)\s*)?(day|week|month|year)/i.exec(text);
  if (!m) return undefined;
  const n = /^\d+$/.test(m[1]!) ? Number(m[1]) : WORDS[m[1]!.toLowerCase()]!;
  const unit = m[2]!.toLowerCase();
  return n * (unit === 'day' ? 1 : unit === 'week' ? 7 : unit === 'month' ? 30 : 360);
}

// The labels are not bundled (CC BY 4.0, 2.6 MB): without them the bench says so and measures nothing.
const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
  process.stdout.write(`${JSON.stringify({ bench: 'cuad-spans', skipped: `cannot read ${path}: ${err.code ?? err.message}` })}\n`);
  process.exit(0);
});
const raw = JSON.parse(text) as Raw[];
const contracts: Contract[] = raw.map((r) => {
  const spans = new Map<ClauseType, string[]>();
  const answers = new Map<ClauseType, string>();
  for (const t of CLAUSE_TYPE_IDS) {
    const label = r.labels[CLAUSE_TYPES[t]];
    if (!label) continue;
    const l = readLabel(label);
    if (l.spans.length > 0) spans.set(t, l.spans);
    if (l.answer.trim() !== '') answers.set(t, l.answer.trim());
  }
  // Spans of the CUAD types the detectors do not cover are negatives for every type too.
  const others = Object.entries(r.labels)
    .filter(([name]) => !(Object.values(CLAUSE_TYPES) as string[]).includes(name) && !['Parties', 'Document Name', 'Agreement Date', 'Effective Date'].includes(name))
    .flatMap(([, label]) => readLabel(label).spans);
  if (others.length > 0) spans.set('__other' as ClauseType, others);
  const effective = labelDate(r.labels['Effective Date']?.answer ?? '');
  return { name: r.cuad_filename, dev: inDevHalf(r.cuad_filename, r.in_cuad_dev_folder), spans, answers, effective };
});

type Counts = { contracts: number; positives: number; tp: number; fp: number; fn: number; spanPos: number; spanHit: number; spanNeg: number; spanFalse: number };
const empty = (): Counts => ({ contracts: 0, positives: 0, tp: 0, fp: 0, fn: 0, spanPos: 0, spanHit: 0, spanNeg: 0, spanFalse: 0 });
const split = { dev: new Map<ClauseType, Counts>(), heldOut: new Map<ClauseType, Counts>() };
for (const t of CLAUSE_TYPE_IDS) {
  split.dev.set(t, empty());
  split.heldOut.set(t, empty());
}
// Value agreement per half: answers labelled, values given on the type's own spans, and values that agree.
type Agreement = { labelled: number; compared: number; agreed: number };
const VALUE_TYPES = ['governing_law', 'renewal_term', 'notice_to_terminate_renewal', 'expiration_date'] as const;
const values = {
  dev: new Map<ClauseType, Agreement>(VALUE_TYPES.map((t) => [t, { labelled: 0, compared: 0, agreed: 0 }])),
  heldOut: new Map<ClauseType, Agreement>(VALUE_TYPES.map((t) => [t, { labelled: 0, compared: 0, agreed: 0 }])),
};

// CUAD writes dates m/d/yyyy; the detectors yyyy-mm-dd.
function labelDate(answer: string): string | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(answer.trim());
  return m ? `${m[3]}-${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}` : undefined;
}

// A term read from a span ("5 years") ends at the contract's effective date plus the term; the full-text detector
// adds it to the effective date it reads, which a span does not hold, so CUAD's Effective Date answer stands in.
// CUAD writes some ends as the day before the anniversary: either counts.
function termEnds(got: string, effective: string | undefined): string[] {
  const m = /^(\d+) (day|week|month|year)s?$/.exec(got);
  if (!m || !effective) return [got];
  const [y, mo, d] = effective.split('-').map(Number) as [number, number, number];
  const n = Number(m[1]);
  const end =
    m[2] === 'day' || m[2] === 'week'
      ? new Date(Date.UTC(y, mo - 1, d + n * (m[2] === 'week' ? 7 : 1)))
      : new Date(Date.UTC(y, mo - 1 + n * (m[2] === 'year' ? 12 : 1), d));
  const dayBefore = new Date(end.getTime() - 86_400_000);
  return [end, dayBefore].map((t) => t.toISOString().slice(0, 10));
}

/** Whether a detected value agrees with the labelled answer for type `t`. */
function agrees(t: ClauseType, got: string, answer: string, effective: string | undefined): boolean {
  if (t === 'governing_law') return fold(answer).includes(fold(got)) || fold(got).includes(fold(answer));
  if (t === 'expiration_date') {
    if (/^perpetual$/i.test(answer)) return got === 'perpetual';
    const want = labelDate(answer);
    // Some CUAD answers expand a two-digit year into the wrong century ("12/31/34" as 1934 for 2034).
    const wants = want === undefined ? [] : Number(want.slice(0, 4)) < 1960 ? [want, `${Number(want.slice(0, 4)) + 100}${want.slice(4)}`] : [want];
    return termEnds(got, effective).some((end) => wants.includes(end));
  }
  return days(got) !== undefined && days(got) === days(answer);
}

const started = performance.now();
let spansRun = 0;
for (const c of contracts) {
  const counts = c.dev ? split.dev : split.heldOut;
  // Every span once: which types fire on it, and the values found.
  const fired = new Map<string, { types: Set<ClauseType>; values: Map<ClauseType, string | null> }>();
  for (const list of c.spans.values()) {
    for (const s of list) {
      if (fired.has(s)) continue;
      const findings = detectClauses(s).filter((f) => f.present);
      spansRun++;
      fired.set(s, { types: new Set(findings.map((f) => f.type)), values: new Map(findings.map((f) => [f.type, f.value])) });
    }
  }
  for (const t of CLAUSE_TYPE_IDS) {
    const k = counts.get(t)!;
    k.contracts++;
    const own = c.spans.get(t) ?? [];
    const labelled = own.length > 0;
    if (labelled) k.positives++;
    for (const s of own) {
      k.spanPos++;
      if (fired.get(s)!.types.has(t)) k.spanHit++;
      else if (misses && c.dev) process.stderr.write(`miss ${t} in ${c.name.slice(0, 40)}: ${s.replace(/\s+/g, ' ').slice(0, 400)}\n`);
    }
    for (const [u, list] of c.spans) {
      if (u === t) continue;
      for (const s of list) {
        if (own.some((o) => overlaps(o, s))) continue;
        k.spanNeg++;
        if (fired.get(s)!.types.has(t)) {
          k.spanFalse++;
          if (verbose && c.dev) process.stderr.write(`false ${t} on ${u} span of ${c.name.slice(0, 40)}: ${s.slice(0, 160)}\n`);
        }
      }
    }
    const predicted = [...fired.values()].some((f) => f.types.has(t));
    if (predicted && labelled) k.tp++;
    else if (predicted) k.fp++;
    else if (labelled) k.fn++;
    // Values, where an answer is labelled: given on the type's own spans, and agreeing with the answer.
    const agreement = (c.dev ? values.dev : values.heldOut).get(t);
    const answer = c.answers.get(t);
    if (agreement && labelled && answer && (t !== 'expiration_date' || /^perpetual$/i.test(answer) || labelDate(answer))) {
      agreement.labelled++;
      const got = own.map((s) => fired.get(s)!.values.get(t)).find((v) => v);
      if (got) {
        agreement.compared++;
        if (agrees(t, got, answer, c.effective)) agreement.agreed++;
        else if (verbose && c.dev) process.stderr.write(`value ${t}: got ${got}, labelled ${answer.slice(0, 80)}\n`);
      }
    }
  }
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
function figures(m: Map<ClauseType, Counts>) {
  const per = Object.fromEntries(
    CLAUSE_TYPE_IDS.map((t) => {
      const k = m.get(t)!;
      const precision = k.tp + k.fp === 0 ? 0 : k.tp / (k.tp + k.fp);
      const recall = k.tp + k.fn === 0 ? 0 : k.tp / (k.tp + k.fn);
      const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
      return [
        t,
        {
          contracts: k.contracts,
          positives: k.positives,
          precision: r3(precision),
          recall: r3(recall),
          f1: r3(f1),
          span_recall: r3(k.spanPos === 0 ? 0 : k.spanHit / k.spanPos),
          span_false_alarm_rate: r3(k.spanNeg === 0 ? 0 : k.spanFalse / k.spanNeg),
        },
      ];
    }),
  );
  const f1s = Object.values(per).map((p) => p.f1);
  return { macro_f1: r3(f1s.reduce((a, b) => a + b, 0) / f1s.length), types_below_half: Object.entries(per).filter(([, p]) => p.f1 < 0.5).map(([t]) => t), per_type: per };
}

function valueFigures(m: Map<ClauseType, Agreement>) {
  return Object.fromEntries(
    [...m].map(([t, v]) => [t, { labelled: v.labelled, compared: v.compared, agreed: v.agreed, accuracy: r3(v.compared === 0 ? 0 : v.agreed / v.compared) }]),
  );
}

process.stdout.write(
  `${JSON.stringify({
    bench: 'cuad-spans',
    split: 'dev: sha256(cuad_filename)[0] < 128 or in_cuad_dev_folder; held out: the rest',
    contracts: contracts.length,
    dev_contracts: contracts.filter((c) => c.dev).length,
    spans_run: spansRun,
    ms: Math.round(performance.now() - started),
    held_out: figures(split.heldOut),
    dev: figures(split.dev),
    values_held_out: valueFigures(values.heldOut),
    values_dev: valueFigures(values.dev),
  })}\n`,
);
