// The audit ledger's SQL: append a batch at the tail under the ledger's advisory lock, page events by seq
// (keyset) for verification and export, read events in a time range for metrics, and prune a prefix (through the
// qm_audit_prune function, migration 0008).
// The hash chain itself is computed in Node (src/audit/hash.ts); here rows only go in and come out.
import type { AuditAction, AuditEvent } from '../audit/types.js';
import type { Database, Queryable, Row } from './client.js';

/** Any constant: serialises appends to the ledger across connections, processes and app instances. */
export const AUDIT_LOCK_KEY = 7_351_043;

export type AuditTail = { seq: number; hash: string };

const COLUMNS = `seq,
  to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at,
  actor_type, actor, action, subject_type, subject_id, rationale, data, policy_version, prev_hash, hash`;

function toEvent(r: Row): AuditEvent {
  const data = typeof r.data === 'string' ? JSON.parse(r.data) : r.data;
  return {
    seq: Number(r.seq),
    at: String(r.at),
    actorType: r.actor_type as AuditEvent['actorType'],
    actor: String(r.actor),
    action: r.action as AuditAction,
    subjectType: (r.subject_type as string | null) ?? null,
    subjectId: (r.subject_id as string | null) ?? null,
    rationale: String(r.rationale),
    data: data as Record<string, unknown>,
    policyVersion: (r.policy_version as string | null) ?? null,
    prevHash: String(r.prev_hash),
    hash: String(r.hash),
  };
}

const LOCK_SQL = 'select pg_advisory_xact_lock($1)';
const TAIL_SQL = 'select seq, hash from audit_events order by seq desc limit 1';

function toTail(row: { seq: string | number; hash: string } | undefined): AuditTail | undefined {
  return row ? { seq: Number(row.seq), hash: row.hash } : undefined;
}

/**
 * Takes the ledger's append lock for the rest of the caller's transaction `tx`, then reads the tail (undefined for
 * an empty ledger). Two statements, sent together: the tail is read with a snapshot taken after the lock is
 * granted, so it sees whatever the previous holder committed. Needs READ COMMITTED (the default isolation); under
 * REPEATABLE READ a stale tail makes the insert fail on the seq primary key rather than fork the chain.
 */
export async function lockAuditTail(tx: Queryable): Promise<AuditTail | undefined> {
  const [, [row]] = await Promise.all([tx.query(LOCK_SQL, [AUDIT_LOCK_KEY]), tx.query<{ seq: string | number; hash: string }>(TAIL_SQL)]);
  return toTail(row);
}

/**
 * Appends a batch in a transaction of its own, under the ledger's lock, and returns the stored events.
 * `build(tail)` numbers and chains the batch after `tail`.
 *
 * General path: lock, read the tail, build, insert, commit (READ COMMITTED pinned, whatever the server's default).
 *
 * Linked path, when the caller passes the tail it believes current (`expectedTail`, typically the one it wrote
 * last): the batch is built after it without reading the tail, and the first row's prev_hash is not sent but read,
 * in the insert itself, from the row it links to (`where seq = tail.seq and hash = tail.hash`). Should that row
 * be gone or different, prev_hash comes out null and the not-null constraint refuses the insert; should another
 * writer have appended after it, the seq primary key does. Either way nothing is written and the general path
 * follows. On a server the linked path is one round trip: begin, lock, insert and commit sent together on one
 * connection (if the insert fails, the transaction is aborted and the commit rolls it back).
 */
export async function appendAuditBatch(
  database: Database,
  build: (tail: AuditTail | undefined) => AuditEvent[],
  expectedTail?: AuditTail,
): Promise<AuditEvent[]> {
  if (expectedTail) {
    const linked = await insertLinked(database, build(expectedTail));
    if (linked) return linked;
  }
  return database.transaction(async (tx) => {
    const [, , [row]] = await Promise.all([
      tx.query('set transaction isolation level read committed'),
      tx.query(LOCK_SQL, [AUDIT_LOCK_KEY]),
      tx.query<{ seq: string | number; hash: string }>(TAIL_SQL),
    ]);
    const events = build(toTail(row));
    await insertAuditEvents(tx, events);
    return events;
  });
}

const NOT_NULL_VIOLATION = '23502';
const UNIQUE_VIOLATION = '23505';

/** The linked path of appendAuditBatch: the events as stored, or undefined when the tail was not the expected one. */
async function insertLinked(database: Database, events: AuditEvent[]): Promise<AuditEvent[] | undefined> {
  const insert = insertStatement(events, true);
  try {
    if (database.kind === 'pglite') {
      // One session shared with every other caller: only an ordinary exclusive transaction is safe there.
      await database.transaction((tx) => Promise.all([tx.query(LOCK_SQL, [AUDIT_LOCK_KEY]), tx.query(insert.text, insert.params)]));
    } else {
      await database.withConnection(async (conn) => {
        const results = await Promise.allSettled([
          conn.query('begin isolation level read committed'),
          conn.query(LOCK_SQL, [AUDIT_LOCK_KEY]),
          conn.query(insert.text, insert.params),
          conn.query('commit'),
        ]);
        const failed = results.find((r) => r.status === 'rejected');
        if (!failed) return;
        // Never hand the connection back inside a transaction (outside one, rollback only warns).
        if (results[3]!.status === 'rejected') await conn.query('rollback').catch(() => {});
        throw failed.reason;
      });
    }
    return events;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === NOT_NULL_VIOLATION || code === UNIQUE_VIOLATION) return undefined;
    throw err;
  }
}

/** Inserts events whose seq and hashes are already computed (in seq order), in one statement. */
export async function insertAuditEvents(tx: Queryable, events: readonly AuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  const insert = insertStatement(events);
  await tx.query(insert.text, insert.params);
}

/**
 * The multi-row insert of `events`: one statement, 12 parameters per row. With `linkFirst`, the first row's
 * prev_hash is read from its predecessor row instead (null, and refused, unless that row holds the expected hash).
 */
function insertStatement(events: readonly AuditEvent[], linkFirst = false): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const rows: string[] = [];
  for (const e of events) {
    const n = params.length;
    params.push(
      e.seq,
      e.at,
      e.actorType,
      e.actor,
      e.action,
      e.subjectType,
      e.subjectId,
      e.rationale,
      JSON.stringify(e.data),
      e.policyVersion,
      e.prevHash,
      e.hash,
    );
    const prevHash =
      linkFirst && n === 0 ? `(select hash from audit_events where seq = $${n + 1}::bigint - 1 and hash = $${n + 11}::text)` : `$${n + 11}`;
    rows.push(
      `($${n + 1}::bigint, $${n + 2}::timestamptz, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6}, $${n + 7}, $${n + 8}, ` +
        `$${n + 9}::text::jsonb, $${n + 10}, ${prevHash}, $${n + 12})`,
    );
  }
  return {
    text: `insert into audit_events (seq, at, actor_type, actor, action, subject_type, subject_id, rationale, data, policy_version, prev_hash, hash)
     values ${rows.join(', ')}`,
    params,
  };
}

/** Up to `limit` events with seq > `afterSeq`, in seq order (keyset paging). */
export async function auditEventsAfter(q: Queryable, afterSeq: number, limit: number): Promise<AuditEvent[]> {
  const rows = await q.query(`select ${COLUMNS} from audit_events where seq > $1 order by seq limit $2`, [afterSeq, limit]);
  return rows.map(toEvent);
}

/** Up to `limit` events with `afterSeq` < seq ≤ `lastSeq`, in seq order (keyset paging over a closed range). */
export async function auditEventsBetweenSeqs(q: Queryable, afterSeq: number, lastSeq: number, limit: number): Promise<AuditEvent[]> {
  const rows = await q.query(`select ${COLUMNS} from audit_events where seq > $1 and seq <= $2 order by seq limit $3`, [
    afterSeq,
    lastSeq,
    limit,
  ]);
  return rows.map(toEvent);
}

/** The first and last seq of the events whose `at` lies in [from, to), or undefined when there are none. */
export async function auditSeqRange(q: Queryable, from: Date, to: Date): Promise<{ first: number; last: number } | undefined> {
  const [row] = await q.query<{ first: string | null; last: string | null }>(
    'select min(seq)::text as first, max(seq)::text as last from audit_events where at >= $1::timestamptz and at < $2::timestamptz',
    [from.toISOString(), to.toISOString()],
  );
  return row?.first && row.last ? { first: Number(row.first), last: Number(row.last) } : undefined;
}

/** Up to `limit` events of the given actions whose `at` lies in [from, to) and seq > `afterSeq`, in seq order. */
export async function auditEventsInRange(
  q: Queryable,
  range: { from: Date; to: Date; actions: readonly AuditAction[] },
  afterSeq: number,
  limit: number,
): Promise<AuditEvent[]> {
  const rows = await q.query(
    `select ${COLUMNS} from audit_events
     where at >= $1::timestamptz and at < $2::timestamptz and action = any($3::text[]) and seq > $4
     order by seq limit $5`,
    [range.from.toISOString(), range.to.toISOString(), range.actions, afterSeq, limit],
  );
  return rows.map(toEvent);
}

/** Every `audit_pruned` event still in the ledger (there is one per prune, so few), in seq order. */
export async function auditPruneEvents(q: Queryable): Promise<AuditEvent[]> {
  const rows = await q.query(`select ${COLUMNS} from audit_events where action = 'audit_pruned' order by seq`);
  return rows.map(toEvent);
}

/**
 * Where a prune at `cutoff` stops: the seq of the first event not older than the cutoff (the prefix before it
 * goes), with the prevHash it links to and how many events precede it. `at` need not grow with seq, so the
 * prefix ends at the first event that is not old enough, even if older ones follow it. Undefined when every
 * event is older (the caller's own next event then starts the kept part).
 */
export async function auditPruneBoundary(
  tx: Queryable,
  cutoff: Date,
): Promise<{ beforeSeq: number; anchorHash: string; removed: number } | undefined> {
  const [row] = await tx.query<{ seq: string | number; prev_hash: string; removed: string }>(
    `select e.seq, e.prev_hash, (select count(*) from audit_events p where p.seq < e.seq)::text as removed
     from audit_events e where e.seq = (select min(seq) from audit_events where at >= $1::timestamptz)`,
    [cutoff.toISOString()],
  );
  return row ? { beforeSeq: Number(row.seq), anchorHash: row.prev_hash, removed: Number(row.removed) } : undefined;
}

/** How many events there are with seq < `beforeSeq`. */
export async function countAuditEventsBefore(q: Queryable, beforeSeq: number): Promise<number> {
  const [row] = await q.query<{ n: string }>('select count(*)::text as n from audit_events where seq < $1', [beforeSeq]);
  return Number(row?.n ?? 0);
}

/**
 * Deletes the events with seq < `beforeSeq` inside the caller's transaction, through qm_audit_prune (migration
 * 0008), the one way past the append-only trigger: a SECURITY DEFINER function that removes the prefix only when
 * an audit_pruned event in the ledger records that very removal. The calling role needs EXECUTE on it (the
 * owner has it; grant it to the operator role). Returns how many rows went.
 */
export async function deleteAuditEventsBefore(tx: Queryable, beforeSeq: number): Promise<number> {
  const [row] = await tx.query<{ n: string }>('select qm_audit_prune($1::bigint)::text as n', [beforeSeq]);
  return Number(row?.n ?? 0);
}

/** The latest `limit` events, newest first, optionally only one action and/or one actor (exact, any case). */
export async function recentAuditEvents(q: Queryable, f: { limit: number; action?: string; actor?: string }): Promise<AuditEvent[]> {
  const rows = await q.query(
    `select ${COLUMNS} from audit_events
      where ($1::text is null or action = $1) and ($2::text is null or lower(actor) = lower($2))
      order by seq desc limit $3`,
    [f.action ?? null, f.actor ?? null, f.limit],
  );
  return rows.map(toEvent);
}
