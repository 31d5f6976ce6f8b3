// Every monitor, by name: what `qm monitor run`, the job queue and the HTTP surfaces can run.
import { contractBurnMonitor } from './contract-burn.js';
import { renewalDeadlinesMonitor } from './renewal-deadlines.js';
import { spendAnomaliesMonitor } from './spend-anomalies.js';
import { supplierRiskMonitor } from './supplier-risk.js';
import { threeWayMatchMonitor } from './three-way-match.js';
import type { Monitor } from './types.js';

const MONITORS: readonly Monitor[] = [
  threeWayMatchMonitor,
  spendAnomaliesMonitor,
  renewalDeadlinesMonitor,
  supplierRiskMonitor,
  contractBurnMonitor,
];

export const monitors: ReadonlyMap<string, Monitor> = new Map(MONITORS.map((m) => [m.name, m]));
