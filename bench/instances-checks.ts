// What bench/instances.ts checks in the database after its run: each approval's decisions, actions and ledger events,
// and whether two runs of one monitor ever overlapped (from the ledger's monitor_run events).
import type { Database } from '../src/db/client.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type ApprovalOutcome = { status: string; decisions: number; outbox: number; done: number; decision_events: number; executed_events: number };

/**
 * Per approval: its status, decisions recorded, actions queued and done, and the ledger's decision and execution
 * events; and the purchase orders the actions raised. An action left pending by the killed instance is drained by the
 * next instance to start, or by the five-minutely drain: waited for here up to a minute.
 */
export async function approvalOutcomes(database: Database, ids: string[]): Promise<{ rows: ApprovalOutcome[]; purchaseOrders: number }> {
  const approvalRows = () =>
    database.query<ApprovalOutcome>(
      `select a.status,
              (select count(*)::int from approval_decisions d where d.approval_id = a.id) as decisions,
              (select count(*)::int from action_outbox o where o.approval_id = a.id) as outbox,
              (select count(*)::int from action_outbox o where o.approval_id = a.id and o.status = 'done') as done,
              (select count(*)::int from audit_events e where e.action = 'approval_decision' and e.subject_id = a.id::text) as decision_events,
              (select count(*)::int from audit_events e where e.action = 'action_executed' and e.data->>'approvalId' = a.id::text) as executed_events
         from approvals a where a.id = any($1::uuid[])`,
      [ids],
    );
  let rows = await approvalRows();
  for (let waited = 0; waited < 60_000 && rows.some((r) => r.done < r.outbox); waited += 1000) {
    await sleep(1000);
    rows = await approvalRows();
  }
  const [pos] = await database.query<{ n: number }>(
    "select count(*)::int as n from purchase_orders p where exists (select 1 from action_outbox o where o.approval_id = any($1::uuid[]) and o.result->>'poNumber' = p.po_number)",
    [ids],
  );
  return { rows, purchaseOrders: pos?.n ?? 0 };
}

/** Runs per monitor and runs of one monitor that overlapped: each monitor_run event ends at its `at` and began `ms` earlier. */
export async function monitorOverlaps(database: Database) {
  const runs = await database.query<{ monitor: string; end_ms: number; ms: number }>(
    "select data->>'monitor' as monitor, (extract(epoch from at) * 1000)::float8 as end_ms, (data->>'ms')::int as ms from audit_events where action = 'monitor_run' order by 1, 2",
  );
  const runsPer: Record<string, number> = {};
  let overlapping = 0;
  const overlapDetail: { monitor: string; first_ended: string; next_began: string }[] = [];
  let closestGapMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs.length; i++) {
    const r = runs[i]!;
    runsPer[r.monitor] = (runsPer[r.monitor] ?? 0) + 1;
    const prev = runs[i - 1];
    if (prev && prev.monitor === r.monitor) {
      const gap = r.end_ms - r.ms - prev.end_ms;
      closestGapMs = Math.min(closestGapMs, gap);
      // timestamps are kept to the millisecond
      if (gap < -1) {
        overlapping++;
        overlapDetail.push({ monitor: r.monitor, first_ended: new Date(prev.end_ms).toISOString(), next_began: new Date(r.end_ms - r.ms).toISOString() });
      }
    }
  }
  return { runsPer, overlapping, overlapDetail, closestGapMs };
}
