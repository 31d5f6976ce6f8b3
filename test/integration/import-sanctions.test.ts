// Sanctions import: OFAC's real sdn.csv end to end, re-import, malformed rows, Latin-1, and a generic list.
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { runImport } from '../../src/imports/run.js';
import { projectPath } from '../../src/paths.js';
import { testDatabases } from '../helpers/databases.js';

const OFAC_FILE = projectPath('data', 'sanctions', 'ofac_sdn_2024-04-26.csv');

type StoredName = { name: string; normalized_name: string; kind: string; strength: string };
type StoredEntry = {
  entry_id: string;
  name: string;
  normalized_name: string;
  entry_type: string;
  programs: string[];
  title: string | null;
  remarks: string | null;
  source_line: number;
  names: StoredName[];
};

// OFAC's layout: every empty cell is `-0- `, rows end in CRLF.
function sdnRow(cells: readonly string[]): string {
  return cells.map((c) => (/[",]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',');
}
const EMPTY = '-0- ';

describe.each(testDatabases)('sanctions import ($name)', ({ open }) => {
  let database: Database;
  let dir: string;

  beforeAll(async () => {
    database = await open();
    dir = await mkdtemp(join(tmpdir(), 'qm-sanctions-'));
  });
  afterAll(async () => {
    await database?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function entry(source: string, entryId: string): Promise<StoredEntry> {
    const [e] = await database.query<Omit<StoredEntry, 'names'> & { id: number }>(
      `select e.id, e.entry_id, e.name, e.normalized_name, e.entry_type, e.programs, e.title, e.remarks, e.source_line
       from sanctions_entries e join sanctions_lists l on l.id = e.list_id
       where l.source = $1 and e.entry_id = $2 order by l.id desc limit 1`,
      [source, entryId],
    );
    expect(e, `entry ${entryId} of ${source}`).toBeDefined();
    const names = await database.query<StoredName>(
      'select name, normalized_name, kind, strength from sanctions_names where entry_id = $1 order by id',
      [e!.id],
    );
    const { id: _id, ...rest } = e!;
    return { ...rest, source_line: Number(rest.source_line), names };
  }

  it('imports every data row of the OFAC SDN file as an entry of a new list', async () => {
    const dataRows = (await readFile(OFAC_FILE, 'latin1')).split(/\r?\n/).filter((l) => l.trim() !== '').length;
    expect(dataRows).toBe(14_668);

    const report = await runImport({ database }, 'sanctions', OFAC_FILE);
    expect(report).toMatchObject({ read: dataRows, imported: dataRows, duplicates: 0, rejected: [] });

    const lists = await database.query<{ source: string; version: string; sha256: string; entry_count: number }>(
      'select source, version, sha256, entry_count from sanctions_lists',
    );
    expect(lists).toEqual([
      {
        source: 'OFAC SDN',
        version: '2024-04-26',
        sha256: '3bbaf88006bcd59d06b3625c9f4972e66445d55210881ca01df395e1b946fc78',
        entry_count: dataRows,
      },
    ]);
    const types = await database.query<{ entry_type: string; n: number }>(
      'select entry_type, count(*)::int as n from sanctions_entries group by 1 order by 1',
    );
    expect(types).toEqual([
      { entry_type: 'aircraft', n: 383 },
      { entry_type: 'entity', n: 6630 },
      { entry_type: 'individual', n: 6820 },
      { entry_type: 'vessel', n: 835 },
    ]);
    const [primary] = await database.query<{ n: number }>(
      "select count(*)::int as n from sanctions_names where kind = 'primary'",
    );
    // One per entry, plus the "First LAST" form of every individual (all of them are written "LAST, First").
    expect(primary!.n).toBe(dataRows + 6820);
  });

  it('stores names, types, programs and the aliases written in Remarks', async () => {
    const bnc = await entry('OFAC SDN', '306');
    expect(bnc).toMatchObject({
      name: 'BANCO NACIONAL DE CUBA',
      normalized_name: 'banco nacional de cuba',
      entry_type: 'entity',
      programs: ['CUBA'],
      title: null,
      remarks: "a.k.a. 'BNC'.",
      source_line: 3,
    });
    // In OFAC's delimited files, the aliases in Remarks are its weak AKAs.
    expect(bnc.names).toEqual([
      { name: 'BANCO NACIONAL DE CUBA', normalized_name: 'banco nacional de cuba', kind: 'primary', strength: 'strong' },
      { name: 'BNC', normalized_name: 'bnc', kind: 'aka', strength: 'weak' },
    ]);

    const jafari = await entry('OFAC SDN', '12066');
    expect(jafari).toMatchObject({
      name: 'JAFARI, Mohammad Ali',
      entry_type: 'individual',
      programs: ['SDGT', 'NPWMD', 'IRGC', 'IFSR', 'IRAN-HR'],
      title: expect.stringContaining('Commander-in-Chief, Islamic Revolutionary Guard Corps'),
    });
    expect(jafari.names.map((n) => [n.kind, n.name])).toEqual([
      ['primary', 'JAFARI, Mohammad Ali'],
      ['primary', 'Mohammad Ali JAFARI'],
      ['aka', "JA'FARI, Aziz"],
      ['aka', "Aziz JA'FARI"],
    ]);

    // Apostrophes inside a quoted alias do not end it.
    const musa = await entry('OFAC SDN', '6368');
    expect(musa.names.filter((n) => n.kind === 'aka').map((n) => n.name)).toEqual(["'ABD-AL-'IZ", 'ABU YASIR']);

    const ebano = await entry('OFAC SDN', '4243');
    expect(ebano.entry_type).toBe('vessel');
    expect(ebano.names.filter((n) => n.kind === 'fka').map((n) => n.name)).toEqual(['ANA I', 'SAND SWAN']);

    const lgok = await entry('OFAC SDN', '41920');
    expect(lgok.names).toContainEqual({ name: 'LGOK', normalized_name: 'lgok', kind: 'nka', strength: 'weak' });

    expect((await entry('OFAC SDN', '15431')).entry_type).toBe('aircraft');

    // OFAC cuts Remarks at 1,000 characters; the alias cut in half is not stored.
    const lazarus = await entry('OFAC SDN', '27307');
    expect(lazarus.remarks).toHaveLength(1000);
    expect(lazarus.names.filter((n) => n.kind === 'aka').map((n) => n.name)).toEqual([
      'HIDDEN COBRA',
      'OFFICE 91',
      'GUARDIANS OF PEACE',
      'THE NEW ROMANTIC CYBER ARMY TEAM',
    ]);
  });

  it('imports nothing when the same file comes again, counting every entry as a duplicate', async () => {
    const report = await runImport({ database }, 'sanctions', OFAC_FILE);
    expect(report).toMatchObject({ read: 14_668, imported: 0, duplicates: 14_668, rejected: [] });
    const [counts] = await database.query<{ lists: number; entries: number }>(
      `select (select count(*) from sanctions_lists)::int as lists, (select count(*) from sanctions_entries)::int as entries`,
    );
    expect(counts).toEqual({ lists: 1, entries: 14_668 });
  });

  it('rejects malformed rows of a hand-made sdn.csv by line, lands the rest and decodes Latin-1', async () => {
    const rows = [
      ['9001', 'MÜLLER, Jörg', 'individual', 'SDGT', EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY,
        `DOB 1970; a.k.a. 'MÜLLER, J.'; f.k.a. "SCHMIDT, Jörg".`],
      [EMPTY, 'NO NUMBER TRADING', EMPTY, 'CUBA', EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY],
      ['9003', EMPTY, EMPTY, 'CUBA', EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY],
      ['9004', 'CAFÉ SOCIÉTÉ, S.A.', EMPTY, '[SDGT] [IRGC]', EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY,
        "n.k.a. 'CAFÉ NOUVEAU'."],
      ['9001', 'MÜLLER, Jörg', 'individual', 'SDGT', EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY],
      ['9006', 'SHORT ROW', EMPTY, 'CUBA'],
      ['9007', 'ÅLAND SHIPPING', 'vessel', 'SDGT; IRGC', EMPTY, 'XYZ1', 'Cargo', EMPTY, EMPTY, 'Åland', EMPTY, EMPTY],
      ['nine', 'WORDS FOR NUMBERS', EMPTY, 'CUBA', EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY],
      ['9009', 'UFO LTD', 'spaceship', 'CUBA', EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY],
    ];
    const file = join(dir, 'sdn.csv');
    // Latin-1 bytes, CRLF, and the DOS end-of-file marker OFAC's file may end with.
    const text = rows.map((r) => `${sdnRow(r)}\r\n`).join('');
    await writeFile(file, Buffer.concat([Buffer.from(text, 'latin1'), Buffer.from([0x1a])]));
    const mtime = new Date('2024-05-01T12:00:00Z');
    await utimes(file, mtime, mtime);

    const report = await runImport({ database }, 'sanctions', file);
    expect(report).toMatchObject({ read: 9, imported: 3, duplicates: 0 });
    expect(report.rejected.map((r) => [r.line, r.reason])).toEqual([
      [2, 'missing ent_num'],
      [3, 'missing SDN_Name'],
      [5, 'entry 9001 is already listed on line 1'],
      [6, "4 fields where OFAC's sdn.csv has 12"],
      [8, 'ent_num "nine" is not a whole number'],
      [9, 'unknown SDN_Type "spaceship"'],
    ]);
    expect(report.rejected[0]!.raw).toContain('NO NUMBER TRADING');

    const [list] = await database.query<{ version: string; entry_count: number }>(
      "select version, entry_count from sanctions_lists where source = 'OFAC SDN' order by id desc limit 1",
    );
    // No date in the file name: the version is the file's modification date.
    expect(list).toEqual({ version: '2024-05-01', entry_count: 3 });

    const muller = await entry('OFAC SDN', '9001');
    expect(muller).toMatchObject({ name: 'MÜLLER, Jörg', normalized_name: 'muller jorg', source_line: 1 });
    expect(muller.names.map((n) => [n.kind, n.name, n.strength])).toEqual([
      ['primary', 'MÜLLER, Jörg', 'strong'],
      ['primary', 'Jörg MÜLLER', 'strong'],
      ['aka', 'MÜLLER, J.', 'weak'],
      ['aka', 'J. MÜLLER', 'weak'],
      ['fka', 'SCHMIDT, Jörg', 'weak'],
      ['fka', 'Jörg SCHMIDT', 'weak'],
    ]);
    const cafe = await entry('OFAC SDN', '9004');
    expect(cafe).toMatchObject({ name: 'CAFÉ SOCIÉTÉ, S.A.', entry_type: 'entity', programs: ['SDGT', 'IRGC'] });
    expect(cafe.names.map((n) => [n.kind, n.name])).toEqual([
      ['primary', 'CAFÉ SOCIÉTÉ, S.A.'],
      ['nka', 'CAFÉ NOUVEAU'],
    ]);
    expect(await entry('OFAC SDN', '9007')).toMatchObject({
      name: 'ÅLAND SHIPPING',
      entry_type: 'vessel',
      programs: ['SDGT', 'IRGC'],
    });

    const stored = await database.query<{ line: number }>(
      'select line from import_rejections where batch_id = $1 order by line',
      [report.batchId],
    );
    expect(stored.map((r) => r.line)).toEqual([2, 3, 5, 6, 8, 9]);
  });

  it('imports a generic CSV list with a header, named after its file', async () => {
    const file = join(dir, 'eu_consolidated_2024-05-03.csv');
    await writeFile(
      file,
      [
        'entry_id,name,type,programs,title,remarks,aliases',
        'EU-1,Acme Trading LLC,entity,[RUSSIA] [BELARUS],,,Acme Trade; ACME TRADING GROUP',
        `EU-2,"DOE, Jane",person,SDGT; IRGC,Director,a.k.a. 'JD'.,`,
        ',Nameless,entity,,,,',
        'EU-4,Mystery,spaceship,,,,',
      ].join('\n'),
    );
    const report = await runImport({ database }, 'sanctions', file, { version: 'v7' });
    expect(report).toMatchObject({ read: 4, imported: 2, duplicates: 0 });
    expect(report.rejected.map((r) => [r.line, r.reason])).toEqual([
      [4, 'missing entry_id'],
      [5, 'unknown type "spaceship" (expected individual, entity, vessel or aircraft)'],
    ]);
    const [list] = await database.query<{ version: string; entry_count: number }>(
      "select version, entry_count from sanctions_lists where source = 'eu_consolidated'",
    );
    expect(list).toEqual({ version: 'v7', entry_count: 2 });

    const acme = await entry('eu_consolidated', 'EU-1');
    expect(acme).toMatchObject({ entry_type: 'entity', programs: ['RUSSIA', 'BELARUS'], normalized_name: 'acme trading' });
    expect(acme.names.map((n) => [n.kind, n.name, n.strength])).toEqual([
      ['primary', 'Acme Trading LLC', 'strong'],
      ['aka', 'Acme Trade', 'strong'],
      ['aka', 'ACME TRADING GROUP', 'strong'],
    ]);
    const doe = await entry('eu_consolidated', 'EU-2');
    expect(doe).toMatchObject({ entry_type: 'individual', programs: ['SDGT', 'IRGC'], title: 'Director' });
    expect(doe.names.map((n) => [n.kind, n.name])).toEqual([
      ['primary', 'DOE, Jane'],
      ['primary', 'Jane DOE'],
      ['aka', 'JD'],
    ]);
  });

  it('imports a JSON list whose aliases and programs are arrays', async () => {
    const file = join(dir, 'watchlist.json');
    await writeFile(
      file,
      JSON.stringify([
        { entry_id: 1, name: 'Northwind Freight', type: 'company', programs: ['P1', 'P2'], aliases: ['NWF', 'North Wind'] },
        { entry_id: 2, name: '', type: 'entity' },
      ]),
    );
    const report = await runImport({ database }, 'sanctions', file, { version: '1' });
    expect(report).toMatchObject({ read: 2, imported: 1 });
    expect(report.rejected.map((r) => r.reason)).toEqual(['missing name']);
    const nw = await entry('watchlist', '1');
    expect(nw).toMatchObject({ entry_type: 'entity', programs: ['P1', 'P2'] });
    expect(nw.names.map((n) => n.name)).toEqual(['Northwind Freight', 'NWF', 'North Wind']);
  });
});
