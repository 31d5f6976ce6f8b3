// The agents Quartermaster runs, in the order their answers are shown. Each agent declares its MCP server, the
// intents it serves and the actions it may propose (see `Agent`); the planners, `merge` and the orchestrator
// read this list and nothing else. Adding an agent: a folder under agents/, a server under mcp-servers/, a line here.
import type { ActionKind } from '../src/domain/action-kinds.js';
import type { Intent } from '../src/orchestrator/plan/intents.js';
import type { Agent, AgentName } from './agent.js';
import { contractAgent } from './contract.js';
import { demandAgent } from './demand.js';
import { governanceAgent } from './governance.js';
import { sourcingAgent } from './sourcing.js';
import { spendAgent } from './spend.js';
import { supplierAgent } from './supplier.js';

export const AGENTS: readonly Agent[] = [spendAgent, supplierAgent, contractAgent, demandAgent, governanceAgent, sourcingAgent];

/** The agent called `name`, if registered. */
export function agentNamed(name: AgentName): Agent | undefined {
  return AGENTS.find((a) => a.name === name);
}

/** The agents that serve `intent`, in registry order (the first one leads the answer). */
export function agentsFor(intent: Intent): AgentName[] {
  return AGENTS.filter((a) => a.handles[intent]).map((a) => a.name);
}

/** Every action kind some agent may propose, with the intent under which that agent checks and proposes it. */
export function proposableKinds(): ReadonlyMap<ActionKind, Intent> {
  return new Map(AGENTS.flatMap((a) => Object.entries(a.proposes ?? {}) as [ActionKind, Intent][]));
}

/** The agent that can resolve supplier phrases against the master data. */
export function supplierResolver(): (Agent & Required<Pick<Agent, 'resolveSupplier'>>) | undefined {
  return AGENTS.find((a): a is Agent & Required<Pick<Agent, 'resolveSupplier'>> => a.resolveSupplier !== undefined);
}

/** The agent that can resolve department and category phrases against the spend data. */
export function spendTermResolver(): (Agent & Required<Pick<Agent, 'resolveSpendTerm'>>) | undefined {
  return AGENTS.find((a): a is Agent & Required<Pick<Agent, 'resolveSpendTerm'>> => a.resolveSpendTerm !== undefined);
}
