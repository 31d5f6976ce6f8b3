// The durable job queue (pg-boss on the same Postgres): reminders, escalations, expiries, outbox drains and
// monitors are jobs that survive restarts and are shared by every app instance. On a PostgreSQL server
// pg-boss keeps its own small pool; on the embedded database it goes through ours, taking turns with
// other sessions. A job can be sent inside a caller's transaction, so it exists exactly when the row that
// needs it does.
import PgBoss from 'pg-boss';
import type { Database, Queryable } from '../db/client.js';
import type { Logger } from '../log.js';

export type SendOptions = {
  /** Not before this time. */
  startAfter?: Date;
  /** At most one queued job per key (a second send with the same key is dropped). */
  singletonKey?: string;
  /** Send as part of this transaction. */
  tx?: Queryable;
};

export type JobHandler = (data: Record<string, unknown>) => Promise<void>;

export type JobQueue = {
  /** Whether `name` was declared when the queue opened (only declared queues can be sent to or worked). */
  declared(name: string): boolean;
  /** True when the queue's tables answer (readiness checks). */
  ready(): Promise<boolean>;
  send(name: string, data: Record<string, unknown>, opts?: SendOptions): Promise<void>;
  /** Runs `handler` for jobs of `name` in this process (every instance may work the same queue). */
  work(name: string, handler: JobHandler): Promise<void>;
  /** Runs `name` on a cron schedule (one instance fires each tick). */
  schedule(name: string, cron: string, data?: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
};

export type QueueOptions = {
  database: Database;
  /** The PostgreSQL URL when the database is a server (pg-boss then opens its own small pool). */
  url?: string;
  log: Logger;
  /** How often workers poll for due jobs. */
  pollSeconds?: number;
  /** Every queue this process sends to or works, created at start (never lazily inside a caller's transaction). */
  queues: readonly string[];
};

const SCHEMA = 'pgboss';

/** pg-boss writes for node-postgres, which turns undefined into null, Dates into timestamps and objects into JSON. */
const plain = (v: unknown) =>
  v === undefined ? null : v instanceof Date ? v.toISOString() : v !== null && typeof v === 'object' && !Array.isArray(v) ? JSON.stringify(v) : v;

/** Advisory lock key under which instances on one PostgreSQL server create their queues one at a time. */
const QUEUE_CREATION_LOCK = 0x716d_6a71; // "qmjq"

/**
 * Creates the queues not there yet. Instances starting together on a new database race to create the same queues,
 * and pg-boss's statements for one queue can deadlock another instance's: on a server the instances take turns under
 * an advisory lock (the embedded database serves one process), and a failed attempt still looks again at what exists
 * and tries what is missing, a few times.
 */
async function createQueues(database: Database, boss: PgBoss, names: readonly string[]): Promise<void> {
  if (database.kind !== 'postgres') return createMissingQueues(boss, names);
  await database.withConnection(async (conn) => {
    await conn.query('select pg_advisory_lock($1)', [QUEUE_CREATION_LOCK]);
    try {
      await createMissingQueues(boss, names);
    } finally {
      await conn.query('select pg_advisory_unlock($1)', [QUEUE_CREATION_LOCK]);
    }
  });
}

async function createMissingQueues(boss: PgBoss, names: readonly string[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const existing = new Set((await boss.getQueues()).map((q) => q.name));
      for (const name of names) {
        if (!existing.has(name)) await boss.createQueue(name, { name, retryLimit: 5, retryDelay: 30, retryBackoff: true });
      }
      return;
    } catch (err) {
      if (attempt >= 5) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt + Math.floor(Math.random() * 100)));
    }
  }
}

/** Starts pg-boss (creating its schema on first use) and returns the queue. */
export async function openJobQueue(opts: QueueOptions): Promise<JobQueue> {
  const { database, log } = opts;
  const connection: PgBoss.ConstructorOptions = opts.url
    ? { connectionString: opts.url, max: 3 }
    : {
        db: {
          executeSql: (text: string, values?: unknown[]) =>
            database.withConnection(async (conn) => ({
              rows: values && values.length > 0 ? await conn.query(text, values.map(plain)) : await conn.exec(text),
            })),
        },
      };
  const boss = new PgBoss({ ...connection, schema: SCHEMA, application_name: 'quartermaster-jobs' });
  boss.on('error', (err) => log.warn('job queue error', { error: err.message }));
  await boss.start();
  await createQueues(database, boss, opts.queues);
  const known = new Set(opts.queues);
  const ensureQueue = (name: string) => {
    if (!known.has(name)) throw new Error(`job queue "${name}" was not declared when the queue opened`);
  };
  let stopped = false;
  const pollingIntervalSeconds = Math.max(0.5, opts.pollSeconds ?? 2);
  return {
    declared: (name) => known.has(name),
    ready: () =>
      stopped
        ? Promise.resolve(false)
        : boss.getQueues().then(
            () => true,
            () => false,
          ),
    async send(name, data, o = {}) {
      ensureQueue(name);
      const tx = o.tx;
      await boss.send(name, data, {
        ...(o.startAfter ? { startAfter: o.startAfter } : {}),
        ...(o.singletonKey ? { singletonKey: o.singletonKey } : {}),
        ...(tx ? { db: { executeSql: async (text: string, values: unknown[]) => ({ rows: await tx.query(text, values.map(plain)) }) } } : {}),
      });
    },
    async work(name, handler) {
      ensureQueue(name);
      await boss.work<Record<string, unknown>>(name, { pollingIntervalSeconds, batchSize: 1 }, async (jobs) => {
        for (const job of jobs) {
          try {
            await handler(job.data ?? {});
          } catch (err) {
            log.warn(`job ${name} failed; it will be retried`, { job: job.id, error: (err as Error).message });
            throw err;
          }
        }
      });
    },
    async schedule(name, cron, data = {}) {
      ensureQueue(name);
      await boss.schedule(name, cron, data);
    },
    async stop() {
      stopped = true;
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
