// Sanctions screening against the full OFAC SDN list: throughput (names per second through the batch screening
// the supplier-risk monitor uses) and precision/recall on a labelled set. Positives are listed names written the
// way an ERP writes a supplier (changed case, another legal suffix, punctuation removed or added, word order,
// a listed alias); negatives are real UK public-sector supplier names (the GLA payments file) and generated
// company names made of everyday business words. A name counts as flagged when the monitor would raise a
// finding for it (a strong match, or a review on a distinctive weak alias). Prints one JSON line.
// Usage: node --import tsx bench/screening.ts [--verbose]   (embedded database; BENCH_SAMPLE entities, default 600)
import { openDatabase } from '../src/db/client.js';
import { readCsv } from '../src/imports/csv.js';
import { readText } from '../src/imports/decode.js';
import { runImport } from '../src/imports/run.js';
import { silentLogger } from '../src/log.js';
import { classifyScreening, distinctiveAlias } from '../src/monitors/supplier-risk-screening.js';
import { projectPath } from '../src/paths.js';
import { STRONG_SCORE, screenNames } from '../src/screening/screen.js';
import { prepareName } from '../src/screening/tokens.js';

const verbose = process.argv.includes('--verbose');
const SAMPLE = Number(process.env.BENCH_SAMPLE ?? 600);
const OFAC = projectPath('data', 'sanctions', 'ofac_sdn_2024-04-26.csv');
const GLA = projectPath('data', 'spend', 'gla_spend_2008-2013.csv');

type Labelled = { name: string; listed: boolean; variant: string; entryId?: string; from?: string };

// A small deterministic generator, so every run builds the same set.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(20240426);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

function titleCase(s: string): string {
  return s.toLowerCase().replace(/(^|[\s\-/(])([a-z])/g, (_, p: string, c: string) => p + c.toUpperCase());
}

// The name without the legal forms the matcher recognises at either end, as written ("ANGLO-CARIBBEAN" of
// "ANGLO-CARIBBEAN CO., LTD.").
function core(name: string): string {
  let s = name.trim().replace(/\s+/g, ' ');
  for (const form of prepareName(name).legalForms) {
    if (s.endsWith(form)) s = s.slice(0, s.length - form.length);
    else if (s.startsWith(form)) s = s.slice(form.length);
    s = s.replace(/^[\s,;.-]+|[\s,;-]+$/g, '');
  }
  return s || name;
}

const SUFFIXES = ['Ltd', 'Limited', 'LLC', 'L.L.C.', 'GmbH', 'S.A.', 'SA', 'JSC', 'Inc.', 'Co., Ltd.', 'PLC', 'S.A. de C.V.', 'FZE', 'Corp.'];
const PREFIXES = ['OOO', 'LLC', 'JSC', 'PJSC', 'AO'];

// Listed names and aliases per entry, from the imported list (what the monitor screens against).
type Entry = { entryId: string; name: string; type: string; aliases: { name: string; strength: string }[] };

async function listedEntries(database: Awaited<ReturnType<typeof openDatabase>>): Promise<Entry[]> {
  const rows = await database.query<{ entry_id: string; name: string; entry_type: string; aliases: { name: string; strength: string }[] | null }>(
    `select e.entry_id, e.name, e.entry_type,
       (select json_agg(json_build_object('name', n.name, 'strength', n.strength) order by n.id)
          from sanctions_names n where n.entry_id = e.id and n.kind <> 'primary') as aliases
     from sanctions_entries e order by e.id`,
  );
  return rows.map((r) => ({ entryId: r.entry_id, name: r.name, type: r.entry_type, aliases: r.aliases ?? [] }));
}

function entityVariants(e: Entry): Labelled[] {
  const base = { listed: true, entryId: e.entryId, from: e.name };
  const c = core(e.name);
  const out: Labelled[] = [
    { ...base, variant: 'case', name: titleCase(e.name) },
    { ...base, variant: 'case', name: e.name.toLowerCase() },
  ];
  const suffix = pick(SUFFIXES);
  out.push({ ...base, variant: 'suffix', name: `${titleCase(c)} ${suffix}` });
  out.push({ ...base, variant: 'suffix', name: `${pick(PREFIXES)} ${c.toUpperCase()}` });
  const punctuated = /[^\p{L}\p{N}\s]/u.test(e.name);
  // ERPs drop apostrophes and turn other punctuation into spaces, or add a comma and dots the list lacks.
  out.push({
    ...base,
    variant: 'punctuation',
    name: punctuated
      ? e.name
          .replace(/['’]/g, '')
          .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
          .replace(/\s+/g, ' ')
          .trim()
      : `${c.replace(' ', '-')}, ${suffix.replace(/\.?$/, '.')}`,
  });
  const words = core(e.name).split(/\s+/);
  if (words.length > 1) {
    // An article written last, as indexes do ("Zarooni Exchange, Al"), or the first two words swapped.
    const article = /^(al|el|the)$/i.test(words[0]!);
    // Swap the first two neighbours that are words, not initials.
    const word = (w: string | undefined) => w !== undefined && /\p{L}{3}/u.test(w) && !/^(and|for|the)$/i.test(w);
    const at = words.findIndex((w, i) => word(w) && word(words[i + 1]));
    const reordered = article
      ? `${words.slice(1).join(' ')}, ${words[0]}`
      : at < 0
        ? undefined
        : [...words.slice(0, at), words[at + 1], words[at], ...words.slice(at + 2)].join(' ');
    if (reordered) out.push({ ...base, variant: 'order', name: `${reordered} ${suffix}` });
  }
  return out;
}

function individualVariants(e: Entry): Labelled[] {
  const base = { listed: true, entryId: e.entryId, from: e.name };
  const comma = e.name.indexOf(',');
  if (comma < 0) return [{ ...base, variant: 'case', name: titleCase(e.name) }];
  const last = e.name.slice(0, comma).trim();
  const given = e.name.slice(comma + 1).split(',')[0]!.trim();
  return [
    { ...base, variant: 'case', name: titleCase(`${last}, ${given}`) },
    { ...base, variant: 'order', name: titleCase(`${given} ${last}`) },
    { ...base, variant: 'order', name: `${last.toUpperCase()} ${given}` },
    { ...base, variant: 'punctuation', name: `${given.replace(/-/g, ' ')} ${last.replace(/-/g, ' ')}`.toUpperCase() },
  ];
}

function aliasVariants(e: Entry): Labelled[] {
  if (e.type !== 'entity' && e.type !== 'individual') return [];
  return e.aliases
    .slice(0, 2)
    .map((a) => ({
      listed: true,
      entryId: e.entryId,
      from: a.name,
      // Weak nicknames and acronyms ('ADEL', 'TMH') are matched but deliberately not flagged: kept apart.
      variant: a.strength === 'weak' && !distinctiveAlias(a.name, e.type) ? 'alias-weak-short' : `alias-${a.strength}`,
      name: e.type === 'entity' ? `${titleCase(core(a.name))} ${pick(SUFFIXES)}` : titleCase(a.name),
    }));
}

// Everyday company names: a common word or two, a business word, a legal form.
const HEADS = ['Global', 'International', 'General', 'United', 'National', 'Royal', 'Eastern', 'Western', 'Northern', 'Southern',
  'Star', 'Sun', 'New World', 'Prime', 'First', 'Premier', 'Capital', 'City', 'Metro', 'Atlas', 'Delta', 'Omega', 'Apex', 'Summit',
  'Pacific', 'Atlantic', 'Euro', 'Asia', 'Middle East', 'Gulf', 'Ocean', 'Green', 'Blue', 'Silver', 'Crown', 'Unity', 'Alliance'];
const BUSINESS = ['Trading', 'Services', 'Solutions', 'Holdings', 'Logistics', 'Engineering', 'Construction', 'Consulting',
  'Shipping', 'Supplies', 'Industries', 'Technologies', 'Energy', 'Oil and Gas', 'Investments', 'Group', 'Partners', 'Systems',
  'Security', 'Travel', 'Foods', 'Imports', 'Exports', 'Development', 'Management', 'Media', 'Marine', 'Equipment', 'Chemicals'];

function commonWordNames(n: number, listedNormalised: Set<string>): Labelled[] {
  const out = new Map<string, Labelled>();
  for (let i = 0; out.size < n && i < n * 20; i++) {
    const words = [pick(HEADS), pick(BUSINESS), ...(random() < 0.3 ? [pick(BUSINESS)] : [])];
    const name = `${words.join(' ')} ${pick(SUFFIXES)}`;
    // A generated name that is literally a listed name is a true match, not a negative.
    const key = prepareName(name).tokens.map((t) => t.key).join(' ');
    if (listedNormalised.has(key)) continue;
    out.set(name, { name, listed: false, variant: 'common-words' });
  }
  return [...out.values()];
}

async function glaSuppliers(): Promise<Labelled[]> {
  const names = new Set<string>();
  let header: string[] | undefined;
  for await (const rec of readCsv(readText(GLA, { encoding: 'latin1' }), { delimiter: ',' })) {
    if ('problem' in rec) continue;
    if (!header) {
      header = rec.fields;
      continue;
    }
    const v = rec.fields[header.indexOf('Vendor')]?.trim();
    if (v) names.add(v);
  }
  return [...names].map((name) => ({ name, listed: false, variant: 'gla-supplier' }));
}

const database = await openDatabase({ dataDir: 'memory' });
try {
  let t = performance.now();
  await runImport({ database, log: silentLogger }, 'sanctions', OFAC);
  const importSeconds = (performance.now() - t) / 1000;
  const entries = await listedEntries(database);
  const listedNormalised = new Set<string>();
  for (const e of entries) {
    for (const n of [e.name, ...e.aliases.map((a) => a.name)]) listedNormalised.add(prepareName(n).tokens.map((x) => x.key).join(' '));
  }
  const entities = entries.filter((e) => e.type === 'entity');
  const individuals = entries.filter((e) => e.type === 'individual');
  const sample = <T>(xs: T[], k: number) => {
    const copy = [...xs];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, k);
  };
  const chosenEntities = sample(entities, SAMPLE);
  const chosenPeople = sample(individuals, Math.round(SAMPLE / 3));
  const labelled: Labelled[] = [
    ...chosenEntities.flatMap(entityVariants),
    ...chosenPeople.flatMap(individualVariants),
    ...[...chosenEntities, ...chosenPeople].flatMap(aliasVariants),
    ...(await glaSuppliers()),
    ...commonWordNames(400, listedNormalised),
  ];

  // Index build (the first screening of a list version) is timed apart from the screening itself.
  t = performance.now();
  await screenNames(database, ['warm-up name'], { threshold: 0.8 });
  const indexSeconds = (performance.now() - t) / 1000;
  const distinct = [...new Set(labelled.map((l) => l.name))];
  t = performance.now();
  const cpu = process.cpuUsage();
  const { matches } = await screenNames(database, distinct, { threshold: 0.8, limit: 5 });
  const screenSeconds = (performance.now() - t) / 1000;
  // On a shared machine wall time depends on the neighbours; CPU time of this process does much less.
  const screenCpuSeconds = process.cpuUsage(cpu).user / 1e6;

  type Tally = { n: number; flagged: number; strong: number; named: number };
  const byVariant = new Map<string, Tally>();
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tpStrong = 0;
  let fpStrong = 0;
  const misses: string[] = [];
  const alarms: string[] = [];
  for (const l of labelled) {
    const found = matches.get(l.name) ?? [];
    // A listed name counts as found only when the right entry is among the flagged matches.
    const relevant = l.listed ? found.filter((m) => m.entryId === l.entryId) : found;
    const flagged = relevant.some((m) => classifyScreening(m, { strongScore: STRONG_SCORE, weakAliases: 'review' }) !== undefined);
    const strong = relevant.some((m) => m.score >= STRONG_SCORE);
    const tally = byVariant.get(l.variant) ?? { n: 0, flagged: 0, strong: 0, named: 0 };
    tally.n++;
    if (flagged) tally.flagged++;
    if (strong) tally.strong++;
    if (relevant.length > 0) tally.named++;
    byVariant.set(l.variant, tally);
    if (l.variant === 'alias-weak-short') continue;
    if (l.listed) {
      if (flagged) tp++;
      else {
        fn++;
        misses.push(`${l.variant}\t${l.name}\t(listed ${l.from} #${l.entryId}; best ${relevant[0]?.score ?? found[0]?.score ?? '-'})`);
      }
      if (strong) tpStrong++;
    } else {
      if (flagged) {
        fp++;
        const m = relevant[0]!;
        alarms.push(`${l.variant}\t${l.name}\t→ ${m.matchedName.name} #${m.entryId} (${m.matchedName.kind}/${m.matchedName.strength}) ${m.score}`);
      }
      if (strong) fpStrong++;
    }
  }
  const round3 = (x: number) => Math.round(x * 1000) / 1000;
  const listedVariants = new Set(labelled.filter((l) => l.listed).map((l) => l.variant));
  const variants = Object.fromEntries(
    [...byVariant].map(([k, v]) => [k, listedVariants.has(k) ? { n: v.n, recall: round3(v.flagged / v.n) } : { n: v.n, flagged: v.flagged }]),
  );
  const short = byVariant.get('alias-weak-short') ?? { n: 0, flagged: 0, strong: 0, named: 0 };
  const listedCount = tp + fn;
  const line = {
    bench: 'screening',
    list: { source: 'OFAC SDN', version: '2024-04-26', entries: entries.length },
    namesScreened: distinct.length,
    namesPerSecond: Math.round(distinct.length / screenSeconds),
    namesPerCpuSecond: Math.round(distinct.length / screenCpuSeconds),
    indexBuildSeconds: round3(indexSeconds),
    importSeconds: round3(importSeconds),
    labelled: { listed: listedCount, notListed: labelled.filter((l) => !l.listed).length, shortWeakAliases: short.n },
    precision: round3(tp / Math.max(1, tp + fp)),
    recall: round3(tp / Math.max(1, listedCount)),
    falseAlarms: fp,
    strongOnly: { precision: round3(tpStrong / Math.max(1, tpStrong + fpStrong)), recall: round3(tpStrong / Math.max(1, listedCount)), falseAlarms: fpStrong },
    // Weak nicknames and acronyms: found by name (score ≥ 0.8) but not flagged, by design.
    shortWeakAliases: { n: short.n, foundByName: round3(short.named / Math.max(1, short.n)), flagged: short.flagged },
    variants,
  };
  if (verbose) {
    process.stderr.write(`misses (${misses.length}):\n${misses.join('\n')}\n\nfalse alarms (${alarms.length}):\n${alarms.join('\n')}\n`);
  }
  process.stdout.write(`${JSON.stringify(line)}\n`);
} finally {
  await database.close();
}
