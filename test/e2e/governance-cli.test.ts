// Governance end to end as operators use it: a purchase asked for in plain words with the rule planner, routed
// by the authority matrix, approved level by level with `qm approvals` by the right people (and refused for
// the wrong ones), the purchase order raised once, and the whole story in a ledger that verifies.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { projectPath } from '../../src/paths.js';

const qm = projectPath('bin', 'qm.js');
const D = 'demo.quartermaster.dev';

function run(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [qm, ...args], {
    env: { ...process.env, DATABASE_URL: '', QM_LOG_LEVEL: 'warn', OPENAI_API_KEY: '', ...env },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Runs the compiled CLI: `npm test` builds first (pretest).
describe('governance through the qm CLI', () => {
  it('buys 200 laptops: proposal → policy → route → approvals by the right roles → PO → verified ledger', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qm-gov-'));
    const env = { QM_DATA_DIR: join(dir, 'db') };
    expect(run(['demo'], env).code).toBe(0);

    const asked = run(['ask', 'Can we buy 200 laptops from Dell for £250,000?', '--as', `alice.moreno@${D}`, '--json'], env);
    expect(asked.code).toBe(0);
    const turn = JSON.parse(asked.stdout);
    expect(turn.actions).toHaveLength(1);
    expect(turn.actions[0]).toMatchObject({ kind: 'create_purchase_order', amount: { value: '250000.00', currency: 'GBP' } });
    expect(turn.decisions).toHaveLength(1);
    const decision = turn.decisions[0];
    expect(decision).toMatchObject({ outcome: 'needs_approval', approval: { number: expect.any(Number) } });
    expect(decision.reason).toMatch(/budget holder, then the procurement manager, then the CFO.*po-100k-plus/);
    expect(turn.answer).toContain(`Sent for approval #${decision.approval.number}`);
    const id = String(decision.approval.number);

    const pending = run(['approvals', 'list', '--as', `daniel.reyes@${D}`, '--json'], env);
    expect(JSON.parse(pending.stdout).map((a: { number: number }) => a.number)).toEqual([decision.approval.number]);
    expect(JSON.parse(run(['approvals', 'list', '--as', `frank.osei@${D}`, '--json'], env).stdout)).toEqual([]);

    // The requester, a buyer, and the CFO out of turn are all refused; nothing changes.
    for (const who of ['alice.moreno', 'ben.okafor', 'frank.osei']) {
      const refused = run(['approvals', 'approve', id, '--as', `${who}@${D}`], env);
      expect(refused.code, `${who} must be refused`).toBe(1);
    }
    expect(run(['approvals', 'approve', id, '--as', `daniel.reyes@${D}`], env).stdout).toMatch(/now waits for Level 2/);
    expect(run(['approvals', 'approve', id, '--as', `daniel.reyes@${D}`], env).stderr).toMatch(/You already approved this at .* \(approval #\d+, Level 1: budget holder\)/);
    expect(run(['approvals', 'approve', id, '--as', `ivy.patel@${D}`], env).code).toBe(0);
    const final = run(['approvals', 'approve', id, '--as', `frank.osei@${D}`, '--reason', 'Budgeted refresh', '--json'], env);
    expect(final.code).toBe(0);
    const result = JSON.parse(final.stdout);
    expect(result).toMatchObject({ status: 'recorded', approval: { status: 'approved' }, execution: { status: 'done', kind: 'create_purchase_order' } });
    const poNumber = String(result.execution.result.poNumber);
    expect(run(['approvals', 'approve', id, '--as', `frank.osei@${D}`], env).stderr).toMatch(/You already approved this at .*; it is approved\./);
    expect(run(['approvals', 'approve', id, '--as', `mia.santos@${D}`], env).stderr).toMatch(/was already approved by Frank Osei \(frank\.osei@/);

    const shown = run(['approvals', 'show', id], env).stdout;
    expect(shown).toMatch(/Daniel Reyes as budget holder: approve/);
    expect(shown).toMatch(/Frank Osei as cfo: approve .* “Budgeted refresh”/);

    const verified = run(['audit', 'verify'], env);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/Audit ledger verified: \d+ events/);
    const metrics = JSON.parse(run(['metrics', '--json'], env).stdout);
    expect(JSON.stringify(metrics)).toContain('create_purchase_order');

    const database = await openDatabase({ dataDir: join(dir, 'db') });
    try {
      const pos = await database.query<{ total: string; requester_email: string }>('select total::text, requester_email from purchase_orders where po_number = $1', [poNumber]);
      expect(pos).toEqual([{ total: '250000.0000', requester_email: `alice.moreno@${D}` }]);
      const story = await database.query<{ action: string }>(
        `select action from audit_events where action in ('turn', 'tool_call', 'proposal', 'policy_decision', 'approval_requested', 'approval_decision', 'approval_resolved', 'action_executed') order by seq`,
      );
      const kinds = story.map((s) => s.action);
      for (const k of ['turn', 'tool_call', 'proposal', 'policy_decision', 'approval_requested', 'approval_decision', 'approval_resolved', 'action_executed']) {
        expect(kinds, k).toContain(k);
      }
      expect(kinds.indexOf('policy_decision')).toBeLessThan(kinds.indexOf('approval_requested'));
      expect(kinds.lastIndexOf('approval_resolved')).toBeLessThan(kinds.indexOf('action_executed'));
    } finally {
      await database.close();
    }
  }, 900_000);
});
