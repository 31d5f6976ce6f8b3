import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { runImport } from '../../src/imports/run.js';
import { projectPath } from '../../src/paths.js';
import { testDatabases } from '../helpers/databases.js';

const GLA = projectPath('data', 'spend', 'gla_spend_2008-2013.csv');

/** The file's own total, computed independently of the importer: Amount is the third field from the end. */
async function glaFileTotal(): Promise<{ rows: number; pence: bigint }> {
  const lines = (await readFile(GLA, 'utf8')).split('\n').slice(1).filter((l) => l.trim() !== '');
  let pence = 0n;
  for (const l of lines) {
    const amount = l.split(',').at(-3)!;
    const [whole, frac = ''] = amount.replace('-', '').split('.');
    const value = BigInt(whole!) * 100n + BigInt((frac + '00').slice(0, 2));
    pence += amount.startsWith('-') ? -value : value;
  }
  return { rows: lines.length, pence };
}

const toPence = (s: string) => {
  const neg = s.startsWith('-');
  const [whole, frac = ''] = s.replace('-', '').split('.');
  const v = BigInt(whole!) * 100n + BigInt((frac + '00').slice(0, 2));
  return neg ? -v : v;
};

describe.each(testDatabases)('spend import on $name', ({ open }) => {
  let database: Database;
  let dir: string;
  beforeAll(async () => {
    database = await open();
    dir = await mkdtemp(join(tmpdir(), 'qm-spend-'));
  });
  afterAll(async () => {
    await database?.close();
  });

  it('imports the GLA file with every row accounted for and the total exact to the penny', async () => {
    const expected = await glaFileTotal();
    const report = await runImport({ database }, 'spend', GLA, { currency: 'GBP' });
    expect(report.read).toBe(expected.rows);
    expect(report.imported + report.duplicates + report.rejected.length).toBe(report.read);
    expect(report.rejected).toEqual([]);
    expect(report.imported).toBe(expected.rows);
    const [sum] = await database.query<{ total: string; n: number }>(
      "select sum(amount)::text as total, count(*)::int as n from spend_lines where currency = 'GBP'",
    );
    expect(toPence(sum!.total)).toBe(expected.pence);
    const [src] = await database.query<{ source_file: string; source_line: number; supplier_name: string }>(
      "select source_file, source_line, supplier_name from spend_lines where source_line = 2",
    );
    expect(src).toMatchObject({ source_file: 'gla_spend_2008-2013.csv', supplier_name: 'JILL BARTLETT & COMPANY LTD' });
  });

  it('re-importing the same file adds nothing and counts every row as a duplicate', async () => {
    const report = await runImport({ database }, 'spend', GLA, { currency: 'GBP' });
    expect(report.imported).toBe(0);
    expect(report.duplicates).toBe(report.read);
    const [n] = await database.query<{ n: number }>('select count(*)::int as n from spend_lines');
    expect(Number(n!.n)).toBe(report.read);
  });

  it('lands good rows and reports each bad one by the line an editor shows', async () => {
    const file = join(dir, 'mixed.csv');
    await writeFile(
      file,
      [
        'Payment Date,Supplier Name,Amount GBP,Expense Type',
        '05/01/2024,Alpha Ltd,"£1,000.50",Stationery', // line 2: good (UK date, symbol, thousands)
        '2024-01-06,Beta Ltd,,Travel', // line 3: missing amount
        '30/02/2024,Gamma Ltd,5.00,Travel', // line 4: impossible date
        '2024-01-07,Delta Ltd,abc,Travel', // line 5: text in amount
        '',
        '07-Jan-24,Epsilon Ltd,(250.00),Refund', // line 7: good, negative in parentheses
        '2024-01-08,"Zeta Ltd,12.00,Travel', // line 8: unclosed quote
        '2024-01-09,Eta Ltd,99.99,Travel', // line 9: good, after the broken line
      ].join('\n'),
    );
    const report = await runImport({ database }, 'spend', file, { currency: 'GBP' });
    expect(report.read).toBe(7); // the blank line is not a row
    expect(report.imported).toBe(3);
    expect(report.rejected.map((r) => r.line)).toEqual([3, 4, 5, 8]);
    expect(report.rejected[0]!.reason).toMatch(/amount/);
    expect(report.rejected[1]!.reason).toMatch(/date/);
    expect(report.rejected[2]!.reason).toMatch(/abc/);
    expect(report.rejected[3]!.reason).toMatch(/quote/);
    const rows = await database.query<{ supplier_name: string; amount: string; date: string }>(
      "select supplier_name, amount::text, date::text from spend_lines where source_file = 'mixed.csv' order by source_line",
    );
    expect(rows).toEqual([
      { supplier_name: 'Alpha Ltd', amount: '1000.5000', date: '2024-01-05' },
      { supplier_name: 'Epsilon Ltd', amount: '-250.0000', date: '2024-01-07' },
      { supplier_name: 'Eta Ltd', amount: '99.9900', date: '2024-01-09' },
    ]);
  });

  it('keeps two identical rows within one file as two transactions, and re-import still adds none', async () => {
    const file = join(dir, 'twins.csv');
    await writeFile(file, 'date,supplier,amount\n2024-03-01,Twin Co,10.00\n2024-03-01,Twin Co,10.00\n');
    const first = await runImport({ database }, 'spend', file, { currency: 'EUR' });
    expect(first.imported).toBe(2);
    const again = await runImport({ database }, 'spend', file, { currency: 'EUR' });
    expect(again).toMatchObject({ imported: 0, duplicates: 2 });
  });

  it('rejects rows with no currency when none is given, naming the fix', async () => {
    const file = join(dir, 'nocur.csv');
    await writeFile(file, 'date,supplier,amount,currency\n2024-03-01,Cur Co,10.00,USD\n2024-03-02,Cur Co,$5.00,\n2024-03-03,Cur Co,5.00,\n');
    const report = await runImport({ database }, 'spend', file, {});
    expect(report.imported).toBe(2);
    expect(report.rejected).toEqual([expect.objectContaining({ line: 4, reason: expect.stringMatching(/--currency/) })]);
  });

  it('reads JSON ({"data": [...]}) with --map overrides', async () => {
    const file = join(dir, 'spend.json');
    await writeFile(
      file,
      JSON.stringify(
        { data: [{ when: '2024-04-01', who: 'Json Supplier GmbH', value: 12.5 }, { when: 'bad', who: 'X', value: 1 }] },
        null,
        2,
      ),
    );
    const report = await runImport({ database }, 'spend', file, { currency: 'EUR', map: 'date=when,supplier=who,amount=value' });
    expect(report.imported).toBe(1);
    expect(report.rejected.map((r) => r.line)).toEqual([8]);
  });

  it('lands a UTF-16 file, little- or big-endian, with or without a BOM, exactly as its UTF-8 twin', async () => {
    const suppliers = ['Café Émile SARL', 'Zürich Tools AG', '東京商事株式会社', 'Ålesund Fisk AS', 'Smile 😀 Ltd'];
    const lines = ['Date,Supplier,Amount,Description'];
    // Enough rows to span several 64 KB chunks, with a quoted comma and a quoted line break along the way.
    for (let i = 0; i < 1500; i++) {
      const day = String((i % 28) + 1).padStart(2, '0');
      const description = i % 100 === 7 ? '"Parts, tools\r\nand more"' : `Order ${i}`;
      lines.push(`2024-02-${day},${suppliers[i % suppliers.length]},${i}.${String(i % 100).padStart(2, '0')},${description}`);
    }
    const csv = `${lines.join('\r\n')}\r\n`;
    const twins: [name: string, bytes: Buffer, currency: string][] = [
      ['utf8.csv', Buffer.from(csv), 'EUR'],
      ['utf16le.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]), 'CHF'],
      ['utf16be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(csv, 'utf16le').swap16()]), 'JPY'],
      ['utf16le-nobom.csv', Buffer.from(csv, 'utf16le'), 'NOK'],
    ];
    const landed: unknown[][] = [];
    for (const [name, bytes, currency] of twins) {
      const file = join(dir, name);
      await writeFile(file, bytes);
      // A different currency per file keeps the twins from being duplicates of each other.
      const report = await runImport({ database }, 'spend', file, { currency });
      expect(report, name).toMatchObject({ read: 1500, imported: 1500, duplicates: 0, rejected: [] });
      landed.push(
        await database.query(
          'select source_line, date::text, supplier_name, amount::text, description from spend_lines where source_file = $1 order by source_line',
          [name],
        ),
      );
    }
    expect(landed[0]).toHaveLength(1500);
    expect(landed[0]![1]).toEqual({ source_line: 3, date: '2024-02-02', supplier_name: 'Zürich Tools AG', amount: '1.0100', description: 'Order 1' });
    expect(landed[0]![7]).toMatchObject({ source_line: 9, description: 'Parts, tools\r\nand more' });
    for (const rows of landed.slice(1)) expect(rows).toEqual(landed[0]);
  });

  it('rejects a row whose value holds a NUL byte, naming the field, and lands the rest', async () => {
    const file = join(dir, 'nul.csv');
    await writeFile(
      file,
      [
        'date,supplier,amount,notes',
        '2024-06-01,Nul One Ltd,1.00,',
        '2024-06-02,Nul\0Two Ltd,2.00,', // line 3: NUL inside a stored value
        '2024-06-03,Nul Three Ltd,3.00,not\0imported', // line 4: NUL in a column nobody imports is harmless
      ].join('\n'),
    );
    const report = await runImport({ database }, 'spend', file, { currency: 'GBP' });
    expect(report).toMatchObject({ read: 3, imported: 2 });
    expect(report.rejected).toEqual([
      expect.objectContaining({ line: 3, reason: expect.stringMatching(/supplier contains a NUL byte \(0x00\)/) }),
    ]);
    const names = await database.query<{ supplier_name: string }>(
      "select supplier_name from spend_lines where source_file = 'nul.csv' order by source_line",
    );
    expect(names.map((r) => r.supplier_name)).toEqual(['Nul One Ltd', 'Nul Three Ltd']);

    // JSON cannot hold a raw NUL, but an escape decodes to one.
    const json = join(dir, 'nul.json');
    await writeFile(json, '[\n{"date":"2024-06-04","supplier":"Nul Four","amount":4},\n{"date":"2024-06-05","supplier":"Nul\\u0000Five","amount":5}\n]');
    const fromJson = await runImport({ database }, 'spend', json, { currency: 'GBP' });
    expect(fromJson).toMatchObject({ read: 2, imported: 1 });
    expect(fromJson.rejected).toEqual([expect.objectContaining({ line: 3, reason: expect.stringMatching(/supplier contains a NUL byte/) })]);

    // Other kinds share the reader: the database never sees the NUL and the reason is ours, not a driver error.
    const suppliersFile = join(dir, 'nul-suppliers.csv');
    await writeFile(suppliersFile, 'name,country\nNul Supplier\0 GmbH,DE\nClean Supplier GmbH,DE\n');
    const suppliers = await runImport({ database }, 'suppliers', suppliersFile, {});
    expect(suppliers).toMatchObject({ read: 2, imported: 1 });
    expect(suppliers.rejected).toEqual([expect.objectContaining({ line: 2, reason: expect.stringMatching(/name contains a NUL byte/) })]);
  });

  it('names the file of a folder that stops the import', async () => {
    const folder = join(dir, 'folder');
    await mkdir(folder);
    await writeFile(join(folder, 'a.csv'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 0, 0]));
    await expect(runImport({ database }, 'spend', folder, { currency: 'GBP' })).rejects.toThrow(/^a\.csv looks like a binary file/);
    await writeFile(join(folder, 'a.csv'), 'When,Who\n2024-01-05,Alpha\n');
    await expect(runImport({ database }, 'spend', folder, { currency: 'GBP' })).rejects.toThrow(/^a\.csv: No column found for date/);
  });

  it('attaches spellings of one company to one supplier but never merges a different company', async () => {
    const file = join(dir, 'acme.csv');
    await writeFile(
      file,
      'date,supplier,amount\n2024-05-01,ACME LTD,1\n2024-05-02,Acme Limited,2\n2024-05-03,acme ltd.,3\n2024-05-04,Acme Holdings Ltd,4\n',
    );
    await runImport({ database }, 'spend', file, { currency: 'GBP' });
    const rows = await database.query<{ supplier_name: string; supplier_id: string }>(
      "select supplier_name, supplier_id::text from spend_lines where source_file = 'acme.csv' order by source_line",
    );
    const ids = rows.map((r) => r.supplier_id);
    expect(new Set(ids.slice(0, 3)).size).toBe(1);
    expect(ids[3]).not.toBe(ids[0]);
    const aliases = await database.query<{ name: string }>(
      'select name from supplier_aliases where supplier_id = $1 order by name',
      [ids[0]],
    );
    expect(aliases.map((a) => a.name)).toEqual(['ACME LTD', 'Acme Limited', 'acme ltd.']);
  });
});
