// One run of a monitor at a time: concurrent runs (the same process, or two app instances with their own pools on
// a PostgreSQL server) take turns; a scheduled run skips while another holds the monitor; a run whose process died
// holds it only until its lease lapses. Both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestClaims } from '../../src/chat/request-claims.js';
import type { Database } from '../../src/db/client.js';
import { silentLogger } from '../../src/log.js';
import { runExclusively } from '../../src/monitors/exclusive.js';
import { runMonitor } from '../../src/monitors/runner.js';
import type { Monitor } from '../../src/monitors/types.js';
import { hasServer, testDatabases } from '../helpers/databases.js';
import { withTwoInstances } from '../helpers/instances.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A monitor that finds nothing and notes how many of its runs overlap. */
function probe(name: string) {
  const seen = { running: 0, most: 0, runs: 0 };
  const monitor: Monitor = {
    name,
    description: 'counts overlapping runs',
    async run() {
      seen.running++;
      seen.runs++;
      seen.most = Math.max(seen.most, seen.running);
      await sleep(150);
      seen.running--;
      return [];
    },
  };
  return { monitor, seen };
}

describe.each(testDatabases)('monitor runs on $name', ({ open }) => {
  let database: Database;
  const deps = () => ({ database, log: silentLogger, now: () => new Date() });

  beforeAll(async () => {
    database = await open();
  });

  afterAll(async () => {
    await database?.close();
  });

  it('never runs one monitor twice at once: asked runs wait their turn, scheduled ones skip', async () => {
    const { monitor, seen } = probe('probe-a');
    const reports = await Promise.all([runMonitor(deps(), monitor), runMonitor(deps(), monitor), runMonitor(deps(), monitor)]);
    expect(seen).toMatchObject({ runs: 3, most: 1 });
    expect(reports.every((r) => r.skipped === undefined)).toBe(true);

    const running = runMonitor(deps(), monitor);
    await sleep(50);
    const scheduled = await runMonitor(deps(), monitor, { ifRunning: 'skip' });
    expect(scheduled.skipped).toBe('running elsewhere');
    await running;
    expect(seen).toMatchObject({ runs: 4, most: 1 });
    // Once it ended, a scheduled run goes ahead.
    expect((await runMonitor(deps(), monitor, { ifRunning: 'skip' })).skipped).toBeUndefined();
  });

  it('lets a run go ahead once the lease of a run whose process died has lapsed', async () => {
    // A run that took the lease and never renewed it (its process was killed).
    const dead = await createRequestClaims({ database, log: silentLogger }).hold('monitor-run:probe-b', 'monitor:run', 200);
    expect(dead).toBeDefined();
    expect(await runExclusively(deps(), 'probe-b', { ifRunning: 'skip' }, async () => 'ran')).toEqual({ ran: false });
    const started = Date.now();
    expect(await runExclusively(deps(), 'probe-b', { ifRunning: 'wait' }, async () => 'ran')).toEqual({ ran: true, value: 'ran' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe.skipIf(!hasServer)('monitor runs across app instances on a PostgreSQL server', () => {
  it('runs a monitor on one instance at a time when two race for it', () =>
    withTwoInstances(async (a, b) => {
      const { monitor, seen } = probe('probe-c');
      const on = (database: Database, ifRunning: 'wait' | 'skip' = 'wait') => runMonitor({ database, log: silentLogger, now: () => new Date() }, monitor, { ifRunning });
      await Promise.all([on(a), on(b), on(a), on(b)]);
      expect(seen).toMatchObject({ runs: 4, most: 1 });
      const scheduled = await Promise.all([on(a), on(b, 'skip')]);
      expect(seen.most).toBe(1);
      expect(scheduled.filter((r) => r.skipped).length).toBeLessThanOrEqual(1);
    }));
});
