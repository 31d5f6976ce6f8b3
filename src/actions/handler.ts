// What an executable action kind is: its parameters (validated again at execution, because the proposal may
// come from a model), how it changes state, and how it is undone.
import type { z } from 'zod';
import type { AuditEventInput } from '../audit/types.js';
import type { Session } from '../db/client.js';
import type { ActionKind } from '../domain/action-kinds.js';
import type { ProposedAction } from '../domain/proposed-action.js';

export type ExecutionContext = {
  /** The outbox id: unique, so it can name what the action creates (PO numbers). */
  actionId: number;
  approvalNumber?: number;
  /** Who asked for the action (email or chat identity). */
  requester?: string;
  /** YYYY-MM-DD. */
  today: string;
};

export type ActionOutcome = {
  /** One sentence for the thread: what happened. */
  summary: string;
  result: Record<string, unknown>;
  /** Further ledger events the change implies (e.g. an autonomy change), written in the same transaction. */
  events?: AuditEventInput[];
};

export type ActionHandler<P = Record<string, unknown>> = {
  kind: ActionKind;
  params: z.ZodType<P>;
  execute(tx: Session, action: ProposedAction, params: P, ctx: ExecutionContext): Promise<ActionOutcome>;
  /** Undoes an executed action, given its recorded result; absent when the kind cannot be undone. */
  reverse?(tx: Session, result: Record<string, unknown>): Promise<{ summary: string }>;
  /**
   * What waiting for a decision means for the subject, when it means something: `filed` runs in the transaction that
   * files the approval (the subject shows it is waiting), `closed` in the one that rejects or expires it (the subject
   * is no longer waiting). Each returns the ledger events of what it changed; neither may refuse (the parameters are
   * checked again at execution), so a subject that cannot show the wait is left as it is.
   */
  awaiting?: {
    filed(tx: Session, params: Record<string, unknown>, ctx: AwaitingContext): Promise<AuditEventInput[]>;
    closed(tx: Session, params: Record<string, unknown>, ctx: AwaitingContext & { status: 'rejected' | 'expired' }): Promise<AuditEventInput[]>;
  };
};

export type AwaitingContext = { approvalNumber: number; actor: { type: 'user' | 'system'; id: string } };

/** Narrows a handler's parameter type for the registry. */
export const defineHandler = <P>(h: ActionHandler<P>): ActionHandler => h as unknown as ActionHandler;
