// Forecast questions through the whole turn (rule planner, demand agent, real MCP, merge) on the demo
// organisation: the answer leads with the figure and its range, then the method and its back-test error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { loadDemo } from '../../src/demo/load.js';
import type { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import type { App } from '../../src/runtime.js';
import { openTestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';

const TODAY = '2026-11-27';
const MONEY = '[£][\\d.,]+[km]?';

describe.each(testDatabases)('demand agent on $name', ({ open }) => {
  let database: Database;
  let qm: App | undefined;
  let orchestrator: Orchestrator;
  let thread = 0;
  const ask = (text: string) =>
    orchestrator.handle({ channel: 'cli', conversationId: `demand-test:${++thread}`, user: { email: 'ben.okafor@demo.quartermaster.dev' }, text });

  beforeAll(async () => {
    database = await open();
    await loadDemo({ database, today: new Date(TODAY) });
    qm = await openTestApp(database, { now: () => new Date(`${TODAY}T12:00:00Z`), proposals: 'show' });
    orchestrator = await qm.orchestrator();
  }, 240_000);

  afterAll(async () => {
    await qm?.close();
    await database?.close();
  });

  it('"Forecast IT spend for next quarter" forecasts IT, not a supplier called "next quarter"', async () => {
    const turn = await ask('Forecast IT spend for next quarter');
    expect(turn.plan.reading.intent).toBe('spend_forecast');
    expect(turn.plan.suppliers).toEqual([]);
    expect(turn.plan.unresolved).toEqual([]);
    expect(turn.results.map((r) => [r.agent, r.ok])).toEqual([['demand', true]]);
    // November 2026 is still running on the demo's today, so history ends in October and the quarter follows.
    // The GLA archive's IT accounts stopped in 2013; the demo's own IT spend is one £26,600 payment in October
    // 2026, so the forecast is that month's level, and the answer says why it has no range.
    expect(turn.reply.headline).toMatch(/^IT, Nov 2026 to Jan 2027: £79\.8k, with no variation in its history to set a range\. Too little history to back-test/);
    expect(turn.results[0]!.findings.map((f) => f.text)).toContainEqual('IT: only 1 month of history, too few to back-test at this horizon: the plain average, with the spread of past months as the range.');
    const data = turn.results[0]!.data.forecast as { history_to: string; matched: { by: string; names: string[] }; series: unknown[] };
    expect(data.history_to).toBe('2026-10');
    expect(data.matched.by).toBe('word');
    expect(data.matched.names).toEqual(expect.arrayContaining(['IT hardware', 'IT Consumables']));
    expect(data.series).toHaveLength(1);
    expect(turn.reply.table?.rows.map((r) => r[0])).toEqual(['Nov 2026', 'Dec 2026', 'Jan 2027']);
  });

  it('"What will we spend with Refinitiv next year?" forecasts the supplier twelve months ahead and says how', async () => {
    const turn = await ask('What will we spend with Refinitiv next year?');
    expect(turn.plan.suppliers.map((s) => s.name)).toEqual(['Refinitiv Ltd']);
    const data = turn.results[0]!.data.forecast as { series: { points: unknown[]; flags: string[] }[] };
    expect(data.series[0]!.points).toHaveLength(12);
    // The demo has 17 months of identical instalments: too few to back-test a year ahead, and said so.
    expect(turn.reply.headline).toMatch(new RegExp(`^Refinitiv Ltd, Nov 2026 to Oct 2027: ${MONEY}, with no variation in its history to set a range\\. Too little history to back-test`));
    const quarter = await ask('What will we spend with Refinitiv next quarter?');
    expect(quarter.reply.headline).toMatch(/^Refinitiv Ltd, Nov 2026 to Jan 2027: £46\.5k, .*Method: .+, the best of 5 methods when each forecast this horizon from \d+ earlier months/);
  });

  it('names a department, and says when no supplier of that name exists', async () => {
    const dept = await ask('What will the Facilities department spend next quarter?');
    expect(dept.reply.headline).toMatch(new RegExp(`^Facilities, Nov 2026 to Jan 2027: ${MONEY}`));
    const unknown = await ask('What will we spend with Zorblax next year?');
    expect(unknown.reply.headline).toMatch(/^I couldn't find a supplier called "Zorblax" to forecast/);
  });

  it('"Will the Refinitiv contract run out before it ends?" answers yes, with what was paid against the value', async () => {
    const turn = await ask('Will the Refinitiv contract run out before it ends?');
    expect(turn.plan.reading.intent).toBe('contract_burn');
    expect(turn.plan.agents).toEqual(['demand']);
    expect(turn.reply.headline).toMatch(/^Yes: C-2024-002 with Refinitiv Ltd has already passed its value: £[\d,]+\.\d\d paid against a value of £186,000\.00/);
    expect(turn.reply.facts).toContainEqual({ label: 'Contract value', value: '£186k' });
  });

  it('"Which categories are growing fastest?" ranks forecasts against the last twelve months', async () => {
    const turn = await ask('Which categories are growing fastest?');
    expect(turn.plan.agents).toEqual(['demand']);
    expect(turn.reply.headline).toMatch(/^Fastest growing categories, Nov 2026 to Oct 2027 against the same months before: .+ \([+-]\d+%: £[\d.,]+[km]?, (?:likely between|with no variation)/);
    const growth = turn.results[0]!.data.growth as { growth: number }[];
    expect(growth.length).toBeGreaterThan(0);
    for (let i = 1; i < growth.length; i++) expect(growth[i]!.growth).toBeLessThanOrEqual(growth[i - 1]!.growth);
    expect(turn.reply.table?.columns).toEqual(['Category', 'Last months', 'Forecast', 'Growth', 'Range (80%)', 'Method']);
  });

  it('"How many laptops will we need next quarter?" forecasts units ordered of the items that are laptops', async () => {
    const turn = await ask('How many laptops will we need next quarter?');
    expect(turn.plan.agents).toEqual(['demand']);
    // The demo ordered 20 and then 10 Latitude laptops in the last two months: the average of those, per month.
    expect(turn.reply.headline).toMatch(/^Latitude 5440 laptop, Nov 2026 to Jan 2027: \d+ units, (?:likely between \d+ and \d+|with no variation)/);
    expect(turn.results[0]!.toolCalls.map((c) => c.tool)).toContain('forecast_demand');
  });
});
