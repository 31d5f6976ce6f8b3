// One conversational turn: plan → run the agents in parallel → merge → record. Channel-neutral: Slack, Teams
// and `qm ask` all come through `handle`. Agents reach their MCP servers through long-lived clients. With a
// language model configured, the LLM planner plans first and the rule planner is the fallback (pipeline.ts).
import type { AgentName, AgentResult, SupplierMatch } from '../../agents/agent.js';
import { AGENTS, spendTermResolver, supplierResolver } from '../../agents/registry.js';
import { openToolClient, type ToolClient } from '../../agents/tool-client.js';
import type { Database } from '../db/client.js';
import { lastPlan } from '../db/conversations.js';
import type { ChatProvider, ChatUsage } from '../llm/openai.js';
import type { Logger } from '../log.js';
import { commitTurn, type TurnFaults } from './commit-turn.js';
import { mergeResults } from './merge.js';
import { planAndRun } from './pipeline.js';
import type { Plan } from './plan/plan.js';
import type { TermResolver } from './plan/rule.js';
import type { InboundMessage, Reply } from './types.js';
import type { ApprovalService } from '../approvals/service.js';

export type OrchestratorDeps = {
  database: Database;
  /** Where the agents' read-only analytics read (a streaming replica: src/db/replica.ts); unset → `database`. */
  readDatabase?: Database;
  log: Logger;
  now: () => Date;
  /** Per-agent timeout (ms). */
  agentTimeoutMs?: number;
  /** Remote MCP endpoints per agent; unset → in-process servers. */
  remote?: Partial<Record<AgentName, { url: string; token?: string }>>;
  /** A language model: when set it answers first, and the rule planner is the fallback. */
  llm?: ChatProvider & { model: string };
  /** The month (1-12) the financial year starts, for "FY2025" (default 4, April). */
  fiscalYearStartMonth?: number;
  /** Governance: proposed actions are submitted here (unset → they are only shown). */
  approvals?: ApprovalService;
  /** The policy folder the agents' tools read (sourcing.yaml); unset → the packaged policies. */
  policyDir?: string;
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

const MAX_MESSAGE = 4000;

/** Opens the agents' MCP clients and returns the orchestrator. */
export async function createOrchestrator(deps: OrchestratorDeps): Promise<Orchestrator> {
  const mcpDeps = {
    database: deps.database,
    log: deps.log,
    now: deps.now,
    ...(deps.readDatabase ? { readDatabase: deps.readDatabase } : {}),
    ...(deps.policyDir ? { policyDir: deps.policyDir } : {}),
  };
  // One MCP client per registered agent, to the server the agent names.
  const clients = await Promise.all(
    AGENTS.map(async (a) => {
      const remote = deps.remote?.[a.name];
      // A server that answers as its caller is, outside a turn, nobody in particular.
      const clientDeps = a.actsAsCaller ? { ...mcpDeps, caller: { kind: 'anonymous' as const } } : mcpDeps;
      const client = await openToolClient(a.server, { deps: clientDeps, remoteUrl: remote?.url, token: remote?.token, timeoutMs: deps.agentTimeoutMs });
      return [a.name, client] as const;
    }),
  );
  const tools: Record<AgentName, ToolClient> = Object.fromEntries(clients);
  const resolver = supplierResolver();
  const resolve = async (phrase: string): Promise<SupplierMatch[]> =>
    resolver && tools[resolver.name] ? resolver.resolveSupplier(phrase, tools[resolver.name]!) : [];
  const termResolver = spendTermResolver();
  const termTools = termResolver ? tools[termResolver.name] : undefined;
  const resolveTerm: TermResolver | undefined =
    termResolver && termTools ? (phrase, kind) => termResolver.resolveSpendTerm(phrase, kind, termTools) : undefined;

  /**
   * In-process clients, for this turn only, of the agents whose servers answer as the person asking ("what is
   * waiting for my approval?"): the caller is the turn's user, never a name in the question.
   */
  const callerClients = async (email: string | undefined): Promise<Record<AgentName, ToolClient>> => {
    const caller = email ? { kind: 'person' as const, email } : { kind: 'anonymous' as const };
    const own = AGENTS.filter((a) => a.actsAsCaller && !deps.remote?.[a.name]);
    const opened = await Promise.all(
      own.map(async (a) => [a.name, await openToolClient(a.server, { deps: { ...mcpDeps, caller }, timeoutMs: deps.agentTimeoutMs })] as const),
    );
    return Object.fromEntries(opened);
  };

  return {
    async handle(message) {
      const started = performance.now();
      const text = message.text.trim();
      const previous = (await lastPlan(deps.database, message.conversationId)) as Plan | undefined;
      const valid = text !== '' && text.length <= MAX_MESSAGE;
      const usage: ChatUsage | undefined = deps.llm ? { prompt: 0, completion: 0, total: 0 } : undefined;
      const asCaller = valid ? await callerClients(message.user.email) : {};
      let turn: Awaited<ReturnType<typeof planAndRun>>;
      try {
        turn = valid
          ? await planAndRun(text, previous, {
              tools: { ...tools, ...asCaller },
              resolve,
              ...(resolveTerm ? { resolveTerm } : {}),
              ...(deps.fiscalYearStartMonth ? { fiscalYearStartMonth: deps.fiscalYearStartMonth } : {}),
              today: deps.now(),
              log: deps.log,
              timeoutMs: deps.agentTimeoutMs ?? 15_000,
              ...(deps.llm && usage ? { llm: { provider: metered(deps.llm, usage), model: deps.llm.model } } : {}),
            })
          : { plan: emptyPlan(text.slice(0, MAX_MESSAGE)), results: [], reply: mergeResults(emptyPlan(text.slice(0, MAX_MESSAGE)), []) };
      } finally {
        await Promise.all(Object.values(asCaller).map((c) => c.close()));
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
