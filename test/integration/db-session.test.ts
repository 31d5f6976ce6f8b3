// A transaction's drizzle handle runs on the transaction itself: it sees the transaction's own writes, and what it
// writes commits or rolls back with the raw statements beside it. On both databases.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { policyVersions } from '../../src/db/schema.js';
import { testDatabases } from '../helpers/databases.js';

describe.each(testDatabases)('database sessions on $name', ({ open }) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
  }, 120_000);
  afterAll(async () => {
    await database?.close();
  });

  const row = (version: string) => ({ version, authority: { rules: [] }, autonomy: {}, source: 'test' });
  const stored = async (version: string) => database.db.select().from(policyVersions).where(eq(policyVersions.version, version));

  it('reads its own uncommitted writes through both handles, and commits them together', async () => {
    const seen = await database.transaction(async (tx) => {
      await tx.db.insert(policyVersions).values(row('v-commit'));
      await tx.query(`insert into policy_versions (version, authority, autonomy, source) values ('v-raw', '{}', '{}', 'test')`);
      const viaDrizzle = await tx.db.select({ version: policyVersions.version }).from(policyVersions);
      const viaRaw = await tx.query<{ n: number }>(`select count(*)::int as n from policy_versions where version in ('v-commit', 'v-raw')`);
      return { drizzle: viaDrizzle.map((r) => r.version).sort(), raw: viaRaw[0]!.n };
    });
    expect(seen).toEqual({ drizzle: ['v-commit', 'v-raw'], raw: 2 });
    expect(await stored('v-commit')).toHaveLength(1);
    expect((await stored('v-commit'))[0]!.authority).toEqual({ rules: [] });
  });

  it('rolls back what the drizzle handle wrote when the transaction fails', async () => {
    await expect(
      database.transaction(async (tx) => {
        await tx.db.insert(policyVersions).values(row('v-rollback'));
        expect(await tx.db.select().from(policyVersions).where(eq(policyVersions.version, 'v-rollback'))).toHaveLength(1);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await stored('v-rollback')).toHaveLength(0);
  });
});
