// GET /readyz over real HTTP: ready when the database answers, every shipped migration is applied and the job queue
// answers; 503 naming what is missing when a migration is not applied (an older database under a newer instance)
// or the job queue is gone. GET /healthz stays the liveness check. Both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createHttpApp } from '../../src/http/app.js';
import { listen, type RunningServer } from '../../src/http/server.js';
import { type JobQueue, openJobQueue } from '../../src/jobs/queue.js';
import { silentLogger } from '../../src/log.js';
import { testDatabases } from '../helpers/databases.js';

type Readiness = { status: string; checks: Record<string, { ok: boolean; detail?: string }> };

describe.each(testDatabases)('readiness on $name', ({ open }) => {
  let database: Database;
  let jobs: JobQueue;
  let server: RunningServer;

  beforeAll(async () => {
    database = await open();
    jobs = await openJobQueue({ database, log: silentLogger, queues: ['readiness-probe'] });
    server = await listen(createHttpApp({ database, log: silentLogger, mcp: { allowedHosts: [] }, jobs }), { port: 0, host: '127.0.0.1', log: silentLogger });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  const readyz = async () => {
    const res = await fetch(`${server.url}/readyz`, { headers: { connection: 'close' } });
    return { status: res.status, body: (await res.json()) as Readiness };
  };

  it('is ready with the database migrated and the job queue up, and says what is missing otherwise', async () => {
    const ok = await readyz();
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('ready');
    expect(Object.values(ok.body.checks).every((c) => c.ok)).toBe(true);
    expect(ok.body.checks.migrations!.detail).toMatch(/^(\d+) of \1 applied$/);

    // The newest migration not applied (this instance is newer than the database): not ready.
    const [last] = await database.query<{ id: number; hash: string; created_at: string }>(
      'select id, hash, created_at::text from drizzle.__drizzle_migrations order by created_at desc limit 1',
    );
    await database.query('delete from drizzle.__drizzle_migrations where id = $1', [last!.id]);
    try {
      const behind = await readyz();
      expect(behind.status).toBe(503);
      expect(behind.body.checks.migrations).toMatchObject({ ok: false });
      expect((await fetch(`${server.url}/healthz`, { headers: { connection: 'close' } })).status).toBe(200);
    } finally {
      await database.query('insert into drizzle.__drizzle_migrations (id, hash, created_at) values ($1, $2, $3::bigint)', [last!.id, last!.hash, last!.created_at]);
    }
    expect((await readyz()).status).toBe(200);

    // The job queue stopped: not ready.
    await jobs.stop();
    const stopped = await readyz();
    expect(stopped.status).toBe(503);
    expect(stopped.body.checks.jobs).toEqual({ ok: false });
  });
});
