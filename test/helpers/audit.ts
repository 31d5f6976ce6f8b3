// Ledger helpers shared by the audit suites: one database per suite, test events, appending a run of them, and
// tampering behind the append-only triggers as a superuser would.
import { afterAll, beforeAll } from 'vitest';
import { createLedger } from '../../src/audit/ledger.js';
import type { AuditEvent, AuditEventInput } from '../../src/audit/types.js';
import type { Database } from '../../src/db/client.js';

/** Event number `i`: an import by the system, `data: { i }`. */
export const event = (i: number, extra: Partial<AuditEventInput> = {}): AuditEventInput => ({
  actorType: 'system',
  actor: 'test',
  action: 'import',
  rationale: `event ${i}`,
  data: { i },
  ...extra,
});

/** Runs `sql` with the append-only triggers off, as a superuser tampering with the table would. */
export async function tamper(database: Database, sql: string): Promise<void> {
  await database.query('alter table audit_events disable trigger user');
  try {
    await database.query(sql);
  } finally {
    await database.query('alter table audit_events enable trigger user');
  }
}

/** Empties the ledger between tests (behind the triggers: nothing else may). */
export const reset = (database: Database): Promise<void> => tamper(database, 'truncate audit_events');

/** Appends events 1…n one at a time; `extra(i)` adjusts each. */
export async function appendMany(database: Database, n: number, extra: (i: number) => Partial<AuditEventInput> = () => ({})): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  for (let i = 1; i <= n; i++) out.push(await createLedger(database).append(event(i, extra(i))));
  return out;
}

/**
 * Opens one database for the calling suite (closed after it) and returns `withDatabase(fn)`, which empties its
 * ledger and runs `fn` on it.
 */
export function useLedgerDatabase(open: () => Promise<Database>): (fn: (db: Database) => Promise<void>) => Promise<void> {
  let shared: Database | undefined;
  beforeAll(async () => {
    shared = await open();
  });
  afterAll(async () => {
    await shared?.close();
  });
  return async (fn) => {
    await reset(shared!);
    await fn(shared!);
  };
}
