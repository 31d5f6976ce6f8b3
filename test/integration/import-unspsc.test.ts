// UNSPSC import: O*NET's reference table into the category tree, re-import, bad codes and a generic code list.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { runImport } from '../../src/imports/run.js';
import { projectPath } from '../../src/paths.js';
import { testDatabases } from '../helpers/databases.js';

const ONET_FILE = projectPath('data', 'unspsc', 'onet_unspsc_reference.csv');
const ONET_HEADER =
  'Commodity Code,Commodity Title,Class Code,Class Title,Family Code,Family Title,Segment Code,Segment Title';

type Category = { code: string; scheme: string; level: string; title: string; parent_code: string | null };

describe.each(testDatabases)('UNSPSC import ($name)', ({ open }) => {
  let database: Database;
  let dir: string;

  beforeAll(async () => {
    database = await open();
    dir = await mkdtemp(join(tmpdir(), 'qm-unspsc-'));
  });
  afterAll(async () => {
    await database?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const levelCounts = () =>
    database.query<{ level: string; n: number }>('select level, count(*)::int as n from categories group by 1 order by 1');
  const category = async (code: string) =>
    (await database.query<Category>('select code, scheme, level, title, parent_code from categories where code = $1', [code]))[0];
  const treeDigest = async () =>
    (
      await database.query<{ digest: string }>(
        `select md5(string_agg(concat_ws('|', code, scheme, level, title, parent_code), ',' order by code)) as digest
         from categories`,
      )
    )[0]!.digest;

  it('builds the segment > family > class > commodity tree from the O*NET table', async () => {
    const report = await runImport({ database }, 'unspsc', ONET_FILE);
    expect(report).toMatchObject({ read: 4295, imported: 4295, duplicates: 0, rejected: [] });
    expect(await levelCounts()).toEqual([
      { level: 'class', n: 823 },
      { level: 'commodity', n: 4295 },
      { level: 'family', n: 173 },
      { level: 'segment', n: 36 },
    ]);

    // Every parent exists and sits exactly one level up; segments are roots.
    const [links] = await database.query<{ broken: number; roots: number; schemes: number }>(
      `select
         count(*) filter (where c.level <> 'segment' and (p.code is null or p.level <> case c.level
           when 'commodity' then 'class' when 'class' then 'family' when 'family' then 'segment' end))::int as broken,
         count(*) filter (where c.parent_code is null)::int as roots,
         count(*) filter (where c.scheme <> 'unspsc')::int as schemes
       from categories c left join categories p on p.code = c.parent_code`,
    );
    expect(links).toEqual({ broken: 0, roots: 36, schemes: 0 });

    expect(await category('10111302')).toEqual({
      code: '10111302',
      scheme: 'unspsc',
      level: 'commodity',
      title: 'Pet grooming products',
      parent_code: '10111300',
    });
    expect(await category('10111300')).toMatchObject({
      level: 'class',
      title: 'Domestic pet treatments and accessories and equipment',
      parent_code: '10110000',
    });
    expect(await category('10110000')).toMatchObject({
      level: 'family',
      title: 'Domestic pet products',
      parent_code: '10000000',
    });
    expect(await category('10000000')).toMatchObject({
      level: 'segment',
      title: 'Live Plant and Animal Material and Accessories and Supplies',
      parent_code: null,
    });
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await treeDigest();
    const report = await runImport({ database }, 'unspsc', ONET_FILE);
    expect(report).toMatchObject({ read: 4295, imported: 0, duplicates: 4295, rejected: [] });
    expect(await treeDigest()).toBe(before);
  });

  it('rejects bad codes by line and counts changed rows as imported', async () => {
    const file = join(dir, 'onet_subset.csv');
    await writeFile(
      file,
      [
        ONET_HEADER,
        // Unchanged.
        '10111302,Pet grooming products,10111300,Domestic pet treatments and accessories and equipment,10110000,Domestic pet products,10000000,Live Plant and Animal Material and Accessories and Supplies',
        // Retitled.
        '10111306,Pet training kits,10111300,Domestic pet treatments and accessories and equipment,10110000,Domestic pet products,10000000,Live Plant and Animal Material and Accessories and Supplies',
        '1011130,Too short,10111300,Domestic pet treatments and accessories and equipment,10110000,Domestic pet products,10000000,Live Plant and Animal Material and Accessories and Supplies',
        '10111399,Wrong class,10121300,Some class,10110000,Domestic pet products,10000000,Live Plant and Animal Material and Accessories and Supplies',
        '10111300,A class as commodity,10111300,Domestic pet treatments and accessories and equipment,10110000,Domestic pet products,10000000,Live Plant and Animal Material and Accessories and Supplies',
        // Repeated exactly: a duplicate, not an error.
        '10111302,Pet grooming products,10111300,Domestic pet treatments and accessories and equipment,10110000,Domestic pet products,10000000,Live Plant and Animal Material and Accessories and Supplies',
      ].join('\r\n'),
    );
    const report = await runImport({ database }, 'unspsc', file);
    expect(report).toMatchObject({ read: 6, imported: 1, duplicates: 2 });
    expect(report.rejected.map((r) => [r.line, r.reason])).toEqual([
      [4, 'Commodity Code "1011130" is not an 8-digit UNSPSC code'],
      [5, 'Class Code 10121300 is not the class of commodity 10111399'],
      [6, 'Commodity Code 10111300 is a class code'],
    ]);
    expect(await category('10111306')).toMatchObject({ title: 'Pet training kits', parent_code: '10111300' });
    expect(await category('10111399')).toBeUndefined();
  });

  it('imports a generic code,title,parent_code list, deriving levels and parents', async () => {
    const file = join(dir, 'custom_codes.csv');
    await writeFile(
      file,
      [
        'code,title,parent_code',
        '95000000,Test segment,',
        '95100000,Test family,',
        '95101500,Test class,95100000',
        '95101501,Test commodity,',
        '9510150A,Letters in the code,',
        '95101502,Bad parent,951015',
        '10111302,Pet grooming products,10111300',
      ].join('\n'),
    );
    const report = await runImport({ database }, 'unspsc', file);
    expect(report).toMatchObject({ read: 7, imported: 4, duplicates: 1 });
    expect(report.rejected.map((r) => [r.line, r.reason])).toEqual([
      [6, 'code "9510150A" is not an 8-digit UNSPSC code'],
      [7, 'parent_code "951015" is not an 8-digit UNSPSC code'],
    ]);
    expect(await category('95000000')).toMatchObject({ level: 'segment', parent_code: null });
    expect(await category('95100000')).toMatchObject({ level: 'family', parent_code: '95000000' });
    expect(await category('95101500')).toMatchObject({ level: 'class', parent_code: '95100000' });
    expect(await category('95101501')).toMatchObject({ level: 'commodity', title: 'Test commodity', parent_code: '95101500' });

    const again = await runImport({ database }, 'unspsc', file);
    expect(again).toMatchObject({ read: 7, imported: 0, duplicates: 5 });
  });
});
