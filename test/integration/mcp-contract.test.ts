import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { loadDemo } from '../../src/demo/load.js';
import { PLANTED } from '../../src/demo/organisation.js';
import { testDatabases } from '../helpers/databases.js';
import { callTool, connectInMemory } from '../helpers/mcp.js';
import { expectLimitError, expectPages } from '../helpers/paging.js';

const TODAY = new Date('2026-11-27');

const text = (r: CallToolResult) => (r.content[0] as { type: 'text'; text: string }).text;
// biome-ignore lint/suspicious/noExplicitAny: structured content is checked field by field below
const data = (r: CallToolResult) => r.structuredContent as any;

const SNIPPET = `SUPPLY AGREEMENT

This Supply Agreement is made on 1 June 2025 between Alpha Widgets Ltd ("Supplier") and Beta Retail plc ("Customer").

1. The initial term of this Agreement is three (3) years from the date above. It shall automatically renew for successive periods of twelve (12) months unless either party gives at least ninety (90) days' written notice of non-renewal before the end of the then-current term.

2. Customer may audit Supplier's books and records relating to this Agreement on thirty (30) days' notice.

3. Neither party may assign this Agreement without the prior written consent of the other party.

4. This Agreement is governed by the laws of Scotland.`;

describe.each(testDatabases)('contract MCP server on $name', (tdb) => {
  let database: Database;
  let client: Client;
  let close: () => Promise<void>;

  beforeAll(async () => {
    database = await tdb.open();
    await loadDemo({ database, today: TODAY });
    ({ client, close } = await connectInMemory('contract', database, () => new Date('2026-11-27T12:00:00Z')));
  }, 300_000);

  afterAll(async () => {
    await close?.();
    await database?.close();
  });

  it('lists five read-only tools, each with an output schema', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'contract_clauses',
      'contract_details',
      'expiring_contracts',
      'find_contracts',
      'price_compliance',
    ]);
    for (const t of tools) {
      expect(t.annotations?.readOnlyHint).toBe(true);
      expect(t.outputSchema).toBeDefined();
      expect(t.title).toBeTruthy();
    }
  });

  it('finds the Refinitiv contract by a misspelt supplier name', async () => {
    const r = await callTool(client, 'find_contracts', { supplier: 'refinitv' });
    expect(r.isError).toBeFalsy();
    expect(text(r)).toMatch(/^1 contract found with Refinitiv Ltd: C-2024-002/);
    expect(data(r).supplier.name).toBe('Refinitiv Ltd');
    expect(data(r).contracts).toHaveLength(1);
    expect(data(r).contracts[0]).toMatchObject({ contractNumber: 'C-2024-002', endDate: '2027-03-27', noticeDeadline: '2026-12-27' });
  });

  it('searches contract texts and pages the results', async () => {
    const all = await callTool(client, 'find_contracts', { query: 'governed by', limit: 2 });
    expect(data(all).total).toBeGreaterThan(2);
    expect(data(all).contracts).toHaveLength(2);
    expect(data(all).contracts[0].excerpt.toLowerCase()).toContain('governed by');
    const next = await callTool(client, 'find_contracts', { query: 'governed by', limit: 2, offset: 2 });
    expect(data(next).contracts[0].id).not.toBe(data(all).contracts[0].id);
    // Paged past the end, the count is still of the contracts the words match, not of every contract.
    const past = await callTool(client, 'find_contracts', { query: 'governed by', limit: 2, offset: 1000 });
    expect(data(past)).toMatchObject({ total: data(all).total, contracts: [], truncated: false, next_offset: null });
    const everything = await callTool(client, 'find_contracts', { limit: 1 });
    expect(data(everything).total).toBeGreaterThan(data(all).total);
    const expired = await callTool(client, 'find_contracts', { status: 'expired' });
    expect(data(expired).contracts.map((c: { contractNumber: string }) => c.contractNumber)).toEqual(['C-2023-009']);
  });

  it('explains an unknown supplier with the closest matches', async () => {
    const r = await callTool(client, 'find_contracts', { supplier: 'Northbridge Office' });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('Northbridge Office Supplies Ltd');
    expect(text(r)).toContain('North Bridge Office Supplies Limited');
  });

  it('shows the Refinitiv notice deadline: end 2027-03-27 minus 90 days', async () => {
    const r = await callTool(client, 'contract_details', { contract: PLANTED.noticeDeadline.contract });
    expect(r.isError).toBeFalsy();
    expect(text(r)).toMatch(/^C-2024-002 .* with Refinitiv Ltd is active and ends 2027-03-27 \(in 120 days\)\. Next: give notice by 2026-12-27/);
    const d = data(r);
    expect(d.contract).toMatchObject({ noticePeriodDays: 90, autoRenew: true, value: '186000.00', currency: 'GBP' });
    expect(d.keyDates).toContainEqual({ kind: 'notice_deadline', date: '2026-12-27', daysUntil: 30 });
    expect(d.keyDates).toContainEqual({ kind: 'end', date: '2027-03-27', daysUntil: 120 });
    expect(d.prices).toEqual([
      { sku: 'EIK-SEAT', description: 'Eikon seat, annual', unit: 'seat/year', unitPrice: '15500.00', currency: 'GBP', categoryCode: '43232305' },
    ]);
  });

  it('lists the closest contracts for an unknown contract number', async () => {
    const r = await callTool(client, 'contract_details', { contract: 'C-2024-02' });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/No contract has the number or id "C-2024-02"\. Closest matches: C-2024-00\d/);
  });

  it('puts the Refinitiv notice deadline first among expiring contracts', async () => {
    const r = await callTool(client, 'expiring_contracts', {});
    expect(r.isError).toBeFalsy();
    const d = data(r);
    expect(d).toMatchObject({ today: '2026-11-27', until: '2027-02-25', withinDays: 90 });
    expect(d.contracts[0]).toMatchObject({
      contractNumber: 'C-2024-002',
      deadline: '2026-12-27',
      deadlineKind: 'notice_deadline',
      daysUntilDeadline: 30,
      daysUntilEnd: 120,
      action: 'give notice by 2026-12-27 or it renews automatically',
    });
    expect(text(r)).toContain('First: C-2024-002');
    // The expired guarding contract is not a deadline to act on.
    const wide = await callTool(client, 'expiring_contracts', { withinDays: 3650 });
    const numbers = data(wide).contracts.map((c: { contractNumber: string | null }) => c.contractNumber);
    expect(numbers).not.toContain('C-2023-009');
    const deadlines = data(wide).contracts.map((c: { deadline: string }) => c.deadline);
    expect(deadlines).toEqual([...deadlines].sort());
  });

  it('pages find_contracts, expiring_contracts and price_compliance with limit/offset, truncated and next_offset', async () => {
    const id = (c: { id: string }) => c.id;
    // biome-ignore lint/suspicious/noExplicitAny: the list is picked out of structured content
    const contracts = (out: any) => out.contracts;
    await expectPages(client, 'find_contracts', {}, { limit: 3, max: 100, rows: contracts, key: id });
    await expectPages(client, 'expiring_contracts', { withinDays: 3650 }, { limit: 2, max: 200, rows: contracts, key: id });
    const page = await callTool(client, 'expiring_contracts', { withinDays: 3650, limit: 2 });
    expect(text(page)).toMatch(/Showing 1-2 of \d+ \(next_offset 2\); narrow withinDays or name a supplier for fewer\./);
    const past = await callTool(client, 'expiring_contracts', { withinDays: 3650, offset: 1000 });
    expect(data(past)).toMatchObject({ contracts: [], truncated: false, next_offset: null });
    expect(data(past).total).toBeGreaterThan(2);
    expect(text(past)).toMatch(/^Nothing at offset 1000 of \d+; use a lower offset\.$/);
    const line = (l: { invoiceNumber: string; lineNo: number }) => `${l.invoiceNumber}#${l.lineNo}`;
    // biome-ignore lint/suspicious/noExplicitAny: the list is picked out of structured content
    const lines = (out: any) => out.lines;
    await expectPages(client, 'price_compliance', {}, { limit: 2, max: 500, rows: lines, key: line });
    await expectLimitError(client, 'price_compliance', {}, 500);
    await expectLimitError(client, 'find_contracts', {}, 100);
    await expectLimitError(client, 'expiring_contracts', {}, 200);
  });

  it('finds the planted price variance: 1265.00 billed against 1150.00 contracted', async () => {
    const r = await callTool(client, 'price_compliance', { supplier: 'Dell' });
    expect(r.isError).toBeFalsy();
    expect(text(r)).toMatch(/^1 of \d+ invoice lines from Dell Technologies Ltd is priced outside the 2% tolerance/);
    expect(text(r)).toContain('+£115.00 per unit (+10.00%)');
    const d = data(r);
    expect(d.exceptions).toBe(1);
    expect(d.lines[0]).toMatchObject({
      invoiceNumber: PLANTED.priceVariance.invoice,
      sku: 'LAT-5440',
      matchedBy: 'sku',
      contractNumber: 'C-2024-001',
      invoicedPrice: '1265.00',
      contractedPrice: '1150.00',
      varianceUnit: '115.00',
      variancePct: '10.00',
      varianceTotal: '1150.00',
      quantity: '10',
      withinTolerance: false,
    });
    const lenient = await callTool(client, 'price_compliance', { supplier: 'Dell', tolerancePct: 10 });
    expect(data(lenient).exceptions).toBe(0);
  });

  it('reads a stored contract text as a resource', async () => {
    const found = await callTool(client, 'find_contracts', { query: 'WatchGuard', limit: 1 });
    const id = data(found).contracts[0].id as string;
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toContain(`contract://${id}`);
    const read = await client.readResource({ uri: `contract://${id}` });
    const content = read.contents[0] as { text: string; mimeType: string };
    expect(content.mimeType).toBe('text/plain');
    expect(content.text).toContain('WATCHGUARD');
    expect(content.text.length).toBeGreaterThan(50_000);
    await expect(client.readResource({ uri: 'contract://no-such-contract' })).rejects.toThrow(/No contract has the number or id/);
  });

  it('detects clauses in a stored contract, quoting its text', async () => {
    const found = await callTool(client, 'find_contracts', { query: 'WatchGuard', limit: 1 });
    const id = data(found).contracts[0].id as string;
    const r = await callTool(client, 'contract_clauses', { contract: id, types: ['governing_law', 'anti_assignment'] });
    expect(r.isError).toBeFalsy();
    expect(text(r)).toMatch(/2 of 2 clause types found: Governing Law \(Washington\); Anti-Assignment/);
    const law = data(r).clauses[0];
    expect(law).toMatchObject({ type: 'governing_law', present: true, value: 'Washington' });
    const full = await client.readResource({ uri: `contract://${id}` });
    const body = (full.contents[0] as { text: string }).text;
    expect(body.slice(law.spans[0].start, law.spans[0].end)).toBe(law.spans[0].text);
  });

  it('detects clauses in a given snippet, present and absent', async () => {
    const r = await callTool(client, 'contract_clauses', { text: SNIPPET });
    expect(r.isError).toBeFalsy();
    const byType = Object.fromEntries(data(r).clauses.map((c: { type: string }) => [c.type, c]));
    expect(byType.governing_law).toMatchObject({ present: true, value: 'Scotland' });
    expect(byType.expiration_date).toMatchObject({ present: true, value: '2028-06-01' });
    expect(byType.renewal_term).toMatchObject({ present: true, value: 'successive 12 months' });
    expect(byType.notice_to_terminate_renewal).toMatchObject({ present: true, value: '90 days' });
    expect(byType.audit_rights).toMatchObject({ present: true, value: 'Yes' });
    expect(byType.anti_assignment.spans[0].text).toBe(
      'Neither party may assign this Agreement without the prior written consent of the other party.',
    );
    for (const absent of ['exclusivity', 'insurance', 'liquidated_damages', 'most_favoured_nation', 'cap_on_liability']) {
      expect(byType[absent]).toMatchObject({ present: false, spans: [], value: 'No' });
    }
    expect(text(r)).toMatch(/^The text: 6 of 16 clause types found: Governing Law \(Scotland\)/);
  });

  it('answers bad input with a readable error', async () => {
    const neither = await callTool(client, 'contract_clauses', {});
    expect(neither.isError).toBe(true);
    expect(text(neither)).toContain('Give either `contract`');
    const noText = await callTool(client, 'contract_clauses', { contract: 'C-2024-002' });
    expect(noText.isError).toBe(true);
    expect(text(noText)).toContain('has no stored text');
    const range = await callTool(client, 'expiring_contracts', { withinDays: 5000 });
    expect(range.isError).toBe(true);
    expect(text(range)).toMatch(/withinDays/);
    const date = await callTool(client, 'find_contracts', { expiringBefore: '27/11/2026' });
    expect(date.isError).toBe(true);
    expect(text(date)).toMatch(/expiringBefore/);
    const empty = await callTool(client, 'price_compliance', { from: '2026-12-01', to: '2026-11-01' });
    expect(empty.isError).toBe(true);
    expect(text(empty)).toContain('The date range is empty');
  });
});
