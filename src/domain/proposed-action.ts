// A typed action an agent, a monitor or a person proposes. It lives at the bottom of the layers because every
// part of the core passes it along: the orchestrator and monitors create it, governance decides it, approvals
// hold it, the executor carries it out.
import type { ActionKind } from './action-kinds.js';
import type { Money } from './money.js';

/** A typed action someone proposes; only governance decides whether it happens. */
export type ProposedAction = {
  kind: ActionKind;
  summary: string;
  /** Who proposed it (agent name) and why. */
  proposedBy: string;
  rationale: string;
  params: Record<string, unknown>;
  amount?: Money;
};
