// The rule planner: always available, deterministic, and the fallback when an LLM fails. It reads the intent,
// the period and the supplier phrases, resolves the phrases against the supplier master (through the supplier
// agent's MCP server), and continues the previous turn of the thread for follow-ups.
import type { AgentName } from '../../../agents/agent.js';
import { type Intent, readIntent } from './intents.js';
import { parsePeriod } from './periods.js';
import type { Plan } from './plan.js';

export type SupplierMatch = { id: string; name: string; score: number };
/** Looks a phrase up in the supplier master: ranked matches, best first. */
export type SupplierResolver = (phrase: string) => Promise<SupplierMatch[]>;

/** A match at or above this score is taken as the supplier meant. */
const ACCEPT_SCORE = 0.8;

const AGENTS: Record<Intent, AgentName[]> = {
  spend_total: ['spend'],
  spend_top: ['spend'],
  spend_breakdown: ['spend'],
  spend_trend: ['spend'],
  spend_compare: ['spend'],
  spend_anomalies: ['spend'],
  supplier_profile: ['supplier'],
  sanctions_check: ['supplier'],
  supplier_risk: ['supplier'],
  supplier_duplicates: ['supplier'],
  contracts_expiring: ['contract'],
  contract_terms: ['contract'],
  contracts_of_supplier: ['contract'],
  price_compliance: ['contract'],
  purchase_request: ['spend', 'supplier', 'contract'],
  help: [],
};

const SPEND_INTENTS = new Set<Intent>(['spend_total', 'spend_top', 'spend_breakdown', 'spend_trend', 'spend_compare', 'spend_anomalies']);
const FOLLOW_UP = /^\s*(?:and|what about|how about|same for|and for|now|also)\b/i;
const PRONOUN = /\b(?:they|them|their|theirs|it|its|this supplier|that supplier|the same supplier)\b/i;

/** Plans `text`; `previous` is the thread's last plan, used to resolve follow-ups. */
export async function planByRules(
  text: string,
  ctx: { today: Date; resolve: SupplierResolver; previous?: Plan },
): Promise<Plan> {
  let reading = readIntent(text);
  let period = parsePeriod(text, ctx.today);
  const prev = ctx.previous;
  let followUpOf: string | undefined;

  // Resolve supplier phrases (at most three: questions name one or two suppliers).
  const suppliers: Plan['suppliers'] = [];
  const unresolved: Plan['unresolved'] = [];
  for (const phrase of reading.supplierPhrases.slice(0, 3)) {
    if (period?.matched && period.matched.toLowerCase().includes(phrase.toLowerCase())) continue;
    const matches = await ctx.resolve(phrase);
    const best = matches[0];
    if (best && best.score >= ACCEPT_SCORE) {
      if (!suppliers.some((s) => s.id === best.id)) suppliers.push({ id: best.id, name: best.name });
    } else {
      unresolved.push({ phrase, closest: matches.filter((m) => m.score >= 0.4).slice(0, 3).map((m) => m.name) });
    }
  }

  if (prev && (FOLLOW_UP.test(text) || PRONOUN.test(text) || (reading.intent === 'help' && (period || suppliers.length > 0)))) {
    followUpOf = prev.text;
    const intent = reading.intent === 'help' || (SPEND_INTENTS.has(prev.reading.intent) && reading.intent === 'spend_total')
      ? prev.reading.intent
      : reading.intent;
    reading = { ...prev.reading, ...definedOnly(reading), intent };
    period ??= prev.period;
    if (suppliers.length === 0 && (PRONOUN.test(text) || unresolved.length === 0)) suppliers.push(...prev.suppliers);
  }

  // In a spend question a phrase that names no supplier is usually a category ("spend on travel").
  if (SPEND_INTENTS.has(reading.intent) && suppliers.length === 0 && unresolved.length > 0 && !reading.category) {
    reading = { ...reading, category: unresolved.shift()!.phrase };
  }

  return {
    planner: 'rule',
    text,
    reading,
    ...(period ? { period } : {}),
    suppliers,
    unresolved,
    agents: AGENTS[reading.intent],
    ...(followUpOf ? { followUpOf } : {}),
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(o).filter(([k, v]) => v !== undefined && !(k === 'supplierPhrases' && Array.isArray(v) && v.length === 0)),
  ) as Partial<T>;
}
