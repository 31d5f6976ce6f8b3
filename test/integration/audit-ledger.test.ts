// The hash-chained audit ledger on both databases: appends (concurrent, and from two app instances on one
// server), the append-only triggers, tamper detection, evidence packs verified offline, retention and metrics.
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyPackFile, writePack } from '../../src/audit/export.js';
import { GENESIS_HASH } from '../../src/audit/hash.js';
import { appendAuditIn, createLedger, MAX_RATIONALE } from '../../src/audit/ledger.js';
import { computeMetrics } from '../../src/audit/metrics.js';
import { pruneLedger } from '../../src/audit/prune.js';
import { verifyLedger } from '../../src/audit/verify.js';
import { auditEventsAfter } from '../../src/db/audit.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { appendMany, event, reset, tamper, useLedgerDatabase } from '../helpers/audit.js';
import { createServerDatabase, testDatabases } from '../helpers/databases.js';

const DAY = 86_400_000;

describe.each(testDatabases)('audit ledger on $name', ({ name, open }) => {
  const withDatabase = useLedgerDatabase(open);

  it('appends chained events that read back exactly as returned, and verifies', () =>
    withDatabase(async (database) => {
      const ledger = createLedger(database);
      const at = new Date('2025-03-01T09:30:00.123Z');
      const a = await ledger.append({
        actorType: 'agent',
        actor: 'spend',
        action: 'policy_decision',
        subjectType: 'proposal',
        subjectId: 'p-1',
        rationale: '  Under the auto-approve limit.  ',
        data: {
          outcome: 'auto',
          nul: 'a\u0000b',
          lone: 'x\ud800y',
          when: new Date(0),
          skip: undefined,
          nan: Number.NaN,
          nums: [1e21, 1e-7, 0.1, -0],
          nested: { z: 1, a: [{ b: null }] },
          '\u0000key': 1,
        },
        policyVersion: 'v3',
        at,
      });
      expect(a).toMatchObject({ seq: 1, at: '2025-03-01T09:30:00.123Z', prevHash: GENESIS_HASH, rationale: 'Under the auto-approve limit.' });
      expect(a.data).toEqual({
        outcome: 'auto',
        nul: 'ab',
        lone: 'x\ufffdy',
        when: '1970-01-01T00:00:00.000Z',
        nan: null,
        nums: [1e21, 1e-7, 0.1, 0],
        nested: { z: 1, a: [{ b: null }] },
        key: 1,
      });
      const b = await ledger.append(event(2, { rationale: 'r'.repeat(MAX_RATIONALE + 50) }));
      expect(b).toMatchObject({ seq: 2, prevHash: a.hash, subjectType: null, subjectId: null, policyVersion: null });
      expect(b.rationale).toHaveLength(MAX_RATIONALE);
      expect(b.rationale.endsWith('…')).toBe(true);
      expect(await auditEventsAfter(database, 0, 10)).toEqual([a, b]);
      expect(await verifyLedger(database)).toEqual({ ok: true, events: 2, head: { seq: 2, hash: b.hash } });

      await expect(ledger.append(event(3, { rationale: '  ' }))).rejects.toThrow(/rationale .* is required/);
      await expect(ledger.append(event(3, { data: { n: 1n } }))).rejects.toThrow(/JSON-serialisable/);
      await expect(ledger.append(event(3, { at: new Date('nope') }))).rejects.toThrow(/valid Date/);
      expect(await verifyLedger(database)).toMatchObject({ ok: true, events: 2 });
    }));

  it('group-commits 200 concurrent appends into one gapless valid chain', () =>
    withDatabase(async (database) => {
      // Counts what the ledger opens: a transaction, or a held connection for one.
      let transactions = 0;
      const counted: Database = {
        ...database,
        transaction: (fn) => {
          transactions++;
          return database.transaction(fn);
        },
        withConnection: (fn) => {
          transactions++;
          return database.withConnection(fn);
        },
      };
      const ledger = createLedger(counted);
      const stored = await Promise.all(Array.from({ length: 200 }, (_, i) => ledger.append(event(i))));
      expect(stored.map((e) => e.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      // Each call got its own event back.
      expect(stored.map((e) => e.data.i)).toEqual(Array.from({ length: 200 }, (_, i) => i));
      // And a second wave arriving while the first commits.
      const wave = Array.from({ length: 50 }, (_, i) => ledger.append(event(1000 + i)));
      await ledger.flush();
      expect((await Promise.all(wave)).map((e) => e.seq).sort((x, y) => x - y)[49]).toBe(250);
      expect(await verifyLedger(database, { pageSize: 37 })).toMatchObject({ ok: true, events: 250, head: { seq: 250 } });
      expect(transactions).toBe(2); // one batch per wave
    }));

  it('rejects every call of a batch that fails, and carries on afterwards', () =>
    withDatabase(async (database) => {
      let down = true;
      const flaky: Database = {
        ...database,
        transaction: (fn) => (down ? Promise.reject(new Error('connection terminated unexpectedly')) : database.transaction(fn)),
      };
      const ledger = createLedger(flaky);
      const settled = await Promise.allSettled([1, 2, 3].map((i) => ledger.append(event(i))));
      for (const r of settled) {
        expect(r).toMatchObject({ status: 'rejected', reason: { code: 'audit:append', message: expect.stringMatching(/connection terminated/) } });
      }
      down = false;
      expect((await ledger.append(event(4))).seq).toBe(1);
      expect(await verifyLedger(database)).toMatchObject({ ok: true, events: 1 });
    }));

  it('keeps one chain when several ledgers share the table and a prune moves the tail under them', () =>
    withDatabase(async (database) => {
      // Separate Database objects get separate ledgers (separate queues and remembered tails), as separate app
      // instances would: each one's remembered tail keeps going stale under the other's appends.
      const a = createLedger(database);
      const b = createLedger({ ...database });
      expect(b).not.toBe(a);
      const old = new Date(Date.now() - 400 * DAY);
      for (let i = 0; i < 6; i++) {
        await a.append(event(i, { at: old }));
        await a.append(event(i, { at: old }));
        await b.append(event(i, { at: old }));
      }
      await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 3 ? a : b).append(event(i))));
      expect(await pruneLedger(database, new Date(Date.now() - DAY))).toMatchObject({ removed: 18, beforeSeq: 19, event: { seq: 59 } });
      const after = await Promise.all([a.append(event(100)), b.append(event(101)), a.append(event(102))]);
      expect(after.map((e) => e.seq).sort((x, y) => x - y)).toEqual([60, 61, 62]);
      expect(await verifyLedger(database)).toMatchObject({ ok: true, events: 44, head: { seq: 62 } });
      // A ledger emptied behind the ledgers' backs (the test reset does this) starts again at #1.
      await reset(database);
      expect((await a.append(event(0))).seq).toBe(1);
      expect((await b.append(event(0))).seq).toBe(2);
      expect(await verifyLedger(database)).toMatchObject({ ok: true, events: 2 });
    }));

  it('appends inside a caller transaction atomically with its work', () =>
    withDatabase(async (database) => {
      const ledger = createLedger(database);
      await ledger.append(event(1));
      await expect(
        database.transaction(async (tx) => {
          await appendAuditIn(tx, [event(2), event(3)]);
          throw new Error('decision failed');
        }),
      ).rejects.toThrow('decision failed');
      const inTx = await database.transaction((tx) => appendAuditIn(tx, [event(4), event(5)]));
      expect(inTx.map((e) => e.seq)).toEqual([2, 3]);
      expect((await ledger.append(event(6))).seq).toBe(4);
      expect(await verifyLedger(database)).toMatchObject({ ok: true, events: 4 });
    }));

  it('refuses UPDATE, DELETE and TRUNCATE', () =>
    withDatabase(async (database) => {
      await appendMany(database, 3);
      await expect(database.query(`update audit_events set actor = 'mallory' where seq = 2`)).rejects.toThrow(/append-only: UPDATE/);
      await expect(database.query('delete from audit_events where seq = 2')).rejects.toThrow(/append-only: DELETE/);
      await expect(database.query('truncate audit_events')).rejects.toThrow(/append-only: TRUNCATE/);
      expect(await verifyLedger(database)).toMatchObject({ ok: true, events: 3 });
    }));

  it('names the altered event when a row is changed behind the triggers', () =>
    withDatabase(async (database) => {
      await appendMany(database, 10);
      await tamper(database, `update audit_events set data = '{"i": 99}'::jsonb where seq = 6`);
      const r = await verifyLedger(database, { pageSize: 4 });
      expect(r).toMatchObject({ ok: false, events: 5, broken: { seq: 6, action: 'import', reason: expect.stringMatching(/contents altered/) } });
    }));

  it('names the deleted event when a middle row is removed, and a removed prefix without a prune record', async () => {
    await withDatabase(async (database) => {
      await appendMany(database, 10);
      await tamper(database, 'delete from audit_events where seq = 7');
      expect(await verifyLedger(database)).toMatchObject({ ok: false, events: 6, broken: { seq: 7, at: null, reason: expect.stringMatching(/missing/) } });
    });
    await withDatabase(async (database) => {
      await appendMany(database, 5);
      await tamper(database, 'delete from audit_events where seq <= 2');
      expect(await verifyLedger(database)).toMatchObject({ ok: false, events: 0, broken: { seq: 3, reason: expect.stringMatching(/no audit_pruned/) } });
    });
  });

  it('exports an evidence pack that verifies offline, and names the event of a modified line', () =>
    withDatabase(async (database) => {
      const t0 = Date.parse('2025-01-01T00:00:00Z');
      // Days 0..9, with event 6 dated back to day 1 (a late-arriving event): it stays in the pack's stretch.
      await appendMany(database, 10, (i) => ({ at: new Date(t0 + (i === 6 ? 1 : i - 1) * DAY) }));
      const dir = await mkdtemp(join(tmpdir(), 'qm-audit-'));
      const file = join(dir, 'pack.jsonl');
      const out = createWriteStream(file);
      const summary = await writePack(database, { from: new Date(t0 + 3 * DAY), to: new Date(t0 + 8 * DAY) }, out, { pageSize: 2 });
      await new Promise<void>((resolve) => out.end(resolve));
      expect(summary).toMatchObject({ events: 5, firstSeq: 4, lastSeq: 8 });

      const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
      expect(lines).toHaveLength(7);
      const header = JSON.parse(lines[0]!);
      const all = await auditEventsAfter(database, 0, 100);
      expect(header).toMatchObject({
        type: 'header',
        format: 'quartermaster-audit/1',
        from: '2025-01-04T00:00:00.000Z',
        to: '2025-01-09T00:00:00.000Z',
        firstPrevHash: all[2]!.hash,
        algorithm: expect.stringMatching(/SHA-256/),
      });
      expect(JSON.parse(lines[3]!)).toEqual({ type: 'event', ...all[5] });
      expect(JSON.parse(lines[6]!)).toEqual({ type: 'footer', events: 5, headHash: all[7]!.hash, anchor: { seq: 10, hash: all[9]!.hash, at: header.exportedAt } });
      expect(await verifyPackFile(file)).toMatchObject({ ok: true, events: 5, head: { seq: 8, hash: all[7]!.hash } });

      const altered = JSON.parse(lines[2]!);
      altered.data.i = 500;
      await writeFile(file, [...lines.slice(0, 2), JSON.stringify(altered), ...lines.slice(3)].join('\n'));
      expect(await verifyPackFile(file)).toMatchObject({ ok: false, events: 1, broken: { seq: 5, reason: expect.stringMatching(/altered/) } });

      await writeFile(file, lines.slice(0, -2).join('\n'));
      expect(await verifyPackFile(file)).toMatchObject({ ok: false, broken: { reason: expect.stringMatching(/truncated/) } });

      await writeFile(file, [lines[0]!, ...lines.slice(2)].join('\n'));
      expect(await verifyPackFile(file)).toMatchObject({ ok: false, broken: { seq: 5, reason: expect.stringMatching(/stated predecessor/) } });
    }));

  it('prunes a prefix, records the anchor, and still verifies', () =>
    withDatabase(async (database) => {
      const now = Date.now();
      await appendMany(database, 8, (i) => ({ at: new Date(now - (i <= 5 ? 100 : 1) * DAY) }));
      const all = await auditEventsAfter(database, 0, 100);
      const r = await pruneLedger(database, new Date(now - 30 * DAY));
      expect(r).toMatchObject({ removed: 5, beforeSeq: 6, anchorHash: all[4]!.hash, event: { seq: 9, action: 'audit_pruned' } });
      if (!('event' in r)) throw new Error('expected a prune');
      expect(r.event.data).toEqual({ beforeSeq: 6, anchorHash: all[4]!.hash, removed: 5 });
      expect((await auditEventsAfter(database, 0, 100)).map((e) => e.seq)).toEqual([6, 7, 8, 9]);
      expect(await verifyLedger(database)).toMatchObject({ ok: true, events: 4, head: { seq: 9 } });
      // The exception lasted only for the prune's transaction.
      await expect(database.query('delete from audit_events where seq = 6')).rejects.toThrow(/append-only/);
      expect(await pruneLedger(database, new Date(now - 30 * DAY))).toEqual({ removed: 0, cutoff: new Date(now - 30 * DAY).toISOString() });

      // Everything is old: the new audit_pruned event itself becomes the first kept event.
      await createLedger(database).append(event(10));
      const later = Date.now() + 60_000; // a prune run a minute from now, when every event is older than its cutoff
      const r2 = await pruneLedger(database, new Date(later), { now: new Date(later + 1000) });
      expect(r2).toMatchObject({ removed: 5, beforeSeq: 11, event: { seq: 11 } });
      expect(await verifyLedger(database)).toMatchObject({ ok: true, events: 1, head: { seq: 11 } });
      await createLedger(database).append(event(12));
      expect(await verifyLedger(database)).toMatchObject({ ok: true, events: 2, head: { seq: 12 } });
      await expect(pruneLedger(database, new Date(Date.now() + DAY))).rejects.toThrow(/in the future/);

      // A forged anchor is caught: the audit_pruned event's own hash covers it.
      await tamper(database, `update audit_events set data = jsonb_set(data, '{anchorHash}', '"${'f'.repeat(64)}"') where seq = 11`);
      expect(await verifyLedger(database)).toMatchObject({ ok: false, broken: { seq: 11 } });
    }));

  it('computes the success metrics from the events of a period', () =>
    withDatabase(async (database) => {
      const ledger = createLedger(database);
      const at = new Date('2025-05-10T12:00:00Z');
      const decision = (proposedBy: string, actionKind: string, outcome: string) =>
        ledger.append({ actorType: 'system', actor: 'governance', action: 'policy_decision', rationale: 'r', at, data: { proposedBy, actionKind, outcome } });
      const resolved = (proposedBy: string, actionKind: string, status: string, cycleMs: number) =>
        ledger.append({ actorType: 'system', actor: 'approvals', action: 'approval_resolved', rationale: 'r', at, data: { proposedBy, actionKind, status, cycleMs } });
      const executed = (proposedBy: string, kind: string, authorisedBy: string) =>
        ledger.append({ actorType: 'system', actor: 'executor', action: 'action_executed', rationale: 'r', at, data: { proposedBy, kind, authorisedBy } });
      await decision('spend', 'purchase', 'auto');
      await decision('spend', 'purchase', 'auto');
      await decision('spend', 'purchase', 'needs_approval');
      await decision('spend', 'purchase', 'needs_approval');
      await decision('spend', 'purchase', 'needs_approval');
      await decision('spend', 'purchase', 'deny');
      await resolved('spend', 'purchase', 'approved', 1000);
      await resolved('spend', 'purchase', 'approved', 3000);
      await resolved('spend', 'purchase', 'rejected', 2000);
      await resolved('spend', 'purchase', 'expired', 99_000);
      await executed('spend', 'purchase', 'autonomy:autonomous');
      await executed('spend', 'purchase', 'autonomy:act_with_notice');
      await executed('spend', 'purchase', 'approval');
      await executed('spend', 'purchase', 'approval');
      await ledger.append({ actorType: 'user', actor: 'a@x', action: 'action_reversed', rationale: 'r', at, data: { proposedBy: 'spend', kind: 'purchase', actionId: 'a1' } });
      await decision('user', 'purchase', 'needs_approval');
      await resolved('user', 'purchase', 'approved', 5000);
      await decision('contract', 'renewal_notice', 'auto');
      // Outside the period, and not a metric event: ignored.
      await ledger.append({ actorType: 'system', actor: 'governance', action: 'policy_decision', rationale: 'r', at: new Date('2025-07-01T00:00:00Z'), data: { proposedBy: 'spend', actionKind: 'purchase', outcome: 'auto' } });
      await ledger.append(event(0, { at }));

      const m = await computeMetrics(database, { from: new Date('2025-05-01T00:00:00Z'), to: new Date('2025-06-01T00:00:00Z') }, { pageSize: 3 });
      expect(m.rows.map((r) => `${r.agent}/${r.actionKind}`)).toEqual(['contract/renewal_notice', 'spend/purchase', 'user/purchase']);
      expect(m.rows[1]).toEqual({
        agent: 'spend',
        actionKind: 'purchase',
        proposals: 6,
        denied: 1,
        auto: 2,
        needsApproval: 3,
        executed: 4,
        touchless: 2,
        touchlessRate: 0.5,
        cycleP50Ms: 2000,
        cycleP90Ms: 3000,
        decided: 3,
        agreed: 2,
        agreementRate: 2 / 3,
        overrides: 1,
        reversals: 1,
      });
      expect(m.rows[0]).toMatchObject({ proposals: 1, auto: 1, executed: 0, touchlessRate: null, cycleP50Ms: null, decided: 0, agreementRate: null });
      expect(m.rows[2]).toMatchObject({ proposals: 1, needsApproval: 1, decided: 0, agreementRate: null, cycleP50Ms: 5000 });
      expect(m.overall).toMatchObject({
        agent: '*',
        actionKind: '*',
        proposals: 8,
        denied: 1,
        auto: 3,
        needsApproval: 4,
        executed: 4,
        touchless: 2,
        touchlessRate: 0.5,
        cycleP50Ms: 2000,
        cycleP90Ms: 5000,
        decided: 3,
        agreed: 2,
        overrides: 1,
        reversals: 1,
      });
    }));

  it.skipIf(name !== 'postgres')('keeps one valid chain when two app instances append concurrently', async () => {
    const server = await createServerDatabase();
    const one = await openDatabase({ url: server.url, poolSize: 4 });
    const two = await openDatabase({ url: server.url, poolSize: 4 });
    try {
      const writes = (database: Database, tag: string) =>
        Promise.all(
          Array.from({ length: 8 }, async (_, w) => {
            for (let i = 0; i < 25; i++) await createLedger(database).append(event(i, { actor: `${tag}-${w}` }));
          }),
        );
      const burst = (database: Database, tag: string) => Promise.all(Array.from({ length: 100 }, (_, i) => createLedger(database).append(event(i, { actor: tag }))));
      await Promise.all([writes(one, 'one'), writes(two, 'two'), burst(one, 'one-burst'), burst(two, 'two-burst')]);
      const r = await verifyLedger(one);
      expect(r).toMatchObject({ ok: true, events: 600, head: { seq: 600 } });
      expect(await verifyLedger(two)).toEqual(r);
    } finally {
      await one.close();
      await two.close();
      await server.drop();
    }
  });
});
