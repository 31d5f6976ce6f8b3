// Departments and categories found by the organisation's own aliases (aliases.yaml in the policy folder), through
// the spend MCP server over a real client: an alias resolves, is reported as such, filters the totals, and is
// picked up when the file changes; without the file the same words name nothing.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALIASES_FILE, parseTermAliases } from '../../mcp-servers/spend/term-aliases.js';
import type { Database } from '../../src/db/client.js';
import { compareDecimal } from '../../src/domain/money.js';
import { runImport } from '../../src/imports/run.js';
import { testDatabases } from '../helpers/databases.js';
import { callTool, connectInMemory } from '../helpers/mcp.js';

const SPEND = `date,supplier,amount,currency,category,department
2025-01-10,Northwind Ltd,100.00,GBP,Facilities Management,Information Technology
2025-01-11,Northwind Ltd,250.50,GBP,Window Cleaning,Information Technology
2025-01-12,Contoso Ltd,75.25,GBP,Facilities Management,Human Resources
2025-01-13,Contoso Ltd,40.00,GBP,Stationery,Finance
`;

// biome-ignore lint/suspicious/noExplicitAny: structured results are checked by the assertions
type Json = Record<string, any>;
const text = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

const spendClient = (database: Database, policyDir: string) => connectInMemory('spend', database, () => new Date('2025-06-01T12:00:00Z'), { policyDir });

describe.each(testDatabases)('department and category aliases on $name', ({ open }) => {
  let database: Database;
  let dir: string;

  beforeAll(async () => {
    database = await open();
    dir = await mkdtemp(join(tmpdir(), 'qm-aliases-'));
    await writeFile(join(dir, 'spend.csv'), SPEND);
    const report = await runImport({ database }, 'spend', join(dir, 'spend.csv'));
    expect(report.imported).toBe(4);
  }, 120_000);

  afterAll(async () => {
    await database?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('finds a department and a category by alias, reports the match, and filters by them', async () => {
    const policy = await mkdtemp(join(dir, 'policy-'));
    await writeFile(join(policy, ALIASES_FILE), 'departments:\n  ICT: Information Technology\ncategories:\n  estates: facilities management\n');
    const { client, close } = await spendClient(database, policy);
    try {
      const found = (await callTool(client, 'find_spend_terms', { query: 'ict', kind: 'department' })).structuredContent as Json;
      expect(found).toMatchObject({ matched_by: 'alias', matches: [{ label: 'Information Technology', payments: 2 }] });

      const byDept = await callTool(client, 'spend_summary', { group_by: 'year', department: 'ICT' });
      expect(byDept.isError, text(byDept)).toBeFalsy();
      const d = byDept.structuredContent as Json;
      expect(d.filters.department).toEqual({ name: 'Information Technology', matched_by: 'alias' });
      expect(d.totals).toMatchObject([{ currency: 'GBP', count: 2 }]);
      expect(compareDecimal(d.totals[0].total, '350.50')).toBe(0);

      const byCategory = (await callTool(client, 'spend_summary', { group_by: 'year', category: 'Estates', category_match: 'exact' })).structuredContent as Json;
      expect(byCategory.filters).toMatchObject({ category_matched_by: 'alias', categories: ['Facilities Management'] });
      expect(byCategory.totals).toMatchObject([{ currency: 'GBP', count: 2 }]);
      expect(compareDecimal(byCategory.totals[0].total, '175.25')).toBe(0);

      // An edited file is read again without a restart.
      await writeFile(join(policy, ALIASES_FILE), 'departments:\n  People Team: Human Resources\n');
      const edited = (await callTool(client, 'find_spend_terms', { query: 'people team', kind: 'department' })).structuredContent as Json;
      expect(edited).toMatchObject({ matched_by: 'alias', matches: [{ label: 'Human Resources' }] });
      const gone = await callTool(client, 'spend_summary', { group_by: 'year', department: 'ICT' });
      expect(gone.isError).toBe(true);
    } finally {
      await close();
    }
  });

  it('without an aliases file the alias names no department', async () => {
    const empty = await mkdtemp(join(dir, 'empty-'));
    const { client, close } = await spendClient(database, empty);
    try {
      const r = await callTool(client, 'spend_summary', { group_by: 'year', department: 'ICT' });
      expect(r.isError).toBe(true);
      expect(text(r)).toMatch(/^No department is called "ICT"\. Departments in the spend data: .*Information Technology/);
      // Initials are still learned from the data.
      const hr = (await callTool(client, 'find_spend_terms', { query: 'HR', kind: 'department' })).structuredContent as Json;
      expect(hr).toMatchObject({ matched_by: 'initials', matches: [{ label: 'Human Resources' }] });
    } finally {
      await close();
    }
  });

  it('reports a broken aliases file with its line', async () => {
    expect(() => parseTermAliases('departments:\n  ICT: ""\n', 'aliases.yaml')).toThrow(/aliases\.yaml departments\.ICT \(line 2\): give the name the spend data uses/);
    expect(() => parseTermAliases('departments: [ICT]\n')).toThrow(/aliases\.yaml departments/);
    expect(() => parseTermAliases('department:\n  ICT: Information Technology\n')).toThrow(/aliases\.yaml/);
    const broken = await mkdtemp(join(dir, 'broken-'));
    await writeFile(join(broken, ALIASES_FILE), 'departments:\n  ICT: [Information Technology\n');
    const { client, close } = await spendClient(database, broken);
    try {
      const r = await callTool(client, 'find_spend_terms', { query: 'ICT', kind: 'department' });
      expect(r.isError).toBe(true);
      expect(text(r)).toMatch(/aliases\.yaml/);
    } finally {
      await close();
    }
  });
});
