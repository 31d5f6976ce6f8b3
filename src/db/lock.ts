// Guards an embedded (PGlite) data directory: PGlite serves one process, and two processes opening the same
// directory both "succeed" and then lose each other's writes. A pid file taken with O_EXCL prevents that.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors.js';

export type DirLock = { release(): void };

const LOCK_FILE = 'qm.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the data directory's lock or throws `db:locked` naming the process that holds it and what to do. */
export function lockDataDir(dir: string, purpose: string): DirLock {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, purpose, since: new Date().toISOString() }));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.removeListener('exit', release);
        rmSync(path, { force: true });
      };
      process.on('exit', release);
      return { release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder: { pid?: number; purpose?: string } = {};
      try {
        holder = JSON.parse(readFileSync(path, 'utf8'));
      } catch {
        // A lock file being written right now, or a torn one: treat as held unless its owner is gone.
      }
      if (typeof holder.pid === 'number' && !alive(holder.pid)) {
        rmSync(path, { force: true }); // stale: its process died without cleaning up
        continue;
      }
      throw new AppError(
        'db:locked',
        `The embedded database in ${dir} is in use by another Quartermaster process` +
          `${holder.pid ? ` (pid ${holder.pid}${holder.purpose ? `, ${holder.purpose}` : ''})` : ''}.\n` +
          'The embedded database serves one process at a time. Stop that process and run this command again, ' +
          'or set DATABASE_URL to a PostgreSQL server, which any number of processes and app instances can share.',
      );
    }
  }
  throw new AppError('db:locked', `Could not take the lock on ${path}; remove it if no Quartermaster process is running.`);
}
