// What the sourcing tools share: the event argument (number or id, as an integer or a string), finding the event
// or saying which exist, the sourcing policy, and the sealed-bid check every read of bids goes through.
import { z } from 'zod';
import { appendAuditIn } from '../../src/audit/ledger.js';
import { listSourcingEvents, sourcingEventByRef, type SourcingEventRow } from '../../src/db/sourcing.js';
import { projectPath } from '../../src/paths.js';
import { loadSourcingPolicy, type SourcingPolicy } from '../../src/sourcing/policy.js';
import type { McpDeps } from '../shared/deps.js';

/** An event named by its number or id, as an integer or a string. */
export const eventArg = z
  .union([z.number().int().positive(), z.string().min(1).max(60)])
  .describe('The sourcing event: its number (7) or id, or "latest-with-bids" for the newest event that has bids');

/** The ref that means the newest event with bids (a follow-up question that names no event). */
export const LATEST_WITH_BIDS = 'latest-with-bids';

export type Found = { ok: true; event: SourcingEventRow } | { ok: false; message: string };

/** The event `ref` names, or a message listing the latest events. */
export async function findEvent(deps: McpDeps, ref: string | number): Promise<Found> {
  if (ref === LATEST_WITH_BIDS) {
    const [latest] = await deps.database.query<{ id: string }>(
      `select e.id::text from sourcing_events e where exists (select 1 from sourcing_bids b where b.event_id = e.id) order by e.number desc limit 1`,
    );
    if (!latest) return { ok: false, message: 'No sourcing event has bids yet.' };
    ref = latest.id;
  }
  const event = await sourcingEventByRef(deps.database, ref);
  if (event) return { ok: true, event };
  const latest = await listSourcingEvents(deps.database, { limit: 5 });
  const list = latest.map((e) => `${e.number} "${e.title}" (${e.status})`).join('; ');
  return { ok: false, message: `No sourcing event has the number or id "${ref}".${list ? ` The latest are: ${list}.` : ' There are no sourcing events yet.'}` };
}

/** The sourcing policy of the server's policy folder. */
export function sourcingPolicy(deps: McpDeps): Promise<SourcingPolicy> {
  return loadSourcingPolicy(deps.policyDir ?? projectPath('policies'));
}

/** The caller as the ledger names them. */
export function callerName(deps: McpDeps): string {
  const c = deps.caller;
  return !c || c.kind === 'operator' ? 'operator' : c.kind === 'person' ? c.email : 'anonymous';
}

const PROCUREMENT_ROLES = ['buyer', 'procurement_manager', 'admin'];

/**
 * Bids are sealed until the event's deadline: before it only the operator, the event's buyer and people with a
 * procurement role may read them. Every read, allowed or refused, is in the ledger (written to the primary).
 */
export async function readBids(deps: McpDeps, event: SourcingEventRow, view: string): Promise<{ ok: true } | { ok: false; message: string }> {
  const now = deps.now();
  const sealed = event.deadline !== null && now < new Date(event.deadline) && (event.status === 'rfx_issued' || event.status === 'bids_open');
  let allowed = !sealed;
  const c = deps.caller;
  if (sealed) {
    if (!c || c.kind === 'operator') allowed = true;
    else if (c.kind === 'person') {
      const [u] = await deps.database.query<{ roles: string[] }>(`select roles from users where lower(email) = lower($1) and active`, [c.email]);
      allowed = c.email.toLowerCase() === (event.buyerEmail ?? '').toLowerCase() || (u?.roles ?? []).some((r) => PROCUREMENT_ROLES.includes(r));
    }
  }
  await deps.database.transaction((tx) =>
    appendAuditIn(tx, [
      {
        actorType: c && c.kind === 'person' ? 'user' : 'system',
        actor: callerName(deps),
        action: 'sourcing_bids_viewed',
        subjectType: 'sourcing_event',
        subjectId: event.id,
        rationale: `${allowed ? 'Read' : 'Refused to show'} the bids of event ${event.number} (${view})${sealed ? `, sealed until ${new Date(event.deadline!).toISOString()}` : ''}.`,
        data: { number: event.number, view, sealed, allowed },
      },
    ]),
  );
  if (allowed) return { ok: true };
  return {
    ok: false,
    message: `The bids of event ${event.number} are sealed until ${new Date(event.deadline!).toISOString().slice(0, 16).replace('T', ' ')} UTC: only its buyer and procurement may see them before then.`,
  };
}
