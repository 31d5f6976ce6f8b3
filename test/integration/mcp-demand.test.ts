// The demand MCP server end to end: a real MCP client over the SDK's in-memory transport, a real database holding
// the GLA spend archive (2008-2013), a small US-dollar ledger, and two years of purchase orders and receipts;
// forecasts checked for what a user relies on: history up to the data's last complete month, per-currency and
// per-unit series, exact-name keys, and readable errors.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ForecastDemandOutput } from '../../mcp-servers/demand/tools/forecast-demand.js';
import type { ForecastSpendOutput } from '../../mcp-servers/demand/tools/forecast-spend.js';
import type { Database } from '../../src/db/client.js';
import { runImport } from '../../src/imports/run.js';
import { projectPath } from '../../src/paths.js';
import { testDatabases } from '../helpers/databases.js';
import { callTool, connectInMemory } from '../helpers/mcp.js';

const TODAY = new Date('2026-11-27T12:00:00Z');
const DECIMAL = /^-?\d+\.\d{2}$/;

function textOf(r: CallToolResult): string {
  return r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

function data(r: CallToolResult): ForecastSpendOutput {
  expect(r.isError, textOf(r)).toBeFalsy();
  return r.structuredContent as ForecastSpendOutput;
}

function quantities(r: CallToolResult): ForecastDemandOutput {
  expect(r.isError, textOf(r)).toBeFalsy();
  return r.structuredContent as ForecastDemandOutput;
}

// A US-dollar ledger from Jan 2011 to Apr 2013: one invoice a month, and a credit note in Jun 2012 that makes
// that month negative.
function usdLedger(): string {
  const rows = ['date,supplier,amount,currency,category,department'];
  for (let i = 0; i < 28; i++) {
    const y = 2011 + Math.floor(i / 12);
    const m = String((i % 12) + 1).padStart(2, '0');
    rows.push(`${y}-${m}-10,Acme Analytics Inc,${(2000 + (i % 12) * 100).toFixed(2)},USD,Data services,Research`);
  }
  rows.push('2012-06-20,Acme Analytics Inc,-9000.00,USD,Data services,Research');
  return `${rows.join('\n')}\n`;
}

// Toner ordered every month for 30 months (May 2024 - Oct 2026), more in the autumn; paper by the box from
// June 2026; receipts for the toner, each month's order received on the 20th.
function orders(): { po: string; receipts: string } {
  const po = ['po_number,supplier,order_date,currency,line_no,description,sku,quantity,unit,unit_price'];
  const gr = ['receipt_number,po_number,line_no,quantity,received_date'];
  for (let i = 0; i < 30; i++) {
    const y = 2024 + Math.floor((i + 4) / 12);
    const m = String(((i + 4) % 12) + 1).padStart(2, '0');
    const toner = 40 + (m >= '09' && m <= '11' ? 20 : 0) + (i % 3);
    po.push(`PO-T${i},Northbridge Office Supplies Ltd,${y}-${m}-05,GBP,1,Toner cartridge HP 59A,TNR-HP59A,${toner},each,85.00`);
    gr.push(`GR-T${i},PO-T${i},1,${toner},${y}-${m}-20`);
    if (i >= 25) po.push(`PO-P${i},Northbridge Office Supplies Ltd,${y}-${m}-06,GBP,1,A4 copier paper 80gsm,A4-80-BOX,${10 + i},box,16.00`);
  }
  return { po: `${po.join('\n')}\n`, receipts: `${gr.join('\n')}\n` };
}

describe.each(testDatabases)('demand MCP server on $name', ({ open }) => {
  let database: Database;
  let client: Client;
  let close: () => Promise<void>;
  let dir: string;

  beforeAll(async () => {
    database = await open();
    dir = await mkdtemp(join(tmpdir(), 'qm-demand-'));
    await writeFile(join(dir, 'usd.csv'), usdLedger());
    await runImport({ database }, 'spend', projectPath('data', 'spend', 'gla_spend_2008-2013.csv'), { currency: 'GBP' });
    await runImport({ database }, 'spend', join(dir, 'usd.csv'), {});
    const { po, receipts } = orders();
    await writeFile(join(dir, 'po.csv'), po);
    await writeFile(join(dir, 'gr.csv'), receipts);
    expect((await runImport({ database }, 'purchase-orders', join(dir, 'po.csv'), {})).rejected).toEqual([]);
    expect((await runImport({ database }, 'receipts', join(dir, 'gr.csv'), {})).rejected).toEqual([]);
    ({ client, close } = await connectInMemory('demand', database, () => TODAY));
  }, 240_000);

  afterAll(async () => {
    await close?.();
    await database?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lists forecast_spend, read-only, with input and output schemas', async () => {
    const { tools } = await client.listTools();
    const tool = tools.find((t) => t.name === 'forecast_spend');
    expect(tool?.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: false });
    expect(tool?.outputSchema?.type).toBe('object');
    expect(tool?.inputSchema.required).toEqual(expect.arrayContaining(['group_by', 'horizon_months']));
    expect(tools.map((t) => t.name).sort()).toEqual(['contract_burn', 'forecast_demand', 'forecast_spend']);
  });

  it('forecasts an archive from its own last month, one series per currency, never mixed', async () => {
    const out = data(await callTool(client, 'forecast_spend', { group_by: 'total', horizon_months: 3 }));
    // The GLA archive ends on 25 April 2013: the forecast starts in May 2013, not after the calendar's today.
    expect(out.history_to).toBe('2013-04');
    expect(out.horizon).toEqual({ months: 3, from: '2013-05', to: '2013-07' });
    expect(out.series.map((s) => s.currency).sort()).toEqual(['GBP', 'USD']);
    expect(out.summary.totals.map((t) => t.currency).sort()).toEqual(['GBP', 'USD']);
    const gbp = out.series.find((s) => s.currency === 'GBP')!;
    expect(gbp.history).toMatchObject({ from: '2008-04', to: '2013-04', months: 61 });
    expect(gbp.points.map((p) => p.period)).toEqual(['2013-05', '2013-06', '2013-07']);
    for (const p of gbp.points) {
      for (const v of [p.forecast, p.lo80, p.hi80]) expect(v).toMatch(DECIMAL);
      expect(Number(p.lo80)).toBeLessThanOrEqual(Number(p.hi80));
    }
    expect(gbp.backtest?.origins).toBe(12);
    expect(gbp.backtest?.baselines.seasonal_naive.mase).not.toBeNull();
    expect(gbp.backtest?.baselines.mean12.mase).not.toBeNull();
    expect(Object.keys(gbp.backtest!.methods).sort()).toEqual(['combination', 'holt_winters_damped', 'mean12', 'seasonal_naive', 'theta']);
    // The chosen method is the one with the lowest back-test MASE.
    const best = Math.min(...Object.values(gbp.backtest!.methods).map((m) => m.mase!));
    expect(gbp.backtest!.mase).toBe(best);
    const usd = out.series.find((s) => s.currency === 'USD')!;
    expect(usd.flags.join(' ')).toMatch(/1 month net negative \(credit notes\).*Jun 2012/);
    expect(textOf(await callTool(client, 'forecast_spend', { group_by: 'total', horizon_months: 3 }))).toMatch(/^All spend \((GBP|USD)\), May 2013 – Jul 2013: [£$][\d.,]+[km]?, likely between/);
  });

  it('matches a key by exact name before whole words, and one word across several categories as one series', async () => {
    const exact = data(await callTool(client, 'forecast_spend', { group_by: 'category', key: 'agency staff', horizon_months: 3 }));
    expect(exact.matched).toEqual({ by: 'exact', names: ['Agency Staff'] });
    expect(exact.series).toHaveLength(1);
    const word = data(await callTool(client, 'forecast_spend', { group_by: 'category', key: 'IT', horizon_months: 12 }));
    expect(word.matched?.by).toBe('word');
    expect(word.matched?.names).toEqual(expect.arrayContaining(['IT Consumables', 'Managed IT Services']));
    expect(word.matched?.names.some((n) => /capital expenditure - it/i.test(n))).toBe(true);
    expect(word.matched?.names.every((n) => /\bit\b/i.test(n))).toBe(true);
    expect(word.series).toHaveLength(1);
    expect(word.series[0]!.label).toBe('IT');
    expect(word.series[0]!.points).toHaveLength(12);
  });

  it('says a category that stopped is not forecast to continue', async () => {
    const out = data(await callTool(client, 'forecast_spend', { group_by: 'category', key: 'Lease Costs', horizon_months: 6 }));
    expect(out.series[0]!.method).toBe('stopped');
    expect(out.series[0]!.points.every((p) => p.forecast === '0.00')).toBe(true);
    expect(out.series[0]!.flags[0]).toMatch(/no spend since Mar 2010/);
  });

  it('falls back on a short history and says so', async () => {
    const out = data(await callTool(client, 'forecast_spend', { group_by: 'supplier', key: 'Acme Analytics', horizon_months: 3, currency: 'usd' }));
    expect(out.matched?.names).toEqual(['Acme Analytics Inc']);
    expect(out.series[0]!.currency).toBe('USD');
    expect(out.series[0]!.history.months).toBe(28);
    const hsg = data(await callTool(client, 'forecast_spend', { group_by: 'category', key: 'HSG Grants to Registered Providers', horizon_months: 3 }));
    expect(hsg.series[0]!.flags[0]).toMatch(/^only 13 months of history/);
  });

  it('answers bad input with a readable error', async () => {
    const unknown = await callTool(client, 'forecast_spend', { group_by: 'category', key: 'Zeppelin hire', horizon_months: 3 });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/No category is called "Zeppelin hire"/);
    const far = await callTool(client, 'forecast_spend', { group_by: 'total', horizon_months: 25 });
    expect(far.isError).toBe(true);
    expect(textOf(far)).toMatch(/horizon_months is 1 to 24/);
  });

  it('forecasts each item in its own unit from the orders, back-tested on its own history', async () => {
    const out = quantities(await callTool(client, 'forecast_demand', { group_by: 'item', horizon_months: 3 }));
    expect(out.history_to).toBe('2026-10');
    expect(out.horizon).toEqual({ months: 3, from: '2026-11', to: '2027-01' });
    const toner = out.series.find((s) => s.key === 'tnr-hp59a')!;
    expect(toner).toMatchObject({ label: 'Toner cartridge HP 59A', unit: 'each' });
    expect(toner.history).toMatchObject({ from: '2024-05', to: '2026-10', months: 30, lines: 30 });
    expect(toner.backtest?.origins).toBe(12);
    expect(Object.keys(toner.backtest!.methods)).toHaveLength(5);
    for (const p of toner.points) expect(Number(p.lo80)).toBeLessThanOrEqual(Number(p.hi80));
    const paper = out.series.find((s) => s.key === 'a4-80-box')!;
    expect(paper.unit).toBe('box');
    expect(paper.flags[0]).toMatch(/^only 5 months of history/);
    expect(out.summary.totals.map((t) => t.unit).sort()).toEqual(['box', 'each']);
  });

  it('reads receipts by receipt date, and matches a key by SKU before description words', async () => {
    const received = quantities(await callTool(client, 'forecast_demand', { group_by: 'item', key: 'tnr-hp59a', horizon_months: 2, basis: 'received' }));
    expect(received.matched).toEqual({ by: 'exact', names: ['Toner cartridge HP 59A'] });
    expect(received.series).toHaveLength(1);
    expect(received.series[0]!.history.lines).toBe(30);
    const word = quantities(await callTool(client, 'forecast_demand', { group_by: 'item', key: 'paper', horizon_months: 2 }));
    expect(word.matched).toEqual({ by: 'word', names: ['A4 copier paper 80gsm'] });
    const none = await callTool(client, 'forecast_demand', { group_by: 'item', key: 'zeppelin', horizon_months: 2 });
    expect(none.isError).toBe(true);
  });

  it('draws the first series as a PNG or SVG chart when asked', async () => {
    const r = await callTool(client, 'forecast_spend', { group_by: 'category', key: 'Legal Fees', horizon_months: 12, chart: 'png' });
    expect(r.isError).toBeFalsy();
    const image = r.content.find((c) => c.type === 'image') as { data: string; mimeType: string } | undefined;
    expect(image?.mimeType).toBe('image/png');
    const png = Buffer.from(image!.data, 'base64');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(640); // width from the IHDR chunk
    const svg = await callTool(client, 'forecast_spend', { group_by: 'category', key: 'Legal Fees', horizon_months: 12, chart: 'svg' });
    const text = Buffer.from((svg.content.find((c) => c.type === 'image') as { data: string }).data, 'base64').toString('utf8');
    expect(text).toMatch(/^<svg/);
    expect(text).toContain('Legal Fees (GBP): history and forecast, 80% range');
    const plain = await callTool(client, 'forecast_spend', { group_by: 'category', key: 'Legal Fees', horizon_months: 12 });
    expect(plain.content.every((c) => c.type === 'text')).toBe(true);
  });
});
