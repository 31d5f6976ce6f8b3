// Request claims on real databases: a key is held by exactly one caller (also when many race for it, and across
// two connections pools on a server), an expired claim is taken over once, and the sweep removes only expired ones (not one
// another instance takes over while the sweep waits for its row).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createRequestClaims } from '../../src/chat/request-claims.js';
import { claimRequest, deleteExpiredClaims, holdRequest, renewHold } from '../../src/db/request-claims.js';
import { silentLogger } from '../../src/log.js';
import { hasServer, testDatabases } from '../helpers/databases.js';
import { withTwoInstances } from '../helpers/instances.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(testDatabases)('request claims on $name', ({ open }) => {
  let database: Database;

  beforeAll(async () => {
    database = await open();
  });

  afterAll(async () => {
    await database?.close();
  });

  it('holds a key for one caller until it expires, then lets exactly one caller take it over', async () => {
    const claim = (key: string, ttlMs = 60_000) => claimRequest(database, { key, kind: 'test', ttlMs });
    expect(await claim('k:1')).toBe(true);
    expect(await claim('k:1')).toBe(false);
    expect(await claim('k:2')).toBe(true);

    const raced = await Promise.all(Array.from({ length: 20 }, () => claim('k:race')));
    expect(raced.filter(Boolean)).toHaveLength(1);

    expect(await claim('k:short', 1)).toBe(true);
    await sleep(20);
    const takeovers = await Promise.all(Array.from({ length: 10 }, () => claim('k:short')));
    expect(takeovers.filter(Boolean)).toHaveLength(1);
    expect(await claim('k:short')).toBe(false);
  });

  it('leases a request: renewed while answered, kept once done, taken over once when it lapses unanswered', async () => {
    const claims = createRequestClaims({ database, log: silentLogger });
    const first = await claims.hold('lease:1', 'test', 200);
    expect(first).toBeDefined();
    expect(await claims.hold('lease:1', 'test', 200)).toBeUndefined();
    // Renewed while the work runs, so nobody takes it over although the work outlasts the lease.
    await first!.keepWhile(() => sleep(500));
    expect(await claims.hold('lease:1', 'test', 200)).toBeUndefined();
    expect(await claims.state('lease:1')).toMatchObject({ state: 'held' });
    expect(await first!.complete(60_000)).toBe(true);
    expect(await claims.state('lease:1')).toEqual({ state: 'done' });
    await sleep(300);
    expect(await claims.hold('lease:1', 'test', 200)).toBeUndefined();

    // Its holder gone, the lease lapses unanswered: one of many takes it over, and the old holder can no longer
    // mark it answered.
    const dead = await claims.hold('lease:2', 'test', 50);
    await sleep(120);
    expect(await claims.state('lease:2')).toEqual({ state: 'free' });
    const takers = (await Promise.all(Array.from({ length: 8 }, () => claims.hold('lease:2', 'test', 60_000)))).filter((l) => l !== undefined);
    expect(takers).toHaveLength(1);
    expect([first!.takenOver, takers[0]!.takenOver]).toEqual([false, true]);
    expect(await dead!.complete(60_000)).toBe(false);
    expect(await claims.state('lease:2')).toMatchObject({ state: 'held' });
    expect(await takers[0]!.complete(60_000)).toBe(true);

    // A failed answer lets the request go at once.
    const failed = await claims.hold('lease:3', 'test', 60_000);
    await failed!.release();
    expect(await claims.hold('lease:3', 'test', 60_000)).toBeDefined();
  });

  it('sweeps expired claims only', async () => {
    await claimRequest(database, { key: 'sweep:live', kind: 'test', ttlMs: 60_000 });
    await claimRequest(database, { key: 'sweep:old', kind: 'test', ttlMs: 1 });
    await sleep(20);
    // Kept for a while past expiry (a claim taken over then is known as taken over), then swept.
    await deleteExpiredClaims(database);
    const kept = await database.query<{ key: string }>("select key from request_claims where key like 'sweep:%' order by key");
    expect(kept.map((k) => k.key)).toEqual(['sweep:live', 'sweep:old']);
    expect(await deleteExpiredClaims(database, 1000, 0)).toBeGreaterThanOrEqual(1);
    const keys = await database.query<{ key: string }>("select key from request_claims where key like 'sweep:%'");
    expect(keys.map((k) => k.key)).toEqual(['sweep:live']);
  });
});

describe.skipIf(!hasServer)('request claims across app instances on a PostgreSQL server', () => {
  it('gives a key to one of two instances racing for it', () =>
    withTwoInstances(async (a, b) => {
      for (let i = 0; i < 5; i++) {
        const key = `slack:command:race-${i}`;
        const won = await Promise.all(Array.from({ length: 10 }, (_, j) => claimRequest(j % 2 ? a : b, { key, kind: 'slack:command', ttlMs: 60_000 })));
        expect(won.filter(Boolean)).toHaveLength(1);
      }
    }, 5));

  it('keeps a lapsed claim that one instance takes over while another sweeps it', () =>
    withTwoInstances(async (a, b) => {
      const key = 'monitor-run:sweep-race';
      expect(await claimRequest(a, { key, kind: 'monitor:run', ttlMs: 1 })).toBe(true);
      await sleep(20);
      // Instance a takes the lapsed claim over in a transaction still open, while instance b's sweep, which saw the
      // claim expired, waits for it; once the takeover commits the sweep must leave the new claim alone.
      let sweep: Promise<number> | undefined;
      const taken = await a.transaction(async (tx) => {
        const hold = await holdRequest(tx, { key, kind: 'monitor:run', ttlMs: 60_000 });
        sweep = deleteExpiredClaims(b, 1000, 0);
        for (let waited = 0; waited < 5000; waited += 20) {
          const [w] = await b.query<{ n: number }>(
            "select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like 'delete from request_claims%'",
          );
          if (w!.n > 0) break;
          await sleep(20);
        }
        return hold;
      });
      expect(taken).toBeDefined();
      await sweep;
      // Still held by a: nobody else may take it (two runs of one monitor at once, or one request answered twice).
      expect(await claimRequest(b, { key, kind: 'monitor:run', ttlMs: 60_000 })).toBe(false);
      expect(await renewHold(a, taken!, 60_000)).toBe(true);
    }, 3));
});
