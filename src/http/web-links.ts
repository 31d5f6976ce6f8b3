// POST /api/web/links: a one-time web sign-in link through a running server (what `qm web link` uses while the
// server holds the embedded database). Operator only: QM_MCP_TOKEN or the local credential, so no other local
// process, browser page or personal token can mint a session for anyone.
import type { Hono } from 'hono';
import { z } from 'zod';
import { createSignInLink, signInUrl } from '../access/web-sessions.js';
import type { Database } from '../db/client.js';
import { isAppError } from '../errors.js';
import { type AccessOptions, accessGuard, callerOf } from './guard.js';
import { jsonOnly, readJson } from './input.js';
import { operatorName } from './tokens.js';

const body = z.object({ user: z.string().min(1).max(320) });

/** Mounts POST /api/web/links. */
export function mountWebLinks(app: Hono, opts: { database: Database; access: AccessOptions; now?: () => Date }): void {
  const now = opts.now ?? (() => new Date());
  const guard = accessGuard({
    ...opts.access,
    refuse: (c, status, message) => c.json({ error: status === 401 ? 'unauthorized' : 'forbidden', message }, status),
  });
  app.post('/api/web/links', guard, jsonOnly, async (c) => {
    const caller = callerOf(c);
    if (caller.kind !== 'operator') {
      return c.json({ error: 'forbidden', message: 'Only the operator (QM_MCP_TOKEN or the local qm command) issues sign-in links.' }, 403);
    }
    const parsed = body.safeParse(await readJson(c));
    if (!parsed.success) return c.json({ error: 'bad_request', message: 'Send JSON {"user": "email"}.' }, 400);
    try {
      const link = await createSignInLink(opts.database, { user: parsed.data.user, createdBy: operatorName(caller) }, now());
      const origin = opts.access.publicUrl ?? new URL(c.req.url).origin;
      return c.json({ url: signInUrl(origin, link.token), user: link.user.email, expiresAt: link.expiresAt.toISOString() }, 201);
    } catch (err) {
      if (isAppError(err, 'web:')) return c.json({ error: 'bad_request', message: err.message }, 400);
      throw err;
    }
  });
}
