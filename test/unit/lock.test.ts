import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockDataDir } from '../../src/db/lock.js';

describe('embedded data directory lock', () => {
  it('refuses a second holder with a message saying what to do, and frees on release', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qm-lock-'));
    const first = lockDataDir(dir, 'qm serve');
    expect(() => lockDataDir(dir, 'qm import spend')).toThrow(/in use by another Quartermaster process \(pid \d+, qm serve\)[\s\S]*Stop that process[\s\S]*DATABASE_URL/);
    first.release();
    expect(existsSync(join(dir, 'qm.lock'))).toBe(false);
    lockDataDir(dir, 'again').release();
  });

  it('takes over a lock left behind by a process that died', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qm-lock-'));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(join(dir, 'qm.lock'), JSON.stringify({ pid: Number(dead), purpose: 'crashed' }));
    const lock = lockDataDir(dir, 'qm serve');
    lock.release();
  });
});
