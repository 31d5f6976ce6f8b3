// The Agent interface: the MCP server an agent uses, the intents it serves (one handler each), the actions it
// may propose, and optional capabilities the orchestrator may call. A handler returns output, a plain-language
// rationale and *proposed* actions; agents never execute anything. Agents depend on the plan's types, never
// the other way round: the orchestrator reads the agents through `registry.ts`.
import type { McpServerName } from '../mcp-servers/index.js';
import type { Intent } from '../src/orchestrator/plan/intents.js';
import type { Plan } from '../src/orchestrator/plan/plan.js';
import type { ActionKind } from '../src/domain/action-kinds.js';
import type { ProposedAction } from '../src/domain/proposed-action.js';
import type { Fact, ReplyImage, Source, ToolCall } from '../src/orchestrator/types.js';
import type { ToolClient } from './tool-client.js';

/** An agent's name in the registry (and in the turn record). */
export type AgentName = string;

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
  /** Charts of the answer (a tool's image content), passed on to the reply. */
  images?: ReplyImage[];
};

export type AgentResult = AgentOutput & {
  agent: AgentName;
  ok: boolean;
  error?: string;
  ms: number;
  toolCalls: ToolCall[];
};

/** Answers one intent of a plan with the tools reachable through `tools`. */
export type IntentHandler = (plan: Plan, tools: ToolClient) => Promise<AgentOutput>;

/** A supplier the master data knows, with how well a phrase matched it. */
export type SupplierMatch = { id: string; name: string; score: number };

/** The departments or categories a phrase names, and how (null: none). */
export type SpendTermMatch = { matchedBy: 'exact' | 'alias' | 'initials' | 'contains' | null; matches: string[] };

export type Agent = {
  name: AgentName;
  instructions: string;
  server: McpServerName;
  /** The intents this agent serves; the planner runs it for exactly these. */
  handles: Partial<Record<Intent, IntentHandler>>;
  /** Action kinds this agent may propose, each with the intent under which it checks and proposes it. */
  proposes?: Readonly<Partial<Record<ActionKind, Intent>>>;
  /**
   * Capability: the checks this agent insists on after a language model read through its tools (`reads`: the
   * structured results by tool name), e.g. its own sanctions check of a name the model saw match strongly.
   */
  checksAfterReads?: (reads: Readonly<Record<string, unknown[]>>) => { intent: Intent; supplier: string; why: string }[];
  /** Capability: ranks the suppliers a phrase may name (the planners resolve supplier phrases with it). */
  resolveSupplier?: (phrase: string, tools: ToolClient) => Promise<SupplierMatch[]>;
  /**
   * Its server answers as the person the turn is for (what they may see and decide): the orchestrator opens this
   * agent's in-process client per turn with that person as the caller.
   */
  actsAsCaller?: true;
  /** Capability: the department or category of the spend data a phrase names, and how it matched. */
  resolveSpendTerm?: (phrase: string, kind: 'department' | 'category', tools: ToolClient) => Promise<SpendTermMatch>;
};

/** An empty output to build on. */
export function emptyOutput(rationale = ''): AgentOutput {
  return { facts: [], sources: [], data: {}, rationale, findings: [], actions: [] };
}
