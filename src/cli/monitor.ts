// `qm monitor run <name|all>` runs monitors now (their findings stored, proposals put through governance, as
// the scheduled jobs do) and `qm findings` lists what they found. An unknown monitor or status is a usage
// error (exit 2).
import type { Command } from 'commander';
import { type FindingStatus, listFindings } from '../db/findings.js';
import { formatAmount } from '../domain/money.js';
import { dismiss } from '../monitors/dismiss.js';
import { monitors } from '../monitors/registry.js';
import { type MonitorRunReport, runMonitor, type StoredFinding } from '../monitors/runner.js';
import { loadConfig } from '../config.js';
import { createApp } from '../runtime.js';

const STATUSES: readonly FindingStatus[] = ['open', 'resolved', 'dismissed'];

function usage(setExit: (code: number) => void, message: string): void {
  process.stderr.write(`qm: ${message}\n`);
  setExit(2);
}

function findingLine(f: StoredFinding): string {
  const amount = f.amount !== null && f.currency ? `  ${formatAmount(f.amount, f.currency)}` : '';
  const approval = typeof f.decision?.approvalNumber === 'number' ? `  [approval #${f.decision.approvalNumber}]` : '';
  return `${f.severity.padEnd(8)} ${f.status.padEnd(9)} ${f.monitor}: ${f.title}${amount}${approval}  (${f.id})`;
}

function reportLines(r: MonitorRunReport): string[] {
  return [
    `${r.monitor}: ${r.raised} raised, ${r.updated} updated, ${r.unchanged} unchanged, ${r.resolved} resolved (${r.ms} ms)`,
    ...r.findings.map((f) => `  ${findingLine(f)}`),
  ];
}

/** Adds `qm monitor run` and `qm findings [list|dismiss]`. */
export function registerMonitor(program: Command, setExit: (code: number) => void): void {
  const monitor = program.command('monitor').description('Run the monitors (three-way match, spend anomalies, renewal deadlines, …)');
  monitor
    .command('run')
    .description('Run one monitor, or all of them, now')
    .argument('<name>', `${[...monitors.keys()].join(', ')} or all`)
    .option('--json', 'print JSON: {"runs":[{monitor, raised, updated, unchanged, resolved, findings, ms}]}')
    .action(async (name: string, flags: { json?: boolean }) => {
      const chosen = name === 'all' ? [...monitors.values()] : monitors.get(name) ? [monitors.get(name)!] : [];
      if (chosen.length === 0) return usage(setExit, `no monitor named "${name}"; one of ${[...monitors.keys()].join(', ')} or all`);
      const rt = await createApp(loadConfig(), { purpose: 'qm monitor', quiet: true });
      try {
        const deps = await rt.monitorDeps();
        const runs: MonitorRunReport[] = [];
        for (const m of chosen) runs.push(await runMonitor(deps, m));
        process.stdout.write(flags.json ? `${JSON.stringify({ runs })}\n` : `${runs.flatMap(reportLines).join('\n')}\n`);
        setExit(0);
      } finally {
        await rt.close();
      }
    });

  const findings = program.command('findings').description('What the monitors found (list, dismiss)');
  findings
    .command('dismiss')
    .description('Close an open finding as a false alarm (it is not raised again)')
    .argument('<id>', 'the finding id')
    .requiredOption('--as <email>', 'who dismisses it')
    .requiredOption('--reason <text>', 'why it is not a real problem')
    .action(async (id: string, flags: { as: string; reason: string }) => {
      const rt = await createApp(loadConfig(), { purpose: 'qm findings', quiet: true });
      try {
        const r = await dismiss(rt.database, id, flags.as, flags.reason);
        (r.ok ? process.stdout : process.stderr).write(`${r.message}\n`);
        setExit(r.ok ? 0 : 1);
      } finally {
        await rt.close();
      }
    });
  findings
    .command('list', { isDefault: true })
    .description('What the monitors found, most recently seen first')
    .option('--status <status>', `one of ${STATUSES.join(', ')}`)
    .option('--monitor <name>', `one of ${[...monitors.keys()].join(', ')}`)
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print JSON: an array of findings')
    .action(async (flags: { status?: string; monitor?: string; limit: string; json?: boolean }) => {
      if (flags.status && !STATUSES.includes(flags.status as FindingStatus)) return usage(setExit, `--status must be one of ${STATUSES.join(', ')}`);
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1) return usage(setExit, '--limit must be a whole number of 1 or more');
      const rt = await createApp(loadConfig(), { purpose: 'qm findings', quiet: true });
      try {
        const rows = await listFindings(rt.database, {
          ...(flags.status ? { status: flags.status as FindingStatus } : {}),
          ...(flags.monitor ? { monitor: flags.monitor } : {}),
          limit,
        });
        if (flags.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
        else if (rows.length === 0) process.stdout.write('No findings.\n');
        else process.stdout.write(`${rows.map(findingLine).join('\n')}\n`);
        setExit(0);
      } finally {
        await rt.close();
      }
    });
}
