// Every spend line names a stored supplier (migrations/0025): checked once per statement over the new lines, and
// a supplier that lines name cannot be deleted or given another id; both refusals are foreign_key_violation.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { testDatabases } from '../helpers/databases.js';

const LINE = `insert into spend_lines (dedup_hash, dedup_seq, supplier_id, supplier_name, date, amount, currency)
  select gen_random_uuid(), 1, s::uuid, 'x', date '2024-03-01', 10.5, 'GBP' from unnest($1::text[]) s`;

async function supplier(db: Database, name: string): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    'insert into suppliers (name, normalized_name) values ($1, lower($1)) returning id',
    [name],
  );
  return row!.id;
}

/** A foreign key's refusal, as the supplier link's triggers raise it. */
const refused = { code: '23503' };

const count = async (db: Database, sql: string, params: unknown[] = []) =>
  Number((await db.query<{ n: number }>(`select count(*)::int as n from (${sql}) x`, params))[0]!.n);

describe.each(testDatabases)('the spend lines’ supplier link on $name', ({ name, open }) => {
  let db: Database;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('stores lines naming stored suppliers and refuses a whole statement naming one that is not', async () => {
    const a = await supplier(db, 'Link Alpha Ltd');
    const b = await supplier(db, 'Link Beta Ltd');
    await db.query(LINE, [[a, b, a]]);
    expect(await count(db, 'select 1 from spend_lines where supplier_id in ($1, $2)', [a, b])).toBe(3);

    const ghost = randomUUID();
    await expect(db.query(LINE, [[a, ghost, b]])).rejects.toMatchObject(refused);
    await expect(db.query(LINE, [[ghost]])).rejects.toMatchObject(refused);
    // Nothing of a refused statement lands.
    expect(await count(db, 'select 1 from spend_lines where supplier_id in ($1, $2)', [a, b])).toBe(3);
    expect(await count(db, 'select 1 from spend_lines where supplier_id = $1', [ghost])).toBe(0);

    // Moving lines to a supplier that does not exist is refused too; to one that does, allowed.
    await expect(
      db.query('update spend_lines set supplier_id = $1 where supplier_id = $2', [ghost, a]),
    ).rejects.toMatchObject(refused);
    await db.query('update spend_lines set supplier_id = $1 where supplier_id = $2', [b, a]);
    expect(await count(db, 'select 1 from spend_lines where supplier_id = $1', [b])).toBe(3);
  });

  it('keeps a supplier that lines name: no delete, no new id; one no line names goes', async () => {
    const named = await supplier(db, 'Link Gamma Ltd');
    const unnamed = await supplier(db, 'Link Delta Ltd');
    await db.query(LINE, [[named]]);
    await expect(db.query('delete from suppliers where id = $1', [named])).rejects.toMatchObject(refused);
    await expect(db.query('update suppliers set id = gen_random_uuid() where id = $1', [named])).rejects.toMatchObject(
      refused,
    );
    // Other columns of a named supplier change freely.
    await db.query(`update suppliers set name = 'Link Gamma Limited' where id = $1`, [named]);
    await db.query('delete from suppliers where id = $1', [unnamed]);
    expect(await count(db, 'select 1 from suppliers where id in ($1, $2)', [named, unnamed])).toBe(1);
  });

  it.runIf(name === 'postgres')(
    'makes a delete of the supplier wait for a transaction writing lines that name it, then refuses it',
    async () => {
      const id = await supplier(db, 'Link Epsilon Ltd');
      let release!: () => void;
      const released = new Promise<void>((r) => {
        release = r;
      });
      let inserted!: () => void;
      const insertedYet = new Promise<void>((r) => {
        inserted = r;
      });
      const writer = db.withConnection(async (conn) => {
        await conn.query('begin');
        await conn.query(LINE, [[id]]);
        inserted();
        await released;
        await conn.query('commit');
      });
      await insertedYet;
      let settled = false;
      const deletion = db.query('delete from suppliers where id = $1', [id]);
      const mark = () => {
        settled = true;
      };
      deletion.then(mark, mark);
      await new Promise((r) => setTimeout(r, 300));
      // The writer's lines are not committed yet, but the supplier they name is locked: the delete waits.
      expect(settled).toBe(false);
      release();
      await writer;
      await expect(deletion).rejects.toMatchObject(refused);
      expect(await count(db, 'select 1 from spend_lines l join suppliers s on s.id = l.supplier_id where s.id = $1', [id])).toBe(1);
    },
  );
});
