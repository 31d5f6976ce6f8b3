// What happens when new risk information arrives (signals over POST /signals or `qm import signals`, a new
// sanctions list version): the signals are stored and scored, and the supplier-risk monitor runs at once so
// findings and their approvals follow without waiting for the schedule. One workflow for every delivery layer;
// HTTP and the CLI only translate its result into their answer.
import { loadPolicy, type Policy } from '../governance/policy.js';
import { type ReceivedSignal, type SignalInput, storeSignals } from '../imports/signals.js';
import { projectPath } from '../paths.js';
import { type MonitorRunDeps, type MonitorRunReport, runMonitor, type StoredFinding } from './runner.js';
import { loadMonitorSettings } from './settings.js';
import { riskDates, supplierRiskMonitor, supplierRiskSettingsOf } from './supplier-risk.js';
import { isAttached, type ScoredSignal, scoreSignals } from './supplier-risk-signals.js';

/** The supplier-risk monitor's run after new risk information, or why it failed (the data stays stored). */
export type Rescreen = { ok: true; report: MonitorRunReport } | { ok: false; error: string };

/** Runs the supplier-risk monitor now; a failure is logged and returned, never thrown: it runs again on schedule. */
export async function rescreenSuppliers(deps: MonitorRunDeps, why: string): Promise<Rescreen> {
  try {
    return { ok: true, report: await runMonitor(deps, supplierRiskMonitor) };
  } catch (err) {
    deps.log.error(`the ${supplierRiskMonitor.name} monitor failed after ${why}`, { error: (err as Error).message });
    return { ok: false, error: (err as Error).message };
  }
}

/** The approval a finding's proposal asked for, as recorded with the finding. */
export type FindingApproval = { number: number; outcome: string; ruleId: string; waitingFor?: unknown };

/** The approval recorded on a finding, if its proposal needed one. */
export function approvalOfFinding(f: StoredFinding): FindingApproval | undefined {
  const d = f.decision as { approvalNumber?: number; outcome?: string; ruleId?: string; waitingFor?: unknown } | null | undefined;
  if (!d || typeof d.approvalNumber !== 'number') return undefined;
  return { number: d.approvalNumber, outcome: d.outcome ?? 'needs_approval', ruleId: d.ruleId ?? '', waitingFor: d.waitingFor };
}

/** Stored signals with their scores, the monitor window, and the supplier-risk run they caused. */
export type SignalIntake = {
  received: ReceivedSignal[];
  scores: Map<string, ScoredSignal>;
  windowDays: number;
  /** Absent when no signal could be attached to a supplier (nothing to rescreen). */
  rescreen?: Rescreen;
};

/** Stores validated signals (each once), scores the attached ones, and rescreens when any was attached. */
export async function receiveSignals(deps: MonitorRunDeps, inputs: readonly SignalInput[], at: Date): Promise<SignalIntake> {
  const received = await storeSignals(deps.database, inputs, at);
  const { scores, windowDays } = await scoresOf(deps, received, at);
  const rescreen = received.some((r) => r.match.matched) ? await rescreenSuppliers(deps, 'signals arrived') : undefined;
  return { received, scores, windowDays, ...(rescreen ? { rescreen } : {}) };
}

// Each attached signal's score, with the settings and exchange rates the monitor uses.
async function scoresOf(
  deps: MonitorRunDeps,
  received: ReceivedSignal[],
  at: Date,
): Promise<{ scores: Map<string, ScoredSignal>; windowDays: number }> {
  const policyDir = deps.policyDir ?? projectPath('policies');
  const settings = supplierRiskSettingsOf({ database: deps.database, log: deps.log, now: () => at, settings: await loadMonitorSettings(policyDir) });
  let policy: Policy | undefined = deps.approvals?.policy;
  if (!policy) policy = await loadPolicy(policyDir).catch(() => undefined);
  const attached = received.map((r) => r.signal).filter(isAttached);
  const scores = await scoreSignals({ database: deps.database, ...(policy ? { policy } : {}) }, settings.signals, riskDates(at), attached);
  return { scores, windowDays: settings.signals.windowDays };
}
