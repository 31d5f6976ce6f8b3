// POST /api/ask: one orchestrator turn over HTTP (what `qm ask` uses while the server holds the embedded database).
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { Orchestrator } from '../orchestrator/orchestrator.js';
import { turnToJson } from '../orchestrator/turn-json.js';
import { accessGuard } from './guard.js';

const askBody = z.object({
  question: z.string().max(100_000),
  thread: z.string().min(1).max(200).optional(),
  as: z.string().email().max(320).optional(),
});

/** Mounts the ask API, guarded like MCP (bearer QM_MCP_TOKEN, or loopback only). */
export function mountAsk(app: Hono, opts: { orchestrator: Orchestrator; token?: string; allowedHosts: readonly string[] }): void {
  const guard = accessGuard({
    token: opts.token,
    allowedHosts: opts.allowedHosts,
    refuse: (c, status, message) => c.json({ error: status === 401 ? 'unauthorized' : 'forbidden', message }, status),
  });
  app.post(
    '/api/ask',
    guard,
    bodyLimit({ maxSize: 256 * 1024, onError: (c) => c.json({ error: 'too_large', message: 'Request body over 256 KB.' }, 413) }),
    async (c) => {
      const parsed = askBody.safeParse(await c.req.json().catch(() => undefined));
      if (!parsed.success) {
        return c.json({ error: 'bad_request', message: 'Send JSON {"question": "...", "thread"?: "...", "as"?: "email"}.' }, 400);
      }
      const { question, thread, as } = parsed.data;
      const turn = await opts.orchestrator.handle({
        channel: 'http',
        conversationId: `http:${thread ?? crypto.randomUUID()}`,
        user: { email: as },
        text: question,
      });
      return c.json(turnToJson(turn));
    },
  );
}
