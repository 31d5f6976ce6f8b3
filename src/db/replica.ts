// Read replicas: with DATABASE_READ_URL set, read-only work (spend analytics, forecasts) goes to a streaming
// replica and everything else to the primary. A replica lags the primary by a little, so a process that has just
// committed a write reads from the primary until the replica has replayed that write (its WAL position), and a
// replica that cannot be reached is left aside: what this process wrote, it reads back, whichever connection serves.
import { type Database, openDatabase } from './client.js';
import type { Logger } from '../log.js';

export type ReadRouting = {
  /** The primary, noting every committed transaction so later reads see it. Use it for all writes. */
  primary: Database;
  /** Where read-only work goes: the replica when it has caught up with this process's writes, else the primary. */
  reads: Database;
  /** Which one serves reads now. */
  readsFrom(): 'replica' | 'primary';
  /** Resolves once the replica serves reads again (it has replayed this process's writes), or after `timeoutMs`. */
  caughtUp(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
};

const POLL_MS = 50;

/** Routes reads between `primary` and `replica` (both open); closes the replica on close. */
export function routeReads(primary: Database, replica: Database, log: Logger): ReadRouting {
  // The primary's WAL position after this process's latest write; reads go to the replica once it has replayed it.
  let mustSee: string | undefined;
  let pending = 0;
  let fresh = true;
  let timer: NodeJS.Timeout | undefined;
  const waiters = new Set<() => void>();

  const check = async () => {
    timer = undefined;
    if (pending > 0 || mustSee === undefined) return;
    try {
      const [row] = await replica.query<{ ok: boolean }>('select coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, true) as ok', [mustSee]);
      if (row?.ok && pending === 0) {
        fresh = true;
        for (const w of waiters) w();
        waiters.clear();
        return;
      }
    } catch (err) {
      log.warn('read replica unreachable; reading from the primary', { error: (err as Error).message });
    }
    timer ??= setTimeout(() => void check(), POLL_MS);
  };

  const noteWrite = async () => {
    fresh = false;
    pending++;
    try {
      const [row] = await primary.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
      mustSee = row?.lsn ?? mustSee;
    } finally {
      pending--;
    }
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void check(), 0);
  };

  const target = () => (fresh ? replica : primary);
  const reads: Database = {
    kind: replica.kind,
    label: `${replica.label} (read replica)`,
    get db() {
      return target().db;
    },
    query: (text, params) => target().query(text, params),
    withConnection: (fn) => target().withConnection(fn),
    transaction: (fn) => target().transaction(fn),
    exec: (script) => target().exec(script),
    ping: () => replica.ping(),
    close: async () => {},
  };
  const tracked: Database = {
    ...primary,
    get db() {
      return primary.db;
    },
    async transaction(fn) {
      const result = await primary.transaction(fn);
      await noteWrite();
      return result;
    },
  };
  return {
    primary: tracked,
    reads,
    readsFrom: () => (fresh ? 'replica' : 'primary'),
    caughtUp: (timeoutMs = 10_000) =>
      fresh
        ? Promise.resolve(true)
        : new Promise<boolean>((resolve) => {
            const t = setTimeout(() => {
              waiters.delete(done);
              resolve(false);
            }, timeoutMs);
            const done = () => {
              clearTimeout(t);
              resolve(true);
            };
            waiters.add(done);
          }),
    async close() {
      if (timer) clearTimeout(timer);
      await replica.close();
    },
  };
}

/** Opens the replica at `readUrl` (no migrations: it follows the primary) and routes reads between it and `primary`. */
export async function openReadRouting(primary: Database, readUrl: string, log: Logger, poolSize = 5): Promise<ReadRouting> {
  const replica = await openDatabase({ url: readUrl, poolSize, migrate: false, purpose: 'read replica' });
  return routeReads(primary, replica, log);
}
