import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractContractTerms } from '../../src/contracts/terms.js';
import type { Database } from '../../src/db/client.js';
import { runImport } from '../../src/imports/run.js';
import { projectPath } from '../../src/paths.js';
import { testDatabases } from '../helpers/databases.js';

const CUAD = projectPath('data', 'contracts', 'cuad');

const MSA = `MASTER SERVICES AGREEMENT

This Master Services Agreement (the "Agreement") is entered into as of March 15, 2022 (the "Effective Date") by and between Globex Corporation, a Delaware corporation ("Customer"), and Initech Solutions Ltd., a company incorporated in England and Wales ("Supplier").

1. Term. The initial term of this Agreement shall be two (2) years from the Effective Date. Thereafter, this Agreement shall automatically renew for successive one (1) year periods unless either party provides written notice of non-renewal at least ninety (90) days prior to the end of the then-current term.

2. Confidentiality. Each party shall keep the other's Confidential Information confidential for a period of five (5) years after termination of this Agreement.

9. Governing Law. This Agreement shall be governed by the laws of England and Wales.
`;

const UK = `THIS AGREEMENT is dated 1st April 2021 and made BETWEEN:

(1) ACME WIDGETS LIMITED (company number 01234567) whose registered office is at 1 High Street, London EC1A 1AA ("Supplier"); and
(2) BIGCO PLC (company number 07654321) whose registered office is at 2 Low Road, Leeds ("Customer").

2. DURATION
2.1 This Agreement shall commence on the date hereof and shall continue in force until 31 March 2024, unless terminated earlier in accordance with clause 12.

12. TERMINATION
12.1 Either party may terminate this Agreement at any time by giving not less than 3 months' written notice to the other party.

20. This Agreement shall be governed by and construed in accordance with the law of England and Wales.
`;

const PLAIN = `Software Subscription Agreement

This agreement is made between Alpha Inc. ("Alpha") and Beta LLC ("Beta"), effective 2023-01-01.
The subscription term is 12 months. The Subscription shall not automatically renew. Beta may terminate this agreement for convenience upon sixty (60) days' prior written notice to Alpha.
This Agreement is governed by the laws of the State of California.
`;

describe('contract term extraction', () => {
  it('reads dates, term, renewal, notice and law from a US-style services agreement', () => {
    const t = extractContractTerms(MSA);
    expect(t).toMatchObject({
      supplier: 'Initech Solutions Ltd.',
      effectiveDate: '2022-03-15',
      startDate: '2022-03-15',
      endDate: '2024-03-15',
      term: '2 years',
      autoRenew: true,
      renewalTerm: 'successive 1 year',
      renewalNoticeDays: 90,
      noticePeriodDays: 90,
      governingLaw: 'England and Wales',
    });
    expect(t.parties).toEqual(['Globex Corporation', 'Initech Solutions Ltd.']);
    // Every clause quotes the text it came from, at the offsets it gives.
    for (const c of t.clauses) expect(MSA.slice(c.start, c.end)).toBe(c.text);
    const notice = t.clauses.find((c) => c.kind === 'notice_period')!;
    expect(notice.text).toContain('ninety (90) days prior to the end of the then-current term');
  });

  it('reads a UK-style agreement: numbered parties, explicit end date, notice in months', () => {
    const t = extractContractTerms(UK);
    expect(t).toMatchObject({
      parties: ['ACME WIDGETS LIMITED', 'BIGCO PLC'],
      supplier: 'ACME WIDGETS LIMITED',
      agreementDate: '2021-04-01',
      endDate: '2024-03-31',
      autoRenew: false,
      terminationNoticeDays: 90,
      noticePeriodDays: 90,
      governingLaw: 'England and Wales',
    });
  });

  it('stays conservative: no supplier when no party has a supplier role', () => {
    const t = extractContractTerms(PLAIN);
    expect(t.supplier).toBeUndefined();
    expect(t).toMatchObject({
      startDate: '2023-01-01',
      endDate: '2024-01-01',
      autoRenew: false,
      noticePeriodDays: 60,
      governingLaw: 'California',
    });
  });

  it('finds nothing in a text that is not a contract', () => {
    const t = extractContractTerms('Minutes of the meeting held on 3 May 2024.\nAttendees: everyone.\n');
    expect(t).toMatchObject({ parties: [], clauses: [] });
    expect(t.endDate).toBeUndefined();
  });
});

describe.each(testDatabases)('contracts import on $name', ({ open }) => {
  let database: Database;
  let dir: string;

  beforeAll(async () => {
    database = await open();
    dir = await mkdtemp(join(tmpdir(), 'qm-contracts-'));
    await writeFile(join(dir, 'msa.txt'), MSA);
    await writeFile(join(dir, 'uk-supply.md'), UK);
    await writeFile(
      join(dir, 'contracts.csv'),
      [
        'Contract Number,Title,Supplier,Start Date,End Date,Value,Currency,Notice Period,Auto Renew,Owner,Status,Text File,SKU,Item,Unit Price,Unit',
        'C-100,Widget supply,Acme Ltd,2024-01-01,2025-12-31,"50,000.00",GBP,90,yes,owner@example.com,active,,W-1,Widget,2.50,each',
        'C-100,,,,,,,,,,,,B-1,Bolt,0.30,each',
        'C-200,Cloud services,,,,,USD,,,,,msa.txt,,,,',
        'C-300,Bad dates,Gamma Ltd,2024-05-01,2024-01-01,,,,,,,,,,,',
        ',No number,Delta Ltd,,,,,,,,,,,,,',
        'C-100,,,,,,,,,,,,N-1,Nut,0.10,each',
        'C-400,Missing text,,,,,,,,,,nowhere.txt,,,,',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await database?.close();
  });

  it('imports the CUAD folder: 10 contracts with their full text, then 10 duplicates', async () => {
    const files = (await readdir(CUAD)).filter((f) => f.endsWith('.txt'));
    expect(files).toHaveLength(10);
    const report = await runImport({ database }, 'contracts', CUAD);
    expect(report).toMatchObject({ read: 10, imported: 10, duplicates: 0, rejected: [] });

    const rows = await database.query<{ source_file: string; full_text: string; title: string; text_sha256: string }>(
      'select source_file, full_text, title, text_sha256 from contracts order by source_file',
    );
    expect(rows.map((r) => r.source_file)).toEqual([...files].sort());
    for (const r of rows) {
      const original = (await readFile(join(CUAD, r.source_file), 'utf8')).replace(/\r\n?/g, '\n');
      expect(r.full_text).toBe(original);
      expect(r.text_sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(r.title.length).toBeGreaterThan(0);
    }
    const [law] = await database.query<{ governing_law: string; n: number }>(
      "select governing_law, count(*)::int as n from contracts where governing_law = 'New York' group by 1",
    );
    expect(law?.n).toBeGreaterThanOrEqual(1);
    // Clauses quote the stored text at their offsets.
    const clauses = await database.query<{ ok: boolean }>(
      `select substr(c.full_text, k.start_offset + 1, k.end_offset - k.start_offset) = k.text as ok
       from contract_clauses k join contracts c on c.id = k.contract_id`,
    );
    expect(clauses.length).toBeGreaterThan(10);
    expect(clauses.every((c) => c.ok)).toBe(true);

    const again = await runImport({ database }, 'contracts', CUAD);
    expect(again).toMatchObject({ read: 10, imported: 0, duplicates: 10, rejected: [] });
    const [n] = await database.query<{ n: number }>('select count(*)::int as n from contracts');
    expect(n!.n).toBe(10);
  });

  it('imports a folder with a metadata CSV (prices, a referenced text) and a standalone document', async () => {
    const report = await runImport({ database }, 'contracts', dir);
    // CSV: 7 rows; uk-supply.md: 1 document; msa.txt is loaded through C-200, not on its own.
    expect(report.read).toBe(8);
    expect(report.imported).toBe(5);
    expect(report.duplicates).toBe(0);
    const reasons = Object.fromEntries(report.rejected.map((r) => [r.line, r.reason]));
    expect(Object.keys(reasons)).toEqual(['5', '6', '8']);
    expect(reasons[5]).toMatch(/end_date 2024-01-01 is before start_date 2024-05-01/);
    expect(reasons[6]).toMatch(/missing contract_number/);
    expect(reasons[8]).toMatch(/text_file nowhere\.txt cannot be read/);

    const contracts = await database.query<{
      contract_number: string | null;
      title: string;
      supplier: string | null;
      start_date: string | null;
      end_date: string | null;
      value: string | null;
      currency: string | null;
      notice_period_days: number | null;
      auto_renew: boolean | null;
      owner_email: string | null;
      source_file: string | null;
      has_text: boolean;
    }>(
      `select c.contract_number, c.title, s.name as supplier, c.start_date::text, c.end_date::text, c.value::text,
              c.currency, c.notice_period_days, c.auto_renew, c.owner_email, c.source_file, c.full_text is not null as has_text
       from contracts c left join suppliers s on s.id = c.supplier_id
       where c.batch_id = $1 order by c.contract_number nulls last`,
      [report.batchId],
    );
    expect(contracts).toEqual([
      {
        contract_number: 'C-100',
        title: 'Widget supply',
        supplier: 'Acme Ltd',
        start_date: '2024-01-01',
        end_date: '2025-12-31',
        value: '50000.0000',
        currency: 'GBP',
        notice_period_days: 90,
        auto_renew: true,
        owner_email: 'owner@example.com',
        source_file: null,
        has_text: false,
      },
      {
        contract_number: 'C-200',
        title: 'Cloud services',
        supplier: 'Initech Solutions Ltd.',
        start_date: '2022-03-15',
        end_date: '2024-03-15',
        value: null,
        currency: 'USD',
        notice_period_days: 90,
        auto_renew: true,
        owner_email: null,
        source_file: 'msa.txt',
        has_text: true,
      },
      {
        contract_number: null,
        title: 'uk-supply',
        supplier: 'ACME WIDGETS LIMITED',
        start_date: '2021-04-01',
        end_date: '2024-03-31',
        value: null,
        currency: null,
        notice_period_days: 90,
        auto_renew: false,
        owner_email: null,
        source_file: 'uk-supply.md',
        has_text: true,
      },
    ]);
    const prices = await database.query<{ sku: string; description: string; unit_price: string; currency: string; unit: string }>(
      `select p.sku, p.description, p.unit_price::text, p.currency, p.unit from contract_prices p
       join contracts c on c.id = p.contract_id where c.contract_number = 'C-100' order by p.id`,
    );
    expect(prices).toEqual([
      { sku: 'W-1', description: 'Widget', unit_price: '2.5000', currency: 'GBP', unit: 'each' },
      { sku: 'B-1', description: 'Bolt', unit_price: '0.3000', currency: 'GBP', unit: 'each' },
      { sku: 'N-1', description: 'Nut', unit_price: '0.1000', currency: 'GBP', unit: 'each' },
    ]);
    const kinds = await database.query<{ kind: string }>(
      `select distinct k.kind from contract_clauses k join contracts c on c.id = k.contract_id
       where c.contract_number = 'C-200' order by 1`,
    );
    expect(kinds.map((k) => k.kind)).toEqual(
      expect.arrayContaining(['effective_date', 'expiration_date', 'governing_law', 'notice_period', 'parties', 'renewal', 'supplier']),
    );
  });

  it('re-importing the folder, or the referenced text alone, adds nothing', async () => {
    const again = await runImport({ database }, 'contracts', dir);
    expect(again).toMatchObject({ read: 8, imported: 0, duplicates: 5 });
    expect(again.rejected).toHaveLength(3);
    const single = await runImport({ database }, 'contracts', join(dir, 'msa.txt'));
    expect(single).toMatchObject({ read: 1, imported: 0, duplicates: 1 });
    const [prices] = await database.query<{ n: number }>('select count(*)::int as n from contract_prices');
    expect(prices!.n).toBe(3);
  });

  it('refuses a single tabular file that has no contract columns', async () => {
    await expect(runImport({ database }, 'contracts', join(CUAD, 'cuad-dev-labels.json'))).rejects.toThrow(
      /no contract column/,
    );
  });
});
