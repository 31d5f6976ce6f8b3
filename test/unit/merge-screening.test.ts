import { describe, expect, it } from 'vitest';
import { type AgentResult, emptyOutput } from '../../agents/agent.js';
import { mergeResults } from '../../src/orchestrator/merge.js';
import type { Plan } from '../../src/orchestrator/plan/plan.js';

const DELL = { id: '5b0c7c1e-0000-4000-8000-000000000001', name: 'Dell Technologies' };

const plan: Plan = {
  planner: 'rule',
  text: 'Can we buy 20 laptops from Dell for £25k?',
  reading: { intent: 'purchase_request', supplierPhrases: ['Dell'], quantity: 20, item: 'laptops', amount: { value: '25000', currency: 'GBP' } },
  suppliers: [DELL],
  unresolved: [],
  agents: ['spend', 'supplier', 'contract'],
};

const result = (agent: string, over: Partial<AgentResult> = {}): AgentResult => ({ ...emptyOutput(), agent, ok: true, ms: 1, toolCalls: [], ...over });

const spend = result('spend', {
  actions: [
    {
      kind: 'create_purchase_order',
      summary: 'Raise a purchase order with Dell Technologies for 20 laptops at £25,000.00',
      proposedBy: 'spend',
      rationale: 'Requested in chat.',
      params: { supplierId: DELL.id },
      amount: { value: '25000', currency: 'GBP' },
    },
  ],
});

describe('merge: nothing that commits money goes forward unscreened', () => {
  it('keeps a purchase order whose supplier was screened in this turn with no strong match', () => {
    const supplier = result('supplier', { data: { screened: { name: DELL.name, supplierId: DELL.id, verdict: 'no_match' } } });
    const reply = mergeResults(plan, [spend, supplier, result('contract')]);
    expect(reply.actions.map((a) => a.kind)).toEqual(['create_purchase_order']);
    expect(reply.headline).toMatch(/^Decision needed: Raise a purchase order with Dell/);
  });

  it('sets a purchase order aside when the supplier agent did not answer, and says why', () => {
    const supplier = result('supplier', { ok: false, error: 'no answer within 15000 ms' });
    const reply = mergeResults(plan, [spend, supplier, result('contract')]);
    expect(reply.actions).toEqual([]);
    expect(reply.headline).not.toMatch(/^Decision needed/);
    expect(reply.rationale.join('\n')).toMatch(/Set aside: the spend agent proposed "Raise a purchase order with Dell Technologies .*", but the supplier it names was not screened/);
    expect(reply.headline).toBe("I can't propose this yet: Dell Technologies could not be screened against the sanctions lists in this turn. Please ask again.");
  });

  it('sets it aside when the screening was of another supplier', () => {
    const supplier = result('supplier', { data: { screened: { name: 'Kestrel', supplierId: 'other', verdict: 'no_match' } } });
    expect(mergeResults(plan, [spend, supplier]).actions).toEqual([]);
  });
});

describe('merge: an award goes forward only when every awarded supplier was screened clear', () => {
  const [A, B] = ['5b0c7c1e-0000-4000-8000-00000000000a', '5b0c7c1e-0000-4000-8000-00000000000b'];
  const awardPlan: Plan = { ...plan, text: 'Award event 3 to the cheapest split', reading: { intent: 'sourcing_award', supplierPhrases: [] }, suppliers: [], agents: ['sourcing'] };
  const award = (screened: { supplierId: string; verdict: string }[]) =>
    result('sourcing', {
      data: { screened },
      actions: [
        {
          kind: 'award_contract',
          summary: 'Award sourcing event 3 by split lowest',
          proposedBy: 'sourcing',
          rationale: 'Cheapest split.',
          params: { supplierId: A, awards: [{ supplierId: A }, { supplierId: B }] },
          amount: { value: '1000', currency: 'GBP' },
        },
      ],
    });

  it('keeps it when both awardees were screened with no strong match', () => {
    const reply = mergeResults(awardPlan, [award([{ supplierId: A, verdict: 'no_match' }, { supplierId: B, verdict: 'possible_match' }])]);
    expect(reply.actions.map((a) => a.kind)).toEqual(['award_contract']);
  });

  it('sets it aside when one awardee was not screened, or no list was there to screen against', () => {
    for (const screened of [[{ supplierId: A, verdict: 'no_match' }], [{ supplierId: A, verdict: 'not_screened' }, { supplierId: B, verdict: 'not_screened' }]]) {
      const reply = mergeResults(awardPlan, [award(screened)]);
      expect(reply.actions).toEqual([]);
      expect(reply.rationale.join('\n')).toMatch(/a supplier it names was not screened/);
      expect(reply.headline).toMatch(/^I can't propose this award yet/);
    }
  });
});
