// A throwaway PostgreSQL primary with a streaming replica, on free ports in a temporary directory, for tests of read
// replicas (the machine's own server is not set up for replication). Needs the PostgreSQL server binaries and, when
// run as root, the `postgres` OS user to own the clusters. `unavailable()` says why a pair cannot be started here.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type ReplicaPair = { primaryUrl: string; replicaUrl: string; stop(): void };

const binDir = (): string | undefined => {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
};

/** Why a pair cannot be started on this machine, or undefined when it can. */
export function unavailable(): string | undefined {
  if (!binDir()) return 'PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) are not installed';
  if (process.getuid?.() === 0) {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root without a postgres OS user to own the clusters';
    }
  }
  return undefined;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** Starts a primary and a streaming replica of it (a few seconds). */
export async function startReplicaPair(): Promise<ReplicaPair> {
  const bin = binDir()!;
  const dir = mkdtempSync(join(tmpdir(), 'qm-replica-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));
  const run = (cmd: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : cmd, asRoot ? ['-u', 'postgres', '--', cmd, ...args] : args, { stdio: 'pipe', timeout: 120_000 });
  const [p, r] = [await freePort(), await freePort()];
  const primary = join(dir, 'p');
  const replica = join(dir, 'r');
  run(join(bin, 'initdb'), ['-D', primary, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  execFileSync('sh', ['-c', `echo "host replication all 127.0.0.1/32 trust" >> ${primary}/pg_hba.conf`]);
  run(join(bin, 'pg_ctl'), ['-D', primary, '-o', `-p ${p} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', join(dir, 'p.log'), '-w', 'start']);
  const stopAll = () => {
    for (const d of [replica, primary]) {
      if (existsSync(join(d, 'postmaster.pid'))) {
        try {
          run(join(bin, 'pg_ctl'), ['-D', d, '-m', 'immediate', '-w', 'stop']);
        } catch {
          // already stopped
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run(join(bin, 'pg_basebackup'), ['-h', '127.0.0.1', '-p', String(p), '-U', 'postgres', '-D', replica, '-R']);
    run(join(bin, 'pg_ctl'), ['-D', replica, '-o', `-p ${r} -k ${dir} -c listen_addresses=127.0.0.1`, '-l', join(dir, 'r.log'), '-w', 'start']);
  } catch (err) {
    stopAll();
    throw err;
  }
  return { primaryUrl: `postgres://postgres@127.0.0.1:${p}/postgres`, replicaUrl: `postgres://postgres@127.0.0.1:${r}/postgres`, stop: stopAll };
}
