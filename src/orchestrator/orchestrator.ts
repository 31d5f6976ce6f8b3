// One conversational turn: plan → run the agents in parallel → merge → record. Channel-neutral: Slack, Teams
// and `qm ask` all come through `handle`. Agents reach their MCP servers through long-lived clients. With a
// language model configured, the LLM planner answers first and the rule planner is the fallback.
import type { Agent, AgentName, AgentResult } from '../../agents/agent.js';
import { contractAgent } from '../../agents/contract.js';
import { spendAgent } from '../../agents/spend.js';
import { supplierAgent } from '../../agents/supplier.js';
import { openToolClient, rowsOf, type ToolClient } from '../../agents/tool-client.js';
import type { Database } from '../db/client.js';
import { lastPlan } from '../db/conversations.js';
import { isAppError } from '../errors.js';
import type { ChatProvider, ChatUsage } from '../llm/openai.js';
import type { Logger } from '../log.js';
import { commitTurn, type TurnFaults } from './commit-turn.js';
import { runLlmTurn } from './llm-turn.js';
import { mergeResults } from './merge.js';
import { readIntent } from './plan/intents.js';
import { parsePeriod } from './plan/periods.js';
import type { Plan } from './plan/plan.js';
import { planByRules, type SupplierMatch } from './plan/rule.js';
import { runAgents } from './run.js';
import type { InboundMessage, Reply } from './types.js';
import type { ApprovalService } from '../approvals/service.js';

export type OrchestratorDeps = {
  database: Database;
  log: Logger;
  now: () => Date;
  /** Per-agent timeout (ms). */
  agentTimeoutMs?: number;
  /** Remote MCP endpoints per agent; unset → in-process servers. */
  remote?: Partial<Record<AgentName, { url: string; token?: string }>>;
  /** A language model: when set it answers first, and the rule planner is the fallback. */
  llm?: ChatProvider & { model: string };
  /** Governance: proposed actions are submitted here (unset → they are only shown). */
  approvals?: ApprovalService;
  /** Test-only failure injection inside the turn's commit (see commit-turn.ts). */
  faults?: TurnFaults;
};

export type TurnResult = {
  reply: Reply;
  plan: Plan;
  results: AgentResult[];
  turnId: string;
  ms: number;
  /** Tokens the language model used in this turn, failed attempts included. */
  tokens?: ChatUsage;
};

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
      const valid = text !== '' && text.length <= MAX_MESSAGE;
      const usage: ChatUsage | undefined = deps.llm ? { prompt: 0, completion: 0, total: 0 } : undefined;
      let turn: { plan: Plan; results: AgentResult[]; reply: Reply } | undefined;
      let fallback: { line: string; planner: string } | undefined;
      if (valid && deps.llm && usage) {
        const llm = deps.llm;
        try {
          const t = await runLlmTurn(text, {
            provider: metered(llm, usage),
            model: llm.model,
            tools,
            today: deps.now(),
            previousText: previous?.text,
            toolTimeoutMs: deps.agentTimeoutMs ?? 15_000,
          });
          turn = { plan: llmPlan(text, t.planner, t.results, deps.now()), results: t.results, reply: t.reply };
        } catch (err) {
          const code = isAppError(err) ? err.code : 'llm:error';
          const cause = (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : undefined;
          deps.log.warn('the language model could not answer; using the rule planner', { code, error: (err as Error).message, ...(cause ? { cause } : {}) });
          fallback = {
            line: `The language model could not answer (${isAppError(err) ? err.message : 'an unexpected error'}); this answer comes from the rule planner.`,
            planner: `rule (fallback from llm:${llm.model}: ${code})`,
          };
        }
      }
      if (!turn) {
        const plan = valid ? await planByRules(text, { today: deps.now(), resolve, previous }) : emptyPlan(text.slice(0, MAX_MESSAGE));
        const results = valid ? await runAgents(plan, { agents: AGENTS, tools, timeoutMs: deps.agentTimeoutMs ?? 15_000 }) : [];
        turn = { plan, results, reply: mergeResults(plan, results) };
        if (fallback) {
          plan.planner = fallback.planner;
          turn.reply.rationale.unshift(fallback.line);
        }
      }
      const { plan, results, reply } = turn;
      if (text === '') reply.headline = `Ask me something. ${reply.headline.replace(/^I'm not sure what you're asking\. /, '')}`;
      if (text.length > MAX_MESSAGE) {
        reply.headline = `That message is too long for me (${text.length} characters; at most ${MAX_MESSAGE}). Ask one question at a time.`;
      }
      const ms = Math.round(performance.now() - started);
      // Recording, audit and governance: one step, one transaction (commit-turn.ts).
      const turnId = await commitTurn(deps, { message, plan, results, reply, ...(usage ? { tokens: usage } : {}), durationMs: ms });
      return { reply, plan, results, turnId, ms, ...(usage ? { tokens: usage } : {}) };
    },
    async close() {
      await Promise.all(Object.values(tools).map((t) => t.close()));
    },
  };
}

function emptyPlan(text: string): Plan {
  return { planner: 'rule', text, reading: { intent: 'help', supplierPhrases: [] }, suppliers: [], unresolved: [], agents: [] };
}

// The rule reading of the text is kept so a later follow-up answered by the rule planner still has context.
function llmPlan(text: string, planner: string, results: AgentResult[], today: Date): Plan {
  const period = parsePeriod(text, today);
  return {
    planner,
    text,
    reading: readIntent(text),
    ...(period ? { period } : {}),
    suppliers: [],
    unresolved: [],
    agents: results.map((r) => r.agent),
  };
}

/** Counts the tokens of every request, including those of an attempt that fails and falls back. */
function metered(provider: ChatProvider, usage: ChatUsage): ChatProvider {
  return {
    async complete(req) {
      const res = await provider.complete(req);
      usage.prompt += res.usage.prompt;
      usage.completion += res.usage.completion;
      usage.total += res.usage.total;
      return res;
    },
  };
}
