// The `qm` command as a user runs it: real processes, real exit codes, the embedded database on disk.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
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
  }, 900_000);

  it('prints exactly one JSON object with an error, and exits 1, whenever nothing can be read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qm-cli-'));
    const env = { QM_DATA_DIR: join(dir, 'db') };
    try {
      const good = join(dir, 'good.csv');
      writeFileSync(good, 'Date,Vendor,Amount\n2024-01-05,Alpha Ltd,10.00\n');
      // Bytes from a fixed-seed generator: the same "random" file on every run.
      let seed = 42;
      const noise = Buffer.alloc(4096);
      for (let i = 0; i < noise.length; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        noise[i] = seed >>> 24;
      }
      writeFileSync(join(dir, 'noise.csv'), noise);
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]);
      writeFileSync(join(dir, 'scan.png'), Buffer.concat([png, noise]));
      writeFileSync(join(dir, 'book.xlsx'), Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), noise]));
      // One 200 MB line without a newline, written in 1 MB pieces; the reader must stop at its line limit.
      const long = join(dir, 'long.csv');
      const fd = openSync(long, 'w');
      const piece = Buffer.alloc(1 << 20, 'x');
      for (let i = 0; i < 200; i++) writeSync(fd, piece);
      closeSync(fd);
      mkdirSync(join(dir, 'notes'));
      writeFileSync(join(dir, 'notes', 'readme.md'), '# not a CSV\n');

      const cases: [args: string[], error: RegExp][] = [
        [['spend', join(dir, 'noise.csv')], /noise\.csv looks like a binary file, not CSV\/JSON/],
        [['spend', join(dir, 'scan.png')], /scan\.png looks like a binary file, not CSV\/JSON: a PNG image/],
        [['suppliers', join(dir, 'book.xlsx')], /book\.xlsx looks like a binary file, not CSV\/JSON: a ZIP archive \(an Excel \.xlsx/],
        [['spend', long], /Line 1 is longer than 1048576 characters/],
        [['spend', join(dir, 'missing.csv')], /No such file or folder: .*missing\.csv/],
        [['spend', join(dir, 'notes')], /No files spend can import in .*notes/],
        [['nonsense', good], /unknown import kind "nonsense"/],
        [['spend', good, '--map', 'price=Amount'], /--map: unknown field "price"/],
        [['spend', good, '--map', 'amount'], /--map expects field=Column pairs/],
        [['spend', good, '--currency', 'pounds'], /--currency expects a three-letter code/],
      ];
      for (const [args, error] of cases) {
        const r = run(['import', ...args, '--json'], env);
        const what = `qm import ${args.join(' ')} → ${r.stdout}${r.stderr}`;
        expect(r.code, what).toBe(1);
        expect(r.stdout.trimEnd().split('\n'), what).toHaveLength(1);
        const kind = args[0];
        expect(JSON.parse(r.stdout), what).toEqual({ kind, read: 0, imported: 0, duplicates: 0, rejected: [], error: expect.stringMatching(error) });
        // The human message still goes to stderr.
        expect(r.stderr, what).toMatch(error);
      }

      // A usage error commander catches keeps its exit code (2) and still prints the one object.
      const usage = run(['import', 'spend', '--json'], env);
      expect(usage.code).toBe(2);
      expect(JSON.parse(usage.stdout)).toMatchObject({ kind: 'spend', read: 0, imported: 0, error: "missing required argument 'path'" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 900_000);

  it('imports a UTF-16 spend file (with or without a BOM) through the CLI', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qm-cli-'));
    const env = { QM_DATA_DIR: join(dir, 'db') };
    try {
      const csv = 'Date,Supplier,Amount\n2024-01-05,Café Émile SARL,10.00\n2024-01-06,Zürich Tools AG,"1,234.50"\n';
      const le = join(dir, 'le.csv');
      writeFileSync(le, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]));
      const r = run(['import', 'spend', le, '--currency', 'EUR', '--json'], env);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ read: 2, imported: 2, rejected: [] });
      // The same rows without a BOM, recognised by their zero high bytes: nothing new, every row a duplicate.
      const bare = join(dir, 'bare.csv');
      writeFileSync(bare, Buffer.from(csv, 'utf16le'));
      expect(JSON.parse(run(['import', 'spend', bare, '--currency', 'EUR', '--json'], env).stdout)).toMatchObject({
        read: 2,
        imported: 0,
        duplicates: 2,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);

  it('fails at once with a clear message when the embedded database is in use by a running server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qm-cli-'));
    const env = { ...process.env, DATABASE_URL: '', QM_DATA_DIR: join(dir, 'db'), PORT: '0', QM_LOG_LEVEL: 'info' };
    const server = spawn(process.execPath, [qm, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`server did not start: ${log}`)), 150_000);
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
    // It does not wait on the lock: waiting would last until spawnSync's 120 s timeout (a loaded machine may
    // still need several seconds to start node and read the config).
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/in use by another Quartermaster process \(pid \d+, qm serve\)/);
    expect(r.stderr).toMatch(/Stop that process/);
    const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(log).toMatch(/shutting down/);
  }, 240_000);

  it('stops at start with a message naming a badly set variable', () => {
    const r = run(['import', 'spend', 'x.csv'], { PORT: 'eighty' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/PORT="eighty": expected a port number/);
  });
});
