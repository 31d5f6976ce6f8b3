import { describe, expect, it } from 'vitest';
import { readIntent } from '../../src/orchestrator/plan/intents.js';
import { readSourcing } from '../../src/orchestrator/plan/sourcing-intent.js';

const today = new Date('2026-12-07T00:00:00Z');

describe('sourcing requests in chat', () => {
  it('reads a tender from a sentence: title, budget, start month', () => {
    expect(readSourcing('We need office cleaning for 3 sites from April, budget £120k', today)).toEqual({
      intent: 'sourcing_start',
      supplierPhrases: [],
      sourcing: { title: 'Office cleaning for 3 sites', budget: { value: '120000.00', currency: 'GBP' }, neededFrom: '2027-04-01' },
    });
    expect(readSourcing('Start a tender for office cleaning for our three sites', today)?.sourcing.title).toBe('Office cleaning for the three sites');
    expect(readSourcing('Please launch an RFQ for forklift servicing, budget of 1.2m EUR', today)?.sourcing).toMatchObject({ title: 'Forklift servicing', budget: { value: '1200000.00', currency: 'EUR' } });
  });

  it('reads candidates, bids, scenarios and awards with the event and cap they name', () => {
    expect(readSourcing('Who could supply office cleaning?', today)).toMatchObject({ intent: 'sourcing_candidates', sourcing: { need: 'office cleaning' } });
    expect(readSourcing('Compare the bids for event 7', today)).toMatchObject({ intent: 'sourcing_bids', sourcing: { event: 7 } });
    expect(readSourcing('What if no supplier gets more than 40%?', today)).toMatchObject({ intent: 'sourcing_scenarios', sourcing: { maxShare: '0.4' } });
    expect(readSourcing('Award event 7 to the cheapest split', today)).toMatchObject({ intent: 'sourcing_award', sourcing: { event: 7, scenario: 'split_lowest' } });
    expect(readSourcing('Award event 7 to the cheapest split without Dazzle & Co', today)).toMatchObject({ intent: 'sourcing_award', sourcing: { event: 7, scenario: 'split_lowest', exclude: ['Dazzle & Co'] } });
    expect(readSourcing('Award event 7 with no supplier above 35%', today)).toMatchObject({ intent: 'sourcing_award', sourcing: { event: 7, scenario: 'split_capped', maxShare: '0.35' } });
  });

  it('leaves other questions to the rest of the planner', () => {
    for (const q of ['We need to buy 200 laptops from Dell', 'What did we spend with Dell?', 'Which contracts expire in the next 90 days?', 'Is Aerocaribbean Airlines sanctioned?']) {
      expect(readSourcing(q, today), q).toBeUndefined();
    }
    expect(readIntent('We need to buy 200 laptops from Dell for £150k').intent).toBe('purchase_request');
    expect(readIntent('Compare the bids for event 7').intent).toBe('sourcing_bids');
  });
});
