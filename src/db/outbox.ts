// The action outbox: an action allowed by a decision is written in the decision's transaction and executed
// exactly once, in a transaction of its own that also marks it done.
import type { Queryable } from './client.js';

export type OutboxRow = {
  id: number;
  approvalId: string | null;
  kind: string;
  action: Record<string, unknown>;
  authorisedBy: string;
  status: 'pending' | 'done' | 'failed';
  attempts: number;
  result: Record<string, unknown> | null;
  error: string | null;
  createdAt: string;
  completedAt: string | null;
};

const COLUMNS = `id::int, approval_id::text as "approvalId", kind, action, authorised_by as "authorisedBy", status, attempts, result, error,
  created_at as "createdAt", completed_at as "completedAt"`;

const normalise = (r: OutboxRow): OutboxRow => ({
  ...r,
  action: typeof r.action === 'string' ? JSON.parse(r.action) : r.action,
  result: typeof r.result === 'string' ? JSON.parse(r.result) : r.result,
  createdAt: new Date(r.createdAt).toISOString(),
  completedAt: r.completedAt ? new Date(r.completedAt).toISOString() : null,
});

/** Queues an action (once per approval: a second insert for the same approval is ignored). Returns its id. */
export async function enqueueAction(
  q: Queryable,
  a: { approvalId?: string; kind: string; action: Record<string, unknown>; authorisedBy: string },
): Promise<number | undefined> {
  const [row] = await q.query<{ id: number }>(
    `insert into action_outbox (approval_id, kind, action, authorised_by) values ($1::uuid, $2, $3::jsonb, $4)
     on conflict (approval_id) do nothing returning id::int`,
    [a.approvalId ?? null, a.kind, JSON.stringify(a.action), a.authorisedBy],
  );
  return row?.id;
}

/** Locks one pending action for execution, skipping any another worker holds. */
export async function claimAction(q: Queryable, id: number): Promise<OutboxRow | undefined> {
  const [row] = await q.query<OutboxRow>(
    `select ${COLUMNS} from action_outbox where id = $1 and status = 'pending' for update skip locked`,
    [id],
  );
  return row ? normalise(row) : undefined;
}

/** Marks a claimed action done with its result. */
export async function completeAction(q: Queryable, id: number, result: Record<string, unknown>): Promise<void> {
  await q.query(
    `update action_outbox set status = 'done', attempts = attempts + 1, result = $2::jsonb, error = null, completed_at = now() where id = $1`,
    [id, JSON.stringify(result)],
  );
}

/** Records a failed attempt; after `maxAttempts` (or a permanent failure) the action is marked failed. */
export async function failAction(q: Queryable, id: number, error: string, permanent: boolean, maxAttempts: number): Promise<'pending' | 'failed'> {
  const [row] = await q.query<{ status: 'pending' | 'failed' }>(
    `update action_outbox set attempts = attempts + 1, error = $2,
            status = case when $3 or attempts + 1 >= $4 then 'failed' else 'pending' end,
            completed_at = case when $3 or attempts + 1 >= $4 then now() else null end
      where id = $1 and status = 'pending' returning status`,
    [id, error.slice(0, 2000), permanent, maxAttempts],
  );
  return row?.status ?? 'failed';
}

/** Ids of actions still waiting to run, oldest first. */
export async function pendingActionIds(q: Queryable, limit = 100): Promise<number[]> {
  const rows = await q.query<{ id: number }>(`select id::int from action_outbox where status = 'pending' order by id limit $1`, [limit]);
  return rows.map((r) => r.id);
}

/** One action by id, or the action of an approval. */
export async function findAction(q: Queryable, ref: { id?: number; approvalId?: string }): Promise<OutboxRow | undefined> {
  const [row] = ref.id
    ? await q.query<OutboxRow>(`select ${COLUMNS} from action_outbox where id = $1`, [ref.id])
    : await q.query<OutboxRow>(`select ${COLUMNS} from action_outbox where approval_id = $1::uuid`, [ref.approvalId]);
  return row ? normalise(row) : undefined;
}
