// Where a running `qm serve` says it can be reached, so other `qm` commands can use it instead of the embedded
// database it holds.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLocalCredential } from '../access/local-credential.js';

const FILE = 'qm.server.json';

export type ServerInfo = { pid: number; url: string };

/** Records the server's URL in the data directory; returns the function that removes it. */
export function publishServer(dataDir: string, url: string): () => void {
  const path = join(dataDir, FILE);
  writeFileSync(path, JSON.stringify({ pid: process.pid, url } satisfies ServerInfo));
  return () => rmSync(path, { force: true });
}

/** The running server recorded in the data directory, if its process is alive. */
export function runningServer(dataDir: string): ServerInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(join(dataDir, FILE), 'utf8')) as ServerInfo;
    process.kill(info.pid, 0);
    return typeof info.url === 'string' ? info : undefined;
  } catch {
    return undefined;
  }
}

/** The bearer a local `qm` command sends to the running server: its local credential, else QM_MCP_TOKEN. */
export function operatorCredential(dataDir: string, mcpToken: string | undefined): string | undefined {
  return readLocalCredential(dataDir) ?? mcpToken;
}
