// qm sourcing and qm import bids as a user runs them: real processes, exit codes and --json shapes, the embedded
// database on disk. Runs the compiled CLI: `npm test` builds first (pretest).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../src/paths.js';

const qm = projectPath('bin', 'qm.js');

function run(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [qm, ...args], { env: { ...process.env, DATABASE_URL: '', QM_LOG_LEVEL: 'warn', ...env }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('qm sourcing', () => {
  it('creates, lists, shows, issues through governance, imports bids and writes the RFx', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qm-sourcing-cli-'));
    const env = { QM_DATA_DIR: join(dir, 'db') };
    const users = join(dir, 'users.csv');
    writeFileSync(users, 'email,name,roles\nbuyer@example.com,Bea Buyer,buyer\npm@example.com,Pat Manager,procurement_manager\n');
    expect(run(['import', 'users', users, '--json'], env).code).toBe(0);

    const created = run(['sourcing', 'create', 'Office cleaning for three sites', '--category', '76111501', '--budget', '120000', '--line', 'CLN-01;Daily office clean;12;month', '--line', 'CLN-01;Daily office clean;12;month', '--line', 'CLN-09;Window cleaning;4;visit', '--as', 'buyer@example.com', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    const event = JSON.parse(created.stdout);
    expect(event).toEqual({ id: expect.any(String), number: 1, title: 'Office cleaning for three sites', status: 'draft' });

    const listed = JSON.parse(run(['sourcing', 'list', '--json'], env).stdout);
    expect(listed.events.map((e: { number: number; status: string }) => [e.number, e.status])).toEqual([[1, 'draft']]);
    const shown = JSON.parse(run(['sourcing', 'show', '1', '--json'], env).stdout);
    expect(shown.lines.map((l: { itemCode: string }) => l.itemCode)).toEqual(['CLN-01', 'CLN-01', 'CLN-09']);
    expect(run(['sourcing', 'show', '42'], env)).toMatchObject({ code: 1, stderr: expect.stringContaining('No sourcing event has the number or id "42"') });

    // Bids before the RFx is issued: nothing imported, exit 1, the reason in the summary.
    const bids = join(dir, 'bids.csv');
    writeFileSync(bids, 'Bidder,Line,Item,Description,Unit Price,Line Total,Currency\nAcme Ltd,1,CLN-01,Daily office clean,1000,12000,GBP\nAcme Ltd,2,CLN-01,Daily office clean,900,10900,GBP\nAcme Ltd,3,CLN-09,Window cleaning,250,1000,GBP\nZed Ltd,1,CLN-01,Daily office clean,950,,GBP\nZed Ltd,9,CLN-01,Daily office clean,950,,GBP\n');
    const early = run(['import', 'bids', bids, '--event', '1', '--json'], env);
    expect(early.code).toBe(1);
    expect(JSON.parse(early.stdout).error).toContain('once its RFx is issued');

    const issued = run(['sourcing', 'issue', '1', '--as', 'buyer@example.com', '--json'], env);
    expect(issued.code, issued.stderr).toBe(0);
    const approval = JSON.parse(issued.stdout).approval.number;
    expect(run(['approvals', 'approve', String(approval), '--as', 'pm@example.com'], env).code).toBe(0);
    expect(JSON.parse(run(['sourcing', 'show', '1', '--json'], env).stdout).status).toBe('rfx_issued');

    const imported = run(['import', 'bids', bids, '--event', '1', '--json'], env);
    expect(imported.code).toBe(3);
    expect(JSON.parse(imported.stdout)).toMatchObject({ kind: 'bids', read: 5, imported: 4, duplicates: 0, rejected: [{ line: 6, reason: expect.stringContaining('line 9 is not a line of the event') }] });
    expect(imported.stderr).toContain("Acme Ltd's total 10900 for line 2 is not quantity × unit price (10800)");

    // The award waits for approval with the event marked so, then creates the contracts.
    const award = run(['sourcing', 'award', '1', '--scenario', 'split_lowest', '--as', 'buyer@example.com', '--json'], env);
    expect(award.code, award.stderr).toBe(0);
    const awardApproval = JSON.parse(award.stdout);
    expect(awardApproval).toMatchObject({ outcome: 'needs_approval', ruleId: 'award' });
    expect(JSON.parse(run(['sourcing', 'show', '1', '--json'], env).stdout).status).toBe('award_proposed');
    expect(run(['approvals', 'approve', String(awardApproval.approval.number), '--as', 'pm@example.com'], env).code).toBe(0);
    const done = JSON.parse(run(['sourcing', 'show', '1', '--json'], env).stdout);
    expect(done.status).toBe('awarded');
    expect(done.award.contracts.length).toBeGreaterThan(0);
    expect(run(['sourcing', 'cancel', '1', '--reason', 'too late'], env)).toMatchObject({ code: 1, stderr: expect.stringContaining('cannot become cancelled') });

    const out = join(dir, 'rfx.docx');
    expect(run(['sourcing', 'rfx', '1', '--out', out], env).code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(out).subarray(0, 2).toString()).toBe('PK'); // a Word file is a zip
    const md = run(['sourcing', 'rfx', '1'], env);
    expect(md.stdout).toContain('# Request for Quotation: Office cleaning for three sites');
  }, 300_000);
});
