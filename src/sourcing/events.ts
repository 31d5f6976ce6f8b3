// Sourcing events as the workflow changes them: a draft is created (from chat or `qm sourcing create`), moves
// through its statuses, and every change is in the ledger in the same transaction as the change itself.
import { appendAuditIn } from '../audit/ledger.js';
import type { ActorType, AuditEventInput } from '../audit/types.js';
import type { Database, Queryable } from '../db/client.js';
import type { SourcingCriterion } from '../db/schema.js';
import { type NewEventLine, type NewSourcingEvent, insertSourcingEventDraft, requireSourcingEvent, type SourcingEventRow, setSourcingStatus } from '../db/sourcing.js';
import { AppError } from '../errors.js';
import type { SourcingPolicy } from './policy.js';
import { canMove, type SourcingStatus, STATUS_TEXT } from './status.js';

export type Actor = { type: ActorType; id: string };

/** What `qm sourcing create --json` prints and chat intake returns. */
export type EventRef = { id: string; number: number; title: string; status: SourcingStatus };

export type DraftRequest = Omit<NewSourcingEvent, 'criteria'> & { lines?: NewEventLine[]; criteria?: SourcingCriterion[]; channel: string };

/** The short form of an event. */
export function eventRef(e: SourcingEventRow): EventRef {
  return { id: e.id, number: e.number, title: e.title, status: e.status };
}

/** Creates a draft event (no approval needed) with the policy's evaluation criteria unless others are given. */
export async function createDraftEvent(database: Database, req: DraftRequest, policy: SourcingPolicy, actor: Actor): Promise<SourcingEventRow> {
  const title = req.title.trim();
  if (title === '') throw new AppError('sourcing:invalid', 'A sourcing event needs a title, e.g. "Office cleaning for three sites".');
  if (title.length > 300) throw new AppError('sourcing:invalid', 'The title is longer than 300 characters; put the detail in the description.');
  if (req.categoryCode && !/^[A-Za-z0-9._-]{1,20}$/.test(req.categoryCode)) {
    throw new AppError('sourcing:invalid', `"${req.categoryCode}" is not a category code: give a UNSPSC code such as 76111501, or your own short code.`);
  }
  const criteria = req.criteria ?? policy.evaluation.map((c) => ({ key: c.key, label: c.label, weight: Number(c.weight) }));
  return database.transaction(async (tx) => {
    const e = await insertSourcingEventDraft(tx, { ...req, title, criteria }, req.lines ?? []);
    await appendAuditIn(tx, [
      {
        actorType: actor.type,
        actor: actor.id,
        action: 'sourcing_created',
        subjectType: 'sourcing_event',
        subjectId: e.id,
        rationale: `Sourcing event ${e.number} "${e.title}" created as a draft${req.channel ? ` from ${req.channel}` : ''}; a draft needs no approval until the RFx is issued.`,
        data: { number: e.number, title: e.title, categoryCode: e.categoryCode, lines: req.lines?.length ?? 0, channel: req.channel, estimatedValue: e.estimatedValue, currency: e.currency },
      },
    ]);
    return e;
  });
}

/**
 * Moves an event from its current status to `to` inside `tx` and returns the ledger event for the move, for the
 * caller to append last in the same transaction; refuses a move the workflow does not allow, saying why.
 */
export async function transitionIn(
  tx: Queryable,
  ref: string | number,
  to: SourcingStatus,
  why: { actor: Actor; cause: string; approvalNumber?: number; award?: Record<string, unknown>; deadline?: Date },
): Promise<{ moved: SourcingEventRow; audit: AuditEventInput }> {
  const e = await requireSourcingEvent(tx, ref, true);
  if (!canMove(e.status, to)) {
    throw new AppError('sourcing:status', `Event ${e.number} is ${STATUS_TEXT[e.status]}; it cannot become ${STATUS_TEXT[to]}.`);
  }
  const moved = await setSourcingStatus(tx, e.id, e.status, to, { ...(why.award ? { award: why.award } : {}), ...(why.deadline ? { deadline: why.deadline } : {}) });
  if (!moved) throw new AppError('sourcing:status', `Event ${e.number} changed while being updated; try again.`);
  return {
    moved,
    audit: {
      actorType: why.actor.type,
      actor: why.actor.id,
      action: 'sourcing_status_changed',
      subjectType: 'sourcing_event',
      subjectId: e.id,
      rationale: `Event ${e.number} "${e.title}": ${e.status} → ${to}. ${why.cause}`,
      data: { number: e.number, from: e.status, to, cause: why.cause, ...(why.approvalNumber ? { approvalNumber: why.approvalNumber } : {}) },
    },
  };
}

/** transitionIn with its ledger event appended in the same transaction. */
export async function moveEvent(tx: Queryable, ref: string | number, to: SourcingStatus, why: Parameters<typeof transitionIn>[3]): Promise<SourcingEventRow> {
  const { moved, audit } = await transitionIn(tx, ref, to, why);
  await appendAuditIn(tx, [audit]);
  return moved;
}
