// The Agent interface: instructions, the MCP server it may use, and a run(task) that returns output, a
// plain-language rationale, the tools it called, and proposed actions (never executed by the agent).
import type { McpServerName } from '../mcp-servers/index.js';
import type { Plan } from '../src/orchestrator/plan/plan.js';
import type { ProposedAction } from '../src/domain/proposed-action.js';
import type { Fact, Source, ToolCall } from '../src/orchestrator/types.js';
import type { ToolClient } from './tool-client.js';

export type AgentName = 'spend' | 'supplier' | 'contract';

/** A finding that shapes the answer; 'block' findings (compliance, risk) outrank cost and convenience. */
export type Finding = { severity: 'block' | 'warning' | 'info'; text: string };

export type AgentOutput = {
  /** The agent's answer in one sentence, when it has one. */
  headline?: string;
  facts: Fact[];
  table?: { columns: string[]; rows: string[][] };
  sources: Source[];
  /** Structured figures behind the answer (what `qm ask --json` returns as data). */
  data: Record<string, unknown>;
  rationale: string;
  findings: Finding[];
  actions: ProposedAction[];
};

export type AgentResult = AgentOutput & {
  agent: AgentName;
  ok: boolean;
  error?: string;
  ms: number;
  toolCalls: ToolCall[];
};

export type Agent = {
  name: AgentName;
  instructions: string;
  server: McpServerName;
  /** Does the work for `plan` with the tools reachable through `tools`. */
  run(plan: Plan, tools: ToolClient): Promise<AgentOutput>;
};

/** An empty output to build on. */
export function emptyOutput(rationale = ''): AgentOutput {
  return { facts: [], sources: [], data: {}, rationale, findings: [], actions: [] };
}
