// Contract burn on the demo organisation, on real databases: the contract_burn tool over real MCP (paid and
// committed figures checked against the tables), and the contract-burn monitor end to end: a finding for the
// contract whose spend passed its value, a renewal review proposed through governance, its approval card.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractBurnOutput } from '../../mcp-servers/demand/tools/contract-burn.js';
import { approvalCard } from '../../src/approvals/card.js';
import type { ApprovalService } from '../../src/approvals/service.js';
import type { App } from '../../src/runtime.js';
import { openTestApp } from '../helpers/app.js';
import type { Database } from '../../src/db/client.js';
import { loadDemo } from '../../src/demo/load.js';
import { silentLogger } from '../../src/log.js';
import { monitors } from '../../src/monitors/registry.js';
import { runMonitor } from '../../src/monitors/runner.js';
import { projectPath } from '../../src/paths.js';
import { testDatabases } from '../helpers/databases.js';
import { callTool, connectInMemory } from '../helpers/mcp.js';

const TODAY = new Date('2026-11-27T12:00:00Z');

function burn(r: CallToolResult): ContractBurnOutput {
  expect(r.isError, r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n')).toBeFalsy();
  return r.structuredContent as ContractBurnOutput;
}

describe.each(testDatabases)('contract burn on $name', ({ open }) => {
  let database: Database;
  let client: Client;
  let close: () => Promise<void>;
  let qm: App | undefined;
  let service: ApprovalService;

  // Paid to the contract's supplier in its currency from its start date to today, summed by the database itself.
  const paid = async (number: string) => {
    const [row] = await database.query<{ total: string }>(
      `select coalesce(sum(s.amount), 0)::numeric(20,2)::text as total from spend_lines s join contracts c on c.supplier_id = s.supplier_id
        where c.contract_number = $1 and s.currency = c.currency and s.date >= c.start_date and s.date <= $2::date`,
      [number, TODAY.toISOString().slice(0, 10)],
    );
    return row!.total;
  };

  beforeAll(async () => {
    database = await open();
    await loadDemo({ database, today: TODAY });
    ({ client, close } = await connectInMemory('demand', database, () => TODAY));
    qm = await openTestApp(database);
    service = await qm.approvals();
  }, 240_000);

  afterAll(async () => {
    await close?.();
    await qm?.close();
    await database?.close();
  });

  it('says a contract whose payments passed its value has run out, by number or by supplier', async () => {
    const out = burn(await callTool(client, 'contract_burn', { contract: 'C-2024-002' }));
    expect(out.status).toBe('exceeded');
    expect(out.spent).toBe(await paid('C-2024-002'));
    expect(out.contract).toMatchObject({ number: 'C-2024-002', supplier: 'Refinitiv Ltd', value: '186000.00', currency: 'GBP' });
    expect(Number(out.remaining)).toBeLessThan(0);
    const bySupplier = burn(await callTool(client, 'contract_burn', { contract: 'Refinitiv' }));
    expect(bySupplier.contract.id).toBe(out.contract.id);
    expect((await callTool(client, 'contract_burn', { contract: 'Refinitiv' })).content[0]).toMatchObject({
      text: expect.stringMatching(/^Yes: C-2024-002 with Refinitiv Ltd has already passed its value: £[\d,]+\.\d\d paid against a value of £186,000\.00/),
    });
  });

  it('counts open orders against the contract that are not paid yet, and projects to the end date', async () => {
    const office = burn(await callTool(client, 'contract_burn', { contract: 'C-2024-003' }));
    const [po] = await database.query<{ total: string; n: number }>(
      `select coalesce(sum(p.total), 0)::numeric(20,2)::text as total, count(*)::int as n from purchase_orders p join contracts c on c.id = p.contract_id
        where c.contract_number = 'C-2024-003' and p.status in ('open', 'partially_received')
          and not exists (select 1 from spend_lines s where s.po_number = p.po_number)`,
    );
    expect(office.committed).toBe(po!.total);
    expect(office.committed_orders).toBe(Number(po!.n));
    const dell = burn(await callTool(client, 'contract_burn', { contract: 'C-2024-001' }));
    expect(dell.status).toBe('within_value');
    expect(dell.projection[0]!.period).toBe('2026-11');
    // It ends in October 2028: every month from this one to that one, the 24 the projection reaches.
    expect(dell.projection.map((p) => p.period).at(-1)).toBe('2028-10');
    expect(dell.projection).toHaveLength(24);
    for (const [i, p] of dell.projection.entries()) {
      expect(Number(p.cumulative)).toBeGreaterThanOrEqual(i === 0 ? Number(dell.spent) : Number(dell.projection[i - 1]!.cumulative));
      expect(Number(p.cumulative_hi80)).toBeGreaterThanOrEqual(Number(p.cumulative));
    }
    const unknown = await callTool(client, 'contract_burn', { contract: 'Zeppelin hire' });
    expect(unknown.isError).toBe(true);
  });

  it('the monitor raises the passed contract once, with a renewal review waiting for the procurement manager', async () => {
    const report = await runMonitor({ database, log: silentLogger, now: () => TODAY, approvals: service, policyDir: projectPath('policies') }, monitors.get('contract-burn')!);
    const [refinitiv] = await database.query<{ id: string }>(`select id::text from contracts where contract_number = 'C-2024-002'`);
    const finding = report.findings.find((f) => f.key === `contract:${refinitiv!.id}:burn:exceeded`);
    expect(finding, JSON.stringify(report.findings.map((f) => f.key))).toBeDefined();
    expect(finding).toMatchObject({ severity: 'high', routeTo: ['procurement_manager'], amount: '186000.00' });
    expect(finding!.title).toBe('C-2024-002 (Refinitiv Ltd) has passed its value of 186,000.00 GBP');
    expect(finding!.approvalId).toBeTruthy();
    const approval = (await service.get(finding!.approvalId!))!;
    expect(approval).toMatchObject({ actionKind: 'review_contract_renewal', ruleId: 'contract-renewal-review', status: 'pending' });
    expect(approval.action.params).toMatchObject({ contractId: refinitiv!.id });
    const card = approvalCard(approval);
    expect(card.buttons.map((b) => b.verb)).toEqual(expect.arrayContaining(['approve', 'reject']));
    expect(card.fields).toContainEqual({ label: 'Amount', value: '£186,000.00' });
    const again = await runMonitor({ database, log: silentLogger, now: () => TODAY, approvals: service, policyDir: projectPath('policies') }, monitors.get('contract-burn')!);
    expect(again.raised).toBe(0);
  });
});
