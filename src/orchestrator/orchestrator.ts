// One conversational turn: plan → run the agents in parallel → merge → record. Channel-neutral: Slack, Teams
// and `qm ask` all come through `handle`. Agents reach their MCP servers through long-lived clients. With a
// language model configured, the LLM planner answers first and the rule planner is the fallback.
import type { Agent, AgentName, AgentResult } from '../../agents/agent.js';
import { contractAgent } from '../../agents/contract.js';
import { spendAgent } from '../../agents/spend.js';
import { supplierAgent } from '../../agents/supplier.js';
import { openToolClient, rowsOf, type ToolClient } from '../../agents/tool-client.js';
import type { Database } from '../db/client.js';
import { lastPlan, recordTurn } from '../db/conversations.js';
import { isAppError } from '../errors.js';
import type { ChatProvider, ChatUsage } from '../llm/openai.js';
import type { Logger } from '../log.js';
import { runLlmTurn } from './llm-turn.js';
import { mergeResults } from './merge.js';
import { readIntent } from './plan/intents.js';
import { parsePeriod } from './plan/periods.js';
import type { Plan } from './plan/plan.js';
import { planByRules, type SupplierMatch } from './plan/rule.js';
import { runAgents } from './run.js';
import type { ActionDecision, InboundMessage, Reply } from './types.js';
import type { ApprovalService } from '../approvals/service.js';
import { ledgerOf } from '../audit/ledger.js';

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
      const turnId = await recordTurn(deps.database, {
        conversationId: message.conversationId,
        channel: message.channel,
        userEmail: message.user.email,
        text: message.text.slice(0, 10_000),
        planner: plan.planner,
        plan: plan as unknown as Record<string, unknown>,
        agents: results.map((r) => ({ agent: r.agent, ok: r.ok, error: r.error, ms: r.ms, toolCalls: r.toolCalls, rationale: r.rationale })),
        reply: reply as unknown as Record<string, unknown>,
        ...(usage ? { tokens: usage } : {}),
        durationMs: ms,
      });
      await auditTurn(deps.database, { turnId, message, plan, results, reply });
      if (deps.approvals && reply.actions.length > 0) {
        reply.decisions = await governActions(deps.approvals, reply, { message, turnId, planner: plan.planner });
        const lead = leadingDecision(reply.decisions);
        if (lead) reply.headline = `${reply.headline} ${lead}`;
      }
      return { reply, plan, results, turnId, ms, ...(usage ? { tokens: usage } : {}) };
    },
    async close() {
      await Promise.all(Object.values(tools).map((t) => t.close()));
    },
  };
}

/** The turn and each agent tool call, in the ledger. */
async function auditTurn(
  database: Database,
  t: { turnId: string; message: InboundMessage; plan: Plan; results: AgentResult[]; reply: Reply },
): Promise<void> {
  const actor = t.message.user.email ?? t.message.user.id ?? 'anonymous';
  const ledger = ledgerOf(database);
  await Promise.all([
    ledger.append({
      actorType: 'user',
      actor,
      action: 'turn',
      subjectType: 'turn',
      subjectId: t.turnId,
      rationale: t.reply.rationale.join(' ').slice(0, 2000) || t.reply.headline,
      data: {
        channel: t.message.channel,
        ...(t.message.user.via ? { via: t.message.user.via } : {}),
        conversationId: t.message.conversationId,
        text: t.message.text.slice(0, 2000),
        planner: t.plan.planner,
        intent: t.plan.reading.intent,
        agents: t.results.map((r) => ({ agent: r.agent, ok: r.ok, ms: r.ms })),
        headline: t.reply.headline,
      },
    }),
    ...t.results.flatMap((r) =>
      r.toolCalls.map((c) =>
        ledger.append({
          actorType: 'agent',
          actor: r.agent,
          action: 'tool_call',
          subjectType: 'turn',
          subjectId: t.turnId,
          rationale: `${r.agent} called ${c.tool}${c.isError ? ' (error)' : ''}`,
          data: { turnId: t.turnId, tool: c.tool, args: c.args, ms: c.ms, isError: c.isError },
        }),
      ),
    ),
  ]);
}

/** Submits each proposed action to governance; a failure on one is reported, never hidden. */
async function governActions(
  approvals: ApprovalService,
  reply: Reply,
  ctx: { message: InboundMessage; turnId: string; planner: string },
): Promise<ActionDecision[]> {
  const out: ActionDecision[] = [];
  for (const action of reply.actions) {
    const r = await approvals.submit({
      action,
      ...(ctx.message.user.email || ctx.message.user.id ? { requester: ctx.message.user.email ?? ctx.message.user.id } : {}),
      origin: { channel: ctx.message.channel, conversationId: ctx.message.conversationId, turnId: ctx.turnId },
      planner: ctx.planner,
    });
    out.push({
      kind: action.kind,
      summary: action.summary,
      outcome: r.outcome,
      reason: r.reason,
      ...(r.approval ? { approval: { id: r.approval.id, number: r.approval.number, waitingFor: r.approval.waitingFor } } : {}),
      ...(r.execution ? { result: r.execution.summary } : {}),
    });
  }
  return out;
}

/** One sentence on what governance did with the first action. */
function leadingDecision(decisions: ActionDecision[]): string | undefined {
  const d = decisions[0];
  if (!d) return undefined;
  if (d.outcome === 'needs_approval') return `Sent for approval #${d.approval?.number}: ${d.reason}`;
  if (d.outcome === 'deny') return `Policy does not allow it: ${d.reason}`;
  return d.result ? `Done: ${d.result}` : undefined;
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
