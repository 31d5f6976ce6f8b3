// The turn pipeline's planning and execution, the same whoever plans: a planner (the language model, or the
// rules) produces a Plan; the agents the registry names for it run in parallel; `merge` builds the Reply, with
// its precedence rules and screening. The language model plans by reading and requesting actions; each request
// becomes a task plan run through the agents like any other, so no proposal bypasses their checks. When the
// model fails, the rule planner answers and the reply says so.
import type { AgentName, AgentResult } from '../../agents/agent.js';
import type { ToolClient } from '../../agents/tool-client.js';
import { isAppError } from '../errors.js';
import type { ChatProvider } from '../llm/openai.js';
import type { Logger } from '../log.js';
import { type ActionRequest, runLlmTurn } from './llm-turn.js';
import { mergeResults } from './merge.js';
import { mergeLlmTurn } from './merge-llm.js';
import { readIntent } from './plan/intents.js';
import { parsePeriod } from './plan/periods.js';
import type { Plan } from './plan/plan.js';
import { planByRules, resolvePhrases, type SupplierResolver, type TermResolver } from './plan/rule.js';
import { agentNamed, agentsFor } from '../../agents/registry.js';
import { runAgents } from './run.js';
import type { Reply } from './types.js';

export type PipelineDeps = {
  tools: Readonly<Record<AgentName, ToolClient>>;
  resolve: SupplierResolver;
  /** Resolves department and category phrases of spend questions; unset → phrases are suppliers or categories. */
  resolveTerm?: TermResolver;
  today: Date;
  /** The month (1-12) the financial year starts (default 4). */
  fiscalYearStartMonth?: number;
  log: Logger;
  timeoutMs: number;
  /** A language model: when set it plans first, and the rule planner is the fallback. */
  llm?: { provider: ChatProvider; model: string };
};

export type PlannedTurn = { plan: Plan; results: AgentResult[]; reply: Reply };

/** Plans `text` (continuing `previous`), runs the agents and merges their results into the reply. */
export async function planAndRun(text: string, previous: Plan | undefined, deps: PipelineDeps): Promise<PlannedTurn> {
  let fallback: { line: string; planner: string } | undefined;
  if (deps.llm) {
    const { model } = deps.llm;
    try {
      return await byModel(text, previous, deps, deps.llm);
    } catch (err) {
      const code = isAppError(err) ? err.code : 'llm:error';
      const cause = (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : undefined;
      deps.log.warn('the language model could not answer; using the rule planner', { code, error: (err as Error).message, ...(cause ? { cause } : {}) });
      fallback = {
        line: `The language model could not answer (${isAppError(err) ? err.message : 'an unexpected error'}); this answer comes from the rule planner.`,
        planner: `rule (fallback from llm:${model}: ${code})`,
      };
    }
  }
  const plan = await planByRules(text, {
    today: deps.today,
    resolve: deps.resolve,
    ...(deps.resolveTerm ? { resolveTerm: deps.resolveTerm } : {}),
    ...(deps.fiscalYearStartMonth ? { fiscalYearStartMonth: deps.fiscalYearStartMonth } : {}),
    ...(previous ? { previous } : {}),
  });
  const results = await runAgents(plan, deps);
  const reply = mergeResults(plan, results);
  if (fallback) {
    plan.planner = fallback.planner;
    reply.rationale.unshift(fallback.line);
  }
  return { plan, results, reply };
}

async function byModel(text: string, previous: Plan | undefined, deps: PipelineDeps, llm: NonNullable<PipelineDeps['llm']>): Promise<PlannedTurn> {
  const turn = await runLlmTurn(text, {
    provider: llm.provider,
    model: llm.model,
    tools: deps.tools,
    today: deps.today,
    previousText: previous?.text,
    toolTimeoutMs: deps.timeoutMs,
  });
  const requests = [...turn.requests, ...insistedChecks(turn.results, turn.requests)];
  const tasks = await Promise.all(requests.map((r) => taskPlan(r, text, turn.planner, deps.resolve)));
  const runs = await Promise.all(tasks.map((t) => runAgents(t, deps)));
  const checked = requests.map((request, i) => ({ request, plan: tasks[i]!, results: runs[i]! }));
  const reply = mergeLlmTurn(turn, checked, llm.model);
  // The rule reading of the text is kept so a later follow-up answered by the rule planner still has context.
  const period = parsePeriod(text, deps.today, deps.fiscalYearStartMonth);
  const used = new Set([...turn.results.map((r) => r.agent), ...tasks.flatMap((t) => t.agents)]);
  const plan: Plan = {
    planner: turn.planner,
    text,
    reading: readIntent(text),
    ...(period ? { period } : {}),
    suppliers: [],
    unresolved: [],
    agents: [...used],
    ...(tasks.length > 0 ? { tasks } : {}),
  };
  return { plan, results: [...turn.results, ...runs.flat()], reply };
}

/**
 * The checks agents insist on after the model read through their tools (a strong sanctions match the model saw),
 * unless one of the model's own requests already makes the agents screen that supplier.
 */
function insistedChecks(reads: AgentResult[], requested: ActionRequest[]): ActionRequest[] {
  const covered = new Set(requested.filter((r) => r.supplier).map((r) => r.supplier!.toLowerCase()));
  return reads.flatMap((r) =>
    (agentNamed(r.agent)?.checksAfterReads?.(r.data as Record<string, unknown[]>) ?? [])
      .filter((c) => !covered.has(c.supplier.toLowerCase()))
      .map((c) => ({
        kind: 'put_supplier_on_hold' as const,
        intent: c.intent,
        summary: `Check ${c.supplier} against the sanctions lists`,
        supplier: c.supplier,
        insistedBy: { agent: r.agent, why: c.why },
      })),
  );
}

/** A requested action as a plan for the agents that check and propose that kind of action. */
async function taskPlan(r: ActionRequest, text: string, planner: string, resolve: SupplierResolver): Promise<Plan> {
  const { suppliers, unresolved } = await resolvePhrases(r.supplier ? [r.supplier] : [], resolve);
  return {
    planner,
    text,
    reading: {
      intent: r.intent,
      supplierPhrases: r.supplier ? [r.supplier] : [],
      ...(r.amount ? { amount: r.amount } : {}),
      ...(r.item ? { item: r.item } : {}),
      ...(r.quantity ? { quantity: r.quantity } : {}),
      ...(r.days ? { days: r.days } : {}),
    },
    suppliers,
    unresolved,
    agents: agentsFor(r.intent),
  };
}
