// `qm tokens create|list|revoke`: personal API tokens. A token acts as its user over /api and MCP; the secret is
// printed once. Opens the database itself, or goes through the running server that holds the embedded one.
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { createToken, listTokens, revokeToken, type TokenInfo } from '../access/tokens.js';
import { loadConfig } from '../config.js';
import { AppError, isAppError } from '../errors.js';
import { createApp } from '../runtime.js';
import { operatorCredential, runningServer } from './server-info.js';

type Listed = Awaited<ReturnType<typeof listTokens>>[number];

type TokensAccess = {
  create(req: { user: string; name?: string; expires?: string; onBehalf?: boolean }): Promise<TokenInfo & { token: string }>;
  list(user?: string): Promise<Listed[]>;
  revoke(id: string): Promise<TokenInfo>;
  close(): Promise<void>;
};

async function openTokensAccess(): Promise<TokensAccess> {
  try {
    const rt = await createApp(loadConfig(), { purpose: 'qm tokens', quiet: true });
    const by = `operator (${userInfo().username} on the command line)`;
    return {
      create: (req) => createToken(rt.database, { ...req, createdBy: by }),
      list: (user) => listTokens(rt.database, user ? { user } : {}),
      revoke: (id) => revokeToken(rt.database, id, by),
      close: () => rt.close(),
    };
  } catch (err) {
    const config = loadConfig();
    const server = !config.database.url && isAppError(err, 'db:locked') ? runningServer(config.database.dataDir) : undefined;
    if (!server) throw err;
    const credential = operatorCredential(config.database.dataDir, config.mcp.token);
    const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
      const res = await fetch(`${server.url}${path}`, {
        ...init,
        headers: { 'content-type': 'application/json', ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
      });
      const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      if (!res.ok) throw new AppError('tokens:server', `The running server at ${server.url} refused (HTTP ${res.status}): ${String(body.message ?? '')}`);
      return body as T;
    };
    return {
      create: (req) => call('/api/tokens', { method: 'POST', body: JSON.stringify(req) }),
      list: async (user) => (await call<{ tokens: Listed[] }>(`/api/tokens${user ? `?user=${encodeURIComponent(user)}` : ''}`)).tokens,
      revoke: (id) => call(`/api/tokens/${encodeURIComponent(id)}/revoke`, { method: 'POST' }),
      close: async () => {},
    };
  }
}

async function withAccess<T>(fn: (a: TokensAccess) => Promise<T>): Promise<T> {
  const access = await openTokensAccess();
  try {
    return await fn(access);
  } finally {
    await access.close();
  }
}

/** Adds the tokens command. */
export function registerTokens(program: Command, setExit: (code: number) => void): void {
  const tokens = program.command('tokens').description('Personal API tokens: each acts as its user over /api and MCP');

  tokens
    .command('create')
    .description('Issue a token for a user; the secret is printed once')
    .requiredOption('--user <email>', 'the user the token acts as')
    .option('--name <name>', 'what the token is for')
    .option('--expires <when>', 'a number of days (30d) or hours (12h), a date (YYYY-MM-DD) or "never"', '90d')
    .option('--on-behalf', 'an integration token that may act for other users (as); the ledger records both')
    .option('--json', 'print {"id","name","user","token","expiresAt","onBehalf"}')
    .action(async (flags: { user: string; name?: string; expires: string; onBehalf?: boolean; json?: boolean }) => {
      const t = await withAccess((a) =>
        a.create({ user: flags.user, expires: flags.expires, onBehalf: flags.onBehalf ?? false, ...(flags.name ? { name: flags.name } : {}) }),
      );
      const shown = { id: t.id, name: t.name, user: t.user, token: t.token, expiresAt: t.expiresAt, onBehalf: t.onBehalf };
      if (flags.json) process.stdout.write(`${JSON.stringify(shown)}\n`);
      else
        process.stdout.write(
          [
            `Token "${t.name}" for ${t.user}${t.onBehalf ? ' (may act on behalf of others)' : ''}, expires ${t.expiresAt ?? 'never'}:`,
            '',
            `  ${t.token}`,
            '',
            'It is shown only now. Send it as "Authorization: Bearer <token>". Id (to revoke): ' + t.id,
            '',
          ].join('\n'),
        );
      setExit(0);
    });

  tokens
    .command('list')
    .description('Tokens with their user and state (never the secret)')
    .option('--user <email>', "only this user's tokens")
    .option('--json', 'print JSON')
    .action(async (flags: { user?: string; json?: boolean }) => {
      const list = await withAccess((a) => a.list(flags.user));
      if (flags.json) process.stdout.write(`${JSON.stringify(list)}\n`);
      else if (list.length === 0) process.stdout.write('No tokens.\n');
      else
        process.stdout.write(
          `${list
            .map((t) => `${t.id}  ${t.state.padEnd(7)}  ${t.user}  "${t.name}"${t.onBehalf ? '  on-behalf' : ''}  expires ${t.expiresAt ?? 'never'}  last used ${t.lastUsedAt ?? 'never'}`)
            .join('\n')}\n`,
        );
      setExit(0);
    });

  tokens
    .command('revoke')
    .description('Revoke a token by id; it stops working at once')
    .argument('<id>', 'the token id (qm tokens list)')
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { json?: boolean }) => {
      const t = await withAccess((a) => a.revoke(id));
      process.stdout.write(flags.json ? `${JSON.stringify(t)}\n` : `Revoked token "${t.name}" of ${t.user}.\n`);
      setExit(0);
    });
}
