// The monitors' settings: policies/monitors.yaml (tolerances, look-back windows, deadline windows, schedules),
// parsed and validated. A missing file or section takes the defaults; an invalid one is refused with every
// problem listed by path and line. Sections this file does not know (another monitor's) are kept as they are
// for that monitor to validate.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { supplierRiskSettingsSchema } from './supplier-risk-settings.js';

export const MONITORS_FILE = 'monitors.yaml';

const decimal = (hint: string) =>
  z
    .union([z.string(), z.number()])
    .transform((v) => String(v).trim())
    .pipe(z.string().regex(/^\d{1,15}(\.\d{1,4})?$/, hint));

const cron = z
  .string()
  .trim()
  .regex(/^(off|\S+( \S+){4})$/, 'a five-field cron expression such as "0 6 * * *", or "off"');

const threeWayMatchSchema = z.strictObject({
  pricePercent: decimal('pricePercent must be a percentage such as 2 or 2.5').default('2'),
  quantity: decimal('quantity must be a number of units such as 0 or 1').default('0'),
  amount: decimal('amount must be a decimal amount such as "50.00"').default('50.00'),
});

const spendAnomaliesSchema = z.strictObject({
  lookbackDays: z.number().int().min(1).max(36_500).default(365),
  windowDays: z.number().int().min(1).max(90).default(14),
  bandPercent: z.number().min(1).max(90).default(20),
  pricePercent: z.number().min(0).max(100).default(2),
  minScore: z.number().min(0).max(1).default(0.75),
  maxPerKind: z.number().int().min(1).max(5000).default(500),
});

const renewalDeadlinesSchema = z.strictObject({
  windows: z
    .array(z.number().int().min(1).max(3650))
    .min(1)
    .refine((w) => new Set(w).size === w.length, 'windows must not repeat a number of days')
    .default([90, 30, 7]),
});

export const monitorSettingsSchema = z.looseObject({
  threeWayMatch: threeWayMatchSchema.prefault({}),
  spendAnomalies: spendAnomaliesSchema.prefault({}),
  renewalDeadlines: renewalDeadlinesSchema.prefault({}),
  supplierRisk: supplierRiskSettingsSchema.prefault({}),
  /** Per monitor name: a cron schedule (UTC) replacing the monitor's own, or 'off'. */
  schedules: z.record(z.string(), cron).prefault({}),
});

export type MonitorSettings = z.output<typeof monitorSettingsSchema>;
export type ThreeWayMatchTolerances = MonitorSettings['threeWayMatch'];

/** The settings every monitor uses when monitors.yaml says nothing. */
export const DEFAULT_MONITOR_SETTINGS: MonitorSettings = Object.freeze(monitorSettingsSchema.parse({}));

/** Parses monitors.yaml text; throws AppError('monitors:invalid') listing every problem with its line. */
export function parseMonitorSettings(yamlText: string, source = MONITORS_FILE): MonitorSettings {
  const lines = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lines, prettyErrors: true });
  const problems: string[] = doc.errors.map((e) => {
    const at = e.linePos?.[0];
    return `${source}${at ? ` line ${at.line}` : ''}: ${e.message.split('\n')[0]}`;
  });
  if (problems.length === 0) {
    const value: unknown = doc.toJS() ?? {};
    const parsed = monitorSettingsSchema.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String);
      let line: number | undefined;
      for (let n = path.length; n >= 0 && line === undefined; n--) {
        const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
        if (isNode(node) && node.range) line = lines.linePos(node.range[0]).line;
      }
      problems.push(`${source} ${path.join('.') || '(top level)'}${line ? ` (line ${line})` : ''}: ${issue.message}`);
    }
  }
  throw new AppError(
    'monitors:invalid',
    `The monitor settings are invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p}`).join('\n')}`,
  );
}

/** Reads monitors.yaml from the policy folder `dir`; the defaults when the file does not exist. */
export async function loadMonitorSettings(dir: string): Promise<MonitorSettings> {
  const path = join(dir, MONITORS_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_MONITOR_SETTINGS;
    throw new AppError('monitors:unreadable', `Cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  return parseMonitorSettings(text, path);
}
