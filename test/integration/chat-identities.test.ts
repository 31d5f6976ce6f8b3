// Chat identities: `qm import users` writes Slack and Teams ids into chat_identities, where people are resolved
// from; a second user cannot claim an id; a re-import moves an id; and migration 0010 carries the ids stored in the
// old users columns over.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUser } from '../../src/db/approvals.js';
import { chatIdentityOf, userByChatIdentity } from '../../src/db/chat-identities.js';
import type { Database } from '../../src/db/client.js';
import { runImport } from '../../src/imports/run.js';
import { projectPath } from '../../src/paths.js';
import { testDatabases } from '../helpers/databases.js';

const D = 'example.test';
const AAD = '6f1c2b9e-0d3a-4c55-9a1e-2b7c8d9e0f11';

describe.each(testDatabases)('chat identities on $name', ({ open }) => {
  let database: Database;
  let dir: string;
  const importUsers = async (name: string, rows: string[][]) => {
    const path = join(dir, name);
    await writeFile(path, `${rows.map((r) => r.join(',')).join('\n')}\n`);
    return runImport({ database }, 'users', path);
  };

  beforeAll(async () => {
    database = await open();
    dir = await mkdtemp(join(tmpdir(), 'qm-identities-'));
  });
  afterAll(async () => {
    await database?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('imports slack_user_id and teams_aad_object_id into chat_identities, resolvable both ways', async () => {
    const report = await importUsers('users.csv', [
      ['email', 'name', 'roles', 'slack_user_id', 'teams_aad_object_id'],
      [`ada@${D}`, 'Ada Byron', 'approver', 'U0ADA0001', AAD.toUpperCase()],
      [`bob@${D}`, 'Bob Smith', 'requester', 'U0BOB0002', ''],
    ]);
    expect(report.rejected).toEqual([]);
    expect(report.imported).toBe(2);

    const ada = await userByChatIdentity(database, { platform: 'slack', externalId: 'U0ADA0001' });
    expect(ada?.email).toBe(`ada@${D}`);
    // Teams object ids are GUIDs: matched whatever their case, stored in lower case.
    expect((await userByChatIdentity(database, { platform: 'teams', externalId: AAD }))?.email).toBe(`ada@${D}`);
    expect((await userByChatIdentity(database, { platform: 'teams', externalId: AAD, tenant: 'some-tenant' }))?.email).toBe(`ada@${D}`);
    // A Slack id is not a Teams id.
    expect(await userByChatIdentity(database, { platform: 'teams', externalId: 'U0ADA0001' })).toBeUndefined();
    expect(await chatIdentityOf(database, ada!.id, 'slack')).toBe('U0ADA0001');
    expect(await chatIdentityOf(database, ada!.id, 'teams')).toBe(AAD);
    // findUser (deciding, --as) still accepts a chat id.
    expect((await findUser(database, 'U0BOB0002'))?.email).toBe(`bob@${D}`);
    // The old columns are no longer written.
    const [row] = await database.query<{ slack_user_id: string | null }>('select slack_user_id from users where email = $1', [`ada@${D}`]);
    expect(row?.slack_user_id).toBeNull();
  });

  it('re-importing the same ids changes nothing; an id of another user is rejected; a new id replaces the old', async () => {
    const again = await importUsers('again.csv', [
      ['email', 'name', 'roles', 'slack_user_id'],
      [`ada@${D}`, 'Ada Byron', 'approver', 'U0ADA0001'],
    ]);
    expect(again.duplicates).toBe(1);
    expect(again.imported).toBe(0);

    const clash = await importUsers('clash.csv', [
      ['email', 'name', 'roles', 'slack_user_id'],
      [`bob@${D}`, 'Bob Smith', 'requester', 'U0ADA0001'],
    ]);
    expect(clash.rejected).toEqual([expect.objectContaining({ line: 2, reason: 'this Slack user id already belongs to another user' })]);
    expect((await userByChatIdentity(database, { platform: 'slack', externalId: 'U0ADA0001' }))?.email).toBe(`ada@${D}`);

    const moved = await importUsers('moved.csv', [
      ['email', 'name', 'roles', 'slack_user_id'],
      [`bob@${D}`, 'Bob Smith', 'requester', 'U0BOB0NEW'],
    ]);
    expect(moved.imported).toBe(1);
    expect((await userByChatIdentity(database, { platform: 'slack', externalId: 'U0BOB0NEW' }))?.email).toBe(`bob@${D}`);
    expect(await userByChatIdentity(database, { platform: 'slack', externalId: 'U0BOB0002' })).toBeUndefined();
  });

  it('migration 0010 copies the ids stored in the old users columns (and is idempotent)', async () => {
    await database.query(
      `insert into users (email, name, roles, slack_user_id, teams_aad_object_id)
       values ($1, 'Carl Old', '{approver}', 'U0CARL003', $2), ($3, 'Dora Old', '{requester}', null, null)`,
      [`carl@${D}`, 'A0B1C2D3-0000-4000-8000-00000000000C', `dora@${D}`],
    );
    expect(await userByChatIdentity(database, { platform: 'slack', externalId: 'U0CARL003' })).toBeUndefined();
    const sql = await readFile(projectPath('migrations/0010_chat_identities_backfill.sql'), 'utf8');
    for (let run = 0; run < 2; run++) {
      for (const statement of sql.split('--> statement-breakpoint')) await database.query(statement);
    }
    expect((await userByChatIdentity(database, { platform: 'slack', externalId: 'U0CARL003' }))?.email).toBe(`carl@${D}`);
    expect((await userByChatIdentity(database, { platform: 'teams', externalId: 'a0b1c2d3-0000-4000-8000-00000000000c' }))?.email).toBe(`carl@${D}`);
    const [count] = await database.query<{ n: number }>("select count(*)::int as n from chat_identities where platform = 'slack'");
    expect(count?.n).toBe(3);
  });
});
