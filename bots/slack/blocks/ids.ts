// Action and callback ids shared by the renderers and the listeners that handle the clicks.

export const FOLLOW_UP_ACTION = /^qm_follow_up_\d+$/;
export const followUpActionId = (i: number) => `qm_follow_up_${i}`;

export const APPROVAL_VERBS = ['approve', 'reject', 'request_changes'] as const;
export type ApprovalVerb = (typeof APPROVAL_VERBS)[number];
export const approvalActionId = (verb: ApprovalVerb) => `qm_approval_${verb}`;
export const APPROVE_ACTION = approvalActionId('approve');
export const NEEDS_REASON_ACTION = /^qm_approval_(reject|request_changes)$/;

export const REASON_VIEW = 'qm_approval_reason';
export const REASON_BLOCK = 'qm_reason';
export const REASON_INPUT = 'reason';
