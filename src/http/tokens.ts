// /api/tokens: issue, list and revoke personal API tokens through a running server (what `qm tokens` uses while
// the server holds the embedded database). Operator only: QM_MCP_TOKEN or the local credential. A personal
// token cannot mint tokens, and an anonymous loopback caller (another local process, a browser page) gets 403.
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { createToken, listTokens, revokeToken } from '../access/tokens.js';
import type { Database } from '../db/client.js';
import { isAppError } from '../errors.js';
import { type AccessOptions, accessGuard, type Caller, callerOf } from './guard.js';
import { jsonOnly, readJson } from './input.js';

const createBody = z.object({
  user: z.string().min(1).max(320),
  name: z.string().max(100).optional(),
  expires: z.string().max(40).optional(),
  onBehalf: z.boolean().optional(),
});

/** How the operator is named in the ledger. */
export function operatorName(caller: Caller): string {
  return caller.kind === 'operator' ? `operator (${caller.via === 'mcp-token' ? 'QM_MCP_TOKEN' : 'local credential'})` : 'unknown';
}

/** Mounts /api/tokens. */
export function mountTokens(app: Hono, opts: { database: Database; access: AccessOptions; now?: () => Date }): void {
  const now = opts.now ?? (() => new Date());
  const guard = accessGuard({
    ...opts.access,
    refuse: (c, status, message) => c.json({ error: status === 401 ? 'unauthorized' : 'forbidden', message }, status),
  });
  const operatorOnly = async (c: Context, next: () => Promise<void>) => {
    if (callerOf(c).kind !== 'operator') {
      return c.json({ error: 'forbidden', message: 'Only the operator (QM_MCP_TOKEN or the local qm command) manages tokens.' }, 403);
    }
    await next();
  };
  const failed = (c: Context, err: unknown) => {
    if (isAppError(err, 'tokens:not-found')) return c.json({ error: 'not_found', message: err.message }, 404);
    if (isAppError(err, 'tokens:')) return c.json({ error: 'bad_request', message: err.message }, 400);
    throw err;
  };

  app.post('/api/tokens', guard, operatorOnly, jsonOnly, async (c) => {
    const body = createBody.safeParse(await readJson(c));
    if (!body.success) return c.json({ error: 'bad_request', message: 'Send JSON {"user": "email", "name"?, "expires"?: "30d"|"YYYY-MM-DD"|"never", "onBehalf"?: true}.' }, 400);
    try {
      const t = await createToken(opts.database, { ...body.data, createdBy: operatorName(callerOf(c)) }, now());
      return c.json(t, 201);
    } catch (err) {
      return failed(c, err);
    }
  });

  app.get('/api/tokens', guard, operatorOnly, async (c) => {
    try {
      const user = c.req.query('user');
      return c.json({ tokens: await listTokens(opts.database, user ? { user } : {}, now()) });
    } catch (err) {
      return failed(c, err);
    }
  });

  app.post('/api/tokens/:id/revoke', guard, operatorOnly, async (c) => {
    try {
      return c.json(await revokeToken(opts.database, c.req.param('id') ?? '', operatorName(callerOf(c)), now()));
    } catch (err) {
      return failed(c, err);
    }
  });
}
