// Runs the planned agents in parallel, each with its own timeout: a slow or failing agent degrades the answer
// (and says so) instead of failing the turn.
import type { Agent, AgentName, AgentResult } from '../../agents/agent.js';
import { emptyOutput } from '../../agents/agent.js';
import { recording, type ToolClient } from '../../agents/tool-client.js';
import type { Plan } from './plan/plan.js';

export type RunDeps = {
  agents: Readonly<Record<AgentName, Agent>>;
  tools: Readonly<Record<AgentName, ToolClient>>;
  timeoutMs: number;
};

/** Runs every agent of the plan at once and returns their results in plan order. */
export async function runAgents(plan: Plan, deps: RunDeps): Promise<AgentResult[]> {
  return Promise.all(plan.agents.map((name) => runOne(name, plan, deps)));
}

async function runOne(name: AgentName, plan: Plan, deps: RunDeps): Promise<AgentResult> {
  const started = performance.now();
  const tools = recording(deps.tools[name]);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${deps.timeoutMs} ms`)), deps.timeoutMs);
  });
  try {
    const output = await Promise.race([deps.agents[name].run(plan, tools), timeout]);
    return { ...output, agent: name, ok: true, ms: Math.round(performance.now() - started), toolCalls: [...tools.calls] };
  } catch (err) {
    return {
      ...emptyOutput(),
      agent: name,
      ok: false,
      error: (err as Error).message,
      ms: Math.round(performance.now() - started),
      toolCalls: [...tools.calls],
    };
  } finally {
    clearTimeout(timer);
  }
}
