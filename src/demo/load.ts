// Loads the demo organisation and the bundled real data sets through the ordinary importers.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../db/client.js';
import { copyCsvLine } from '../db/client.js';
import type { ImportKind, ImportOptions } from '../imports/context.js';
import { type ImportReport, runImport } from '../imports/run.js';
import { type Logger, silentLogger } from '../log.js';
import { projectPath } from '../paths.js';
import { buildDemoOrganisation, type DemoTable } from './organisation.js';

export type DemoStep = { kind: ImportKind; source: string; report: ImportReport };

function toCsv(t: DemoTable): string {
  return [t.header, ...t.rows].map((r) => copyCsvLine(r.map((v) => (v === '' ? '' : String(v))))).join('');
}

/** Imports UNSPSC, the OFAC list, the demo organisation and the GLA spend; returns what each step did. */
export async function loadDemo(deps: { database: Database; log?: Logger; today?: Date }): Promise<DemoStep[]> {
  const log = deps.log ?? silentLogger;
  const org = buildDemoOrganisation(deps.today);
  const dir = await mkdtemp(join(tmpdir(), 'qm-demo-'));
  const steps: DemoStep[] = [];
  try {
    const write = async (name: string, t: DemoTable) => {
      const path = join(dir, name);
      await writeFile(path, toCsv(t));
      return path;
    };
    const plan: [ImportKind, string, ImportOptions][] = [
      ['unspsc', projectPath('data', 'unspsc', 'onet_unspsc_reference.csv'), {}],
      ['sanctions', projectPath('data', 'sanctions', 'ofac_sdn_2024-04-26.csv'), {}],
      ['users', await write('users.csv', org.users), {}],
      ['suppliers', await write('suppliers.csv', org.suppliers), {}],
      ['contracts', await write('contracts.csv', org.contracts), { currency: 'GBP' }],
      ['contracts', projectPath('data', 'contracts', 'cuad'), { currency: 'USD' }],
      ['purchase-orders', await write('purchase-orders.csv', org.purchaseOrders), { currency: 'GBP' }],
      ['receipts', await write('receipts.csv', org.receipts), {}],
      ['invoices', await write('invoices.csv', org.invoices), { currency: 'GBP' }],
      ['spend', await write('spend.csv', org.spend), { currency: 'GBP' }],
      ['spend', projectPath('data', 'spend', 'gla_spend_2008-2013.csv'), { currency: 'GBP' }],
    ];
    for (const [kind, source, options] of plan) {
      const started = Date.now();
      const report = await runImport({ database: deps.database, log }, kind, source, options);
      log.info(`demo: ${kind} from ${source.startsWith(dir) ? 'the demo organisation' : source}`, {
        read: report.read,
        imported: report.imported,
        duplicates: report.duplicates,
        rejected: report.rejected.length,
        ms: Date.now() - started,
      });
      for (const r of report.rejected.slice(0, 5)) log.warn(`demo: ${kind} line ${r.line} rejected: ${r.reason}`);
      steps.push({ kind, source, report });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return steps;
}
