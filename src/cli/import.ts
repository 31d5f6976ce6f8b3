// `qm import <kind> <file|dir>`: exit 0 when every row landed, 3 when some were rejected, 1 when nothing could be.
import { Presets, SingleBar } from 'cli-progress';
import { type Command, CommanderError } from 'commander';
import { hasScreenableSuppliers } from '../db/queries/supplier-risk.js';
import { loadConfig } from '../config.js';
import { AppError, isAppError } from '../errors.js';
import { IMPORT_KINDS, type ImportKind } from '../imports/context.js';
import type { ImportReport } from '../imports/run.js';
import { runImport } from '../imports/run.js';
import { approvalOfFinding, type Rescreen as RescreenRun, rescreenSuppliers } from '../monitors/signals-intake.js';
import { supplierRiskMonitor } from '../monitors/supplier-risk.js';
import { registerImportUndo } from './import-undo.js';
import { type App, createApp } from '../runtime.js';

type Flags = { map?: string; currency?: string; dateOrder?: string; encoding?: string; version?: string; event?: string; json?: boolean };

type Rejected = { file?: string; line: number; reason: string };

/** What `--json` prints, exactly once, whatever the outcome; `error` only when nothing could be imported. */
type Summary = {
  kind: string;
  read: number;
  imported: number;
  duplicates: number;
  rejected: Rejected[];
  batchId?: number;
  monitor?: Rescreen;
  error?: string;
};

/** Adds the import command. */
export function registerImport(program: Command, setExit: (code: number) => void): void {
  const command = program
    .command('import')
    .description(`Import a CSV or JSON file (or a folder of them): ${IMPORT_KINDS.join(', ')}`)
    .argument('<kind>', IMPORT_KINDS.join('|'))
    .argument('<path>', 'a file, or a folder whose files are imported in name order')
    .option('--map <pairs>', 'column mapping overrides: field=Column,field2=Other Column')
    .option('--currency <code>', 'currency for rows that name none (ISO 4217, e.g. GBP)')
    .option('--date-order <order>', 'dmy (default) or mdy for ambiguous dates like 03/04/2024')
    .option('--encoding <enc>', 'utf-8 or latin1 (default: detected)')
    .option('--version <label>', 'version label for a sanctions list')
    .option('--event <number|id>', 'bids: the sourcing event they answer')
    .option('--json', 'print one JSON summary object and nothing else on stdout')
    .action(async (kind: string, path: string, flags: Flags) => {
      let printed = false;
      try {
        await importCommand(kind, path, flags, setExit, () => {
          printed = true;
        });
      } catch (err) {
        // The one place a failed import becomes its --json object; main() still reports it on stderr and exits 1.
        if (flags.json && !printed) printJson(failureSummary(kind, err));
        throw err;
      }
    });
  // Usage errors (a missing argument, an unknown option) are caught by commander before the action runs.
  command.exitOverride((err) => {
    if (err.exitCode !== 0 && command.opts<Flags>().json) printJson(failureSummary(String(command.args[0] ?? ''), err));
    throw err;
  });
  registerImportUndo(command, setExit);
}

/** The --json object of an import that stopped before anything landed: nothing read, and why. */
function failureSummary(kind: string, err: unknown): Summary {
  const message =
    err instanceof CommanderError
      ? err.message.replace(/^error: /, '')
      : isAppError(err)
        ? err.message
        : `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
  return { kind, read: 0, imported: 0, duplicates: 0, rejected: [], error: message };
}

function printJson(summary: Summary): void {
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

/** Runs one import and prints its outcome; `onPrinted` is called once the summary is on stdout. */
async function importCommand(
  kind: string,
  path: string,
  flags: Flags,
  setExit: (code: number) => void,
  onPrinted: () => void,
): Promise<void> {
  if (!(IMPORT_KINDS as readonly string[]).includes(kind)) {
    throw new AppError('import:usage', `unknown import kind "${kind}"; one of ${IMPORT_KINDS.join(', ')}`);
  }
  if (flags.currency && !/^[A-Za-z]{3}$/.test(flags.currency)) {
    throw new AppError('import:usage', `--currency expects a three-letter code such as GBP, got "${flags.currency}"`);
  }
  if (flags.dateOrder && flags.dateOrder !== 'dmy' && flags.dateOrder !== 'mdy') {
    throw new AppError('import:usage', '--date-order expects dmy or mdy');
  }
  if (flags.encoding && !['utf-8', 'utf8', 'latin1'].includes(flags.encoding)) {
    throw new AppError('import:usage', '--encoding expects utf-8 or latin1');
  }
  const rt = await createApp(loadConfig(), { purpose: `qm import ${kind}`, quiet: flags.json });
  const bar =
    !flags.json && process.stderr.isTTY
      ? new SingleBar(
          { format: `importing ${kind} [{bar}] {percentage}% | {value}/{total} MB | ETA {eta}s`, stream: process.stderr },
          Presets.shades_classic,
        )
      : undefined;
  let started = false;
  try {
    const report = await runImport(
      {
        database: rt.database,
        log: rt.log,
        onProgress: bar
          ? (done, total) => {
              const mb = (n: number) => Math.round(n / 1e5) / 10;
              if (!started) {
                bar.start(mb(total), 0);
                started = true;
              }
              bar.update(mb(done));
            }
          : undefined,
      },
      kind as ImportKind,
      path,
      {
        map: flags.map,
        currency: (flags.currency ?? rt.config.defaultCurrency)?.toUpperCase(),
        dateOrder: flags.dateOrder as 'dmy' | 'mdy' | undefined,
        encoding: flags.encoding === 'latin1' ? 'latin1' : flags.encoding ? 'utf-8' : undefined,
        version: flags.version,
        ...(flags.event ? { event: flags.event } : {}),
      },
    );
    bar?.stop();
    const rejected: Rejected[] = report.rejected.map((r) =>
      r.file ? { file: r.file, line: r.line, reason: r.reason } : { line: r.line, reason: r.reason },
    );
    const rescreen = await supplierRiskAfterImport(rt, kind as ImportKind, report);
    if (flags.json) {
      const { read, imported, duplicates, batchId } = report;
      printJson({ kind, read, imported, duplicates, rejected, batchId, ...(rescreen ? { monitor: rescreen } : {}) });
    } else {
      process.stdout.write(
        `${kind}: read ${report.read}, imported ${report.imported}, duplicates ${report.duplicates}, rejected ${rejected.length} (batch ${report.batchId})\n`,
      );
      for (const r of rejected.slice(0, 50)) {
        process.stdout.write(`  ${'file' in r ? `${r.file}:` : 'line '}${r.line}: ${r.reason}\n`);
      }
      if (rejected.length > 50) process.stdout.write(`  … and ${rejected.length - 50} more (use --json for all)\n`);
      if (rescreen) process.stdout.write(`${rescreenText(rescreen)}\n`);
    }
    onPrinted();
    setExit(rejected.length > 0 ? 3 : 0);
  } finally {
    bar?.stop();
    await rt.close();
  }
}

type Rescreen = { name: string; raised: number; updated: number; unchanged: number; resolved: number; findings: string[] } | { name: string; error: string };

/**
 * A new sanctions list version (or new risk signals) changes who is at risk: the supplier-risk monitor runs at
 * once, its proposals going through governance (approvals service opened as the governance commands do).
 */
async function supplierRiskAfterImport(rt: App, kind: ImportKind, report: ImportReport): Promise<Rescreen | undefined> {
  if ((kind !== 'sanctions' && kind !== 'signals') || report.imported === 0) return undefined;
  const name = supplierRiskMonitor.name;
  try {
    // No supplier yet (a first import into an empty database): nothing to screen, no need to open governance.
    if (!(await hasScreenableSuppliers(rt.database))) return undefined;
    const run: RescreenRun = await rescreenSuppliers(await rt.monitorDeps(), 'the import');
    if (!run.ok) return { name, error: run.error };
    const { report } = run;
    const raised = report.findings.filter((f) => f.seenCount === 1 && f.status === 'open');
    return {
      name,
      raised: report.raised,
      updated: report.updated,
      unchanged: report.unchanged,
      resolved: report.resolved,
      findings: raised.map((f) => {
        const n = approvalOfFinding(f)?.number;
        return `[${f.severity}] ${f.title}${typeof n === 'number' ? ` (approval #${n})` : ''}`;
      }),
    };
  } catch (err) {
    rt.log.error(`the ${name} monitor failed after the import`, { error: (err as Error).message });
    return { name, error: (err as Error).message };
  }
}

function rescreenText(r: Rescreen): string {
  if ('error' in r) return `${r.name}: the monitor failed after the import (${r.error}); it runs again on schedule.`;
  const head = `${r.name}: ${r.raised} raised, ${r.updated} updated, ${r.unchanged} unchanged, ${r.resolved} resolved`;
  return [head, ...r.findings.map((f) => `  ${f}`)].join('\n');
}
