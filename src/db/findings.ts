// Monitor findings: one row per (monitor, key), raised once, refreshed while the condition holds, resolved
// when it no longer does. Each write is one statement that checks the row's status, so two overlapping runs
// never raise the same finding twice.
import type { Queryable } from './client.js';

export type FindingStatus = 'open' | 'resolved' | 'dismissed';
export type FindingSeverity = 'info' | 'warning' | 'high' | 'critical';

/** What a monitor says about a finding (everything but its identity and lifecycle). */
export type FindingValues = {
  severity: FindingSeverity;
  title: string;
  summary: string;
  impact: string;
  amount: string | null;
  currency: string | null;
  supplierId: string | null;
  subjectType: string | null;
  subjectId: string | null;
  evidence: Record<string, unknown>[];
  recommendation: string;
  routeTo: string[];
  proposal: Record<string, unknown> | null;
};

/** A finding as stored: its identity and lifecycle, and what the monitor said. */
export type FindingRow = FindingValues & {
  id: string;
  monitor: string;
  key: string;
  status: FindingStatus;
  approvalId: string | null;
  decision: Record<string, unknown> | null;
  seenCount: number;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
};

// Money as stored has four decimals: shown with two unless the extra places carry a value.
const COLUMNS = `f.id::text as "id", f.monitor, f.key, f.status, f.severity, f.title, f.summary, f.impact,
  case when f.amount is null then null when f.amount = round(f.amount, 2) then round(f.amount, 2)::text
       else trim_scale(f.amount)::text end as "amount",
  trim(f.currency) as "currency", f.supplier_id::text as "supplierId", f.subject_type as "subjectType",
  f.subject_id as "subjectId", f.evidence, f.recommendation, f.route_to as "routeTo", f.proposal,
  f.approval_id::text as "approvalId", f.decision, f.seen_count as "seenCount", f.first_seen_at as "firstSeenAt",
  f.last_seen_at as "lastSeenAt", f.resolved_at as "resolvedAt"`;

const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
const iso = (v: unknown): string => new Date(v as string).toISOString();

function toRow(r: Record<string, unknown>): FindingRow {
  return {
    ...(r as unknown as FindingRow),
    evidence: json<Record<string, unknown>[]>(r.evidence),
    routeTo: [...((r.routeTo as string[] | null) ?? [])],
    proposal: r.proposal == null ? null : json<Record<string, unknown>>(r.proposal),
    decision: r.decision == null ? null : json<Record<string, unknown>>(r.decision),
    seenCount: Number(r.seenCount),
    firstSeenAt: iso(r.firstSeenAt),
    lastSeenAt: iso(r.lastSeenAt),
    resolvedAt: r.resolvedAt == null ? null : iso(r.resolvedAt),
  };
}

// The columns a monitor's values fill, in the order of valueParams.
const VALUE_COLUMNS = [
  'severity',
  'title',
  'summary',
  'impact',
  'amount',
  'currency',
  'supplier_id',
  'subject_type',
  'subject_id',
  'evidence',
  'recommendation',
  'route_to',
  'proposal',
] as const;
const VALUE_CASTS = ['', '', '', '', '::numeric', '', '::uuid', '', '', '::jsonb', '', '::text[]', '::jsonb'];

function valueParams(v: FindingValues): unknown[] {
  return [
    v.severity,
    v.title,
    v.summary,
    v.impact,
    v.amount,
    v.currency,
    v.supplierId,
    v.subjectType,
    v.subjectId,
    JSON.stringify(v.evidence),
    v.recommendation,
    v.routeTo,
    v.proposal === null ? null : JSON.stringify(v.proposal),
  ];
}

/** The values' placeholders when they are the statement's parameters from $`first` on. */
const placeholders = (first: number) => VALUE_COLUMNS.map((_, i) => `$${i + first}${VALUE_CASTS[i]}`);
// Updates bind the row id as $1 and the values from $2; the time of the sighting follows them.
const ASSIGN = VALUE_COLUMNS.map((c, i) => `${c} = ${placeholders(2)[i]}`).join(', ');
const AT = `$${VALUE_COLUMNS.length + 2}::timestamptz`;

/** The monitor's open findings, and any of its findings (whatever their status) with one of `keys`. */
export async function monitorFindings(q: Queryable, monitor: string, keys: readonly string[]): Promise<FindingRow[]> {
  const rows = await q.query<Record<string, unknown>>(
    `select ${COLUMNS} from findings f where f.monitor = $1 and (f.status = 'open' or f.key = any($2::text[]))`,
    [monitor, keys],
  );
  return rows.map(toRow);
}

/** Inserts a new finding; undefined when (monitor, key) already exists (another run raised it first). */
export async function insertFinding(q: Queryable, monitor: string, key: string, v: FindingValues, at: Date): Promise<FindingRow | undefined> {
  const [row] = await q.query<Record<string, unknown>>(
    `insert into findings as f (monitor, key, ${VALUE_COLUMNS.join(', ')}, first_seen_at, last_seen_at)
     values ($1, $2, ${placeholders(3).join(', ')}, $${VALUE_COLUMNS.length + 3}::timestamptz, $${VALUE_COLUMNS.length + 3}::timestamptz)
     on conflict (monitor, key) do nothing
     returning ${COLUMNS}`,
    [monitor, key, ...valueParams(v), at.toISOString()],
  );
  return row ? toRow(row) : undefined;
}

/** Opens a resolved finding again with new values (its approval and decision are cleared); undefined when it is not resolved. */
export async function reopenFinding(q: Queryable, id: string, v: FindingValues, at: Date): Promise<FindingRow | undefined> {
  const [row] = await q.query<Record<string, unknown>>(
    `update findings f set ${ASSIGN}, status = 'open', resolved_at = null, approval_id = null, decision = null,
            seen_count = seen_count + 1, last_seen_at = ${AT}
      where f.id = $1::uuid and f.status = 'resolved'
      returning ${COLUMNS}`,
    [id, ...valueParams(v), at.toISOString()],
  );
  return row ? toRow(row) : undefined;
}

/** Replaces an open (or dismissed) finding's values and counts the sighting. */
export async function refreshFinding(q: Queryable, id: string, v: FindingValues, at: Date): Promise<FindingRow | undefined> {
  const [row] = await q.query<Record<string, unknown>>(
    `update findings f set ${ASSIGN}, seen_count = seen_count + 1, last_seen_at = ${AT}
      where f.id = $1::uuid and f.status <> 'resolved'
      returning ${COLUMNS}`,
    [id, ...valueParams(v), at.toISOString()],
  );
  return row ? toRow(row) : undefined;
}

/** Counts one more sighting of findings whose facts did not change. */
export async function touchFindings(q: Queryable, ids: readonly string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await q.query('update findings set seen_count = seen_count + 1, last_seen_at = $2::timestamptz where id = any($1::uuid[])', [ids, at.toISOString()]);
}

/** Resolves the open findings among `ids`; returns those it resolved. */
export async function resolveFindings(q: Queryable, ids: readonly string[], at: Date): Promise<FindingRow[]> {
  if (ids.length === 0) return [];
  const rows = await q.query<Record<string, unknown>>(
    `update findings f set status = 'resolved', resolved_at = $2::timestamptz
      where f.id = any($1::uuid[]) and f.status = 'open'
      returning ${COLUMNS}`,
    [ids, at.toISOString()],
  );
  return rows.map(toRow);
}

/** Records what governance made of a finding's proposal. */
export async function recordFindingDecision(
  q: Queryable,
  id: string,
  approvalId: string | null,
  decision: Record<string, unknown>,
): Promise<FindingRow | undefined> {
  const [row] = await q.query<Record<string, unknown>>(
    `update findings f set approval_id = $2::uuid, decision = $3::jsonb where f.id = $1::uuid returning ${COLUMNS}`,
    [id, approvalId, JSON.stringify(decision)],
  );
  return row ? toRow(row) : undefined;
}

/**
 * An approval this proposer already holds for the same action kind and parameters, still pending or approved:
 * a finding raised again (or a second exception on the same invoice) waits on it rather than asking twice.
 */
export async function standingApproval(
  q: Queryable,
  proposedBy: string,
  kind: string,
  params: Record<string, unknown>,
): Promise<{ id: string; number: number; status: string; ruleId: string } | undefined> {
  const [row] = await q.query<{ id: string; number: number; status: string; rule_id: string }>(
    `select id::text, number, status, rule_id from approvals
      where proposed_by = $1 and action_kind = $2 and status in ('pending', 'approved') and action -> 'params' @> $3::jsonb
      order by created_at desc limit 1`,
    [proposedBy, kind, JSON.stringify(params)],
  );
  return row ? { id: row.id, number: Number(row.number), status: row.status, ruleId: row.rule_id } : undefined;
}

export type FindingFilter = { status?: FindingStatus; monitor?: string; limit?: number; offset?: number };

/** Findings, most recently seen first. */
export async function listFindings(q: Queryable, f: FindingFilter = {}): Promise<FindingRow[]> {
  const rows = await q.query<Record<string, unknown>>(
    `select ${COLUMNS} from findings f
      where ($1::text is null or f.status = $1) and ($2::text is null or f.monitor = $2)
      order by f.last_seen_at desc, case f.severity when 'critical' then 0 when 'high' then 1 when 'warning' then 2 else 3 end, f.key, f.id
      limit $3 offset $4`,
    [f.status ?? null, f.monitor ?? null, Math.min(f.limit ?? 100, 5000), f.offset ?? 0],
  );
  return rows.map(toRow);
}

/** One finding by id. */
export async function findFinding(q: Queryable, id: string): Promise<FindingRow | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id.trim())) return undefined;
  const [row] = await q.query<Record<string, unknown>>(`select ${COLUMNS} from findings f where f.id = $1::uuid`, [id.trim()]);
  return row ? toRow(row) : undefined;
}

/** Dismisses an open finding (a person judged it a false alarm); returns it, or undefined when not open. */
export async function dismissFinding(q: Queryable, id: string, at: Date): Promise<FindingRow | undefined> {
  const [row] = await q.query<Record<string, unknown>>(
    `update findings f set status = 'dismissed', resolved_at = $2::timestamptz where f.id = $1::uuid and f.status = 'open' returning ${COLUMNS}`,
    [id, at.toISOString()],
  );
  return row ? toRow(row) : undefined;
}
