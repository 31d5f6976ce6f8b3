// `qm import undo <batchId> [--as <email>] [--json]`: removes one spend import batch's lines; exit 1 when it cannot.
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { AppError } from '../errors.js';
import { undoImport } from '../imports/undo.js';
import { createApp } from '../runtime.js';

/** Adds `undo` under the import command. */
export function registerImportUndo(importCommand: Command, setExit: (code: number) => void): void {
  importCommand
    .command('undo')
    .description('Remove the spend lines one import batch added (the batch number is in the import summary)')
    .argument('<batchId>', 'the import batch number')
    .option('--as <email>', 'who is undoing it (recorded in the audit ledger)')
    .option('--json', 'print one JSON object')
    .action(async (ref: string, flags: { as?: string; json?: boolean }) => {
      // `--json` is also an option of `import` itself, which may take it first.
      const json = flags.json ?? importCommand.opts<{ json?: boolean }>().json;
      if (!/^\d+$/.test(ref)) throw new AppError('import:usage', `The batch is a number, got "${ref}".`);
      if (flags.as !== undefined && !/^[^\s@]+@[^\s@]+$/.test(flags.as)) {
        throw new AppError('import:usage', `--as expects an email address, got "${flags.as}"`);
      }
      const app = await createApp(loadConfig(), { purpose: 'qm import undo', quiet: true });
      try {
        const r = await undoImport({ database: app.database, ledger: app.ledger }, Number(ref), flags.as?.toLowerCase());
        process.stdout.write(
          json ? `${JSON.stringify(r)}\n` : `Removed ${r.removed} spend lines of batch ${r.batchId} (${r.file}).\n`,
        );
        setExit(0);
      } catch (err) {
        // With --json, stdout carries one object whatever the outcome; main() still reports the error and exits 1.
        if (json) process.stdout.write(`${JSON.stringify({ batchId: Number(ref), error: (err as Error).message })}\n`);
        throw err;
      } finally {
        await app.close();
      }
    });
}
