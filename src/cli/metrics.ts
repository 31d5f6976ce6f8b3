// `qm metrics [--from] [--to] [--json]`: the success metrics (src/audit/metrics.ts) over a period, computed
// from the audit ledger; by default the last 30 days.
import type { Command } from 'commander';
import { computeMetrics, type Metrics, type MetricsRow } from '../audit/metrics.js';
import { formatDuration } from '../domain/duration.js';
import { AppError } from '../errors.js';
import { createApp } from '../runtime.js';
import { loadConfig } from '../config.js';
import { parseDateOption, withUsageErrors } from './audit.js';

const DAY_MS = 86_400_000;

const pct = (r: number | null) => (r === null ? '–' : `${(r * 100).toFixed(1)}%`);

export { formatDuration };

const COLUMNS: [title: string, cell: (r: MetricsRow) => string][] = [
  ['agent', (r) => (r.agent === '*' ? 'all' : r.agent)],
  ['action', (r) => (r.actionKind === '*' ? '' : r.actionKind)],
  ['proposals', (r) => String(r.proposals)],
  ['denied', (r) => String(r.denied)],
  ['auto', (r) => String(r.auto)],
  ['approval', (r) => String(r.needsApproval)],
  ['executed', (r) => String(r.executed)],
  ['touchless', (r) => `${r.touchless} (${pct(r.touchlessRate)})`],
  ['cycle p50', (r) => formatDuration(r.cycleP50Ms)],
  ['cycle p90', (r) => formatDuration(r.cycleP90Ms)],
  ['agreed/decided', (r) => `${r.agreed}/${r.decided} (${pct(r.agreementRate)})`],
  ['overrides', (r) => String(r.overrides)],
  ['reversals', (r) => String(r.reversals)],
];

/** The metrics as an aligned text table, one row per agent × action kind and a final overall row. */
export function renderMetricsTable(m: Metrics): string {
  const rows = [...m.rows, m.overall].map((r) => COLUMNS.map(([, cell]) => cell(r)));
  const titles = COLUMNS.map(([t]) => t);
  const widths = titles.map((t, i) => Math.max(t.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const out = [`Success metrics, ${m.from} to ${m.to} (from the audit ledger)`, '', line(titles), line(widths.map((w) => '-'.repeat(w)))];
  for (const r of rows.slice(0, -1)) out.push(line(r));
  if (m.rows.length > 0) out.push(line(widths.map((w) => '-'.repeat(w))));
  out.push(line(rows[rows.length - 1]!));
  return `${out.join('\n')}\n`;
}

/** Adds the metrics command. */
export function registerMetrics(program: Command, setExit: (code: number) => void): void {
  program
    .command('metrics')
    .description('Success metrics per agent and action kind (touchless rate, cycle time, agreement, overrides) from the audit ledger')
    .option('--from <date>', 'start: a date (UTC) or ISO timestamp, inclusive (default: 30 days before --to)')
    .option('--to <date>', 'end: a date (the whole day is included) or ISO timestamp, exclusive (default: now)')
    .option('--json', 'print {"from","to","rows","overall"} on stdout')
    .action((flags: { from?: string; to?: string; json?: boolean }) =>
      withUsageErrors(setExit, async () => {
        const to = flags.to ? parseDateOption(flags.to, '--to', { end: true }) : new Date();
        const from = flags.from ? parseDateOption(flags.from, '--from') : new Date(to.getTime() - 30 * DAY_MS);
        if (!(from < to)) throw new AppError('audit:usage', '--from must be before --to');
        const rt = await createApp(loadConfig(), { purpose: 'qm metrics', quiet: flags.json });
        try {
          const metrics = await computeMetrics(rt.database, { from, to });
          process.stdout.write(flags.json ? `${JSON.stringify(metrics)}\n` : renderMetricsTable(metrics));
          setExit(0);
        } finally {
          await rt.close();
        }
      }),
    );
}
