// One conversational turn: plan → run the agents in parallel → merge → record. Channel-neutral: Slack, Teams
// and `qm ask` all come through `handle`. Agents reach their MCP servers through long-lived clients.
import type { Agent, AgentName, AgentResult } from '../../agents/agent.js';
import { contractAgent } from '../../agents/contract.js';
import { spendAgent } from '../../agents/spend.js';
import { supplierAgent } from '../../agents/supplier.js';
import { openToolClient, rowsOf, type ToolClient } from '../../agents/tool-client.js';
import type { Database } from '../db/client.js';
import { lastPlan, recordTurn } from '../db/conversations.js';
import type { Logger } from '../log.js';
import { mergeResults } from './merge.js';
import type { Plan } from './plan/plan.js';
import { planByRules, type SupplierMatch } from './plan/rule.js';
import { runAgents } from './run.js';
import type { InboundMessage, Reply } from './types.js';

export type OrchestratorDeps = {
  database: Database;
  log: Logger;
  now: () => Date;
  /** Per-agent timeout (ms). */
  agentTimeoutMs?: number;
  /** Remote MCP endpoints per agent; unset → in-process servers. */
  remote?: Partial<Record<AgentName, { url: string; token?: string }>>;
};

export type TurnResult = { reply: Reply; plan: Plan; results: AgentResult[]; turnId: string; ms: number };

export type Orchestrator = {
  handle(message: InboundMessage): Promise<TurnResult>;
  close(): Promise<void>;
};

const AGENTS: Readonly<Record<AgentName, Agent>> = { spend: spendAgent, supplier: supplierAgent, contract: contractAgent };
const MAX_MESSAGE = 4000;

/** Opens the agents' MCP clients and returns the orchestrator. */
export async function createOrchestrator(deps: OrchestratorDeps): Promise<Orchestrator> {
  const mcpDeps = { database: deps.database, log: deps.log, now: deps.now };
  const open = (name: AgentName) =>
    openToolClient(AGENTS[name].server, {
      deps: mcpDeps,
      remoteUrl: deps.remote?.[name]?.url,
      token: deps.remote?.[name]?.token,
      timeoutMs: deps.agentTimeoutMs,
    });
  const [spend, supplier, contract] = await Promise.all([open('spend'), open('supplier'), open('contract')]);
  const tools: Record<AgentName, ToolClient> = { spend, supplier, contract };

  const resolve = async (phrase: string): Promise<SupplierMatch[]> => {
    const r = await supplier.call('find_suppliers', { query: phrase.slice(0, 200), limit: 5 });
    if (r.isError) return [];
    return rowsOf<SupplierMatch>(r.data, 'suppliers');
  };

  return {
    async handle(message) {
      const started = performance.now();
      const text = message.text.trim();
      const previous = (await lastPlan(deps.database, message.conversationId)) as Plan | undefined;
      let plan: Plan;
      let results: AgentResult[] = [];
      if (text === '' || text.length > MAX_MESSAGE) {
        plan = emptyPlan(text.slice(0, MAX_MESSAGE));
      } else {
        plan = await planByRules(text, { today: deps.now(), resolve, previous });
        results = await runAgents(plan, { agents: AGENTS, tools, timeoutMs: deps.agentTimeoutMs ?? 15_000 });
      }
      const reply = mergeResults(plan, results);
      if (text === '') reply.headline = `Ask me something. ${reply.headline.replace(/^I'm not sure what you're asking\. /, '')}`;
      if (text.length > MAX_MESSAGE) {
        reply.headline = `That message is too long for me (${text.length} characters; at most ${MAX_MESSAGE}). Ask one question at a time.`;
      }
      const ms = Math.round(performance.now() - started);
      const turnId = await recordTurn(deps.database, {
        conversationId: message.conversationId,
        channel: message.channel,
        userEmail: message.user.email,
        text: message.text.slice(0, 10_000),
        planner: plan.planner,
        plan: plan as unknown as Record<string, unknown>,
        agents: results.map((r) => ({ agent: r.agent, ok: r.ok, error: r.error, ms: r.ms, toolCalls: r.toolCalls, rationale: r.rationale })),
        reply: reply as unknown as Record<string, unknown>,
        durationMs: ms,
      });
      return { reply, plan, results, turnId, ms };
    },
    async close() {
      await Promise.all(Object.values(tools).map((t) => t.close()));
    },
  };
}

function emptyPlan(text: string): Plan {
  return { planner: 'rule', text, reading: { intent: 'help', supplierPhrases: [] }, suppliers: [], unresolved: [], agents: [] };
}
