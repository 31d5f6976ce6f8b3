// Read replicas against a real streaming replica (a throwaway primary and its replica started by the test on free
// ports, test/helpers/replica-pair.ts): spend analytics through the MCP tools read from the replica (with its replay
// paused, another process's write is not seen there, while the primary has it), and a process that has just written
// reads its own write (the primary serves it until the replica has replayed it). Skipped, with the reason, where
// PostgreSQL's server binaries are not installed.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcpServers } from '../../mcp-servers/index.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { type ReadRouting, routeReads } from '../../src/db/replica.js';
import { loadDemo } from '../../src/demo/load.js';
import { addDecimal, compareDecimal } from '../../src/domain/money.js';
import { silentLogger } from '../../src/log.js';
import { type ReplicaPair, startReplicaPair, unavailable } from '../helpers/replica-pair.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const why = unavailable();

describe.skipIf(why !== undefined)(`read replica${why ? ` (skipped: ${why})` : ''}`, () => {
  let pair: ReplicaPair;
  let primary: Database;
  let replica: Database;
  let other: Database;
  let routing: ReadRouting;
  let client: Client;
  let closeServer: () => Promise<void>;

  const total = async (): Promise<string> => {
    const r = (await client.callTool({ name: 'spend_summary', arguments: { group_by: 'year' } })) as { structuredContent?: { totals: { currency: string; total: string }[] } };
    return r.structuredContent!.totals.find((t) => t.currency === 'GBP')!.total;
  };
  const until = async (cond: () => Promise<boolean>, timeoutMs = 20_000) => {
    const end = Date.now() + timeoutMs;
    while (!(await cond())) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const plus = addDecimal;
  const sameAmount = (a: string, b: string) => compareDecimal(a, b) === 0;
  const bump = (q: { query: Database['query'] }, amount: string) =>
    q.query('update spend_lines set amount = amount + $1::numeric where id = (select min(id) from spend_lines where currency = $2)', [amount, 'GBP']);

  beforeAll(async () => {
    pair = await startReplicaPair();
    primary = await openDatabase({ url: pair.primaryUrl, poolSize: 3 });
    await loadDemo({ database: primary, today: NOW });
    replica = await openDatabase({ url: pair.replicaUrl, poolSize: 2, migrate: false });
    other = await openDatabase({ url: pair.primaryUrl, poolSize: 1, migrate: false });
    routing = routeReads(primary, replica, silentLogger);
    const { server, cleanup } = mcpServers.spend({ database: routing.primary, readDatabase: routing.reads, log: silentLogger, now: () => NOW });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    client = new Client({ name: 'qm-test', version: '1.0.0' });
    await client.connect(clientSide);
    closeServer = async () => {
      await client.close();
      await cleanup();
    };
    const count = async (d: Database) => Number((await d.query<{ n: number }>('select count(*)::int as n from spend_lines'))[0]!.n);
    const lines = await count(primary);
    await until(async () => (await count(replica)) === lines);
  }, 180_000);

  afterAll(async () => {
    await closeServer?.();
    await routing?.close();
    await other?.close();
    await primary?.close();
    pair?.stop();
  });

  it('is a real streaming replica', async () => {
    expect((await replica.query<{ r: boolean }>('select pg_is_in_recovery() as r'))[0]!.r).toBe(true);
    expect((await primary.query<{ r: boolean }>('select pg_is_in_recovery() as r'))[0]!.r).toBe(false);
  });

  it('serves spend analytics from the replica', async () => {
    const before = await total();
    await replica.query('select pg_wal_replay_pause()');
    try {
      await bump(other, '1000000.00');
      // The primary has it; the analytics, read on the paused replica, do not yet.
      expect(routing.readsFrom()).toBe('replica');
      expect(sameAmount(await total(), before)).toBe(true);
    } finally {
      await replica.query('select pg_wal_replay_resume()');
    }
    await until(async () => sameAmount(await total(), plus(before, '1000000.00')));
  });

  it('reads its own write at once: the primary serves reads until the replica has replayed it', async () => {
    const before = await total();
    await replica.query('select pg_wal_replay_pause()');
    try {
      await routing.primary.transaction((tx) => bump(tx, '500000.00'));
      expect(routing.readsFrom()).toBe('primary');
      expect(sameAmount(await total(), plus(before, '500000.00'))).toBe(true);
    } finally {
      await replica.query('select pg_wal_replay_resume()');
    }
    expect(await routing.caughtUp()).toBe(true);
    expect(routing.readsFrom()).toBe('replica');
    expect(sameAmount(await total(), plus(before, '500000.00'))).toBe(true);
  });
});
