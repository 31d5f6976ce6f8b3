// Supplier risk: re-screens every supplier (and each alias) against the latest version of each sanctions list and
// weighs recorded risk signals against what is at stake with the supplier. Strong sanctions matches are critical
// findings proposing a hold (compliance decides through governance); signals reaching the exposure-weighted
// threshold of monitors.yaml are findings routed by kind. Runs daily, after a new sanctions list version is
// imported, and when signals arrive.
import { parseSupplierRiskSettings, type SupplierRiskSettings } from './supplier-risk-settings.js';
import { SUPPLIER_RISK, sanctionsFindings } from './supplier-risk-sanctions.js';
import { signalFindings } from './supplier-risk-signals.js';
import type { Monitor, MonitorContext } from './types.js';

export { SUPPLIER_RISK };

/** The same calendar day `years` years earlier (29 February falls back to 28), yyyy-mm-dd. */
function yearsBefore(isoDay: string, years: number): string {
  const [y, m, d] = isoDay.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y - years, m - 1, d));
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}

/** The dates a run measures by: now, today (UTC) and the same day a year earlier. */
export function riskDates(now: Date): { now: Date; today: string; yearAgo: string } {
  const today = now.toISOString().slice(0, 10);
  return { now, today, yearAgo: yearsBefore(today, 1) };
}

/** The settings a run uses: given ones, else the supplierRisk section of monitors.yaml, else the defaults. */
export function supplierRiskSettingsOf(ctx: MonitorContext, given?: SupplierRiskSettings): SupplierRiskSettings {
  return given ?? parseSupplierRiskSettings((ctx.settings as Record<string, unknown> | undefined)?.supplierRisk);
}

/** Creates the monitor; `settings` replaces monitors.yaml (tests, embedding). */
export function createSupplierRiskMonitor(options: { settings?: SupplierRiskSettings } = {}): Monitor {
  return {
    name: SUPPLIER_RISK,
    description:
      'Re-screens every supplier and alias against the latest sanctions lists (strong match: critical finding, hold proposed to compliance) and raises risk signals whose severity, weighed by exposure and criticality, reaches the threshold.',
    schedule: '0 5 * * *',
    async run(ctx) {
      const settings = supplierRiskSettingsOf(ctx, options.settings);
      const dates = riskDates(ctx.now());
      const sanctions = await sanctionsFindings(ctx, settings.sanctions, dates);
      const signals = await signalFindings(ctx, settings.signals, dates);
      return [...sanctions, ...signals];
    },
  };
}

/** The supplier-risk monitor with the settings of monitors.yaml. */
export const supplierRiskMonitor: Monitor = createSupplierRiskMonitor();
