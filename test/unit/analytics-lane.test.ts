import { describe, expect, it } from 'vitest';
import type { Connection, Database } from '../../src/db/client.js';
import { analyticsLane } from '../../src/db/lane.js';

/** A database whose statements finish only when the test says so, recording what started and when. */
function heldDatabase() {
  const started: string[] = [];
  const pending = new Map<string, { resolve: (rows: unknown[]) => void; reject: (err: Error) => void }>();
  let running = 0;
  let most = 0;
  const run = (text: string) =>
    new Promise<unknown[]>((resolve, reject) => {
      started.push(text);
      running++;
      most = Math.max(most, running);
      const done = () => running--;
      pending.set(text, {
        resolve: (rows) => {
          done();
          resolve(rows);
        },
        reject: (err) => {
          done();
          reject(err);
        },
      });
    });
  const database = {
    kind: 'postgres',
    label: 'held',
    db: undefined as never,
    query: (text: string) => run(text),
    exec: (script: string) => run(script),
    withConnection: async <T>(fn: (conn: Connection) => Promise<T>) => fn({ query: run } as unknown as Connection),
    transaction: async () => {
      throw new Error('not used');
    },
    ping: async () => true,
    close: async () => {},
  } as unknown as Database;
  const tick = () => new Promise((r) => setTimeout(r, 0));
  return { database, started, pending, tick, most: () => most };
}

describe('analyticsLane', () => {
  it('runs at most `concurrency` statements at once and starts the rest in the order they came', async () => {
    const h = heldDatabase();
    const lane = analyticsLane(h.database, 2);
    const answers = ['a', 'b', 'c', 'd', 'e'].map((q) => lane.query(q));
    await h.tick();
    expect(h.started).toEqual(['a', 'b']);
    h.pending.get('b')!.resolve([{ q: 'b' }]);
    await h.tick();
    expect(h.started).toEqual(['a', 'b', 'c']);
    h.pending.get('a')!.resolve([{ q: 'a' }]);
    h.pending.get('c')!.resolve([{ q: 'c' }]);
    await h.tick();
    expect(h.started).toEqual(['a', 'b', 'c', 'd', 'e']);
    h.pending.get('d')!.resolve([{ q: 'd' }]);
    h.pending.get('e')!.resolve([{ q: 'e' }]);
    expect(await Promise.all(answers)).toEqual([[{ q: 'a' }], [{ q: 'b' }], [{ q: 'c' }], [{ q: 'd' }], [{ q: 'e' }]]);
    expect(h.most()).toBe(2);
  });

  it('frees the turn of a statement that fails, and hands the failure to its caller', async () => {
    const h = heldDatabase();
    const lane = analyticsLane(h.database, 1);
    const failing = lane.query('bad');
    const next = lane.query('good');
    await h.tick();
    expect(h.started).toEqual(['bad']);
    h.pending.get('bad')!.reject(new Error('relation does not exist'));
    await expect(failing).rejects.toThrow('relation does not exist');
    await h.tick();
    expect(h.started).toEqual(['bad', 'good']);
    h.pending.get('good')!.resolve([]);
    await expect(next).resolves.toEqual([]);
  });

  it('holds a turn for the whole of a held connection, and shares the turns with statements and scripts', async () => {
    const h = heldDatabase();
    const lane = analyticsLane(h.database, 1);
    const held = lane.withConnection(async (conn) => {
      const first = await conn.query('held 1');
      return [...first, ...(await conn.query('held 2'))];
    });
    const script = lane.exec('script');
    await h.tick();
    h.pending.get('held 1')!.resolve([1]);
    await h.tick();
    expect(h.started).toEqual(['held 1', 'held 2']);
    h.pending.get('held 2')!.resolve([2]);
    await expect(held).resolves.toEqual([1, 2]);
    await h.tick();
    expect(h.started).toEqual(['held 1', 'held 2', 'script']);
    h.pending.get('script')!.resolve([]);
    await script;
    expect(h.most()).toBe(1);
  });
});
