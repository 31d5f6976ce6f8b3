// Success metrics, computed from the audit ledger alone, so they are as trustworthy as the ledger itself.
//
// Definitions (fixed before go-live; change them only with a new name):
//   Period: events whose `at` lies in [from, to). Nothing is joined across events; each counts where it falls.
//   Row key: proposer × action kind. proposer = data.proposedBy (an agent name, 'monitor:<name>' or 'user');
//     action kind = data.actionKind (policy_decision, approval_resolved) or data.kind (action_executed,
//     action_reversed). Missing values count under '(unknown)'.
//   proposals      policy_decision events (every proposal governance decided on).
//   denied         policy_decision with data.outcome 'deny'.
//   auto           policy_decision with data.outcome 'auto' (allowed to run without a person).
//   needsApproval  policy_decision with data.outcome 'needs_approval'.
//   executed       action_executed events.
//   touchless      action_executed whose data.authorisedBy starts with 'autonomy:' (no person approved it).
//   touchlessRate  touchless / executed.
//   cycle p50/p90  approval cycle time in ms: data.cycleMs of approval_resolved events with data.status
//                  'approved' or 'rejected' (expired or withdrawn approvals are not decisions); nearest-rank
//                  percentile: the value at position ceil(p/100 × n) of the n times sorted ascending.
//   decided        approval_resolved with status 'approved' or 'rejected', of machine proposals only (proposer is
//                  not 'user': agents and monitors); a person's own proposals are not agreement with an agent.
//   agreed         those of `decided` with status 'approved' (the approvers agreed with the machine).
//   agreementRate  agreed / decided.
//   overrides      those of `decided` with status 'rejected' (decided − agreed).
//   reversals      action_reversed events (a person undid an executed action).
//   overall        the same over all rows: counts summed, percentiles over all the cycle times together.
// Every rate is null when its denominator is 0; percentiles are null when there is no cycle time.
import { auditEventsInRange } from '../db/audit.js';
import type { Database } from '../db/client.js';
import type { AuditAction, AuditEvent } from './types.js';

export type MetricsRow = {
  /** data.proposedBy; '*' on the overall row. */
  agent: string;
  /** The action kind; '*' on the overall row. */
  actionKind: string;
  proposals: number;
  denied: number;
  auto: number;
  needsApproval: number;
  executed: number;
  touchless: number;
  touchlessRate: number | null;
  cycleP50Ms: number | null;
  cycleP90Ms: number | null;
  decided: number;
  agreed: number;
  agreementRate: number | null;
  overrides: number;
  reversals: number;
};

export type Metrics = { from: string; to: string; rows: MetricsRow[]; overall: MetricsRow };

/** The actions metrics read. */
export const METRIC_ACTIONS: readonly AuditAction[] = ['policy_decision', 'approval_resolved', 'action_executed', 'action_reversed'];

const UNKNOWN = '(unknown)';

type Tally = Omit<MetricsRow, 'touchlessRate' | 'cycleP50Ms' | 'cycleP90Ms' | 'agreementRate'> & { cycles: number[] };

function emptyTally(agent: string, actionKind: string): Tally {
  return {
    agent,
    actionKind,
    proposals: 0,
    denied: 0,
    auto: 0,
    needsApproval: 0,
    executed: 0,
    touchless: 0,
    decided: 0,
    agreed: 0,
    overrides: 0,
    reversals: 0,
    cycles: [],
  };
}

const text = (v: unknown): string => (typeof v === 'string' && v !== '' ? v : UNKNOWN);

/** Accumulates events into per proposer × action kind tallies; `finish` gives the rows and the overall row. */
export class MetricsAggregator {
  readonly #tallies = new Map<string, Tally>();

  add(e: AuditEvent): void {
    if (!METRIC_ACTIONS.includes(e.action)) return;
    const d = e.data;
    const kind = e.action === 'action_executed' || e.action === 'action_reversed' ? d.kind : d.actionKind;
    const t = this.#tally(text(d.proposedBy), text(kind));
    switch (e.action) {
      case 'policy_decision':
        t.proposals++;
        if (d.outcome === 'deny') t.denied++;
        else if (d.outcome === 'auto') t.auto++;
        else if (d.outcome === 'needs_approval') t.needsApproval++;
        break;
      case 'action_executed':
        t.executed++;
        if (typeof d.authorisedBy === 'string' && d.authorisedBy.startsWith('autonomy:')) t.touchless++;
        break;
      case 'approval_resolved': {
        if (d.status !== 'approved' && d.status !== 'rejected') break;
        if (typeof d.cycleMs === 'number' && Number.isFinite(d.cycleMs)) t.cycles.push(d.cycleMs);
        if (t.agent === 'user') break;
        t.decided++;
        if (d.status === 'approved') t.agreed++;
        else t.overrides++;
        break;
      }
      case 'action_reversed':
        t.reversals++;
        break;
    }
  }

  finish(range: { from: Date; to: Date }): Metrics {
    const tallies = [...this.#tallies.values()].sort((a, b) =>
      a.agent === b.agent ? compare(a.actionKind, b.actionKind) : compare(a.agent, b.agent),
    );
    const all = emptyTally('*', '*');
    for (const t of tallies) {
      for (const k of ['proposals', 'denied', 'auto', 'needsApproval', 'executed', 'touchless', 'decided', 'agreed', 'overrides', 'reversals'] as const) {
        all[k] += t[k];
      }
      for (const c of t.cycles) all.cycles.push(c);
    }
    return { from: range.from.toISOString(), to: range.to.toISOString(), rows: tallies.map(toRow), overall: toRow(all) };
  }

  #tally(agent: string, actionKind: string): Tally {
    const key = `${agent}\u0000${actionKind}`;
    let t = this.#tallies.get(key);
    if (!t) {
      t = emptyTally(agent, actionKind);
      this.#tallies.set(key, t);
    }
    return t;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const rate = (n: number, d: number): number | null => (d === 0 ? null : n / d);

/** Nearest-rank percentile of ascending-sorted values (null when there are none). */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

function toRow(t: Tally): MetricsRow {
  const { cycles, ...counts } = t;
  const sorted = [...cycles].sort((a, b) => a - b);
  return {
    ...counts,
    touchlessRate: rate(t.touchless, t.executed),
    cycleP50Ms: percentile(sorted, 50),
    cycleP90Ms: percentile(sorted, 90),
    agreementRate: rate(t.agreed, t.decided),
  };
}

/** The success metrics over [from, to), streamed from the ledger page by page. */
export async function computeMetrics(database: Database, range: { from: Date; to: Date }, opts: { pageSize?: number } = {}): Promise<Metrics> {
  const pageSize = opts.pageSize ?? 2000;
  const agg = new MetricsAggregator();
  let after = 0;
  for (;;) {
    const page = await auditEventsInRange(database, { ...range, actions: METRIC_ACTIONS }, after, pageSize);
    for (const e of page) agg.add(e);
    if (page.length < pageSize) break;
    after = page[page.length - 1]!.seq;
  }
  return agg.finish(range);
}
