// The approvals API: list, show and decide over HTTP (what `qm approvals` uses while the server holds the
// embedded database). Guarded like MCP and /api/ask. A decision is recorded as the caller's user: the
// operator names the deciding user with `as`, a personal token decides as its own user (an on-behalf token may
// name another, and the ledger records both); the state machine still enforces who may decide what.
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { approvalCard } from '../approvals/card.js';
import type { ApprovalService } from '../approvals/service.js';
import type { Approval } from '../approvals/types.js';
import { isAppError } from '../errors.js';
import { type AccessOptions, accessGuard, actingAs, callerOf } from './guard.js';
import { jsonOnly, readJson } from './input.js';

const STATUSES = ['pending', 'approved', 'rejected', 'expired', 'cancelled'] as const;

const listQuery = z.object({
  status: z.enum(STATUSES).optional(),
  as: z.string().min(1).max(320).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

const decisionBody = z.object({
  as: z.string().min(1).max(320).optional(),
  decision: z.enum(['approve', 'reject', 'request_changes']),
  reason: z.string().max(2000).optional(),
});

const withCard = (a: Approval) => ({ ...a, card: approvalCard(a) });

const STATUS_CODE = { recorded: 200, already_decided: 409, not_authorised: 403, not_found: 404 } as const;

/** Mounts /api/approvals. */
export function mountApprovals(app: Hono, opts: { approvals: ApprovalService; access: AccessOptions }): void {
  const guard = accessGuard({
    ...opts.access,
    refuse: (c, status, message) => c.json({ error: status === 401 ? 'unauthorized' : 'forbidden', message }, status),
  });
  const bad = (c: Context, message: string) => c.json({ error: 'bad_request', message }, 400);
  const forbidden = (c: Context, message: string) => c.json({ error: 'forbidden', message }, 403);

  app.get('/api/approvals', guard, async (c) => {
    const q = listQuery.safeParse(c.req.query());
    if (!q.success) return bad(c, `Query: ${q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const acting = actingAs(callerOf(c), q.data.as);
    if (!acting.ok) return forbidden(c, acting.message);
    try {
      const list = await opts.approvals.list({
        ...(q.data.status ? { status: q.data.status } : {}),
        ...(acting.email ? { approvableBy: acting.email } : {}),
        limit: q.data.limit ?? 50,
      });
      return c.json({ approvals: list.map(withCard) });
    } catch (err) {
      if (isAppError(err, 'approvals:unknown-user')) return bad(c, (err as Error).message);
      throw err;
    }
  });

  app.get('/api/approvals/:ref', guard, async (c) => {
    const a = await opts.approvals.get(c.req.param('ref') ?? '');
    return a ? c.json(withCard(a)) : c.json({ error: 'not_found', message: `No approval ${c.req.param('ref') ?? ''}.` }, 404);
  });

  app.post('/api/approvals/:ref/decisions', guard, jsonOnly, async (c) => {
    const body = decisionBody.safeParse(await readJson(c));
    if (!body.success) return bad(c, 'Send JSON {"as"?: "email", "decision": "approve"|"reject"|"request_changes", "reason"?: "..."}.');
    const acting = actingAs(callerOf(c), body.data.as);
    if (!acting.ok) return forbidden(c, acting.message);
    if (!acting.email) {
      return forbidden(c, 'Say who decides: the operator passes "as", a personal token decides as its own user.');
    }
    const r = await opts.approvals.decide({
      approval: c.req.param('ref') ?? '',
      user: acting.email,
      decision: body.data.decision,
      ...(body.data.reason ? { reason: body.data.reason } : {}),
      channel: 'http',
      ...(acting.via ? { via: acting.via } : {}),
    });
    return c.json(
      {
        status: r.status,
        message: r.message,
        ...('approval' in r && r.approval ? { approval: withCard(r.approval) } : {}),
        ...('execution' in r && r.execution ? { execution: r.execution } : {}),
      },
      STATUS_CODE[r.status],
    );
  });
}
