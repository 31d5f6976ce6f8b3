// `qm audit` and `qm metrics` as a user runs them: the compiled CLI on an embedded database on disk, real exit codes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLedger } from '../../src/audit/ledger.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { projectPath } from '../../src/paths.js';

const qm = projectPath('bin', 'qm.js');

function run(args: string[], env: Record<string, string>, input?: string) {
  const r = spawnSync(process.execPath, [qm, ...args], {
    env: { ...process.env, DATABASE_URL: '', QM_LOG_LEVEL: 'warn', QM_AUDIT_RETENTION_DAYS: '', ...env },
    input,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Opens the CLI's embedded database from the test (no CLI process may be running meanwhile). */
async function withDataDir(dataDir: string, fn: (db: Database) => Promise<void>): Promise<void> {
  const database = await openDatabase({ dataDir, purpose: 'audit e2e test' });
  try {
    await fn(database);
  } finally {
    await database.close();
  }
}

// Runs the compiled CLI: `npm test` builds first (pretest).
describe('qm audit', () => {
  it('verifies (exit 0), exports and verifies a pack, prunes, and names the broken event after tampering (exit 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qm-audit-cli-'));
    const dataDir = join(dir, 'db');
    const env = { QM_DATA_DIR: dataDir };
    await withDataDir(dataDir, async (database) => {
      const ledger = createLedger(database);
      for (let i = 1; i <= 6; i++) {
        await ledger.append({
          actorType: 'agent',
          actor: 'spend',
          action: 'policy_decision',
          rationale: `decision ${i}`,
          data: { proposedBy: 'spend', actionKind: 'purchase', outcome: i % 2 ? 'auto' : 'needs_approval' },
          at: i <= 3 ? new Date(Date.UTC(2020, 0, i)) : new Date(),
        });
      }
    });

    const ok = run(['audit', 'verify'], env);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^Audit ledger verified: 6 events, head #6 [0-9a-f]{12}\n$/);
    expect(JSON.parse(run(['audit', 'verify', '--json'], env).stdout)).toMatchObject({ ok: true, events: 6, head: { seq: 6 } });

    const pack = join(dir, 'pack.jsonl');
    const exported = run(['audit', 'export', '--from', '2019-12-31', '--to', '2100-01-01', '--out', pack], env);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toMatch(/Exported 6 events, #1–#6/);
    expect(run(['audit', 'verify', '--file', pack], env)).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Audit ledger verified: 6 events, head #6/) });
    const lines = readFileSync(pack, 'utf8').split('\n');
    writeFileSync(pack, lines.map((l, i) => (i === 3 ? l.replace('decision 3', 'decision three') : l)).join('\n'));
    const badPack = run(['audit', 'verify', '--file', pack], env);
    expect(badPack.code).toBe(1);
    expect(badPack.stderr).toMatch(/^Audit ledger broken at event #3 \(2020-01-03T00:00:00\.000Z, policy_decision\): contents altered/);
    const toStdout = run(['audit', 'export', '--from', '2020-01-02', '--to', '2020-01-02'], env);
    expect(toStdout.code).toBe(0);
    expect(toStdout.stdout.trimEnd().split('\n').map((l) => JSON.parse(l).type)).toEqual(['header', 'event', 'footer']);

    expect(run(['audit', 'export', '--from', 'yesterday', '--to', '2020-01-02'], env)).toMatchObject({ code: 2, stderr: expect.stringMatching(/--from expects a date/) });
    const noRetention = run(['audit', 'prune'], env);
    expect(noRetention.code).toBe(2);
    expect(noRetention.stderr).toMatch(/QM_AUDIT_RETENTION_DAYS/);
    const pruned = run(['audit', 'prune', '--before', '2021-01-01'], env);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toMatch(/Pruned 3 audit events .*before #4.*event #7 records the anchor/);
    expect(run(['audit', 'verify'], env).stdout).toMatch(/^Audit ledger verified: 4 events, head #7 /);

    const metrics = run(['metrics', '--json'], env);
    expect(metrics.code).toBe(0);
    expect(JSON.parse(metrics.stdout).overall).toMatchObject({ proposals: 3, auto: 1, needsApproval: 2 });

    await withDataDir(dataDir, async (database) => {
      await database.query('alter table audit_events disable trigger user');
      await database.query(`update audit_events set rationale = 'decision five (edited)' where seq = 5`);
      await database.query('alter table audit_events enable trigger user');
    });
    const broken = run(['audit', 'verify'], env);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toMatch(/^Audit ledger broken at event #5 \(\d{4}-\d{2}-\d{2}T[\d:.]+Z, policy_decision\): contents altered/);
  }, 900_000);
  it('anchors the head; deleting the two newest ledger events fails qm audit verify --anchor (plain verify passes); export and anchor of a tampered ledger exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qm-audit-anchor-cli-'));
    const env = { QM_DATA_DIR: join(dir, 'db') };
    const anchorFile = join(dir, 'anchor.json');

    const empty = run(['audit', 'anchor', '--out', anchorFile], env);
    expect(empty).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(/the audit ledger is empty: there is no head to anchor yet/) });
    expect(existsSync(anchorFile)).toBe(false);

    await withDataDir(env.QM_DATA_DIR, async (database) => {
      for (let i = 1; i <= 6; i++) {
        await createLedger(database).append({ actorType: 'system', actor: 'test', action: 'import', rationale: `import ${i}`, data: { i } });
      }
    });
    const anchored = run(['audit', 'anchor', '--out', anchorFile], env);
    expect(anchored.code).toBe(0);
    expect(anchored.stdout).toBe('');
    expect(anchored.stderr).toMatch(/^Anchored head #6 [0-9a-f]{12} at \d{4}-\d{2}-\d{2}T[\d:.]+Z to .*anchor\.json\n$/);
    const anchor = JSON.parse(readFileSync(anchorFile, 'utf8'));
    expect(Object.keys(anchor)).toEqual(['seq', 'hash', 'at']);
    expect(anchor).toMatchObject({ seq: 6, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const toStdout = run(['audit', 'anchor', '--out', '-'], env);
    expect(toStdout.code).toBe(0);
    expect(JSON.parse(toStdout.stdout)).toMatchObject({ seq: 6, hash: anchor.hash });

    const reached = run(['audit', 'verify', '--anchor', anchorFile], env);
    expect(reached).toMatchObject({ code: 0, stderr: '' });
    expect(reached.stdout).toMatch(/^Audit ledger verified: 6 events, head #6 [0-9a-f]{12}; anchored head #6 \(taken [^)]+\) reached\n$/);

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"seq": 6, "hash": "not hex", "at": "2025-01-01T00:00:00Z"}');
    expect(run(['audit', 'verify', '--anchor', bad], env)).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^qm: .*bad\.json is not an anchor: "hash" is not 64 lowercase hex digits/) });
    expect(run(['audit', 'verify', '--anchor', join(dir, 'none.json')], env)).toMatchObject({ code: 2, stderr: expect.stringMatching(/^qm: Cannot read the anchor /) });
    expect(run(['audit', 'verify', '--anchor', anchorFile, '--file', bad], env)).toMatchObject({ code: 2, stderr: expect.stringMatching(/cannot be combined with --file/) });

    // A superuser deletes the two newest events behind the append-only triggers.
    await withDataDir(env.QM_DATA_DIR, async (database) => {
      await database.query('alter table audit_events disable trigger user');
      await database.query('delete from audit_events where seq > 4');
      await database.query('alter table audit_events enable trigger user');
    });
    expect(run(['audit', 'verify'], env)).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Audit ledger verified: 4 events, head #4 /) });
    const caught = run(['audit', 'verify', '--anchor', anchorFile], env);
    expect(caught.code).toBe(1);
    expect(caught.stdout).toBe('');
    expect(caught.stderr).toBe(
      `Audit ledger broken at event #5 (missing): the chain no longer reaches the anchored head #6 (hash ${anchor.hash.slice(0, 12)}, anchored ${anchor.at}): events after #4 are missing\n`,
    );
    // The anchor can come from standard input (e.g. fetched from an object store).
    expect(run(['audit', 'verify', '--anchor', '-'], env, JSON.stringify(anchor))).toMatchObject({ code: 1, stderr: expect.stringMatching(/events after #4 are missing/) });

    await withDataDir(env.QM_DATA_DIR, async (database) => {
      await database.query('alter table audit_events disable trigger user');
      await database.query(`update audit_events set rationale = 'import two (edited)' where seq = 2`);
      await database.query('alter table audit_events enable trigger user');
    });
    const pack = join(dir, 'pack.jsonl');
    const exported = run(['audit', 'export', '--from', '2000-01-01', '--to', '2100-01-01', '--out', pack], env);
    expect(exported.code).toBe(1);
    expect(exported.stderr).toMatch(/^Exported 4 events, #1–#4/);
    expect(exported.stderr).toMatch(/\nAudit ledger broken at event #2 \([^)]+, import\): contents altered.*\nqm: the evidence pack was written to .*pack\.jsonl, but the ledger it comes from does not verify/);
    const footer = JSON.parse(readFileSync(pack, 'utf8').trimEnd().split('\n').at(-1)!);
    expect(footer).toMatchObject({ type: 'footer', events: 4, anchor: null, ledgerBroken: { seq: 2 } });
    // The edited event lies inside the pack, so the pack itself shows it (a break outside it, its footer).
    expect(run(['audit', 'verify', '--file', pack], env)).toMatchObject({ code: 1, stderr: expect.stringMatching(/^Audit ledger broken at event #2 \([^)]+\): contents altered/) });
    const noAnchor = run(['audit', 'anchor', '--out', join(dir, 'anchor2.json')], env);
    expect(noAnchor).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(/broken at event #2.*\nqm: no anchor written: the ledger does not verify\n$/s) });
    expect(existsSync(join(dir, 'anchor2.json'))).toBe(false);
  }, 900_000);
});
