// Runs the planned agents in parallel, each with its own timeout: a slow or failing agent degrades the answer
// (and says so) instead of failing the turn. Agents and their handlers come from the registry.
import type { AgentName, AgentResult } from '../../agents/agent.js';
import { emptyOutput } from '../../agents/agent.js';
import { agentNamed } from '../../agents/registry.js';
import { recording, type ToolClient } from '../../agents/tool-client.js';
import type { Plan } from './plan/plan.js';

export type RunDeps = {
  tools: Readonly<Record<AgentName, ToolClient>>;
  timeoutMs: number;
};

/** Runs every agent of the plan at once and returns their results in plan order. */
export async function runAgents(plan: Plan, deps: RunDeps): Promise<AgentResult[]> {
  return Promise.all(plan.agents.map((name) => runOne(name, plan, deps)));
}

async function runOne(name: AgentName, plan: Plan, deps: RunDeps): Promise<AgentResult> {
  const started = performance.now();
  const client = deps.tools[name];
  const tools = client ? recording(client) : undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${deps.timeoutMs} ms`)), deps.timeoutMs);
  });
  try {
    if (!tools) throw new Error(`no MCP client for the ${name} agent`);
    const handler = agentNamed(name)?.handles[plan.reading.intent];
    const output = handler ? await Promise.race([handler(plan, tools), timeout]) : emptyOutput();
    return { ...output, agent: name, ok: true, ms: Math.round(performance.now() - started), toolCalls: [...tools.calls] };
  } catch (err) {
    return {
      ...emptyOutput(),
      agent: name,
      ok: false,
      error: (err as Error).message,
      ms: Math.round(performance.now() - started),
      toolCalls: [...(tools?.calls ?? [])],
    };
  } finally {
    clearTimeout(timer);
  }
}
