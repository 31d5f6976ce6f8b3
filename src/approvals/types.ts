// The approval vocabulary shared by the state machine, the card model and the channels.
import type { EnvelopeKey, RouteLevel } from '../governance/types.js';
import type { ProposedAction } from '../domain/proposed-action.js';

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'cancelled';
export type DecisionKind = 'approve' | 'reject' | 'request_changes';

/** Where a request came from, so its outcome is reported back in the same thread. */
export type ApprovalOrigin = { channel: string; conversationId?: string; turnId?: string };

export type Approval = {
  id: string;
  number: number;
  status: ApprovalStatus;
  actionKind: string;
  action: ProposedAction;
  summary: string;
  amount: string | null;
  currency: string | null;
  supplierId: string | null;
  supplierName: string | null;
  categoryCode: string | null;
  requesterUserId: string | null;
  requester: string;
  proposedBy: string;
  planner: string | null;
  ruleId: string;
  reason: string;
  route: RouteLevel[];
  envelope: EnvelopeKey | null;
  policyVersion: string;
  currentLevel: number;
  escalationLevel: number;
  origin: ApprovalOrigin | null;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  expiresAt: string | null;
  version: number;
  createdAt: string;
  decisions: ApprovalDecision[];
};

export type ApprovalDecision = {
  level: number;
  userId: string;
  onBehalfOfUserId: string | null;
  user: string;
  userName: string;
  onBehalfOf: string | null;
  role: string | null;
  decision: DecisionKind;
  reason: string | null;
  channel: string | null;
  at: string;
};

/** The user a decision is attempted by, as known to Quartermaster. */
export type Approver = { id: string; email: string; name: string; roles: string[]; active: boolean };
