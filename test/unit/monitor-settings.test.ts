// policies/monitors.yaml: the shipped file parses, missing settings take their defaults, another monitor's
// section is kept for it, and mistakes are refused with their path and line.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors.js';
import { DEFAULT_MONITOR_SETTINGS, loadMonitorSettings, parseMonitorSettings } from '../../src/monitors/settings.js';
import { projectPath } from '../../src/paths.js';

describe('monitor settings', () => {
  it('reads the shipped file', async () => {
    const s = await loadMonitorSettings(projectPath('policies'));
    expect(s.threeWayMatch).toEqual({ pricePercent: '2', quantity: '0', amount: '50.00' });
    expect(s.spendAnomalies).toMatchObject({ lookbackDays: 365, windowDays: 14, bandPercent: 20, minScore: 0.75 });
    expect(s.renewalDeadlines.windows).toEqual([90, 30, 7]);
    expect(s.schedules).toEqual({});
    expect(parseMonitorSettings(await readFile(projectPath('policies', 'monitors.yaml'), 'utf8'))).toEqual(s);
  });

  it('fills what is left out with the defaults, and the defaults when there is no file', async () => {
    const s = parseMonitorSettings('threeWayMatch:\n  pricePercent: 5\nschedules:\n  spend-anomalies: "0 3 * * 1"\n');
    expect(s.threeWayMatch).toEqual({ pricePercent: '5', quantity: '0', amount: '50.00' });
    expect(s.spendAnomalies).toEqual(DEFAULT_MONITOR_SETTINGS.spendAnomalies);
    expect(s.schedules).toEqual({ 'spend-anomalies': '0 3 * * 1' });
    expect(parseMonitorSettings('')).toEqual(DEFAULT_MONITOR_SETTINGS);
    const empty = await mkdtemp(join(tmpdir(), 'qm-settings-'));
    try {
      expect(await loadMonitorSettings(empty)).toEqual(DEFAULT_MONITOR_SETTINGS);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('validates the supplier-risk section at load, naming a misplaced key', () => {
    const s = parseMonitorSettings('supplierRisk:\n  sanctions:\n    strongScore: 0.9\n');
    expect((s.supplierRisk as { sanctions: { strongScore: number } }).sanctions.strongScore).toBe(0.9);
    expect(() => parseMonitorSettings('supplierRisk:\n  strongScore: 0.9\n')).toThrow(/supplierRisk/);
  });

  it('refuses mistakes, naming each with its path and line', () => {
    const text = ['threeWayMatch:', '  pricePercent: lots', '  tolerance: 3', 'renewalDeadlines:', '  windows: [30, 30]', 'schedules:', '  three-way-match: hourly'].join('\n');
    let error: unknown;
    try {
      parseMonitorSettings(text);
    } catch (err) {
      error = err;
    }
    expect(isAppError(error, 'monitors:invalid')).toBe(true);
    const message = (error as Error).message;
    expect(message).toMatch(/4 problems/);
    expect(message).toMatch(/threeWayMatch\.pricePercent \(line 2\): pricePercent must be a percentage/);
    expect(message).toMatch(/threeWayMatch \(line \d\): .*tolerance/);
    expect(message).toMatch(/renewalDeadlines\.windows \(line 5\): windows must not repeat/);
    expect(message).toMatch(/schedules\.three-way-match \(line 7\): a five-field cron expression/);
    expect(() => parseMonitorSettings('threeWayMatch: [')).toThrow(/monitor settings are invalid/);
  });
});
