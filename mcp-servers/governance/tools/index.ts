// The governance server's tools, one per file: read-only views of approvals and monitor findings.
import type { ToolRegistrar } from '../../shared/deps.js';
import { type ApprovalStatusOutput, registerApprovalStatus } from './approval-status.js';
import { type ListApprovalsOutput, registerListApprovals } from './list-approvals.js';
import { type ListFindingsOutput, registerListFindings } from './list-findings.js';

export const governanceTools: ToolRegistrar[] = [registerListApprovals, registerApprovalStatus, registerListFindings];

/** Each tool's structured output by tool name: agents read results through this map (agents/tool-client.ts `typed`). */
export type GovernanceToolOutputs = {
  approval_status: ApprovalStatusOutput;
  list_approvals: ListApprovalsOutput;
  list_findings: ListFindingsOutput;
};
