// A plan: what the question asks, about whom and when, and which agents answer it. Both planners (rules, LLM)
// produce one; the agents then run it. Agent names are those of agents/registry.ts (this file imports no agent,
// so agents can depend on it).
import type { Reading } from './intents.js';
import type { Period } from './periods.js';

export type Plan = {
  planner: string;
  text: string;
  reading: Reading;
  period?: Period;
  /** A second period the first is compared with ("March 2012 vs February 2012", "2012 year on year"). */
  comparePeriod?: Period;
  /** Suppliers the question names, resolved against the master data (best match first); `readAs` is the phrase
   * when it was not the supplier's exact name or alias ("HP" for "Hewlett-Packard Ltd"), so answers can say so. */
  suppliers: { id: string; name: string; readAs?: string }[];
  /** Phrases that looked like supplier names but matched nobody, with the closest names; `ambiguous` when several
   * suppliers match equally well (a short name such as "BT" shared by several companies). */
  unresolved: { phrase: string; closest: string[]; ambiguous?: boolean }[];
  /** The registered agents that answer it, in registry order. */
  agents: string[];
  /** Set when the question continued an earlier turn ("and in February?"). */
  followUpOf?: string;
  /** LLM turns: the checks the model asked for, each run through the agents and merged like a rule plan. */
  tasks?: Plan[];
};
