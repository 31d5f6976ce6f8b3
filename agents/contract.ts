// The contract agent: deadlines, terms and clauses, contracted prices. It reads through the contract MCP
// server only, and proposes (never performs) renewals, terminations and price disputes.
import type { Plan } from '../src/orchestrator/plan/plan.js';
import { type Agent, type AgentOutput, emptyOutput } from './agent.js';
import { formatMoney as money } from '../src/domain/money.js';
import type { ContractToolOutputs } from '../mcp-servers/contract/tools/index.js';
import { firstLine, type ToolClient, typed } from './tool-client.js';

type ContractSummary = ContractToolOutputs['find_contracts']['contracts'][number];

/** The contract server's tools, each answering with its own output type. */
const contractTools = (tools: ToolClient) => typed<ContractToolOutputs>(tools);

async function expiring(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const withinDays = Math.min(3650, plan.reading.days ?? 90);
  const supplier = plan.suppliers[0];
  const r = await contractTools(tools).call('expiring_contracts', { withinDays, ...(supplier ? { supplier: supplier.id } : {}) });
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  const { contracts } = r.data;
  return {
    ...emptyOutput(`Listed contracts whose end date or notice deadline falls within ${withinDays} days, earliest first.`),
    headline: firstLine(r.text),
    data: { contracts: r.data },
    table: {
      columns: ['Contract', 'Supplier', 'Deadline', 'Action'],
      rows: contracts.slice(0, 20).map((c) => [c.contractNumber ?? c.title, c.supplierName ?? '', c.deadline, c.action]),
    },
    sources: contracts.slice(0, 20).map((c) => ({ title: `${c.contractNumber ?? ''} ${c.title}`.trim(), ref: `contract://${c.id}` })),
    actions: contracts
      .filter((c) => c.deadlineKind === 'notice_deadline')
      .slice(0, 5)
      .map((c) => ({
        kind: 'review_contract_renewal',
        summary: `Decide whether to renew or give notice on ${c.contractNumber ?? c.title} (${c.supplierName ?? 'supplier unknown'}) by ${c.deadline}`,
        proposedBy: 'contract',
        rationale: c.action,
        params: { contractId: c.id, deadline: c.deadline },
        ...(c.value && c.currency ? { amount: { value: c.value, currency: c.currency } } : {}),
      })),
  };
}

async function contractsOf(plan: Plan, tools: ToolClient, withTerms: boolean): Promise<AgentOutput> {
  const supplier = plan.suppliers[0];
  if (!supplier) {
    if (withTerms) return { ...emptyOutput('No supplier named; nothing to look up.'), headline: 'Which supplier’s contract do you mean?' };
    return expiring({ ...plan, reading: { ...plan.reading, days: 365 } }, tools);
  }
  const found = await contractTools(tools).call('find_contracts', { supplier: supplier.id, limit: 10 });
  if (found.isError) return { ...emptyOutput(found.text), headline: found.text };
  const { contracts } = found.data;
  if (contracts.length === 0) {
    return { ...emptyOutput(`No contract is on file for ${supplier.name}.`), headline: `We have no contract on file with ${supplier.name}.`, data: { contracts: [] } };
  }
  const out: AgentOutput = {
    ...emptyOutput(`Found ${contracts.length} contract(s) with ${supplier.name}.`),
    headline: firstLine(found.text),
    data: { contracts: found.data },
    sources: contracts.map((c) => ({ title: `${c.contractNumber ?? ''} ${c.title}`.trim(), ref: `contract://${c.id}` })),
    table: {
      columns: ['Contract', 'Status', 'Ends', 'Notice by', 'Value'],
      rows: contracts.map((c) => [c.contractNumber ?? c.title, c.status, c.endDate ?? '', c.noticeDeadline ?? '', c.value && c.currency ? money(c.value, c.currency) : (c.value ?? '')]),
    },
  };
  if (!withTerms) return out;
  // Terms: the live contract first (else the latest), with its termination, renewal and notice clauses quoted
  // when its text is on file, and the terms recorded on the contract itself in any case.
  const main = contracts.find((c) => c.status === 'active') ?? contracts[0]!;
  const [details, clauses] = await Promise.all([
    contractTools(tools).call('contract_details', { contract: main.id }),
    main.hasText === false
      ? undefined
      : contractTools(tools).call('contract_clauses', {
          contract: main.id,
          types: ['termination_for_convenience', 'notice_to_terminate_renewal', 'renewal_term', 'expiration_date', 'governing_law'],
        }),
  ]);
  const facts = [];
  const c = details.isError ? main : { ...main, ...details.data.contract };
  if (!details.isError) {
    out.headline = `${firstLine(details.text)}${recordedTerms(c) ? ` Terms on record: ${recordedTerms(c)}.` : ''}`;
    out.data.details = details.data;
  }
  if (c.noticePeriodDays !== null) facts.push({ label: 'Notice period', value: `${c.noticePeriodDays} days before the end date` });
  if (c.noticeDeadline) facts.push({ label: 'Last day to give notice', value: c.noticeDeadline });
  if (c.endDate) facts.push({ label: 'Ends', value: c.endDate });
  if (c.autoRenew !== null) facts.push({ label: 'Renews automatically', value: c.autoRenew ? `yes${c.renewalTerm ? ` (${c.renewalTerm})` : ''}` : 'no' });
  const action = details.isError ? undefined : details.data.action;
  if (action) facts.push({ label: 'Next step', value: action });
  if (clauses && !clauses.isError) {
    out.data.clauses = clauses.data;
    for (const k of clauses.data.clauses) {
      if (k.present) facts.push({ label: k.label, value: k.value ?? k.spans[0]?.text.slice(0, 280) ?? 'present' });
    }
  } else {
    facts.push({ label: 'Contract text', value: 'not on file, so no clause can be quoted; the terms above are those recorded on the contract' });
  }
  out.facts = facts;
  out.rationale = `Read ${main.contractNumber ?? main.title} (${main.status}): ${clauses && !clauses.isError ? 'quoted its termination, renewal and notice clauses and ' : ''}listed the notice and renewal terms recorded on it.`;
  return out;
}

/** "90 days' notice, renews automatically": the termination terms recorded on a contract, if any. */
function recordedTerms(c: ContractSummary): string {
  const parts: string[] = [];
  if (c.noticePeriodDays !== null) parts.push(`${c.noticePeriodDays} days' notice before the end date`);
  if (c.autoRenew !== null) parts.push(c.autoRenew ? `renews automatically${c.renewalTerm ? ` for ${c.renewalTerm}` : ''} unless notice is given` : 'does not renew automatically');
  return parts.join(', ');
}

async function prices(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const supplier = plan.suppliers[0];
  const r = await contractTools(tools).call('price_compliance', supplier ? { supplier: supplier.id } : {});
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  return {
    ...emptyOutput('Compared invoiced unit prices with contracted prices.'),
    headline: firstLine(r.text),
    data: { priceCompliance: r.data },
    findings: /exceed|above|over/i.test(firstLine(r.text)) ? [{ severity: 'warning', text: firstLine(r.text) }] : [],
  };
}

/** For a purchase request: is there a contract with the supplier, and what does it say about price? */
async function forPurchase(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const supplier = plan.suppliers[0];
  if (!supplier) return emptyOutput('No known supplier: no contract can cover this purchase.');
  const found = await contractTools(tools).call('find_contracts', { supplier: supplier.id, status: 'active', limit: 5 });
  const contracts = found.isError ? [] : found.data.contracts;
  if (contracts.length === 0) {
    return {
      ...emptyOutput(`No active contract with ${supplier.name}: the purchase would be off-contract.`),
      findings: [{ severity: 'warning', text: `there is no active contract with ${supplier.name}, so this would be an off-contract purchase` }],
    };
  }
  const c = contracts[0]!;
  return {
    ...emptyOutput(`Active contract ${c.contractNumber ?? c.title} covers ${supplier.name} until ${c.endDate ?? 'an open end date'}.`),
    facts: [{ label: 'Contract', value: `${c.contractNumber ?? ''} ${c.title} (until ${c.endDate ?? 'open-ended'})`.trim() }],
    sources: [{ title: `${c.contractNumber ?? ''} ${c.title}`.trim(), ref: `contract://${c.id}` }],
    data: { contract: c },
  };
}

export const contractAgent: Agent = {
  name: 'contract',
  server: 'contract',
  instructions:
    'You answer questions about contracts: what is in force with a supplier, expiry and notice deadlines, termination and renewal terms (quote the clause), and whether invoices follow contracted prices. You propose renewal reviews; you never renew, terminate or dispute anything yourself.',
  handles: {
    contracts_expiring: expiring,
    contract_terms: (plan, tools) => contractsOf(plan, tools, true),
    contracts_of_supplier: (plan, tools) => contractsOf(plan, tools, false),
    price_compliance: prices,
    purchase_request: forPurchase,
  },
  proposes: { review_contract_renewal: 'contracts_expiring' },
};
