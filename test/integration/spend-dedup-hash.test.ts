// Lines stored by every earlier version carry the same de-duplication hash (computed in Node, then for a while by
// the database as rows were staged, now in Node again). All must agree, or re-importing an old file would land
// every row twice.
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { runImport } from '../../src/imports/run.js';
import { testDatabases } from '../helpers/databases.js';

/** The hash as earlier versions computed it (canonical amount: no trailing zeros, "-0" is "0"). */
function nodeHash(r: Record<string, string | null>): string {
  const a = r.amount!;
  const t = a.includes('.') ? a.replace(/0+$/, '').replace(/\.$/, '') : a;
  const amount = t === '-0' ? '0' : t;
  const parts = [r.date, r.supplier_name, amount, r.currency, r.category, r.department, r.cost_centre, r.description,
    r.invoice_number, r.po_number, r.external_id].map((v) => v ?? '');
  const hex = createHash('md5').update(parts.join('\u001f')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const FILE = [
  'Date,Supplier,Amount,Currency,Category,Department,Cost Centre,Description,Invoice Number,PO Number,Transaction ID',
  '05/03/2024,Acme Ltd,1000.50,GBP,IT,Finance,CC1,"Laptops, 3",INV-1,PO-1,T-1',
  '2024-03-06,"Zürich Versicherung ""AG""",-0.00,CHF,,,,,,,',
  '6 Mar 2024,Ｆｕｌｌ Width Co,100,EUR,Travel,,,"two\nlines",,,',
  '2024-03-07,O\'Brien & Sons,£12.3400,,Catering,Ops,,é ü ñ 漢字,,,',
  '2024-03-08,Acme Ltd,(45.60),USD,,,,,INV-9,,',
  '2024-03-09,"Quote ""Ünïcode"" Co",1.00,GBP,,,,"say ""hé"" then ""ho""",,,',
].join('\n');

describe.each(testDatabases)('spend de-duplication hash on $name', ({ open }) => {
  let database: Database;
  let path: string;
  beforeAll(async () => {
    database = await open();
    path = join(await mkdtemp(join(tmpdir(), 'qm-hash-')), 'spend.csv');
    await writeFile(path, FILE);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('is the hash earlier versions stored, so their lines are recognised on re-import', async () => {
    const report = await runImport({ database }, 'spend', path, { currency: 'GBP' });
    expect(report.rejected).toEqual([]);
    expect(report.imported).toBe(6);
    const rows = await database.query<Record<string, string | null>>(
      `select dedup_hash::text as dedup_hash, to_char(date, 'YYYY-MM-DD') as date, supplier_name, amount::text as amount,
              currency, category, department, cost_centre, description, invoice_number, po_number, external_id
         from spend_lines order by source_line`,
    );
    expect(rows).toHaveLength(6);
    for (const r of rows) expect(r.dedup_hash, JSON.stringify(r)).toBe(nodeHash(r));
  });
});
