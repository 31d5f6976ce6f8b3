// Readiness for load balancers and Kubernetes: GET /readyz answers 200 only when this instance can do its work: the
// database answers, every shipped migration is applied (an instance of a newer version waits for its migrations),
// and the job queue, when this instance has one, answers. Liveness stays GET /healthz (the process answers at all).
import type { Hono } from 'hono';
import type { Database } from '../db/client.js';
import { migrationStatus } from '../db/status.js';
import type { JobQueue } from '../jobs/queue.js';

type Check = { ok: boolean; detail?: string };

/** Mounts GET /readyz. */
export function mountReadiness(app: Hono, deps: { database: Database; jobs?: JobQueue | undefined }): void {
  app.get('/readyz', async (c) => {
    const database: Check = { ok: await deps.database.ping().catch(() => false) };
    let migrations: Check = { ok: false, detail: 'database unreachable' };
    if (database.ok) {
      migrations = await migrationStatus(deps.database).then(
        ({ applied, expected }) => ({ ok: applied >= expected, detail: `${applied} of ${expected} applied` }),
        (err: Error) => ({ ok: false, detail: err.message }),
      );
    }
    const jobs: Check = deps.jobs ? { ok: await deps.jobs.ready() } : { ok: true, detail: 'no job queue in this instance' };
    const ready = database.ok && migrations.ok && jobs.ok;
    return c.json({ status: ready ? 'ready' : 'not_ready', checks: { database, migrations, jobs } }, ready ? 200 : 503);
  });
}
