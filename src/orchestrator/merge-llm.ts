// The reply of a turn the language model planned. The model's reads and prose explain; the decision comes from
// the agents: each action the model requested ran as a task through the agents that serve it and through
// `mergeResults`, so a sanctions block outranks the request exactly as it does for the rule planner. Prose that
// claims an outcome nothing recorded is removed (claims.ts), and the removal is noted in the rationale.
import type { AgentResult } from '../../agents/agent.js';
import { clip } from '../domain/clip.js';
import { filterClaims } from './claims.js';
import type { ActionRequest, LlmTurn } from './llm-turn.js';
import { mergeResults } from './merge.js';
import type { Plan } from './plan/plan.js';
import type { Reply, Source } from './types.js';

const MAX_HEADLINE = 2_000;

/** One requested action, checked: the task plan the agents ran and their results. */
export type CheckedRequest = { request: ActionRequest; plan: Plan; results: AgentResult[] };

/** Builds the reply of an LLM-planned turn from the model's reads and prose and the agents' checks. */
export function mergeLlmTurn(turn: LlmTurn, checked: CheckedRequest[], model: string): Reply {
  const tasks = checked.map((c) => ({ ...c, reply: mergeResults(c.plan, c.results) }));
  const records = [...turn.records, ...tasks.flatMap((t) => [t.reply.headline, ...t.reply.facts.map((f) => `${f.label}: ${f.value}`)])];
  const prose = filterClaims(turn.answer, { records });

  const research = turn.results;
  const calls = research.reduce((n, r) => n + r.toolCalls.length, 0);
  const rationale = [
    `Answered by the language model ${model} from ${calls} tool call${calls === 1 ? '' : 's'}${
      research.length > 0 ? ` on the ${research.map((r) => r.agent).join(', ')} server${research.length === 1 ? '' : 's'}` : ''
    }. It can only read data and ask the agents to check an action: nothing it says approves or changes anything.`,
  ];
  for (const t of tasks) {
    const proposed = t.reply.actions.some((a) => a.kind === t.request.kind);
    const who = t.plan.agents.length > 0 ? `the ${t.plan.agents.join(', ')} agent${t.plan.agents.length === 1 ? '' : 's'}` : 'no agent';
    const asked = t.request.insistedBy
      ? `The ${t.request.insistedBy.agent} agent checked again, because ${t.request.insistedBy.why}`
      : `The language model asked for "${t.request.summary}"; ${who} checked it${proposed ? ' and propose it for a decision' : ' and did not propose it'}`;
    rationale.push(`${asked}.`, ...t.reply.rationale);
  }
  for (const s of prose.removed) {
    rationale.push(`Removed from the language model's answer, because no recorded decision or record supports it: "${s}"`);
  }
  const degraded = [
    ...research.filter((r) => !r.ok).map((r) => ({ agent: r.agent, reason: r.error ?? 'failed' })),
    ...tasks.flatMap((t) => t.reply.degraded),
  ];
  for (const d of research.filter((r) => !r.ok)) rationale.push(`${d.agent} agent did not answer (${d.error ?? 'failed'}); the answer may be partial.`);

  // The decision leads: a block or a proposal from the agents' checks comes before the model's explanation.
  const decisive = tasks.filter((t) => t.reply.actions.length > 0 || t.reply.headline.startsWith('Stop:'));
  const other = tasks.filter((t) => !decisive.includes(t));
  const parts = [...decisive.map((t) => t.reply.headline), prose.text, ...other.map((t) => t.reply.headline)].filter((p) => p !== '');
  const headline =
    parts.length > 0 ? parts.join(' ') : 'The language model gave no answer that the records support; ask again, or ask for the figures themselves.';

  const seen = new Set<string>();
  const actions = tasks
    .flatMap((t) => t.reply.actions)
    .filter((a) => {
      const key = JSON.stringify([a.kind, a.params, a.amount ?? null]);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  const table = tasks.find((t) => t.reply.table)?.reply.table;
  return {
    headline: clip(headline, MAX_HEADLINE),
    facts: tasks.flatMap((t) => t.reply.facts),
    ...(table ? { table } : {}),
    sources: [...researchSources(research), ...tasks.flatMap((t) => t.reply.sources)],
    actions,
    suggestions: [],
    degraded,
    rationale,
  };
}

function researchSources(results: AgentResult[]): Source[] {
  return results.flatMap((r) =>
    [...new Set(r.toolCalls.filter((c) => !c.isError).map((c) => c.tool))].map((tool) => ({ title: `${tool} (${r.agent} server)`, ref: `mcp://${r.agent}/${tool}` })),
  );
}
