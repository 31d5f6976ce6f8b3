// Request claims on real databases: a key is held by exactly one caller (also when many race for it, and across
// two connections pools on a server), an expired claim is taken over once, and the sweep removes only expired ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/client.js';
import { claimRequest, deleteExpiredClaims } from '../../src/db/request-claims.js';
import { createServerDatabase, hasServer, testDatabases } from '../helpers/databases.js';

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

  it('sweeps expired claims only', async () => {
    await claimRequest(database, { key: 'sweep:live', kind: 'test', ttlMs: 60_000 });
    await claimRequest(database, { key: 'sweep:old', kind: 'test', ttlMs: 1 });
    await sleep(20);
    expect(await deleteExpiredClaims(database)).toBeGreaterThanOrEqual(1);
    const keys = await database.query<{ key: string }>("select key from request_claims where key like 'sweep:%'");
    expect(keys.map((k) => k.key)).toEqual(['sweep:live']);
  });
});

describe.skipIf(!hasServer)('request claims across app instances on a PostgreSQL server', () => {
  let url: string;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ url, drop } = await createServerDatabase());
  });

  afterAll(async () => {
    await drop?.();
  });

  it('gives a key to one of two instances racing for it', async () => {
    const [a, b] = [await openDatabase({ url, poolSize: 5 }), await openDatabase({ url, poolSize: 5 })];
    try {
      for (let i = 0; i < 5; i++) {
        const key = `slack:command:race-${i}`;
        const won = await Promise.all(Array.from({ length: 10 }, (_, j) => claimRequest(j % 2 ? a : b, { key, kind: 'slack:command', ttlMs: 60_000 })));
        expect(won.filter(Boolean)).toHaveLength(1);
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
