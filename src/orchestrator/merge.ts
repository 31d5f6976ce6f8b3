// Merges the agents' results into one Reply. Precedence is explicit: compliance and risk findings ('block')
// outrank cost and convenience; when they conflict with another agent's proposal, the proposal is set aside
// and the conflict and its resolution are written into the rationale.
import type { AgentName, AgentResult } from '../../agents/agent.js';
import type { Intent } from './plan/intents.js';
import type { Plan } from './plan/plan.js';
import type { Reply } from './types.js';

const PRIMARY: Record<Intent, AgentName | undefined> = {
  spend_total: 'spend',
  spend_top: 'spend',
  spend_breakdown: 'spend',
  spend_trend: 'spend',
  spend_compare: 'spend',
  spend_anomalies: 'spend',
  supplier_profile: 'supplier',
  sanctions_check: 'supplier',
  supplier_risk: 'supplier',
  supplier_duplicates: 'supplier',
  contracts_expiring: 'contract',
  contract_terms: 'contract',
  contracts_of_supplier: 'contract',
  price_compliance: 'contract',
  purchase_request: undefined,
  help: undefined,
};

// Actions that spend money or commit to a supplier: these yield to a compliance or risk block.
const COMMITTING_ACTIONS = new Set(['create_purchase_order', 'renew_contract', 'release_invoice', 'start_sourcing_event']);

const SUGGESTIONS: Partial<Record<Intent, string[]>> = {
  spend_total: ['Break it down by category', 'Show the monthly trend', 'Any duplicate payments?'],
  spend_top: ['Show the monthly trend', 'Which contracts expire in the next 90 days?'],
  spend_anomalies: ['Which contracts expire in the next 90 days?', 'Are we paying contracted prices?'],
  supplier_profile: ['Is this supplier sanctioned?', 'What are the termination terms?'],
  sanctions_check: ['What is our exposure to this supplier?', 'Show their contracts'],
  contracts_expiring: ['What are the termination terms?', 'What did we spend with this supplier last year?'],
  purchase_request: ['Show the contracted prices', 'What is our exposure to this supplier?'],
};

export const HELP_TEXT =
  'I can answer questions about spend, suppliers and contracts, for example: ' +
  '"What did we spend with Refinitiv in March 2025?", "Top 10 suppliers by spend in 2012", ' +
  '"Spend by category last quarter", "Any duplicate payments?", "Is Aerocaribbean Airlines sanctioned?", ' +
  '"Which contracts expire in the next 90 days?", "What are the termination terms with Refinitiv?", ' +
  '"Can we buy 20 laptops from Dell for £25k?"';

/** Builds the reply for `plan` from the agents' results. */
export function mergeResults(plan: Plan, results: AgentResult[]): Reply {
  const degraded = results.filter((r) => !r.ok).map((r) => ({ agent: r.agent, reason: r.error ?? 'failed' }));
  const ok = results.filter((r) => r.ok);
  const primaryName = PRIMARY[plan.reading.intent];
  const ordered = [...ok].sort((a, b) => (a.agent === primaryName ? -1 : b.agent === primaryName ? 1 : 0));
  const blocks = ok.flatMap((r) => r.findings.filter((f) => f.severity === 'block').map((f) => ({ agent: r.agent, text: f.text })));
  const warnings = ok.flatMap((r) => r.findings.filter((f) => f.severity === 'warning').map((f) => f.text));

  const rationale: string[] = ordered.filter((r) => r.rationale).map((r) => `${r.agent} agent: ${r.rationale}`);
  let actions = ordered.flatMap((r) => r.actions);
  if (blocks.length > 0) {
    const setAside = actions.filter((a) => COMMITTING_ACTIONS.has(a.kind));
    if (setAside.length > 0) {
      actions = actions.filter((a) => !COMMITTING_ACTIONS.has(a.kind));
      for (const a of setAside) {
        rationale.push(
          `Conflict: the ${a.proposedBy} agent proposed "${a.summary}", but the ${blocks[0]!.agent} agent found: ` +
            `${blocks[0]!.text}. Compliance and risk findings outrank cost, so that proposal was set aside.`,
        );
      }
    }
  }
  for (const d of degraded) rationale.push(`${d.agent} agent did not answer (${d.reason}); the answer is partial.`);

  let headline: string;
  if (plan.reading.intent === 'help') {
    headline = `I'm not sure what you're asking. ${HELP_TEXT}`;
  } else if (plan.unresolved.length > 0 && plan.suppliers.length === 0 && needsSupplier(plan.reading.intent)) {
    const u = plan.unresolved[0]!;
    headline = `I couldn't find a supplier called "${u.phrase}".${u.closest.length > 0 ? ` Closest matches: ${u.closest.join(', ')}.` : ''}`;
  } else if (blocks.length > 0) {
    headline = `Stop: ${blocks[0]!.text}`;
  } else {
    headline =
      ordered.find((r) => r.headline)?.headline ??
      (degraded.length > 0 ? 'I could not get an answer from the agents in time; please try again.' : HELP_TEXT);
  }
  if (warnings.length > 0 && blocks.length === 0 && plan.reading.intent === 'purchase_request') {
    headline += ` Note: ${warnings[0]}`;
  }
  const table = ordered.find((r) => r.table)?.table;
  return {
    headline,
    facts: ordered.flatMap((r) => r.facts),
    ...(table ? { table } : {}),
    sources: ordered.flatMap((r) => r.sources),
    actions,
    suggestions: SUGGESTIONS[plan.reading.intent] ?? [],
    degraded,
    rationale,
  };
}

function needsSupplier(intent: Intent): boolean {
  return ['supplier_profile', 'supplier_risk', 'contract_terms', 'contracts_of_supplier'].includes(intent);
}
