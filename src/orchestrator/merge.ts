// Merges the agents' results into one Reply. Precedence is explicit: compliance and risk findings ('block')
// outrank cost and convenience; when they conflict with another agent's proposal, the proposal is set aside
// and the conflict and its resolution are written into the rationale. A committing proposal that names a
// supplier nobody screened in this turn is set aside too, whichever planner asked for it.
import type { AgentResult } from '../../agents/agent.js';
import { agentsFor } from '../../agents/registry.js';
import type { Intent } from './plan/intents.js';
import type { Plan } from './plan/plan.js';
import type { Reply } from './types.js';

// Actions that spend money or commit to a supplier: these yield to a compliance or risk block.
const COMMITTING_ACTIONS = new Set(['create_purchase_order', 'renew_contract', 'release_invoice', 'start_sourcing_event', 'award_contract']);

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
  const primaryName = agentsFor(plan.reading.intent)[0];
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
  const unscreened = actions.filter((a) => COMMITTING_ACTIONS.has(a.kind) && !suppliersNamed(a.params).every((id) => screenedClear(ok, id)));
  if (unscreened.length > 0) {
    actions = actions.filter((a) => !unscreened.includes(a));
    for (const a of unscreened) {
      rationale.push(
        `Set aside: the ${a.proposedBy} agent proposed "${a.summary}", but ${suppliersNamed(a.params).length > 1 ? 'a supplier it names was' : 'the supplier it names was'} not screened against ` +
          'the sanctions lists in this turn, and nothing that commits money goes forward unscreened.',
      );
    }
  }
  for (const d of degraded) rationale.push(`${d.agent} agent did not answer (${d.reason}); the answer is partial.`);

  // A phrase the spend agent also tried as a category is unknown only if it matched no category either.
  const unresolved = plan.unresolved.find(
    (u) => u.phrase !== plan.reading.category || ok.some((r) => r.data.unknownName === u.phrase),
  );
  const unknown = plan.suppliers.length === 0 ? unresolved : undefined;
  let suggestions = SUGGESTIONS[plan.reading.intent] ?? [];
  if (unknown && unknown.closest.length > 0 && plan.reading.intent !== 'help') {
    // "Did you mean": the same question with each of the closest names in place of the unknown one.
    suggestions = unknown.closest.slice(0, 2).map((name) => plan.text.replace(unknown.phrase, name));
  } else if (unknown && plan.reading.intent !== 'help' && !plan.reading.category) {
    suggestions = ['Top 10 suppliers by spend this year', ...suggestions.slice(0, 1)];
  }

  let headline: string;
  const ambiguous = plan.unresolved.find((u) => u.ambiguous);
  if (plan.reading.intent === 'help') {
    headline = `I'm not sure what you're asking. ${HELP_TEXT}`;
  } else if (ambiguous) {
    headline = `"${ambiguous.phrase}" could be any of ${ambiguous.closest.length} suppliers: ${ambiguous.closest.join(', ')}. Ask again with the one you mean; I have not added them together.`;
  } else if (unknown && needsSupplier(plan.reading.intent)) {
    headline = `I couldn't find a supplier called "${unknown.phrase}".${
      unknown.closest.length > 0 ? ` Closest matches: ${unknown.closest.join(', ')}.` : ' No supplier has a similar name.'
    }`;
  } else if (blocks.length > 0) {
    headline = `Stop: ${blocks[0]!.text}`;
  } else if (unscreened.length > 0 && actions.length === 0) {
    headline =
      unscreened[0]!.kind === 'award_contract'
        ? "I can't propose this award yet: not every awarded supplier could be screened against the sanctions lists in this turn (are the lists imported?). Please ask again once they can."
        : `I can't propose this yet: ${plan.suppliers[0]?.name ?? 'the supplier'} could not be screened against the sanctions lists in this turn. Please ask again.`;
  } else if (plan.reading.intent === 'purchase_request' && actions.length > 0) {
    headline = `Decision needed: ${actions[0]!.summary}. Checks found nothing that blocks it.`;
  } else if (plan.reading.intent === 'purchase_request' && unknown) {
    headline = `I can't propose a purchase order: "${unknown.phrase}" is not in our supplier master, so it would need onboarding first.${
      unknown.closest.length > 0 ? ` Closest suppliers we know: ${unknown.closest.join(', ')}.` : ''
    }`;
  } else if (plan.reading.intent === 'purchase_request' && !plan.reading.amount && plan.suppliers[0] && degraded.length === 0) {
    headline = `To propose a purchase order with ${plan.suppliers[0].name} I need the amount, e.g. "…for £25k". Checks found nothing that blocks it.`;
  } else {
    headline =
      ordered.find((r) => r.headline)?.headline ??
      (degraded.length > 0 ? 'I could not get an answer from the agents in time; please try again.' : HELP_TEXT);
  }
  if (warnings.length > 0 && blocks.length === 0 && plan.reading.intent === 'purchase_request' && !unknown) {
    headline = headline.replace(' Checks found nothing that blocks it.', '');
    headline += ` Note: ${warnings.join('; ')}.`;
  }
  if (unknown && !needsSupplier(plan.reading.intent) && !SCREENS_ANY_NAME.has(plan.reading.intent) && !ok.some((r) => r.data.unknownName)) {
    rationale.push(`No supplier is called "${unknown.phrase}", so this answer is not limited to one supplier.`);
  }
  const table = ordered.find((r) => r.table)?.table;
  const images = ordered.flatMap((r) => r.images ?? []);
  return {
    headline,
    facts: ordered.flatMap((r) => r.facts),
    ...(table ? { table } : {}),
    sources: ordered.flatMap((r) => r.sources),
    actions,
    suggestions,
    degraded,
    rationale,
    ...(images.length > 0 ? { images } : {}),
  };
}

/** Every supplier a proposal commits to: its subject and, for an award, each awarded supplier. */
function suppliersNamed(params: Record<string, unknown>): string[] {
  const awards = Array.isArray(params.awards) ? (params.awards as { supplierId?: unknown }[]).map((a) => a?.supplierId) : [];
  return [...new Set([params.supplierId, ...awards].filter((id): id is string => typeof id === 'string' && id !== ''))];
}

type Screened = { supplierId?: string | null; verdict?: string };

/** True when an agent screened `supplierId` in this turn and found no strong match. */
function screenedClear(results: AgentResult[], supplierId: string): boolean {
  return results.some((r) => {
    const raw = r.data.screened as Screened | Screened[] | undefined;
    const all = Array.isArray(raw) ? raw : raw ? [raw] : [];
    return all.some((s) => s.supplierId === supplierId && s.verdict !== undefined && s.verdict !== 'strong_match' && s.verdict !== 'not_screened');
  });
}

// Intents that act on a name whether or not it is a known supplier (a name can be screened before onboarding).
const SCREENS_ANY_NAME = new Set<Intent>(['sanctions_check', 'purchase_request', 'help']);

function needsSupplier(intent: Intent): boolean {
  return ['supplier_profile', 'supplier_risk', 'contract_terms', 'contracts_of_supplier'].includes(intent);
}
