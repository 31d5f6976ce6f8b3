// POST /api/ask: one orchestrator turn over HTTP (what `qm ask` uses while the server holds the embedded database).
import type { Hono } from 'hono';
import { z } from 'zod';
import type { Orchestrator } from '../orchestrator/orchestrator.js';
import { turnToJson } from '../orchestrator/turn-json.js';
import { type AccessOptions, accessGuard, actingAs, callerOf } from './guard.js';
import { jsonOnly, readJson } from './input.js';

const askBody = z.object({
  question: z.string().max(100_000),
  thread: z.string().min(1).max(200).optional(),
  as: z.string().email().max(320).optional(),
});

/** Mounts the ask API, guarded like MCP; the turn runs as the caller's user (see actingAs). */
export function mountAsk(app: Hono, opts: { orchestrator: Orchestrator; access: AccessOptions }): void {
  const guard = accessGuard({
    ...opts.access,
    refuse: (c, status, message) => c.json({ error: status === 401 ? 'unauthorized' : 'forbidden', message }, status),
  });
  app.post('/api/ask', guard, jsonOnly, async (c) => {
    const parsed = askBody.safeParse(await readJson(c));
    if (!parsed.success) {
      return c.json({ error: 'bad_request', message: 'Send JSON {"question": "...", "thread"?: "...", "as"?: "email"}.' }, 400);
    }
    const { question, thread, as } = parsed.data;
    const acting = actingAs(callerOf(c), as);
    if (!acting.ok) return c.json({ error: 'forbidden', message: acting.message }, 403);
    const turn = await opts.orchestrator.handle({
      channel: 'http',
      conversationId: `http:${thread ?? crypto.randomUUID()}`,
      user: { email: acting.email, ...(acting.via ? { via: acting.via } : {}) },
      text: question,
    });
    return c.json(turnToJson(turn));
  });
}
