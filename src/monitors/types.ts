// What a monitor is and what it produces. A monitor reads the data, returns findings (what happened, why it
// matters in money and risk, the evidence rows, the recommended action, who must act, and optionally a
// proposal that goes through governance); the runner stores, de-duplicates, audits and publishes them.
import type { Database } from '../db/client.js';
import type { Policy } from '../governance/policy.js';
import type { Logger } from '../log.js';
import type { ProposedAction } from '../domain/proposed-action.js';
import type { MonitorSettings } from './settings.js';

export type Severity = 'info' | 'warning' | 'high' | 'critical';

export type FindingInput = {
  /** Stable identity within the monitor: the same condition must always produce the same key. */
  key: string;
  severity: Severity;
  title: string;
  /** What happened, in one or two plain sentences. */
  summary: string;
  /** Why it matters: the money at stake and the risk. */
  impact: string;
  amount?: { value: string; currency: string };
  supplierId?: string;
  subject?: { type: string; id: string };
  /** The rows that show it (invoice lines, payments, list entries…). */
  evidence: Record<string, unknown>[];
  recommendation: string;
  /** Roles that must act (buyer, receiver, requester, owner, compliance…). */
  routeTo: string[];
  /**
   * The people who must act, by email, when the data names them (the PO's buyer or requester, the receiver,
   * the contract owner). The notice of a new finding goes to them first, then to everyone holding a routeTo
   * role.
   */
  assignees?: string[];
  /** An action to put through governance (proposedBy must be `monitor:<name>`); never executed directly. */
  proposal?: ProposedAction;
};

export type MonitorContext = {
  database: Database;
  log: Logger;
  now: () => Date;
  /** The authority matrix in force (thresholds, release rules), when the runner has it. */
  policy?: Policy;
  /** policies/monitors.yaml: tolerances, windows and schedules, when the runner has it. */
  settings?: MonitorSettings;
};

export type Monitor = {
  name: string;
  description: string;
  /** Cron schedule for the job queue (UTC); absent → on demand only. */
  schedule?: string;
  /** Finds every current instance of the condition (all of them, every run: the runner de-duplicates). */
  run(ctx: MonitorContext): Promise<FindingInput[]>;
};
