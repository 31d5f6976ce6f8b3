// Forecasting questions read by the rule planner: the horizon, and whether a supplier, a category or a
// department is forecast; other questions keep their readings.
import { describe, expect, it } from 'vitest';
import { agentsFor } from '../../agents/registry.js';
import { horizonOf, readForecast } from '../../src/orchestrator/plan/forecast-intent.js';
import { readIntent } from '../../src/orchestrator/plan/intents.js';

describe('forecast questions', () => {
  it('"Forecast IT spend for next quarter" forecasts the IT category three months ahead, naming no supplier', () => {
    const r = readIntent('Forecast IT spend for next quarter');
    expect(r).toEqual({ intent: 'spend_forecast', supplierPhrases: [], forecast: { horizonMonths: 3, subject: { kind: 'category', phrase: 'IT' } } });
    expect(agentsFor(r.intent)).toEqual(['demand']);
  });

  it('reads the supplier, category or department and the horizon', () => {
    expect(readIntent('What will we spend with Dell next year?')).toEqual({ intent: 'spend_forecast', supplierPhrases: ['Dell'], forecast: { horizonMonths: 12 } });
    expect(readForecast('How much will we pay to Refinitiv Ltd over the next 18 months?')).toMatchObject({ supplierPhrases: ['Refinitiv Ltd'], forecast: { horizonMonths: 18 } });
    expect(readForecast('What are we likely to spend on agency staff in the next 6 months?')?.forecast).toEqual({ horizonMonths: 6, subject: { kind: 'category', phrase: 'agency staff' } });
    expect(readForecast("Forecast the IT department's spend for the next two quarters")?.forecast).toEqual({ horizonMonths: 6, subject: { kind: 'department', phrase: 'IT' } });
    expect(readForecast('What will the Facilities department spend next quarter?')?.forecast).toEqual({ horizonMonths: 3, subject: { kind: 'department', phrase: 'Facilities' } });
    expect(readForecast('what will the finance team spend next month')?.forecast).toEqual({ horizonMonths: 1, subject: { kind: 'department', phrase: 'finance' } });
    expect(readForecast('Forecast total spend')).toEqual({ intent: 'spend_forecast', supplierPhrases: [], forecast: { horizonMonths: 3 } });
    expect(readForecast('Spend forecast for the next 30 months')?.forecast.horizonMonths).toBe(24);
  });

  it('horizons in words', () => {
    expect(horizonOf('next month')).toBe(1);
    expect(horizonOf('over the next three months')).toBe(3);
    expect(horizonOf('the coming financial year')).toBe(12);
    expect(horizonOf('next half')).toBe(6);
    expect(horizonOf('in March 2012')).toBeUndefined();
  });

  it('leaves past-spend, contract and other questions alone', () => {
    expect(readIntent('What did we spend with Refinitiv in March 2025?').intent).toBe('spend_total');
    expect(readIntent('Which contracts expire in the next 90 days?').intent).toBe('contracts_expiring');
    expect(readForecast('Top 10 suppliers by spend in 2012')).toBeUndefined();
    expect(readForecast('Can we buy 20 laptops from Dell for £25k?')).toBeUndefined();
  });

  it('reads contract burn questions: the supplier or contract number', () => {
    expect(readIntent('Will the Refinitiv contract run out before it ends?')).toEqual({ intent: 'contract_burn', supplierPhrases: ['Refinitiv'], forecast: { horizonMonths: 3 } });
    expect(readForecast('Is C-2024-004 going to exceed its value?')).toEqual({ intent: 'contract_burn', supplierPhrases: [], forecast: { horizonMonths: 3, contract: 'C-2024-004' } });
    expect(readForecast('How fast are we burning through the contract with Apex FM?')?.supplierPhrases).toEqual(['Apex FM']);
    expect(agentsFor('contract_burn')).toEqual(['demand']);
    expect(readIntent('Which contracts expire in the next 90 days?').intent).toBe('contracts_expiring');
    expect(readIntent('What are the termination terms with Refinitiv?').intent).toBe('contract_terms');
  });

  it('reads growth rankings', () => {
    expect(readIntent('Which categories are growing fastest?')).toEqual({ intent: 'spend_forecast', supplierPhrases: [], forecast: { horizonMonths: 12, rank: { by: 'growth', groupBy: 'category' } } });
    expect(readForecast('Our fastest-growing suppliers over the next 6 months')?.forecast).toEqual({ horizonMonths: 6, rank: { by: 'growth', groupBy: 'supplier' } });
  });

  it('reads questions about quantities to come as item forecasts', () => {
    expect(readIntent('How many laptops will we need next quarter?')).toEqual({ intent: 'spend_forecast', supplierPhrases: [], forecast: { horizonMonths: 3, subject: { kind: 'item', phrase: 'laptops' } } });
    expect(readForecast('Forecast demand for toner cartridges over the next 6 months')?.forecast).toEqual({ horizonMonths: 6, subject: { kind: 'item', phrase: 'toner cartridges' } });
    expect(readIntent('How many suppliers did we pay in 2012?').intent).not.toBe('spend_forecast');
  });
});
