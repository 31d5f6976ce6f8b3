// The vocabulary of the audit ledger: who did what to which subject, why, with what inputs and outputs.

export type ActorType = 'user' | 'agent' | 'system';

/**
 * What happened. Metrics (`qm metrics`) are computed from these events, so their `data` shapes are part of
 * the contract (see the comments).
 */
export type AuditAction =
  /** An orchestrator turn. data: { channel, conversationId, planner, intent, agents: [{ agent, ok, ms }], headline } */
  | 'turn'
  /** One MCP tool call made by an agent during a turn. data: { turnId, tool, args, ms, isError } */
  | 'tool_call'
  /** An agent (or a monitor, or a person) proposed an action. data: { action, turnId?, planner } */
  | 'proposal'
  /** governance.decide's verdict on a proposal. data: { outcome, ruleId, actionKind, proposedBy, planner, amount?, currency?, route?, envelope?, autonomy? } */
  | 'policy_decision'
  /** data: { number, actionKind, proposedBy, route, amount?, currency? } */
  | 'approval_requested'
  /**
   * A proposal equal to a pending approval (same proposal key) was attached to it instead of filing another;
   * subject: the approval. data: { number, proposalKey, proposalId, actionKind, proposedBy, planner, turnId, requester,
   * firstRequester, firstRequestedAt, amount?, currency? }
   */
  | 'proposal_attached'
  /** One person's decision. data: { decision, level, role, onBehalfOf?, channel } */
  | 'approval_decision'
  /** The approval's final state. data: { status, actionKind, proposedBy, cycleMs, decidedBy? } */
  | 'approval_resolved'
  | 'approval_reminded'
  | 'approval_escalated'
  /** data: { kind, approvalId?, authorisedBy, proposedBy, result } — authorisedBy is 'approval' or 'autonomy:<level>' */
  | 'action_executed'
  | 'action_failed'
  /** A person reversed an executed action. data: { kind, proposedBy, actionId } */
  | 'action_reversed'
  /** data: { agent, actionKind, category, band, from, to, cause } */
  | 'autonomy_changed'
  /** data: { version, previous? } */
  | 'policy_loaded'
  /** data: { kind, read, imported, duplicates, rejected } */
  | 'import'
  /** An import batch's rows were removed; subject: the batch. data: { kind, removed, file } */
  | 'import_undone'
  /** A sourcing event was created as a draft; subject: the event. data: { number, title, categoryCode, lines, channel } */
  | 'sourcing_created'
  /** A sourcing event changed status; subject: the event. data: { number, from, to, cause, approvalNumber? } */
  | 'sourcing_status_changed'
  /** Someone read the bids of an event (sealed until the deadline); subject: the event. data: { number, view, sealed } */
  | 'sourcing_bids_viewed'
  /** Bids were imported into an event; subject: the event. data: { number, batchId, bidders, lines, prospects } */
  | 'sourcing_bids_imported'
  /** A monitor raised a new finding. data: { monitor, key, severity, amount?, currency?, routeTo, proposal? } */
  | 'finding_raised'
  /** A monitor saw an open finding again with changed facts. data: { monitor, key, changes } */
  | 'finding_updated'
  /** A finding's condition no longer holds, or a person closed it. data: { monitor, key, by? } */
  | 'finding_resolved'
  /** A monitor run. data: { monitor, raised, updated, resolved, ms } */
  | 'monitor_run'
  /** Retention removed the events before `seq`; data: { beforeSeq, anchorHash, removed } */
  | 'audit_pruned'
  /** A personal API token was issued (never its secret). data: { tokenId, name, user, onBehalf, expiresAt } */
  | 'token_created'
  /** data: { tokenId, name, user } */
  | 'token_revoked'
  /** A one-time web sign-in link was issued (never its secret). data: { user, expiresAt } */
  | 'sign_in_link_created'
  /** Someone signed in to the web app; subject: the session. data: { user, method: 'link' | 'oidc' } */
  | 'web_signed_in';

export type AuditEventInput = {
  actorType: ActorType;
  /** The user's email, the agent's name, or the system component ('governance', 'executor', 'scheduler'…). */
  actor: string;
  action: AuditAction;
  subjectType?: string;
  subjectId?: string;
  /** Why, in plain language. */
  rationale: string;
  /** Inputs and outputs; JSON values only. */
  data?: Record<string, unknown>;
  /** The policy version in force, for events governed by policy. */
  policyVersion?: string;
  /** When it happened; defaults to now. Millisecond precision. */
  at?: Date;
};

/** An event as stored: gapless `seq`, and the hash chain. */
export type AuditEvent = {
  seq: number;
  /** ISO 8601 with milliseconds, UTC. */
  at: string;
  actorType: ActorType;
  actor: string;
  action: AuditAction;
  subjectType: string | null;
  subjectId: string | null;
  rationale: string;
  data: Record<string, unknown>;
  policyVersion: string | null;
  prevHash: string;
  hash: string;
};
