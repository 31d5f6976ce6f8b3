// Runs one monitor and makes its findings durable. Idempotent: a condition seen again refreshes its finding
// (audited only when the facts changed) and is never proposed twice; a condition no longer seen resolves its
// finding. New findings are audited, their proposals go through governance (the approvals service decides;
// the monitor never acts on them itself) and the people who must act are told.
import type { ApprovalService } from '../approvals/service.js';
import type { Approver } from '../approvals/types.js';
import { appendAuditIn } from '../audit/ledger.js';
import type { AuditEventInput } from '../audit/types.js';
import { findUser, usersWithRoles } from '../db/approvals.js';
import type { Database } from '../db/client.js';
import {
  type FindingRow,
  type FindingValues,
  insertFinding,
  monitorFindings,
  recordFindingDecision,
  refreshFinding,
  reopenFinding,
  resolveFindings,
  standingApproval,
  touchFindings,
} from '../db/findings.js';
import { canonicalJson } from '../domain/canonical-json.js';
import { compareDecimal, formatAmount, isDecimal } from '../domain/money.js';
import { loadPolicy, type Policy } from '../governance/policy.js';
import type { Logger } from '../log.js';
import type { ProposedAction } from '../domain/proposed-action.js';
import { projectPath } from '../paths.js';
import { runExclusively } from './exclusive.js';
import { loadMonitorSettings } from './settings.js';
import type { FindingInput, Monitor, MonitorContext } from './types.js';

export type MonitorRunDeps = {
  database: Database;
  log: Logger;
  now: () => Date;
  /** Governance for proposals and the channels for notices; without it findings are stored and audited only. */
  approvals?: ApprovalService;
  /** Folder of authority.yaml and monitors.yaml (default: the policies/ folder shipped with the package). */
  policyDir?: string;
};

export type StoredFinding = FindingRow;

export type MonitorRunReport = {
  monitor: string;
  raised: number;
  updated: number;
  unchanged: number;
  resolved: number;
  /** Every finding the run saw (raised, updated or unchanged), as stored after it. */
  findings: StoredFinding[];
  ms: number;
  /** Set when the run was skipped because another run of the monitor held it. */
  skipped?: 'running elsewhere';
};

/** New findings told one by one in a run; beyond this the rest are summed up in one notice. */
const MAX_NOTICES = 10;

const SEVERITY_RANK = { critical: 0, high: 1, warning: 2, info: 3 } as const;

/**
 * Runs `monitor` once: find, store, resolve, propose, notify, audit. Never two runs of one monitor at once, on any
 * instance (exclusive.ts): by default this waits for a run in progress to end; `ifRunning: 'skip'` returns at once
 * with `skipped` set instead.
 */
export async function runMonitor(deps: MonitorRunDeps, monitor: Monitor, opts: { ifRunning?: 'wait' | 'skip' } = {}): Promise<MonitorRunReport> {
  const run = await runExclusively(deps, monitor.name, { ifRunning: opts.ifRunning ?? 'wait' }, () => runMonitorNow(deps, monitor));
  if (run.ran) return run.value;
  return { monitor: monitor.name, raised: 0, updated: 0, unchanged: 0, resolved: 0, findings: [], ms: 0, skipped: 'running elsewhere' };
}

async function runMonitorNow(deps: MonitorRunDeps, monitor: Monitor): Promise<MonitorRunReport> {
  const started = Date.now();
  const { database, log } = deps;
  const actor = `monitor:${monitor.name}`;
  const ctx = await contextFor(deps);
  const inputs = normaliseInputs(monitor, await monitor.run(ctx), log);
  const at = deps.now();
  const existing = await monitorFindings(database, monitor.name, [...inputs.keys()]);
  const byKey = new Map(existing.map((f) => [f.key, f]));

  const seen: FindingRow[] = [];
  const raised: FindingRow[] = [];
  let updated = 0;
  let unchanged = 0;
  const resolved = await database.transaction(async (tx) => {
    const events: AuditEventInput[] = [];
    const touched: string[] = [];
    for (const [key, input] of inputs) {
      const values = valuesOf(input);
      const prior = byKey.get(key);
      if (!prior || prior.status === 'resolved') {
        const row = prior ? await reopenFinding(tx, prior.id, values, at) : await insertFinding(tx, monitor.name, key, values, at);
        if (!row) continue; // another run raised it a moment ago
        raised.push(row);
        seen.push(row);
        events.push(raisedEvent(actor, row, Boolean(prior)));
        continue;
      }
      const changes = prior.status === 'open' ? factChanges(prior, values) : undefined;
      if (changes) {
        const row = await refreshFinding(tx, prior.id, values, at);
        if (!row) continue;
        updated++;
        seen.push(row);
        events.push({
          actorType: 'system',
          actor,
          action: 'finding_updated',
          subjectType: 'finding',
          subjectId: row.id,
          rationale: `"${row.title}" changed: ${Object.entries(changes)
            .map(([field, c]) => `${field} ${c.from} → ${c.to}`)
            .join('; ')}.`,
          data: { monitor: monitor.name, key, changes },
        });
      } else {
        touched.push(prior.id);
        unchanged++;
        seen.push({ ...prior, seenCount: prior.seenCount + 1, lastSeenAt: at.toISOString() });
      }
    }
    await touchFindings(tx, touched, at);
    const gone = existing.filter((f) => f.status === 'open' && !inputs.has(f.key)).map((f) => f.id);
    const closed = await resolveFindings(tx, gone, at);
    for (const f of closed) {
      events.push({
        actorType: 'system',
        actor,
        action: 'finding_resolved',
        subjectType: 'finding',
        subjectId: f.id,
        rationale: `"${f.title}" no longer holds, so the finding is resolved.`,
        data: { monitor: monitor.name, key: f.key },
      });
    }
    if (events.length > 0) await appendAuditIn(tx, events);
    return closed.length;
  });

  // Proposals: every open finding with a proposal governance has not seen yet (new ones, and any a previous
  // run could not submit), once each.
  const findings: FindingRow[] = [];
  for (const f of seen) {
    findings.push(deps.approvals && f.status === 'open' && f.proposal && !f.decision ? await propose(deps, monitor.name, f) : f);
  }
  if (deps.approvals && raised.length > 0) {
    const fresh = new Set(raised.map((r) => r.id));
    await notify(
      deps,
      monitor.name,
      findings.filter((f) => fresh.has(f.id)),
      inputs,
    );
  }

  const ms = Date.now() - started;
  const report: MonitorRunReport = { monitor: monitor.name, raised: raised.length, updated, unchanged, resolved, findings, ms };
  await database.transaction((tx) =>
    appendAuditIn(tx, [
      {
        actorType: 'system',
        actor,
        action: 'monitor_run',
        subjectType: 'monitor',
        subjectId: monitor.name,
        rationale: `The ${monitor.name} monitor ran: ${raised.length} raised, ${updated} updated, ${unchanged} unchanged, ${resolved} resolved.`,
        data: { monitor: monitor.name, raised: raised.length, updated, unchanged, resolved, ms },
      },
    ]),
  );
  log.info(`monitor ${monitor.name}`, { raised: raised.length, updated, unchanged, resolved, ms });
  return report;
}

/** What a monitor sees besides the data: the authority matrix in force and monitors.yaml. */
async function contextFor(deps: MonitorRunDeps): Promise<MonitorContext> {
  const dir = deps.policyDir ?? projectPath('policies');
  const settings = await loadMonitorSettings(dir);
  let policy: Policy | undefined = deps.approvals?.policy;
  if (!policy) {
    try {
      policy = await loadPolicy(dir);
    } catch (err) {
      deps.log.warn('monitors run without the authority matrix', { error: (err as Error).message });
    }
  }
  return { database: deps.database, log: deps.log, now: deps.now, settings, ...(policy ? { policy } : {}) };
}

/** JSON-clean copies of the inputs by key; a repeated key keeps its first finding; proposals carry the monitor's name. */
function normaliseInputs(monitor: Monitor, found: FindingInput[], log: Logger): Map<string, FindingInput> {
  const out = new Map<string, FindingInput>();
  const proposer = `monitor:${monitor.name}`;
  for (const raw of found) {
    if (out.has(raw.key)) {
      log.warn(`monitor ${monitor.name} returned key ${raw.key} twice; the first is kept`);
      continue;
    }
    const input = JSON.parse(JSON.stringify(raw)) as FindingInput;
    if (input.proposal && input.proposal.proposedBy !== proposer) {
      log.warn(`monitor ${monitor.name} proposed as "${input.proposal.proposedBy}"; recorded as ${proposer}`);
      input.proposal.proposedBy = proposer;
    }
    out.set(input.key, input);
  }
  return out;
}

function valuesOf(input: FindingInput): FindingValues {
  return {
    severity: input.severity,
    title: input.title,
    summary: input.summary,
    impact: input.impact,
    amount: input.amount?.value ?? null,
    currency: input.amount?.currency ?? null,
    supplierId: input.supplierId ?? null,
    subjectType: input.subject?.type ?? null,
    subjectId: input.subject?.id ?? null,
    evidence: input.evidence,
    recommendation: input.recommendation,
    routeTo: input.routeTo,
    proposal: input.proposal ? (input.proposal as unknown as Record<string, unknown>) : null,
  };
}

type Change = { from: string; to: string };

/** The facts that differ (severity, amount, evidence), or undefined when none does; wording alone is not a change. */
export function factChanges(prior: FindingRow, next: FindingValues): Record<string, Change> | undefined {
  const changes: Record<string, Change> = {};
  if (prior.severity !== next.severity) changes.severity = { from: prior.severity, to: next.severity };
  const money = (value: string | null, currency: string | null) => (value === null ? 'none' : currency ? formatAmount(value, currency) : value);
  const sameAmount =
    prior.amount === next.amount ||
    (prior.amount !== null && next.amount !== null && isDecimal(prior.amount) && isDecimal(next.amount) && compareDecimal(prior.amount, next.amount) === 0);
  if (!sameAmount || (prior.currency ?? null) !== (next.currency ?? null)) {
    changes.amount = { from: money(prior.amount, prior.currency), to: money(next.amount, next.currency) };
  }
  if (canonicalJson(prior.evidence) !== canonicalJson(next.evidence)) {
    changes.evidence = { from: `${prior.evidence.length} rows`, to: `${next.evidence.length} rows` };
  }
  return Object.keys(changes).length > 0 ? changes : undefined;
}

function raisedEvent(actor: string, row: FindingRow, reopened: boolean): AuditEventInput {
  return {
    actorType: 'system',
    actor,
    action: 'finding_raised',
    subjectType: 'finding',
    subjectId: row.id,
    rationale: `${row.summary} ${row.impact}`,
    data: {
      monitor: row.monitor,
      key: row.key,
      severity: row.severity,
      ...(row.amount !== null ? { amount: row.amount, currency: row.currency } : {}),
      routeTo: row.routeTo,
      ...(row.proposal ? { proposal: row.proposal } : {}),
      ...(reopened ? { reopened: true } : {}),
    },
  };
}

/** Puts a finding's proposal through governance (or onto the approval already standing for it) and stores the outcome. */
async function propose(deps: MonitorRunDeps, name: string, f: FindingRow): Promise<FindingRow> {
  const approvals = deps.approvals!;
  const action = f.proposal as unknown as ProposedAction;
  try {
    const standing = await standingApproval(deps.database, action.proposedBy, action.kind, action.params ?? {});
    if (standing) {
      const decision = { outcome: 'needs_approval', ruleId: standing.ruleId, approvalNumber: standing.number, approvalStatus: standing.status, shared: true };
      return (await recordFindingDecision(deps.database, f.id, standing.id, decision)) ?? f;
    }
    const out = await approvals.submit({ action, origin: { channel: 'monitor' }, planner: `monitor:${name}` });
    const decision: Record<string, unknown> = {
      outcome: out.outcome,
      ruleId: out.ruleId,
      reason: out.reason,
      policyVersion: out.policyVersion,
      ...(out.approval ? { approvalNumber: out.approval.number, route: out.approval.route, waitingFor: out.approval.waitingFor } : {}),
      // An equal request (from chat, another monitor) was already pending: the finding waits on that approval.
      ...(out.attached ? { attached: true, shared: true, firstRequester: out.approval?.requester, firstRequestedAt: out.approval?.requestedAt } : {}),
      ...(out.execution ? { execution: { actionId: out.execution.actionId, status: out.execution.status, summary: out.execution.summary } } : {}),
    };
    return (await recordFindingDecision(deps.database, f.id, out.approval?.id ?? null, decision)) ?? f;
  } catch (err) {
    // Left undecided: the next run tries again.
    deps.log.warn(`monitor ${name}: the proposal of finding ${f.key} could not be submitted`, { error: (err as Error).message });
    return f;
  }
}

/** Tells the people who must act about new findings: those the data names, and everyone holding a routeTo role. */
async function notify(deps: MonitorRunDeps, name: string, fresh: FindingRow[], inputs: Map<string, FindingInput>): Promise<void> {
  const { database } = deps;
  const notifier = deps.approvals!.notifier;
  const ordered = [...fresh].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  for (const f of ordered.slice(0, MAX_NOTICES)) {
    const to = new Map<string, Approver>();
    for (const email of inputs.get(f.key)?.assignees ?? []) {
      const u = await findUser(database, email);
      if (u?.active) to.set(u.id, u);
    }
    for (const u of await usersWithRoles(database, f.routeTo)) if (!to.has(u.id)) to.set(u.id, u);
    const approval = typeof f.decision?.approvalNumber === 'number' ? ` Approval #${f.decision.approvalNumber} is requested for: ${(f.proposal as { summary?: string } | null)?.summary ?? 'its proposal'}.` : '';
    await notifier.publish({
      type: 'notice',
      text: `[${f.severity}] ${f.title}. ${f.summary} ${f.impact} Recommended: ${f.recommendation}${approval} (finding ${f.id})`,
      to: [...to.values()],
    });
  }
  if (ordered.length > MAX_NOTICES) {
    const rest = ordered.slice(MAX_NOTICES);
    const roles = [...new Set(rest.flatMap((f) => f.routeTo))];
    await notifier.publish({
      type: 'notice',
      text: `The ${name} monitor raised ${rest.length} more finding${rest.length === 1 ? '' : 's'}; see \`qm findings --monitor ${name} --status open\`.`,
      to: await usersWithRoles(database, roles),
    });
  }
}
