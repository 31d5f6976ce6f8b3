// The `qm` command as a user runs it: real processes, real exit codes, the embedded database on disk.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../src/paths.js';

const qm = projectPath('bin', 'qm.js');

function run(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [qm, ...args], {
    env: { ...process.env, DATABASE_URL: '', QM_LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Runs the compiled CLI: `npm test` builds first (pretest).
describe('qm CLI', () => {
  it('imports with exit 0, 3 on rejected rows, 1 when nothing can be imported, with --json summaries', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qm-cli-'));
    const env = { QM_DATA_DIR: join(dir, 'db') };
    const good = join(dir, 'good.csv');
    writeFileSync(good, 'Date,Vendor,Amount\n2024-01-05,Alpha Ltd,10.00\n');
    const ok = run(['import', 'spend', good, '--currency', 'GBP', '--json'], env);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ kind: 'spend', read: 1, imported: 1, duplicates: 0, rejected: [], batchId: expect.any(Number) });

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'Date,Supplier,Amount\n2024-01-05,Alpha Ltd,10.00\n2024-02-30,Beta Ltd,5.00\n2024-01-06,Gamma Ltd,abc\n2024-01-07,Delta Ltd,"1,000.50"\n');
    const partial = run(['import', 'spend', bad, '--currency', 'GBP', '--json'], env);
    expect(partial.code).toBe(3);
    const summary = JSON.parse(partial.stdout);
    expect(summary.rejected.map((r: { line: number }) => r.line)).toEqual([3, 4]);
    expect(summary.duplicates).toBe(1); // line 2 is the row good.csv already brought in

    const nocol = join(dir, 'nocol.csv');
    writeFileSync(nocol, 'When,Who\n2024-01-05,Alpha\n');
    const fatal = run(['import', 'spend', nocol, '--json'], env);
    expect(fatal.code).toBe(1);
    expect(fatal.stderr).toMatch(/No column found for .*amount \(looked for/);

    expect(run(['import', 'nonsense', good], env).code).toBe(1);
    expect(run(['import', 'spend', join(dir, 'missing.csv')], env).stderr).toMatch(/No such file/);
  }, 180_000);

  it('fails at once with a clear message when the embedded database is in use by a running server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qm-cli-'));
    const env = { ...process.env, DATABASE_URL: '', QM_DATA_DIR: join(dir, 'db'), PORT: '0', QM_LOG_LEVEL: 'info' };
    const server = spawn(process.execPath, [qm, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`server did not start: ${log}`)), 60_000);
      server.stderr!.on('data', (d) => {
        log += d;
        if (log.includes('listening on')) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    const file = join(dir, 's.csv');
    writeFileSync(file, 'date,supplier,amount\n2024-01-01,A,1\n');
    const started = Date.now();
    const r = run(['import', 'spend', file, '--currency', 'GBP'], { QM_DATA_DIR: join(dir, 'db') });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/in use by another Quartermaster process \(pid \d+, qm serve\)/);
    expect(r.stderr).toMatch(/Stop that process/);
    const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(log).toMatch(/shutting down/);
  });

  it('stops at start with a message naming a badly set variable', () => {
    const r = run(['import', 'spend', 'x.csv'], { PORT: 'eighty' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/PORT="eighty": expected a port number/);
  });
});
