// The supplier MCP server end to end over a real MCP client, on the demo organisation with the real OFAC list and
// GLA spend: figures checked against the demo's own payments, the planted sanctions hit and duplicate pair, a
// labelled screening set (precision and recall), the screening index following a newer list version, and bad input.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { loadDemo } from '../../src/demo/load.js';
import { buildDemoOrganisation, PLANTED } from '../../src/demo/organisation.js';
import { readCsv } from '../../src/imports/csv.js';
import { detectEncoding, readText } from '../../src/imports/decode.js';
import { runImport } from '../../src/imports/run.js';
import { addDecimal } from '../../src/domain/money.js';
import { projectPath } from '../../src/paths.js';
import { prepareName } from '../../src/screening/tokens.js';
import { testDatabases } from '../helpers/databases.js';
import { callTool, connectInMemory } from '../helpers/mcp.js';
import { expectLimitError, expectPages } from '../helpers/paging.js';

const TODAY = new Date('2026-11-27');
const NOW = () => new Date('2026-11-27T12:00:00Z');
const YEAR_AGO = '2025-11-27';
const TWO_YEARS_AGO = '2024-11-27';
const OFAC_FILE = projectPath('data', 'sanctions', 'ofac_sdn_2024-04-26.csv');
const GLA_FILE = projectPath('data', 'spend', 'gla_spend_2008-2013.csv');

type Money = { currency: string; total: string; count: number };
type Match = {
  score: number;
  band: 'strong' | 'possible';
  list: { source: string; version: string };
  entryId: string;
  entryName: string;
  entryType: string;
  programs: string[];
  matchedName: { name: string; kind: string; strength: string };
  remarks: string | null;
  why: string[];
};
type Screening = {
  verdict: string;
  screenedAs: string;
  lists: { source: string; version: string; entries: number }[];
  matches: Match[];
};

function text(r: CallToolResult): string {
  const first = r.content[0];
  return first?.type === 'text' ? first.text : '';
}

function data<T>(r: CallToolResult): T {
  expect(r.isError, text(r)).toBeFalsy();
  return r.structuredContent as T;
}

/** Sum of the demo organisation's payments to these supplier spellings with from < date <= to. */
function demoSpend(names: readonly string[], from = '0000-00-00', to = '9999-12-31'): string {
  let total = '0';
  for (const [date, supplier, amount] of buildDemoOrganisation(TODAY).spend.rows) {
    if (names.includes(String(supplier)) && String(date) > from && String(date) <= to)
      total = addDecimal(total, String(amount));
  }
  return total;
}

function decimalEquals(actual: string | undefined, expected: string): void {
  expect(actual, `${actual} = ${expected}`).toBeDefined();
  expect(addDecimal(actual!, `-${expected}`).replace(/^-/, '')).toMatch(/^0(\.0+)?$/);
}

type Labelled = { query: string; entryId: string; variant: string };

const ACCENTS: Readonly<Record<string, string>> = { a: 'á', e: 'é', i: 'í', o: 'ö', u: 'ü', c: 'ç', n: 'ñ' };

/** Realistic variants of a listed name, each of which must still find its entry. */
function variants(name: string, individual: boolean): [string, string][] {
  const words = name.replace(/,/g, '').split(/\s+/);
  const content = prepareName(name).tokens.map((t) => t.text);
  const out: [string, string][] = [
    ['case', name.toLowerCase().replace(/\b\w/g, (c) => c.toUpperCase())],
    ['punctuation', `${name.replace(/\s+/g, ', ')}.`],
  ];
  if (!individual) {
    const hasSuffix = /\b(LTD|LIMITED|S\.?A\.?|LLC|CO|INC)\.?$/i.test(name);
    out.push(['suffix', hasSuffix ? name.replace(/[, ]+\S+$/, '') : `${name} Ltd`]);
  }
  if (content.length >= 2) out.push(['word order', [...content].reverse().join(' ')]);
  let accents = 0;
  out.push(['diacritics', name.toLowerCase().replace(/[aeioucn]/g, (c) => (accents++ < 2 ? ACCENTS[c]! : c))]);
  const longest = words.filter((w) => /^[A-Za-z]+$/.test(w)).reduce((a, b) => (b.length > a.length ? b : a), '');
  if (longest.length >= 6) {
    const i = Math.floor(longest.length / 2);
    out.push(['typo', name.replace(longest, longest.slice(0, i) + longest[i + 1] + longest[i] + longest.slice(i + 2))]);
  }
  // Several at once: reversed, a letter dropped from the longest word, an accent, a legal suffix.
  const combo = content.length >= 2 ? [...content].reverse() : [...content];
  const at = combo.reduce((best, w, i) => (w.length > combo[best]!.length ? i : best), 0);
  if (combo[at]!.length >= 6) combo[at] = combo[at]!.slice(0, 2) + combo[at]!.slice(3);
  out.push(['combined', `${combo.join(' ').replace(/e/, 'é')}${individual ? '' : ' Ltd.'}`]);
  return out;
}

/** Every n-th of `items` so that about `count` remain (deterministic). */
function spread<T>(items: readonly T[], count: number): T[] {
  const step = Math.max(1, Math.floor(items.length / count));
  return items.filter((_, i) => i % step === 0).slice(0, count);
}

/** Listed names sampled from the OFAC file (40 entities of two or more words, 12 individuals) and their variants. */
async function labelledPositives(): Promise<Labelled[]> {
  const entities: { id: string; name: string }[] = [];
  const individuals: { id: string; name: string }[] = [];
  for await (const rec of readCsv(readText(OFAC_FILE, { encoding: await detectEncoding(OFAC_FILE) }), {
    delimiter: ',',
  })) {
    if ('problem' in rec) continue;
    const [id = '', name = '', type = ''] = rec.fields.map((f) => f.trim());
    if (type === 'individual') individuals.push({ id, name });
    else if (type === '-0-' && prepareName(name).tokens.length >= 2) entities.push({ id, name });
  }
  const out: Labelled[] = [];
  for (const [list, individual, n] of [
    [entities, false, 40],
    [individuals, true, 12],
  ] as const) {
    for (const e of spread(list, n)) {
      for (const [variant, query] of variants(e.name, individual)) out.push({ query, entryId: e.id, variant });
    }
  }
  return out;
}

/** 50 ordinary supplier names from the GLA vendor list (sorted, evenly spaced). */
async function labelledNegatives(): Promise<string[]> {
  const vendors = new Set<string>();
  for await (const rec of readCsv(readText(GLA_FILE, { encoding: await detectEncoding(GLA_FILE) }), {
    delimiter: ',',
  })) {
    if ('problem' in rec || rec.line === 1) continue;
    const v = rec.fields[2]?.trim();
    if (v) vendors.add(v);
  }
  return spread([...vendors].sort(), 50);
}

describe.each(testDatabases)('supplier MCP server ($name)', ({ open }) => {
  let database: Database;
  let client: Client;
  let close: () => Promise<void>;
  let dir: string | undefined;

  beforeAll(async () => {
    database = await open();
    await loadDemo({ database, today: TODAY });
    ({ client, close } = await connectInMemory('supplier', database, NOW));
  }, 240_000);

  afterAll(async () => {
    await close?.();
    await database?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const call = (name: string, args: Record<string, unknown>) => callTool(client, name, args);

  it('lists five read-only tools, each with titles, described inputs and an output schema', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'find_suppliers',
      'screen_sanctions',
      'supplier_duplicates',
      'supplier_profile',
      'supplier_risk',
    ]);
    for (const t of tools) {
      expect(t.title, t.name).toBeTruthy();
      expect(t.annotations?.readOnlyHint, t.name).toBe(true);
      expect(t.outputSchema?.type, t.name).toBe('object');
      for (const [field, schema] of Object.entries(t.inputSchema.properties ?? {})) {
        expect((schema as { description?: string }).description, `${t.name}.${field}`).toBeTruthy();
      }
    }
  });

  it('find_suppliers finds a misspelt supplier and an alias, with all-time spend per currency', async () => {
    const r = data<{
      suppliers: { name: string; matchedAlias: string | null; status: string; country: string; spend: Money[] }[];
    }>(await call('find_suppliers', { query: 'refinitv' }));
    const [top] = r.suppliers;
    expect(top?.name).toBe('Refinitiv Ltd');
    expect(top?.country).toBe('GB');
    decimalEquals(top?.spend.find((m) => m.currency === 'GBP')?.total, demoSpend(['Refinitiv Ltd']));

    const apex = await call('find_suppliers', { query: 'Apex FM' });
    expect(text(apex)).toMatch(/^\d+ suppliers? match "Apex FM"; best: Apex Facilities Management Ltd/);
    const a = data<{ suppliers: { name: string; matchedAlias: string | null; spend: Money[] }[] }>(apex).suppliers[0];
    expect(a?.matchedAlias).toBe('Apex FM');
    decimalEquals(a?.spend[0]?.total, demoSpend([PLANTED.duplicateInvoice.supplier, 'Apex FM']));

    const filtered = data<{ suppliers: unknown[]; matched: number }>(
      await call('find_suppliers', { query: 'refinitiv', country: 'US' }),
    );
    expect(filtered.suppliers).toEqual([]);
    const paged = data<{ suppliers: { name: string }[]; offset: number }>(
      await call('find_suppliers', { query: 'Office Supplies', limit: 1, offset: 1 }),
    );
    expect(paged.suppliers).toHaveLength(1);
    expect(paged.offset).toBe(1);
  });

  it('supplier_profile reports master data, spend windows, contracts, open orders and sanctions status', async () => {
    const r = await call('supplier_profile', { supplier: 'Refinitiv' });
    const p = data<{
      supplier: { name: string; taxId: string; status: string };
      aliases: string[];
      spend: {
        byCurrency: { currency: string; total: string; last12Months: string; prior12Months: string }[];
        topCategories: { category: string }[];
      };
      contracts: { contractNumber: string; state: string; value: string; endDate: string }[];
      activeContractValue: Money[];
      openPurchaseOrders: { totals: Money[] };
      sanctions: Screening & { topMatch: Match | null };
    }>(r);
    expect(text(r)).toMatch(/^Refinitiv Ltd \(active, GB\); £186,000\.00 spent in the last 12 months/);
    expect(p.supplier.taxId).toBe('GB123456702');
    expect(p.aliases).toEqual(expect.arrayContaining(['Refinitiv', 'LSEG Data & Analytics']));
    const gbp = p.spend.byCurrency.find((w) => w.currency === 'GBP');
    decimalEquals(gbp?.total, demoSpend(['Refinitiv Ltd']));
    decimalEquals(gbp?.last12Months, demoSpend(['Refinitiv Ltd'], YEAR_AGO, '2026-11-27'));
    decimalEquals(gbp?.prior12Months, demoSpend(['Refinitiv Ltd'], TWO_YEARS_AGO, YEAR_AGO));
    expect(p.spend.topCategories[0]?.category).toBe('Market data services');
    expect(p.contracts).toEqual([
      expect.objectContaining({
        contractNumber: PLANTED.noticeDeadline.contract,
        state: 'active',
        value: '186000.00',
        endDate: '2027-03-27',
      }),
    ]);
    expect(p.activeContractValue).toEqual([{ currency: 'GBP', total: '186000.00', count: 1 }]);
    expect(p.openPurchaseOrders.totals).toEqual([]);
    expect(p.sanctions.verdict).toBe('no_match');
    expect(p.sanctions.lists).toEqual([{ source: 'OFAC SDN', version: '2024-04-26', entries: 14_668 }]);

    const nb = data<{ openPurchaseOrders: { totals: Money[]; orders: { poNumber: string; status: string }[] } }>(
      await call('supplier_profile', { supplier: PLANTED.duplicateSupplier.names[0] }),
    );
    expect(nb.openPurchaseOrders.orders).toEqual([
      expect.objectContaining({ poNumber: PLANTED.quantityMismatch.po, status: 'partially_received' }),
    ]);
    expect(nb.openPurchaseOrders.totals).toEqual([{ currency: 'GBP', total: '320.00', count: 1 }]);

    const kestrel = data<{ contracts: { state: string }[] }>(
      await call('supplier_profile', { supplier: 'Kestrel Security Services Ltd' }),
    );
    expect(kestrel.contracts.map((c) => c.state)).toEqual(['expired']);
  });

  it('screen_sanctions finds the planted supplier on OFAC with the list version, the name matched and why', async () => {
    const r = await call('screen_sanctions', { name: PLANTED.sanctionsHit.supplier });
    const s = data<Screening>(r);
    expect(text(r)).toMatch(
      /^STRONG MATCH: "Aerocaribbean Airlines S\.A\." matches OFAC SDN entry 36 AEROCARIBBEAN AIRLINES/,
    );
    expect(s.verdict).toBe('strong_match');
    expect(s.lists).toEqual([{ source: 'OFAC SDN', version: '2024-04-26', entries: 14_668 }]);
    const [top] = s.matches;
    expect(top).toMatchObject({
      score: 1,
      band: 'strong',
      list: { source: 'OFAC SDN', version: '2024-04-26' },
      entryId: PLANTED.sanctionsHit.ofacEntry,
      entryName: 'AEROCARIBBEAN AIRLINES',
      entryType: 'entity',
      programs: ['CUBA'],
      matchedName: { name: 'AEROCARIBBEAN AIRLINES', kind: 'primary', strength: 'strong' },
    });
    expect(top?.why).toEqual(["all words match after removing legal suffix 'S.A.'"]);

    const variant = data<Screening>(await call('screen_sanctions', { name: 'airlines AEROCARRIBEAN', country: 'CU' }));
    expect(variant.matches[0]?.entryId).toBe('36');
    expect(variant.matches[0]?.why).toEqual(
      expect.arrayContaining([
        "'AEROCARRIBEAN' is a spelling variant of 'AEROCARIBBEAN' (2 character edits; same transliteration)",
        'word order differs',
        "country Cuba (CU) appears in the entry's programs",
      ]),
    );
    const typo = data<Screening>(await call('screen_sanctions', { name: 'Aerocaribean Airlnes' }));
    expect(typo.matches[0]?.why).toContain("1 character edit in 'Airlnes' (listed: 'AIRLINES')");

    const aliasHit = data<Screening>(await call('screen_sanctions', { name: 'BNC' }));
    expect(aliasHit.matches[0]).toMatchObject({
      entryId: '306',
      band: 'possible',
      matchedName: { kind: 'aka', strength: 'weak' },
    });
    const onlyPeople = data<Screening>(
      await call('screen_sanctions', { name: 'Aerocaribbean Airlines', entityType: 'individual' }),
    );
    expect(onlyPeople.matches.find((m) => m.entryId === '36')).toBeUndefined();
  });

  it('screen_sanctions does not fire on common words alone', async () => {
    const r = await call('screen_sanctions', { name: 'International Trading Ltd', threshold: 0.5 });
    const s = data<Screening>(r);
    expect(s.matches.filter((m) => m.score >= 0.8)).toEqual([]);
    expect(s.matches.find((m) => m.entryName === 'MINGZHENG INTERNATIONAL TRADING LIMITED')).toBeUndefined();
    const acme = data<Screening>(await call('screen_sanctions', { name: 'Acme International Trading Company' }));
    expect(acme.verdict).toBe('no_match');
    const real = data<Screening>(await call('screen_sanctions', { name: 'Mingzheng International Trading Co Ltd' }));
    expect(real.matches[0]).toMatchObject({ entryName: 'MINGZHENG INTERNATIONAL TRADING LIMITED', band: 'strong' });
  });

  it('screen_sanctions: recall on listed-name variants, no strong hit on ordinary suppliers, fast once warm', async () => {
    const positives = await labelledPositives();
    const negatives = await labelledNegatives();
    expect(positives.length).toBeGreaterThan(300);
    expect(negatives).toHaveLength(50);
    let found = 0;
    let top1 = 0;
    let flaggedTrue = 0;
    let flaggedFalse = 0;
    const missed: string[] = [];
    for (const p of positives) {
      const s = data<Screening>(await call('screen_sanctions', { name: p.query }));
      const at = s.matches.findIndex((m) => m.entryId === p.entryId);
      if (at >= 0) found++;
      else missed.push(`${p.variant}: ${p.query}`);
      if (at === 0) top1++;
      if (s.matches.length > 0) {
        if (at >= 0) flaggedTrue++;
        else flaggedFalse++;
      }
    }
    let possible = 0;
    const strong: string[] = [];
    for (const n of negatives) {
      const s = data<Screening>(await call('screen_sanctions', { name: n }));
      if (s.matches.length > 0) {
        possible++;
        flaggedFalse++;
      }
      for (const m of s.matches) if (m.band === 'strong') strong.push(`${n} => ${m.entryName}`);
    }
    const times: number[] = [];
    for (let i = 0; i < 21; i++) {
      const started = performance.now();
      await call('screen_sanctions', { name: `Aerocarribean Airlines Charter Services ${i}` });
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const recall = found / positives.length;
    const precision = flaggedTrue / (flaggedTrue + flaggedFalse);
    const median = times[10]!;
    console.info(
      `screening: ${positives.length} variants of ${positives.length > 0 ? new Set(positives.map((p) => p.entryId)).size : 0} listed names, recall ${recall.toFixed(3)}, top-1 ${(top1 / positives.length).toFixed(3)}; ` +
        `${negatives.length} GLA suppliers: ${possible} possible, ${strong.length} strong; precision ${precision.toFixed(3)}; ` +
        `one screen via MCP: median ${median.toFixed(1)} ms${missed.length ? `; missed: ${missed.join(' | ')}` : ''}`,
    );
    expect(recall).toBeGreaterThanOrEqual(0.97);
    expect(top1 / positives.length).toBeGreaterThanOrEqual(0.95);
    expect(strong).toEqual([]);
    expect(possible).toBeLessThanOrEqual(2);
    // Speed is measured by bench/screening.ts, not asserted here (a loaded machine would make this flaky).
  }, 120_000);

  it('supplier_risk leads with the verdict and weighs the planted sanctions hit against exposure', async () => {
    const r = await call('supplier_risk', { supplier: 'Aerocaribbean Airlines' });
    const risk = data<{
      verdict: string;
      summary: string;
      exposure: Record<string, string>[];
      sanctions: { topMatch: Match | null };
      counts: Record<string, number>;
    }>(r);
    expect(risk.verdict).toBe('high');
    expect(text(r)).toMatch(
      /^HIGH RISK: Aerocaribbean Airlines S\.A\. — STRONG sanctions match: OFAC SDN 2024-04-26 entry 36 AEROCARIBBEAN AIRLINES/,
    );
    expect(risk.sanctions.topMatch?.entryId).toBe('36');
    expect(risk.exposure).toEqual([
      {
        currency: 'GBP',
        activeContractValue: '0.00',
        openPurchaseOrders: '0.00',
        unpaidInvoices: '0.00',
        trailing12MonthSpend: '18200.00',
      },
    ]);
    expect(risk.counts.paymentsLast12Months).toBe(1);

    const refinitiv = data<{ verdict: string; summary: string; exposure: Record<string, string>[] }>(
      await call('supplier_risk', { supplier: 'Refinitiv Ltd' }),
    );
    expect(refinitiv.verdict).toBe('low');
    expect(refinitiv.summary).toMatch(/^Low risk: Refinitiv Ltd — no sanctions match on OFAC SDN 2024-04-26/);
    const gbp = refinitiv.exposure.find((e) => e.currency === 'GBP')!;
    decimalEquals(gbp.trailing12MonthSpend, demoSpend(['Refinitiv Ltd'], YEAR_AGO, '2026-11-27'));
    expect(gbp.activeContractValue).toBe('186000.00');

    const harbor = data<{ exposure: Record<string, string>[] }>(
      await call('supplier_risk', { supplier: 'Harbor Logistics Inc' }),
    );
    expect(harbor.exposure[0]).toMatchObject({
      openPurchaseOrders: '3250.00',
      unpaidInvoices: '3250.00',
      trailing12MonthSpend: '0.00',
    });
  });

  it('supplier_duplicates puts the planted duplicate pair first, with its evidence', async () => {
    const r = await call('supplier_duplicates', {});
    const d = data<{
      pairs: {
        score: number;
        a: { name: string };
        b: { name: string };
        evidence: { kind: string; detail: string }[];
      }[];
      suppliersCompared: number;
    }>(r);
    const [top] = d.pairs;
    expect([top?.a.name, top?.b.name].sort()).toEqual([...PLANTED.duplicateSupplier.names].sort());
    expect(top?.evidence.map((e) => e.kind)).toEqual(['tax_id', 'email', 'name']);
    expect(top?.score).toBeGreaterThan(0.9);
    expect(text(r)).toMatch(/candidate duplicate pairs?\. Most likely: "North ?[Bb]ridge Office Supplies/);
    expect(d.suppliersCompared).toBeGreaterThan(3000);

    const focused = data<{ pairs: { a: { name: string }; b: { name: string } }[] }>(
      await call('supplier_duplicates', { supplier: PLANTED.duplicateSupplier.names[1], minScore: 0.3 }),
    );
    expect(focused.pairs.length).toBeGreaterThan(0);
    for (const p of focused.pairs) expect([p.a.name, p.b.name]).toContain(PLANTED.duplicateSupplier.names[1]);
  });

  it('pages find_suppliers and supplier_duplicates with limit/offset, truncated and next_offset', async () => {
    const id = (s: { id: string }) => s.id;
    // biome-ignore lint/suspicious/noExplicitAny: the list is picked out of structured content
    const suppliers = (out: any) => out.suppliers;
    const ranked = await expectPages(client, 'find_suppliers', { query: 'Office Supplies' }, { limit: 3, max: 25, rows: suppliers, key: id });
    expect(ranked.length).toBeGreaterThan(3);
    await expectPages(client, 'find_suppliers', { status: 'active' }, { limit: 10, max: 25, rows: suppliers, key: id });
    const first = await call('find_suppliers', { query: 'Office Supplies', limit: 3 });
    expect(text(first)).toMatch(/\nShowing 1-3 of \d+ \(next_offset 3\); filter by status or country, or spell the name more fully, to narrow it\.$/);
    const pair = (p: { a: { id: string }; b: { id: string } }) => `${p.a.id}~${p.b.id}`;
    // biome-ignore lint/suspicious/noExplicitAny: the list is picked out of structured content
    const pairs = (out: any) => out.pairs;
    await expectPages(client, 'supplier_duplicates', { minScore: 0.3 }, { limit: 4, max: 50, rows: pairs, key: pair });
    await expectLimitError(client, 'find_suppliers', { query: 'acme' }, 25);
    await expectLimitError(client, 'supplier_duplicates', {}, 50);
  });

  it('turns bad input and unknown suppliers into readable errors', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['screen_sanctions', { name: 123 }, /name must be a string/],
      ['screen_sanctions', {}, /name is required/],
      ['screen_sanctions', { name: 'x'.repeat(1_000_000) }, /at most 300 characters/],
      ['screen_sanctions', { name: 'Acme', threshold: 'high' }, /threshold/],
      ['screen_sanctions', { name: 'Acme', entityType: 'ship' }, /entityType/],
      ['screen_sanctions', { name: 'Acme', limit: 1e9 }, /limit/],
      ['find_suppliers', { query: 'acme', limit: 1e9 }, /limit/],
      ['find_suppliers', { query: 'acme', offset: -1 }, /offset/],
      ['supplier_profile', {}, /supplier is required/],
      ['supplier_risk', { supplier: ['Refinitiv'] }, /supplier must be a string/],
      ['supplier_duplicates', { limit: 0 }, /limit/],
    ];
    for (const [tool, args, message] of cases) {
      const r = await call(tool, args);
      expect(r.isError, `${tool} ${JSON.stringify(args).slice(0, 80)}`).toBe(true);
      expect(text(r)).toMatch(message);
      expect(text(r).length).toBeLessThan(600);
    }
    const unknown = await call('supplier_profile', { supplier: 'Bright Consulting' });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toMatch(
      /^No supplier is called exactly "Bright Consulting"\. Closest matches: Brightline Consulting LLP/,
    );
    const nothing = await call('supplier_risk', { supplier: 'Zzyzx Qwerty' });
    expect(nothing.isError).toBe(true);
    expect(text(nothing)).toMatch(/find_suppliers/);
  });

  it('screens against the latest version of each list, rebuilding the index when a newer version arrives', async () => {
    dir = await mkdtemp(join(tmpdir(), 'qm-watchlist-'));
    const first = join(dir, 'watchlist_2026-01-01.csv');
    await writeFile(first, 'entry_id,name,type,programs\nW1,Zorblax Quantum Widgets,entity,TEST\n');
    await runImport({ database }, 'sanctions', first);
    const before = data<Screening>(await call('screen_sanctions', { name: 'Zorblax Quantum Widgets Ltd' }));
    expect(before.matches[0]).toMatchObject({
      list: { source: 'watchlist', version: '2026-01-01' },
      entryId: 'W1',
      band: 'strong',
    });

    const second = join(dir, 'watchlist_2026-06-01.csv');
    await writeFile(second, 'entry_id,name,type,programs\nW2,Quibbleton Ferrous Holdings,entity,TEST\n');
    await runImport({ database }, 'sanctions', second);
    const gone = data<Screening>(await call('screen_sanctions', { name: 'Zorblax Quantum Widgets Ltd' }));
    expect(gone.verdict).toBe('no_match');
    expect(gone.lists.map((l) => `${l.source} ${l.version}`)).toEqual(['OFAC SDN 2024-04-26', 'watchlist 2026-06-01']);
    const added = data<Screening>(await call('screen_sanctions', { name: 'Quibbleton Ferrous Holdings' }));
    expect(added.matches[0]).toMatchObject({ list: { source: 'watchlist', version: '2026-06-01' }, entryId: 'W2' });
    expect(
      data<Screening>(await call('screen_sanctions', { name: PLANTED.sanctionsHit.supplier })).matches[0]?.entryId,
    ).toBe('36');
  });
});
