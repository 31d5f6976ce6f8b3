// A plan: what the question asks, about whom and when, and which agents answer it.
import type { AgentName } from '../../../agents/agent.js';
import type { Reading } from './intents.js';
import type { Period } from './periods.js';

export type Plan = {
  planner: string;
  text: string;
  reading: Reading;
  period?: Period;
  /** Suppliers the question names, resolved against the master data (best match first). */
  suppliers: { id: string; name: string }[];
  /** Phrases that looked like supplier names but matched nobody, with the closest names. */
  unresolved: { phrase: string; closest: string[] }[];
  agents: AgentName[];
  /** Set when the question continued an earlier turn ("and in February?"). */
  followUpOf?: string;
};
