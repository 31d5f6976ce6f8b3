import { describe, expect, it } from 'vitest';
import { AGENTS, agentsFor, proposableKinds, supplierResolver } from '../../agents/registry.js';
import { isMcpServerName } from '../../mcp-servers/index.js';
import { isActionKind } from '../../src/domain/action-kinds.js';
import { readIntent } from '../../src/orchestrator/plan/intents.js';

// Every intent the rule planner can read (help aside) must have an agent to answer it.
const INTENTS = [
  'spend_total', 'spend_top', 'spend_breakdown', 'spend_trend', 'spend_compare', 'spend_anomalies', 'supplier_profile', 'sanctions_check',
  'supplier_risk', 'supplier_duplicates', 'contracts_expiring', 'contract_terms', 'contracts_of_supplier', 'price_compliance', 'purchase_request',
  'spend_count', 'approvals_list', 'approval_status', 'findings_list', 'invoice_status', 'po_status', 'suppliers_by_status',
  'sourcing_start', 'sourcing_candidates', 'sourcing_bids', 'sourcing_scenarios', 'sourcing_award',
] as const;

describe('the agent registry', () => {
  it('names each agent once, each with an MCP server that exists', () => {
    expect(new Set(AGENTS.map((a) => a.name)).size).toBe(AGENTS.length);
    for (const a of AGENTS) expect(isMcpServerName(a.server), a.name).toBe(true);
  });

  it('serves every intent, the purchase request by every agent that checks one', () => {
    for (const intent of INTENTS) expect(agentsFor(intent).length, intent).toBeGreaterThan(0);
    expect(agentsFor('purchase_request')).toEqual(['spend', 'supplier', 'contract']);
    expect(agentsFor('help')).toEqual([]);
    expect(agentsFor(readIntent('Is Aerocaribbean Airlines sanctioned?').intent)).toEqual(['supplier']);
    expect(agentsFor(readIntent('Start a tender for office cleaning for our three sites').intent)).toEqual(['sourcing']);
  });

  it('lets an agent propose only executable kinds, under an intent it serves', () => {
    expect([...proposableKinds().keys()].sort()).toEqual(['award_contract', 'create_purchase_order', 'put_supplier_on_hold', 'review_contract_renewal', 'start_sourcing_event']);
    for (const a of AGENTS) {
      for (const [kind, intent] of Object.entries(a.proposes ?? {})) {
        expect(isActionKind(kind), kind).toBe(true);
        expect(a.handles[intent!], `${a.name} proposes ${kind} under ${intent}`).toBeDefined();
      }
    }
  });

  it('has one agent that resolves supplier names', () => {
    expect(supplierResolver()?.name).toBe('supplier');
  });
});
