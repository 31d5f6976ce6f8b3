// `qm web link --as <email>`: prints one single-use sign-in URL for the web app (ten minutes). Opens the database
// itself, or, while a running `qm serve` holds the embedded one, asks that server, proving itself with the local
// credential (so no other local process or browser page can mint a session).
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { createSignInLink, signInUrl } from '../access/web-sessions.js';
import { loadConfig } from '../config.js';
import { AppError, isAppError } from '../errors.js';
import { type Database, openDatabase } from '../db/client.js';
import { operatorCredential, runningServer } from './server-info.js';

type Link = { url: string; user: string; expiresAt: string };

async function linkFromServer(email: string): Promise<Link> {
  const config = loadConfig();
  const server = runningServer(config.database.dataDir);
  if (!server) throw new AppError('web:no-server', 'The embedded database is in use, but no running server was found to ask.');
  const credential = operatorCredential(config.database.dataDir, config.mcp.token);
  const res = await fetch(`${server.url}/api/web/links`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
    body: JSON.stringify({ user: email }),
  });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new AppError('web:server', `The running server at ${server.url} refused (HTTP ${res.status}): ${String(body.message ?? '')}`);
  return body as Link;
}

/** A sign-in link for `email`: from the database, or through the server that holds the embedded one. */
export async function issueSignInLink(email: string): Promise<Link> {
  const config = loadConfig();
  let database: Database;
  try {
    database = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir, poolSize: 1, purpose: 'qm web link' });
  } catch (err) {
    if (!config.database.url && isAppError(err, 'db:locked')) return linkFromServer(email);
    throw err;
  }
  try {
    const link = await createSignInLink(database, { user: email, createdBy: `operator (${userInfo().username} on the command line)` });
    const origin = config.publicUrl ?? `http://localhost:${config.http.port}`;
    return { url: signInUrl(origin, link.token), user: link.user.email, expiresAt: link.expiresAt.toISOString() };
  } finally {
    await database.close();
  }
}

/** Adds the web command. */
export function registerWeb(program: Command, setExit: (code: number) => void): void {
  const web = program.command('web').description('The web app: sign-in links');
  web
    .command('link')
    .description('Print a one-time sign-in URL for a user (works once, for 10 minutes)')
    .requiredOption('--as <email>', 'the user who signs in with it')
    .option('--json', 'print {"url","user","expiresAt"}')
    .action(async (flags: { as: string; json?: boolean }) => {
      const link = await issueSignInLink(flags.as);
      process.stdout.write(
        flags.json ? `${JSON.stringify(link)}\n` : `Sign-in link for ${link.user} (works once, until ${link.expiresAt}):\n\n  ${link.url}\n\n`,
      );
      setExit(0);
    });
}
