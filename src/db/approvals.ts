// Approvals in Postgres: the rows of the state machine, their decisions, the chat messages that show them,
// and the delegations and users consulted when someone decides.
import type { Approval, ApprovalDecision, Approver } from '../approvals/types.js';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Database, Queryable } from './client.js';
import { approvals } from './schema.js';

/** An approvals row as the schema types it. */
type StoredApproval = typeof approvals.$inferSelect;

const SELECT_APPROVAL = `
  select a.id::text, a.number, a.status, a.action_kind, a.action, a.summary, a.amount::text, a.currency, a.supplier_id::text,
         s.name as supplier_name, a.category_code, a.requester_user_id::text, a.requester, a.proposed_by, a.planner, a.rule_id,
         a.reason, a.route, a.envelope, a.policy_version, a.current_level, a.escalation_level, a.origin, u.email as decided_by,
         a.decided_at, a.decision_reason, a.expires_at, a.version, a.created_at
    from approvals a
    left join suppliers s on s.id = a.supplier_id
    left join users u on u.id = a.decided_by_user_id`;

type ApprovalRow = Record<string, unknown>;

const iso = (v: unknown) => (v == null ? null : v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

function toApproval(r: ApprovalRow, decisions: ApprovalDecision[]): Approval {
  return {
    id: String(r.id),
    number: Number(r.number),
    status: r.status as Approval['status'],
    actionKind: String(r.action_kind),
    action: json(r.action),
    summary: String(r.summary),
    amount: (r.amount as string | null) ?? null,
    currency: (r.currency as string | null) ?? null,
    supplierId: (r.supplier_id as string | null) ?? null,
    supplierName: (r.supplier_name as string | null) ?? null,
    categoryCode: (r.category_code as string | null) ?? null,
    requesterUserId: (r.requester_user_id as string | null) ?? null,
    requester: String(r.requester),
    proposedBy: String(r.proposed_by),
    planner: (r.planner as string | null) ?? null,
    ruleId: String(r.rule_id),
    reason: String(r.reason),
    route: json(r.route),
    envelope: r.envelope == null ? null : json(r.envelope),
    policyVersion: String(r.policy_version),
    currentLevel: Number(r.current_level),
    escalationLevel: Number(r.escalation_level),
    origin: r.origin == null ? null : json(r.origin),
    decidedBy: (r.decided_by as string | null) ?? null,
    decidedAt: iso(r.decided_at),
    decisionReason: (r.decision_reason as string | null) ?? null,
    expiresAt: iso(r.expires_at),
    version: Number(r.version),
    createdAt: iso(r.created_at)!,
    decisions,
  };
}

async function decisionsOf(q: Queryable, ids: string[]): Promise<Map<string, ApprovalDecision[]>> {
  const out = new Map<string, ApprovalDecision[]>();
  if (ids.length === 0) return out;
  const rows = await q.query<Record<string, unknown>>(
    `select d.approval_id::text, d.level, d.user_id::text, d.on_behalf_of_user_id::text, u.email, u.name, b.email as on_behalf_of,
            d.role, d.decision, d.reason, d.channel, d.created_at
       from approval_decisions d join users u on u.id = d.user_id left join users b on b.id = d.on_behalf_of_user_id
      where d.approval_id = any($1::uuid[]) order by d.id`,
    [ids],
  );
  for (const r of rows) {
    const list = out.get(String(r.approval_id)) ?? [];
    list.push({
      level: Number(r.level),
      userId: String(r.user_id),
      onBehalfOfUserId: (r.on_behalf_of_user_id as string | null) ?? null,
      user: String(r.email),
      userName: String(r.name),
      onBehalfOf: (r.on_behalf_of as string | null) ?? null,
      role: (r.role as string | null) ?? null,
      decision: r.decision as ApprovalDecision['decision'],
      reason: (r.reason as string | null) ?? null,
      channel: (r.channel as string | null) ?? null,
      at: iso(r.created_at)!,
    });
    out.set(String(r.approval_id), list);
  }
  return out;
}

/** One approval by id (uuid) or number, optionally locked for update within a transaction. */
export async function findApproval(q: Queryable, ref: string, opts: { lock?: boolean } = {}): Promise<Approval | undefined> {
  const byNumber = /^#?\d{1,9}$/.test(ref.trim());
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref.trim());
  if (!byNumber && !isUuid) return undefined;
  const where = byNumber ? 'a.number = $1' : 'a.id = $1::uuid';
  const value = byNumber ? Number(ref.trim().replace('#', '')) : ref.trim();
  if (opts.lock) {
    // Lock first, then read in a statement of its own. A locking read that waited for a concurrent decision sees
    // the approval row as that decision left it but the joined rows (who decided) as they were before: the
    // loser of a race would read "decided by nobody". A fresh statement after the lock sees the decider too.
    const [locked] = await q.query<{ id: string }>(`select a.id::text from approvals a where ${where} for update`, [value]);
    if (!locked) return undefined;
  }
  const [row] = await q.query<ApprovalRow>(`${SELECT_APPROVAL} where ${where}`, [value]);
  if (!row) return undefined;
  const decisions = await decisionsOf(q, [String(row.id)]);
  return toApproval(row, decisions.get(String(row.id)) ?? []);
}

export type ApprovalFilter = { status?: string; approverRoles?: string[]; limit?: number; offset?: number };

/** Approvals, newest first; with approverRoles, only pending ones whose current level needs one of them. */
export async function listApprovals(q: Queryable, f: ApprovalFilter = {}): Promise<Approval[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (f.status) {
    params.push(f.status);
    where.push(`a.status = $${params.length}`);
  }
  if (f.approverRoles) {
    params.push(f.approverRoles);
    where.push(
      `a.status = 'pending' and exists (select 1 from jsonb_array_elements_text(a.route -> a.current_level -> 'roles') r where r = any($${params.length}::text[]))`,
    );
  }
  params.push(Math.min(f.limit ?? 50, 500), f.offset ?? 0);
  const rows = await q.query<ApprovalRow>(
    `${SELECT_APPROVAL}${where.length ? ` where ${where.join(' and ')}` : ''} order by a.created_at desc, a.number desc limit $${params.length - 1} offset $${params.length}`,
    params,
  );
  const decisions = await decisionsOf(
    q,
    rows.map((r) => String(r.id)),
  );
  return rows.map((r) => toApproval(r, decisions.get(String(r.id)) ?? []));
}

export type NewApproval = {
  actionKind: string;
  action: Record<string, unknown>;
  summary: string;
  amount?: string;
  currency?: string;
  supplierId?: string;
  categoryCode?: string;
  requesterUserId?: string;
  requester: string;
  proposedBy: string;
  planner?: string;
  ruleId: string;
  reason: string;
  route: unknown[];
  envelope?: Record<string, string>;
  policyVersion: string;
  origin?: Record<string, unknown>;
  expiresAt?: Date;
  /** What makes it the same request as another (src/approvals/proposal-key.ts); unique among pending approvals. */
  proposalKey?: string;
};

/**
 * Inserts a pending approval; returns its id and number, or undefined when a pending approval with the same
 * proposal key exists (a concurrent equal insert waits for the other transaction and then yields to it).
 */
export async function insertApproval(q: Queryable, a: NewApproval): Promise<{ id: string; number: number } | undefined> {
  const [row] = await q.query<{ id: string; number: number }>(
    `insert into approvals (action_kind, action, summary, amount, currency, supplier_id, category_code, requester_user_id, requester,
                            proposed_by, planner, rule_id, reason, route, envelope, policy_version, origin, expires_at, proposal_key)
     values ($1, $2::jsonb, $3, $4::numeric, $5, $6::uuid, $7, $8::uuid, $9, $10, $11, $12, $13, $14::jsonb, $15::jsonb, $16, $17::jsonb, $18::timestamptz, $19)
     on conflict (proposal_key) where status = 'pending' do nothing
     returning id::text, number`,
    [
      a.actionKind,
      JSON.stringify(a.action),
      a.summary,
      a.amount ?? null,
      a.currency ?? null,
      a.supplierId ?? null,
      a.categoryCode ?? null,
      a.requesterUserId ?? null,
      a.requester,
      a.proposedBy,
      a.planner ?? null,
      a.ruleId,
      a.reason,
      JSON.stringify(a.route),
      a.envelope ? JSON.stringify(a.envelope) : null,
      a.policyVersion,
      a.origin ? JSON.stringify(a.origin) : null,
      a.expiresAt?.toISOString() ?? null,
      a.proposalKey ?? null,
    ],
  );
  return row ? { id: row.id, number: Number(row.number) } : undefined;
}

/** The id of the pending approval holding `proposalKey`, if any. */
export async function pendingApprovalByKey(q: Queryable, proposalKey: string): Promise<string | undefined> {
  const [row] = await q.query<{ id: string }>(`select id::text from approvals where proposal_key = $1 and status = 'pending'`, [proposalKey]);
  return row?.id;
}

/** Pending approvals filed before proposal keys existed (id and action), a page at a time. */
export async function pendingApprovalsWithoutKey(database: Database, limit = 500): Promise<Pick<StoredApproval, 'id' | 'action'>[]> {
  return database.db
    .select({ id: approvals.id, action: approvals.action })
    .from(approvals)
    .where(and(eq(approvals.status, 'pending'), isNull(approvals.proposalKey)))
    .orderBy(asc(approvals.createdAt), asc(approvals.number))
    .limit(limit);
}

/**
 * Sets a pending approval's proposal key unless another pending approval holds it (then the older duplicate keeps
 * it and this one stays unkeyed, as it was). Returns whether the key was set.
 */
export async function setProposalKey(database: Database, id: StoredApproval['id'], proposalKey: string): Promise<boolean> {
  const rows = await database.db
    .update(approvals)
    .set({ proposalKey })
    .where(
      and(
        eq(approvals.id, id),
        eq(approvals.status, 'pending'),
        isNull(approvals.proposalKey),
        sql`not exists (select 1 from approvals o where o.proposal_key = ${proposalKey} and o.status = 'pending')`,
      ),
    )
    .returning({ id: approvals.id });
  return rows.length > 0;
}

/** Records one person's decision (unique per approval and person). */
export async function insertDecision(
  q: Queryable,
  d: { approvalId: string; level: number; userId: string; onBehalfOfUserId?: string; role: string; decision: string; reason?: string; channel?: string },
): Promise<void> {
  await q.query(
    `insert into approval_decisions (approval_id, level, user_id, on_behalf_of_user_id, role, decision, reason, channel)
     values ($1::uuid, $2, $3::uuid, $4::uuid, $5, $6, $7, $8)`,
    [d.approvalId, d.level, d.userId, d.onBehalfOfUserId ?? null, d.role, d.decision, d.reason ?? null, d.channel ?? null],
  );
}

/** Moves an approval on: next level, or a final status. Bumps the version. */
export async function updateApprovalState(
  q: Queryable,
  id: string,
  s: { status?: string; currentLevel?: number; escalationLevel?: number; decidedByUserId?: string | null; reason?: string | null; route?: unknown[] },
): Promise<void> {
  const final = s.status && s.status !== 'pending';
  await q.query(
    `update approvals set status = coalesce($2, status), current_level = coalesce($3, current_level),
            escalation_level = coalesce($4, escalation_level), route = coalesce($5::jsonb, route),
            decided_by_user_id = case when $6 then $7::uuid else decided_by_user_id end,
            decided_at = case when $6 then now() else decided_at end,
            decision_reason = case when $6 then $8 else decision_reason end,
            version = version + 1, updated_at = now()
      where id = $1::uuid`,
    [
      id,
      s.status ?? null,
      s.currentLevel ?? null,
      s.escalationLevel ?? null,
      s.route ? JSON.stringify(s.route) : null,
      Boolean(final),
      s.decidedByUserId ?? null,
      s.reason ?? null,
    ],
  );
}

/** A user by email, uuid, or a chat identity's external id (Slack user id, Teams AAD object id: chat_identities). */
export async function findUser(q: Queryable, ref: string): Promise<Approver | undefined> {
  const [row] = await q.query<{ id: string; email: string; name: string; roles: string[]; active: boolean }>(
    `select id::text, email, name, roles, active from users
      where lower(email) = lower($1) or id::text = $1
         or id = (select user_id from chat_identities where external_id = $1 or (platform = 'teams' and external_id = lower($1)) order by id limit 1)
      limit 1`,
    [ref.trim()],
  );
  return row ? { ...row, roles: [...row.roles] } : undefined;
}

/** Delegations to a user (with the delegating user's roles), for deciding on their behalf. */
export async function delegationsTo(
  q: Queryable,
  userId: string,
): Promise<{ fromUserId: string; fromEmail: string; fromRoles: string[]; fromActive: boolean; toUserId: string; startsOn: string; endsOn: string }[]> {
  const rows = await q.query<Record<string, unknown>>(
    `select d.from_user_id::text, u.email, u.roles, u.active, d.to_user_id::text, d.starts_on::text, d.ends_on::text
       from delegations d join users u on u.id = d.from_user_id where d.to_user_id = $1::uuid`,
    [userId],
  );
  return rows.map((r) => ({
    fromUserId: String(r.from_user_id),
    fromEmail: String(r.email),
    fromRoles: [...(r.roles as string[])],
    fromActive: Boolean(r.active),
    toUserId: String(r.to_user_id),
    startsOn: String(r.starts_on),
    endsOn: String(r.ends_on),
  }));
}

/** Users holding any of the roles (who to tell about a pending level). */
export async function usersWithRoles(q: Queryable, roles: string[]): Promise<Approver[]> {
  const rows = await q.query<{ id: string; email: string; name: string; roles: string[]; active: boolean }>(
    'select id::text, email, name, roles, active from users where active and roles && $1::text[] order by email',
    [roles],
  );
  return rows.map((r) => ({ ...r, roles: [...r.roles] }));
}

/** Remembers a chat message that shows an approval (idempotent). */
export async function recordApprovalMessage(q: Queryable, m: { approvalId: string; channel: string; conversationId: string; messageId: string }): Promise<void> {
  await q.query(
    `insert into approval_messages (approval_id, channel, conversation_id, message_id) values ($1::uuid, $2, $3, $4)
     on conflict (approval_id, channel, message_id) do nothing`,
    [m.approvalId, m.channel, m.conversationId, m.messageId],
  );
}

/** The chat messages that show an approval. */
export async function approvalMessages(q: Queryable, approvalId: string): Promise<{ channel: string; conversationId: string; messageId: string }[]> {
  return q.query(
    'select channel, conversation_id as "conversationId", message_id as "messageId" from approval_messages where approval_id = $1::uuid order by id',
    [approvalId],
  );
}

/** Agreement evidence for an envelope: the most recent `window` decided approvals in it. */
export async function envelopeEvidence(q: Queryable, envelope: Record<string, string>, window: number): Promise<{ cases: number; agreed: number }> {
  const [row] = await q.query<{ cases: number; agreed: number }>(
    `select count(*)::int as cases, count(*) filter (where status = 'approved')::int as agreed
       from (select status from approvals where envelope = $1::jsonb and status in ('approved', 'rejected')
              order by decided_at desc limit $2) recent`,
    [JSON.stringify(envelope), window],
  );
  return row ?? { cases: 0, agreed: 0 };
}

/** Whether an autonomy expansion for this envelope is already waiting for a decision. */
export async function pendingExpansion(q: Queryable, envelope: Record<string, string>): Promise<boolean> {
  const rows = await q.query(
    `select 1 from approvals where action_kind = 'expand_autonomy' and status = 'pending' and action -> 'params' -> 'envelope' = $1::jsonb limit 1`,
    [JSON.stringify(envelope)],
  );
  return rows.length > 0;
}

/** Agreement evidence for every envelope that has decided cases (for `qm autonomy`). */
export async function envelopesEvidence(q: Queryable, window: number): Promise<{ envelope: Record<string, string>; cases: number; agreed: number; pending: number }[]> {
  const rows = await q.query<{ envelope: Record<string, string> | string; cases: number; agreed: number; pending: number }>(
    `select envelope, count(*) filter (where status in ('approved', 'rejected') and rn <= $1)::int as cases,
            count(*) filter (where status = 'approved' and rn <= $1)::int as agreed,
            count(*) filter (where status = 'pending')::int as pending
       from (select envelope, status,
                    row_number() over (partition by envelope order by (status in ('approved', 'rejected')) desc, decided_at desc nulls last) as rn
               from approvals where envelope is not null) a
      group by envelope order by envelope`,
    [window],
  );
  return rows.map((r) => ({ ...r, envelope: typeof r.envelope === 'string' ? JSON.parse(r.envelope) : r.envelope }));
}
