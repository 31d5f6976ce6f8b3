// Opens the system of record: a PostgreSQL server through postgres.js when DATABASE_URL is set, otherwise an
// embedded PGlite under QM_DATA_DIR. Both run the same drizzle-kit migrations on open. The rest of the code
// sees one `Database` and never which driver is underneath.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { AppError } from '../errors.js';
import { projectPath } from '../paths.js';
import { lockDataDir } from './lock.js';
import * as schema from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Row = Record<string, unknown>;

/** One dedicated session: temp tables and COPY live here. */
export type Connection = Session & {
  /** Runs a script of several statements without parameters; returns the last statement's rows. */
  exec(script: string): Promise<Row[]>;
  /**
   * Streams CSV-encoded lines (each ending in a newline) into `table (columns)`; an item may also be a ready-made
   * chunk of whole lines as UTF-8 bytes, sent as it is.
   */
  copyIn(table: string, columns: readonly string[], lines: AsyncIterable<string | Uint8Array>): Promise<void>;
};

/** Anything that runs a statement: the database, a held connection or a transaction. */
export type Queryable = { query<T = Row>(text: string, params?: unknown[]): Promise<T[]> };

/**
 * The database or an open transaction: raw statements (`query`) and drizzle's query builder over the schema (`db`),
 * both on the same session. Queries that must run inside a caller's transaction take a Session.
 */
export type Session = Queryable & { db: Db };

export type Database = {
  kind: 'postgres' | 'pglite';
  /** Where the data lives, for messages (never includes a password). */
  label: string;
  db: Db;
  query<T = Row>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs `fn` on one connection held for its duration. */
  withConnection<T>(fn: (conn: Connection) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. Inside, use only
   * `tx` (`tx.query` or drizzle's `tx.db`; on the embedded database an outside query waits for the transaction to end).
   */
  transaction<T>(fn: (tx: Session) => Promise<T>): Promise<T>;
  /** Runs a script of several statements without parameters; returns the last statement's rows. */
  exec(script: string): Promise<Row[]>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
};

export type OpenOptions = {
  url?: string;
  /** PGlite data directory, or 'memory' for a throwaway in-memory database. */
  dataDir?: string;
  poolSize?: number;
  /** What this process is, shown to a second process that finds the embedded database locked. */
  purpose?: string;
  migrate?: boolean;
};

const MIGRATIONS_LOCK_KEY = 7_351_042; // any constant: serialises migrations across app instances

/** Opens (and by default migrates) the database the options point at. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const database = opts.url ? await openPostgres(opts.url, opts.poolSize ?? 10) : await openPglite(opts);
  if (opts.migrate !== false) {
    try {
      await runMigrations(database);
    } catch (err) {
      await database.close();
      throw new AppError('db:migrate', `Could not migrate the database at ${database.label}: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
  return database;
}

async function runMigrations(database: Database): Promise<void> {
  const migrationsFolder = projectPath('migrations');
  if (database.kind === 'pglite') {
    await migratePglite(database.db as Parameters<typeof migratePglite>[0], { migrationsFolder });
    return;
  }
  // Several instances may start together against one server: take an advisory lock around the migrator.
  await database.withConnection(async (conn) => {
    await conn.query('select pg_advisory_lock($1)', [MIGRATIONS_LOCK_KEY]);
    try {
      await migratePostgres(database.db as Parameters<typeof migratePostgres>[0], { migrationsFolder });
    } finally {
      await conn.query('select pg_advisory_unlock($1)', [MIGRATIONS_LOCK_KEY]);
    }
  });
}

/** The rows of a simple-protocol result: postgres.js returns one array per statement when there are several. */
function lastRows(out: unknown): Row[] {
  const list = out as Row[] | Row[][];
  const last = list.length > 0 && Array.isArray(list[list.length - 1]) ? (list[list.length - 1] as Row[]) : (list as Row[]);
  return [...last];
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured DATABASE_URL';
  }
}

async function openPostgres(url: string, max: number): Promise<Database> {
  // At least two connections: migrations hold one for their advisory lock while the migrator uses another.
  const sql = postgres(url, {
    max: Math.max(2, max),
    onnotice: () => {},
    connect_timeout: 10,
    idle_timeout: 60,
    // Supplier rankings group tens of thousands of suppliers from the rollups: at the default 4 MB the hash
    // spills to disk and the plan turns to parallel sorts (330 ms against 260 ms at 10M lines). Those rankings
    // cost ~150k in the planner's units, above the default JIT threshold (100k): compiling took ~115 ms of a
    // ~1 s query, so JIT starts at 1M (queries that read millions of lines, where it can pay for itself).
    connection: { work_mem: '32MB', jit_above_cost: '1000000' },
  });
  try {
    await sql`select 1`;
  } catch (err) {
    await sql.end({ timeout: 1 }).catch(() => {});
    throw new AppError('db:connect', `Cannot connect to PostgreSQL at ${redact(url)}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const db = drizzlePostgres({ client: sql, schema }) as unknown as Db;
  const query = async <T>(text: string, params: unknown[] = []) =>
    (await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[])) as unknown as T[];
  return {
    kind: 'postgres',
    label: redact(url),
    db,
    query,
    async withConnection(fn) {
      const reserved = await sql.reserve();
      try {
        const held = session(
          async <T>(text: string, params: unknown[] = []) => (await reserved.unsafe(text, params as postgres.ParameterOrJSON<never>[])) as unknown as T[],
          () => drizzlePostgres({ client: withOptionsOf(reserved, sql), schema }) as unknown as Db,
        );
        return await fn(
          Object.assign(held, {
            exec: async (script: string) => lastRows(await reserved.unsafe(script).simple()),
            async copyIn(table: string, columns: readonly string[], lines: Parameters<Connection['copyIn']>[2]) {
              const target = await reserved
                .unsafe(`copy ${table} (${columns.join(', ')}) from stdin with (format csv)`)
                .writable();
              await pipeline(Readable.from(batchLines(lines, 1 << 20)), target);
            },
          }),
        );
      } finally {
        reserved.release();
      }
    },
    async transaction(fn) {
      return (await sql.begin((tx) =>
        fn(
          session(
            async <T>(text: string, params: unknown[] = []) => (await tx.unsafe(text, params as postgres.ParameterOrJSON<never>[])) as unknown as T[],
            // drizzle reads the client's type parsers from `options`, which a transaction handle does not carry.
            () => drizzlePostgres({ client: withOptionsOf(tx, sql), schema }) as unknown as Db,
          ),
        ),
      )) as Awaited<ReturnType<typeof fn>>;
    },
    exec: async (script) => lastRows(await sql.unsafe(script).simple()),
    async ping() {
      try {
        await sql`select 1`;
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}

async function openPglite(opts: OpenOptions): Promise<Database> {
  const memory = !opts.dataDir || opts.dataDir === 'memory';
  const lock = memory ? undefined : lockDataDir(opts.dataDir!, opts.purpose ?? `qm ${process.argv.slice(2, 3).join(' ')}`);
  let pg: PGlite;
  try {
    pg = await PGlite.create(memory ? undefined : opts.dataDir);
  } catch (err) {
    lock?.release();
    throw new AppError('db:open', `Cannot open the embedded database in ${opts.dataDir}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const db = drizzlePglite({ client: pg, schema }) as unknown as Db;
  const query = async <T>(text: string, params: unknown[] = []) => (await pg.query<T>(text, params)).rows;
  // PGlite has a single connection, so "holding one" needs no pooling; COPY reads from an in-memory blob,
  // fed in bounded batches so a large import never sits in memory whole.
  const conn: Connection = {
    query,
    db,
    async exec(script) {
      const results = await pg.exec(script);
      return (results[results.length - 1]?.rows ?? []) as Row[];
    },
    async copyIn(table, columns, lines) {
      const statement = `copy ${table} (${columns.join(', ')}) from '/dev/blob' with (format csv)`;
      for await (const chunk of batchLines(lines, 4 << 20)) {
        // Our byte chunks are Buffers over plain ArrayBuffers (never shared memory).
        await pg.query(statement, [], { blob: new Blob([chunk as string | Uint8Array<ArrayBuffer>]) });
      }
    },
  };
  // One connection serves everyone: sessions (transactions, staging tables) take turns, or their statements
  // would interleave inside each other's transactions.
  let turn: Promise<unknown> = Promise.resolve();
  const withConnection = <T>(fn: (c: Connection) => Promise<T>): Promise<T> => {
    const run = turn.then(() => fn(conn));
    turn = run.catch(() => {});
    return run;
  };
  let closed = false;
  return {
    kind: 'pglite',
    label: memory ? 'an in-memory embedded database' : `the embedded database in ${opts.dataDir}`,
    db,
    query,
    withConnection,
    exec: conn.exec,
    transaction: (fn) =>
      withConnection(() =>
        pg.transaction((tx) =>
          fn(
            session(
              async (text, params = []) => (await tx.query(text, params)).rows as never,
              () => drizzlePglite({ client: tx as unknown as PGlite, schema }) as unknown as Db,
            ),
          ),
        ),
      ),
    async ping() {
      try {
        await pg.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await pg.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/** Encodes values as one line of PostgreSQL COPY CSV: null → NULL, strings always quoted. */
export function copyCsvLine(values: readonly (string | number | null | undefined)[]): string {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    if (v === null || v === undefined) continue;
    if (typeof v === 'number') {
      out += String(v);
      continue;
    }
    // Postgres text cannot hold NUL; quotes are doubled inside a quoted field.
    const clean = v.includes('\0') ? v.replaceAll('\0', '') : v;
    out += `"${clean.includes('"') ? clean.replaceAll('"', '""') : clean}"`;
  }
  return `${out}\n`;
}

/** Joins lines into chunks of about `size` characters: one COPY message per chunk, not per row. Bytes pass as they are. */
async function* batchLines(lines: AsyncIterable<string | Uint8Array>, size: number): AsyncGenerator<string | Uint8Array> {
  let parts: string[] = [];
  let length = 0;
  for await (const line of lines) {
    if (typeof line !== 'string') {
      if (parts.length > 0) yield parts.join('');
      parts = [];
      length = 0;
      yield line;
      continue;
    }
    parts.push(line);
    length += line.length;
    if (length >= size) {
      yield parts.join('');
      parts = [];
      length = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}

/** A transaction's Session; its drizzle handle is made on first use (most transactions only run raw statements). */
function session(query: Queryable['query'], makeDb: () => Db): Session {
  let db: Db | undefined;
  return {
    query,
    get db() {
      db ??= makeDb();
      return db;
    },
  };
}

/** A postgres.js transaction handle that answers `options` (type parsers and serializers) as its pool does. */
function withOptionsOf(tx: postgres.TransactionSql | postgres.ReservedSql, pool: postgres.Sql): postgres.Sql {
  return new Proxy(tx, { get: (target, key, receiver) => (key === 'options' ? pool.options : Reflect.get(target, key, receiver)) }) as unknown as postgres.Sql;
}
