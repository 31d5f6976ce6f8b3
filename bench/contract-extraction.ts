// Measures contract term extraction against expert labels (CUAD): prints one JSON line of per-field accuracy.
// Usage: node --import tsx bench/contract-extraction.ts [textsDir] [labels.json] [--verbose]
// A field counts as correct when both sides are empty or both name the same value.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extractContractTerms } from '../src/contracts/terms.js';
import { projectPath } from '../src/paths.js';

type Label = { context: string; answer: string };
type Labelled = { contract_file: string; labels: Record<string, Label | undefined> };

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const verbose = process.argv.includes('--verbose');
const textsDir = args[0] ?? projectPath('data', 'contracts', 'cuad');
const labelsPath = args[1] ?? join(textsDir, 'cuad-dev-labels.json');

const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

/** "10/1/2019" → "2019-10-01"; empty or unparseable → undefined. */
function labelDate(answer: string): string | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(answer.trim());
  return m ? `${m[3]}-${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}` : undefined;
}

/** A period as "n unit" (singular), ignoring "successive"; undefined when there is none. */
function periodKey(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const t = s.toLowerCase().replace(/\bsuccessive\b/g, '');
  const m = /(\d+|[a-z]+)[\s-]*(day|week|month|year)/.exec(t);
  if (!m) return t.trim() || undefined;
  const n = /^\d+$/.test(m[1]!) ? Number(m[1]) : WORDS.indexOf(m[1]!);
  return `${n} ${m[2]}`;
}

function days(key: string | undefined): number | undefined {
  if (!key) return undefined;
  const [n, unit] = key.split(' ');
  const per = { day: 1, week: 7, month: 30, year: 365 }[unit as 'day'];
  return per === undefined ? undefined : Number(n) * per;
}

const fold = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

const fields = [
  'parties',
  'agreement_date',
  'effective_date',
  'expiration_date',
  'renewal_term',
  'auto_renew',
  'notice_period_renewal',
  'notice_period_days_stored',
  'governing_law',
] as const;
type Field = (typeof fields)[number];

const labelled = JSON.parse(await readFile(labelsPath, 'utf8')) as Labelled[];
const correct = Object.fromEntries(fields.map((f) => [f, 0])) as Record<Field, number>;
const predicted = Object.fromEntries(fields.map((f) => [f, 0])) as Record<Field, number>;
let suppliers = 0;
let suppliersInParties = 0;
for (const c of labelled) {
  const text = (await readFile(join(textsDir, c.contract_file), 'utf8')).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const t = extractContractTerms(text);
  const answer = (k: string) => c.labels[k]?.answer?.trim() ?? '';
  const partiesAnswer = fold(answer('Parties'));
  const renewalLabel = periodKey(answer('Renewal Term'));
  const noticeLabel = days(periodKey(answer('Notice Period to Terminate Renewal')));
  const checks: Record<Field, [unknown, unknown]> = {
    parties: [
      t.parties.length >= 2 && t.parties.every((p) => partiesAnswer.includes(fold(p))) ? 'ok' : t.parties.length ? 'bad' : undefined,
      partiesAnswer ? 'ok' : undefined,
    ],
    agreement_date: [t.agreementDate, labelDate(answer('Agreement Date'))],
    effective_date: [t.effectiveDate, labelDate(answer('Effective Date'))],
    expiration_date: [t.endDate, labelDate(answer('Expiration Date')) ?? (answer('Expiration Date') || undefined)],
    renewal_term: [periodKey(t.renewalTerm), renewalLabel],
    auto_renew: [t.autoRenew === true, renewalLabel !== undefined],
    notice_period_renewal: [t.renewalNoticeDays, noticeLabel],
    notice_period_days_stored: [t.noticePeriodDays, noticeLabel],
    governing_law: [t.governingLaw?.toLowerCase(), answer('Governing Law').toLowerCase() || undefined],
  };
  for (const f of fields) {
    const [got, want] = checks[f];
    if (got !== undefined && got !== false) predicted[f]++;
    const ok = got === want || (got === false && want === false);
    if (ok) correct[f]++;
    else if (verbose) process.stderr.write(`${c.contract_file.slice(0, 40)} ${f}: got ${JSON.stringify(got)} want ${JSON.stringify(want)}\n`);
  }
  if (t.supplier) {
    suppliers++;
    if (partiesAnswer.includes(fold(t.supplier))) suppliersInParties++;
    if (verbose) process.stderr.write(`${c.contract_file.slice(0, 40)} supplier: ${t.supplier} | parties: ${t.parties.join('; ')}\n`);
  }
}
const n = labelled.length;
const accuracy = Object.fromEntries(fields.map((f) => [f, Math.round((correct[f] / n) * 1000) / 1000]));
process.stdout.write(
  `${JSON.stringify({ contracts: n, accuracy, predicted, supplier: { extracted: suppliers, named_a_labelled_party: suppliersInParties } })}\n`,
);
