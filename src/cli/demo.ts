// `qm demo`: loads the demo organisation (idempotent: a second run adds nothing).
import type { Command } from 'commander';
import { loadDemo } from '../demo/load.js';
import { createApp } from '../runtime.js';
import { loadConfig } from '../config.js';

/** Adds the demo command. */
export function registerDemo(program: Command, setExit: (code: number) => void): void {
  program
    .command('demo')
    .description('Load a coherent demo organisation plus the bundled GLA spend, UNSPSC and OFAC data')
    .option('--json', 'print a JSON summary of each step')
    .action(async (flags: { json?: boolean }) => {
      const rt = await createApp(loadConfig(), { purpose: 'qm demo', quiet: flags.json });
      try {
        const steps = await loadDemo({ database: rt.database, log: rt.log });
        const summary = steps.map((s) => ({
          kind: s.kind,
          source: s.source,
          read: s.report.read,
          imported: s.report.imported,
          duplicates: s.report.duplicates,
          rejected: s.report.rejected.length,
        }));
        if (flags.json) process.stdout.write(`${JSON.stringify({ steps: summary })}\n`);
        else for (const s of summary) process.stdout.write(`${s.kind.padEnd(16)} imported ${s.imported}, duplicates ${s.duplicates}, rejected ${s.rejected}\n`);
        setExit(summary.some((s) => s.rejected > 0) ? 3 : 0);
      } finally {
        await rt.close();
      }
    });
}
