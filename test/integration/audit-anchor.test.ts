// Tail deletion and who may delete at all, on both databases: anchors (`qm audit anchor`, `verify --anchor`, the
// evidence pack's footer), deletion only through the qm_audit_prune SECURITY DEFINER function, and, on the real
// server, an app role without DELETE on the ledger and a superuser deleting the newest events behind the triggers.
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { anchorOf, type LedgerAnchor, parseAnchor } from '../../src/audit/anchor.js';
import { verifyPackFile, writePack } from '../../src/audit/export.js';
import { createLedger } from '../../src/audit/ledger.js';
import { pruneLedger } from '../../src/audit/prune.js';
import { verifyLedger } from '../../src/audit/verify.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { appendMany, event, tamper, useLedgerDatabase } from '../helpers/audit.js';
import { createServerDatabase, testDatabases } from '../helpers/databases.js';

const DAY = 86_400_000;

/** The anchor `qm audit anchor` would write now. */
async function takeAnchor(database: Database): Promise<LedgerAnchor> {
  const r = await verifyLedger(database);
  if (!r.ok || !r.head) throw new Error('expected a verified, non-empty ledger');
  return anchorOf(r.head, new Date());
}

describe.each(testDatabases)('audit anchors on $name', ({ name, open }) => {
  const withDatabase = useLedgerDatabase(open);

  it('passes while the chain reaches the anchor, and fails naming the missing tail once the two newest events are deleted', () =>
    withDatabase(async (database) => {
      await appendMany(database, 6);
      const anchor = await takeAnchor(database);
      expect(Object.keys(anchor)).toEqual(['seq', 'hash', 'at']);
      expect(anchor.seq).toBe(6);
      expect(await verifyLedger(database, { anchor })).toMatchObject({ ok: true, events: 6, anchor: { seq: 6, confirmedBy: 'event' } });
      await appendMany(database, 2);
      expect(await verifyLedger(database, { anchor, pageSize: 3 })).toMatchObject({ ok: true, events: 8, anchor: { confirmedBy: 'event' } });

      await tamper(database, 'delete from audit_events where seq > 6');
      expect(await verifyLedger(database, { anchor })).toMatchObject({ ok: true, events: 6 });
      await tamper(database, 'delete from audit_events where seq > 4');
      // The chain alone cannot tell: what is left still verifies.
      expect(await verifyLedger(database)).toMatchObject({ ok: true, events: 4, head: { seq: 4 } });
      expect(await verifyLedger(database, { anchor })).toMatchObject({
        ok: false,
        events: 4,
        broken: {
          seq: 5,
          at: null,
          reason: expect.stringMatching(
            new RegExp(`^the chain no longer reaches the anchored head #6 \\(hash ${anchor.hash.slice(0, 12)}, anchored ${anchor.at}\\): events after #4 are missing$`),
          ),
        },
      });
    }));

  it('names the anchored event whose hash changed when the tail is deleted and written again, and fails an emptied ledger', () =>
    withDatabase(async (database) => {
      await appendMany(database, 6);
      const anchor = await takeAnchor(database);
      await tamper(database, 'delete from audit_events where seq >= 5');
      await createLedger({ ...database }).append(event(50));
      await createLedger({ ...database }).append(event(60));
      expect(await verifyLedger(database)).toMatchObject({ ok: true, events: 6, head: { seq: 6 } });
      const r = await verifyLedger(database, { anchor });
      expect(r).toMatchObject({ ok: false, broken: { seq: 6, action: 'import', reason: expect.stringMatching(/^event #6 has hash [0-9a-f]{12}, the anchor \(taken .*\) says [0-9a-f]{12}: the chain was rewritten at or before #6/) } });
      expect(r.ok === false && r.broken.reason).toContain(anchor.hash.slice(0, 12));

      await tamper(database, 'delete from audit_events');
      expect(await verifyLedger(database)).toEqual({ ok: true, events: 0 });
      expect(await verifyLedger(database, { anchor })).toMatchObject({ ok: false, broken: { seq: 1, reason: expect.stringMatching(/^the ledger is empty: the anchored head #6/) } });
    }));

  it('accepts an anchored event removed by a recorded prune: by its recorded hash at the boundary, by the prune record further back', () =>
    withDatabase(async (database) => {
      const now = Date.now();
      const old = (i: number) => ({ at: new Date(now - (i <= 5 ? 100 : 1) * DAY) });
      await appendMany(database, 3, old);
      const atThree = await takeAnchor(database);
      await createLedger(database).append(event(4, old(4)));
      await createLedger(database).append(event(5, old(5)));
      const atFive = await takeAnchor(database);
      await appendMany(database, 3, () => old(6));
      expect(await pruneLedger(database, new Date(now - 30 * DAY))).toMatchObject({ removed: 5, beforeSeq: 6, anchorHash: atFive.hash, event: { seq: 9 } });

      expect(await verifyLedger(database, { anchor: atFive })).toMatchObject({ ok: true, anchor: { seq: 5, confirmedBy: 'prune_anchor', pruneSeq: 9 } });
      expect(await verifyLedger(database, { anchor: atThree })).toMatchObject({ ok: true, anchor: { seq: 3, confirmedBy: 'prune', pruneSeq: 9 } });
      const forged = { ...atFive, hash: 'f'.repeat(64) };
      expect(await verifyLedger(database, { anchor: forged })).toMatchObject({
        ok: false,
        broken: { seq: 5, reason: expect.stringMatching(/^event #5 was pruned; audit_pruned event #9 records its hash as [0-9a-f]{12}, the anchor .* says ffffffffffff/) },
      });
      // Further back than any recorded boundary the events that could confirm the anchor are gone: the prune
      // record is all there is (see src/audit/anchor.ts; keep anchors newer than the retention horizon).
      expect(await verifyLedger(database, { anchor: { ...atThree, hash: 'f'.repeat(64) } })).toMatchObject({ ok: true, anchor: { confirmedBy: 'prune' } });
      // After the prune, removing the tail is caught as before.
      await appendMany(database, 2);
      const atEleven = await takeAnchor(database);
      await tamper(database, 'delete from audit_events where seq >= 10');
      expect(await verifyLedger(database)).toMatchObject({ ok: true, head: { seq: 9 } });
      expect(await verifyLedger(database, { anchor: atEleven })).toMatchObject({ ok: false, broken: { seq: 10, reason: expect.stringMatching(/#11 .*events after #9 are missing/) } });
    }));

  it('writes the ledger head as the evidence pack footer anchor, and marks and fails the pack of a tampered ledger', () =>
    withDatabase(async (database) => {
      const t0 = Date.parse('2025-01-01T00:00:00Z');
      await appendMany(database, 8, (i) => ({ at: new Date(t0 + i * DAY) }));
      const dir = await mkdtemp(join(tmpdir(), 'qm-anchor-'));
      const file = join(dir, 'pack.jsonl');
      const write = async (now: Date) => {
        const out = createWriteStream(file);
        const summary = await writePack(database, { from: new Date(t0 + 2 * DAY), to: new Date(t0 + 5 * DAY) }, out, { now, pageSize: 3 });
        await new Promise<void>((resolve) => out.end(resolve));
        return { summary, lines: (await readFile(file, 'utf8')).trimEnd().split('\n') };
      };
      const now = new Date('2025-02-01T00:00:00.000Z');
      const head = await takeAnchor(database);
      const { summary, lines } = await write(now);
      expect(summary).toMatchObject({ events: 3, lastSeq: 4, anchor: { seq: 8, hash: head.hash, at: now.toISOString() }, ledger: { ok: true } });
      const footer = JSON.parse(lines.at(-1)!);
      expect(footer).toEqual({ type: 'footer', events: 3, headHash: expect.any(String), anchor: { seq: 8, hash: head.hash, at: '2025-02-01T00:00:00.000Z' } });
      expect(await verifyPackFile(file)).toMatchObject({ ok: true, events: 3 });
      // The footer's anchor works as an anchor file.
      expect(await verifyLedger(database, { anchor: parseAnchor(JSON.stringify(footer.anchor), 'footer') })).toMatchObject({ ok: true, anchor: { seq: 8 } });
      // A footer anchor that contradicts the pack's events is caught.
      const contradicting = { ...footer, anchor: { ...footer.anchor, seq: 2 } };
      await writeFile(file, [...lines.slice(0, -1), JSON.stringify(contradicting)].join('\n'));
      expect(await verifyPackFile(file)).toMatchObject({ ok: false, broken: { reason: expect.stringMatching(/footer's anchor \(#2 .*\) contradicts the pack's last event #4/) } });

      await tamper(database, `update audit_events set rationale = 'edited' where seq = 7`);
      const broken = await write(now);
      expect(broken.summary).toMatchObject({ events: 3, anchor: null, ledger: { ok: false, broken: { seq: 7 } } });
      expect(JSON.parse(broken.lines.at(-1)!)).toMatchObject({ type: 'footer', events: 3, anchor: null, ledgerBroken: { seq: 7, reason: expect.stringMatching(/contents altered/) } });
      // The stretch in the pack is intact, but the pack says where it came from was not.
      expect(await verifyPackFile(file)).toMatchObject({
        ok: false,
        broken: { seq: 7, reason: expect.stringMatching(/^the footer records that the ledger this pack was exported from was broken at event #7: contents altered/) },
      });
    }));

  it('deletes only through qm_audit_prune: the prune setting opens nothing, and the function refuses an unrecorded removal', () =>
    withDatabase(async (database) => {
      await appendMany(database, 5, () => ({ at: new Date(Date.now() - 100 * DAY) }));
      await expect(
        database.transaction(async (tx) => {
          await tx.query(`set local qm.audit_prune = 'on'`);
          await tx.query('delete from audit_events where seq >= 4');
        }),
      ).rejects.toThrow(/append-only: DELETE/);
      await expect(database.query('select qm_audit_prune(3)')).rejects.toThrow(/no audit_pruned event records the removal of the events before #3/);
      await expect(database.query('select qm_audit_prune(1)')).rejects.toThrow(/before_seq must be 2 or more/);
      expect(await verifyLedger(database)).toMatchObject({ ok: true, events: 5 });

      const [fn] = await database.query<{ definer: boolean; config: string[]; public_exec: boolean }>(
        `select p.prosecdef as definer, p.proconfig as config, has_function_privilege('public', p.oid, 'execute') as public_exec
         from pg_proc p where p.proname = 'qm_audit_prune'`,
      );
      expect(fn).toEqual({ definer: true, config: [expect.stringMatching(/^search_path=pg_catalog, public, pg_temp$/)], public_exec: false });

      expect(await pruneLedger(database, new Date(Date.now() - DAY))).toMatchObject({ removed: 5, beforeSeq: 6, event: { seq: 6 } });
      expect(await verifyLedger(database)).toMatchObject({ ok: true, events: 1 });
    }));

  it('reads anchors strictly: anything but {"seq","hash","at"} is a usage error', () => {
    const ok = { seq: 3, hash: 'a'.repeat(64), at: '2025-01-01T00:00:00.000Z' };
    expect(parseAnchor(JSON.stringify(ok), 'a.json')).toEqual(ok);
    const bad: [string, RegExp][] = [
      ['not json', /a\.json is not an anchor: it is not JSON/],
      ['[1]', /not a JSON object/],
      [JSON.stringify({ ...ok, seq: 0 }), /"seq" is not a whole number of 1 or more/],
      [JSON.stringify({ ...ok, seq: '3' }), /"seq"/],
      [JSON.stringify({ ...ok, hash: 'A'.repeat(64) }), /"hash" is not 64 lowercase hex digits/],
      [JSON.stringify({ seq: 3, hash: ok.hash }), /"at" is not an ISO 8601 timestamp/],
    ];
    for (const [text, message] of bad) {
      expect(() => parseAnchor(text, 'a.json')).toThrow(expect.objectContaining({ code: 'audit:usage', message: expect.stringMatching(message) }));
    }
  });

  it.skipIf(name !== 'postgres')(
    'an app role without DELETE cannot delete, with or without the prune setting, nor prune until granted EXECUTE; a superuser deleting the two newest events fails only verify --anchor',
    async () => {
      const server = await createServerDatabase();
      const owner = await openDatabase({ url: server.url, poolSize: 2 });
      const role = `qm_app_test_${Math.random().toString(36).slice(2, 10)}`;
      const dbName = new URL(server.url).pathname.slice(1);
      let app: Database | undefined;
      try {
        const old = new Date(Date.now() - 100 * DAY);
        await appendMany(owner, 6, (i) => (i <= 2 ? { at: old } : {}));
        // The GRANTs for running the app as a non-owner role (for the ledger; other tables get the usual four).
        await owner.query(`create role ${role} nologin`);
        for (const grant of [
          `grant connect, create on database ${dbName} to ${role}`,
          `grant usage, create on schema drizzle to ${role}`,
          `grant select on drizzle.__drizzle_migrations to ${role}`,
          `grant select, insert on audit_events to ${role}`,
        ]) {
          await owner.query(grant);
        }

        // SET ROLE: the owner's session becomes the app role for one transaction.
        const asRole = (sql: string[]) =>
          owner.transaction(async (tx) => {
            await tx.query(`set local role ${role}`);
            for (const s of sql) await tx.query(s);
          });
        await expect(asRole(['delete from audit_events where seq > 4'])).rejects.toThrow(/permission denied for table audit_events/);
        await expect(asRole([`set local qm.audit_prune = 'on'`, 'delete from audit_events where seq > 4'])).rejects.toThrow(
          /permission denied for table audit_events/,
        );
        await expect(asRole(['select qm_audit_prune(3)'])).rejects.toThrow(/permission denied for function qm_audit_prune/);
        await expect(asRole(['alter table audit_events disable trigger user'])).rejects.toThrow(/must be owner of table audit_events/);

        // The app itself connected as that role (the startup parameter role= is SET ROLE at connect): it starts
        // (migrations up to date), appends and verifies, but may not prune until the operator grant.
        const url = new URL(server.url);
        url.searchParams.set('role', role);
        app = await openDatabase({ url: url.toString(), poolSize: 2 });
        expect((await app.query<{ u: string }>('select current_user as u'))[0]!.u).toBe(role);
        await createLedger(app).append(event(7));
        expect(await verifyLedger(app)).toMatchObject({ ok: true, events: 7 });
        await expect(pruneLedger(app, new Date(Date.now() - DAY))).rejects.toThrow(
          expect.objectContaining({ code: 'audit:prune', message: expect.stringMatching(/may not prune .*GRANT EXECUTE ON FUNCTION qm_audit_prune\(bigint\) TO/) }),
        );
        expect(await verifyLedger(app)).toMatchObject({ ok: true, events: 7 });
        await owner.query(`grant execute on function qm_audit_prune(bigint) to ${role}`);
        expect(await pruneLedger(app, new Date(Date.now() - DAY))).toMatchObject({ removed: 2, beforeSeq: 3, event: { seq: 8 } });
        // EXECUTE is no DELETE: the function removes only what an audit_pruned event records.
        await expect(asRole(['select qm_audit_prune(5)'])).rejects.toThrow(/no audit_pruned event records/);
        expect(await verifyLedger(app)).toMatchObject({ ok: true, events: 6, head: { seq: 8 } });

        // A superuser can always get past the triggers; the anchor taken before is what catches it.
        await appendMany(app, 2);
        const anchor = await takeAnchor(app);
        await owner.withConnection(async (conn) => {
          await conn.query(`set session_replication_role = replica`);
          try {
            await conn.query('delete from audit_events where seq >= 9');
          } finally {
            await conn.query('reset session_replication_role');
          }
        });
        expect(await verifyLedger(app)).toMatchObject({ ok: true, events: 6, head: { seq: 8 } });
        expect(await verifyLedger(app, { anchor })).toMatchObject({
          ok: false,
          broken: { seq: 9, reason: expect.stringMatching(/^the chain no longer reaches the anchored head #10 .*: events after #8 are missing$/) },
        });
      } finally {
        await app?.close();
        await owner.close();
        await server.drop();
        const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
        await admin.unsafe(`drop role if exists ${role}`);
        await admin.end();
      }
    },
    120_000,
  );
});
