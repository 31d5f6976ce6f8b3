// The local credential: a random secret the server writes at start into its data directory, readable only by
// the account that runs it (mode 0600). `qm ask`, `qm approvals`, `qm tokens` and `qm web link` read it to prove
// to a running server that they are the local operator, who may name the acting user with `as`. Any other
// process on the machine, or a browser page reaching loopback, cannot read the file and gets nothing more
// than an anonymous loopback caller would.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE = 'qm.local-credential';

/** Where the credential lives in a data directory. */
export function localCredentialPath(dataDir: string): string {
  return join(dataDir, FILE);
}

/** Writes a fresh credential (replacing any earlier one) and returns it with the function that removes it. */
export function writeLocalCredential(dataDir: string): { credential: string; remove(): void } {
  mkdirSync(dataDir, { recursive: true });
  const path = localCredentialPath(dataDir);
  const credential = `qm_local_${randomBytes(32).toString('base64url')}`;
  // Remove first: a file someone else pre-created (with looser permissions) must not be reused.
  rmSync(path, { force: true });
  writeFileSync(path, `${credential}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return {
    credential,
    remove() {
      try {
        if (readFileSync(path, 'utf8').trim() === credential) rmSync(path, { force: true });
      } catch {
        // already gone
      }
    },
  };
}

/** The credential a running server wrote, if this process may read it. */
export function readLocalCredential(dataDir: string): string | undefined {
  const path = localCredentialPath(dataDir);
  try {
    // A credential readable by other accounts is not trusted: someone may have planted or read it.
    if ((statSync(path).mode & 0o077) !== 0) return undefined;
    const text = readFileSync(path, 'utf8').trim();
    return text.length > 0 ? text : undefined;
  } catch {
    return undefined;
  }
}
