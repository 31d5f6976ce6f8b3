// Questions about where things stand, answered through real MCP servers on both databases: what is waiting for
// my approval (answered as the asking person, whoever the question names), the status of approval #N, open
// invoice exceptions and other monitor findings, whether an invoice has been paid, where a purchase order is,
// and which suppliers are on hold. Every figure is checked against the tables.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/access/tokens.js';
import { createHttpApp } from '../../src/http/app.js';
import { listen } from '../../src/http/server.js';
import { mcpServers } from '../../mcp-servers/index.js';
import type { McpCaller } from '../../mcp-servers/shared/deps.js';
import type { Database } from '../../src/db/client.js';
import { loadDemo } from '../../src/demo/load.js';
import { silentLogger } from '../../src/log.js';
import { monitors } from '../../src/monitors/registry.js';
import { runMonitor } from '../../src/monitors/runner.js';
import type { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import { projectPath } from '../../src/paths.js';
import type { App } from '../../src/runtime.js';
import { openTestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { callTool } from '../helpers/mcp.js';
import { expectLimitError, expectPages } from '../helpers/paging.js';
import { DEMO_DOMAIN, requestDellPurchase } from '../helpers/purchases.js';

const TODAY = '2026-11-27';
const NOW = () => new Date(`${TODAY}T12:00:00Z`);
const MIA = `mia.santos@${DEMO_DOMAIN}`; // budget holder: decides the Dell request
const BEN = `ben.okafor@${DEMO_DOMAIN}`;
const ALICE = `alice.moreno@${DEMO_DOMAIN}`; // asked for it

describe.each(testDatabases)('status questions on $name', ({ open }) => {
  let database: Database;
  let qm: App | undefined;
  let orchestrator: Orchestrator;
  let number: number;
  let thread = 0;
  const clients: (() => Promise<void>)[] = [];

  /** A governance client that is `caller`, over the SDK's in-memory transport pair. */
  const governanceAs = async (caller: McpCaller): Promise<Client> => {
    const { server, cleanup } = mcpServers.governance({ database, log: silentLogger, now: NOW, caller });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(b);
    const client = new McpClient({ name: 'qm-test', version: '1.0.0' });
    await client.connect(a);
    clients.push(async () => {
      await client.close();
      await cleanup();
    });
    return client;
  };

  const ask = (text: string, email = BEN) =>
    orchestrator.handle({ channel: 'cli', conversationId: `status-test:${++thread}`, user: { email }, text });

  beforeAll(async () => {
    database = await open();
    await loadDemo({ database, today: new Date(TODAY) });
    // Questions about where things stand propose nothing: the orchestrator only shows what a turn would propose.
    qm = await openTestApp(database, { now: NOW, proposals: 'show' });
    number = await requestDellPurchase(database, await qm.approvals(), 10, 'monitors', '2400.00');
    await runMonitor({ database, log: silentLogger, now: NOW, policyDir: projectPath('policies') }, monitors.get('three-way-match')!);
    orchestrator = await qm.orchestrator();
  }, 240_000);

  afterAll(async () => {
    for (const close of clients) await close();
    await qm?.close();
    await database?.close();
  });

  describe('approvals, as the asking person', () => {
    it('"What is waiting for my approval?" lists the request for its approver and nothing for anyone else', async () => {
      const mia = await ask('What is waiting for my approval?', MIA);
      expect(mia.plan.reading.intent).toBe('approvals_list');
      expect(mia.plan.agents).toEqual(['governance']);
      expect(mia.reply.headline).toBe(`1 approval waiting for your decision: #${number} Raise a purchase order with Dell for 10 monitors at £2400.00 (£2,400.00).`);
      const ben = await ask('What is waiting for my approval?', BEN);
      expect(ben.reply.headline).toBe('Nothing is waiting for your decision.');
      // The requester may not decide their own request.
      expect((await ask('what needs my approval', ALICE)).reply.headline).toBe('Nothing is waiting for your decision.');
    });

    it('the governance server answers as its caller, never as someone named in the arguments', async () => {
      const asBen = await governanceAs({ kind: 'person', email: BEN });
      const r = await callTool(asBen, 'list_approvals', { scope: 'waiting_for_me', as: MIA, email: MIA });
      expect(r.isError).toBeFalsy();
      expect((r.structuredContent as { approvals: unknown[]; caller: { email: string } }).approvals).toEqual([]);
      expect((r.structuredContent as { caller: { email: string } }).caller.email).toBe(BEN);
      const asMia = await governanceAs({ kind: 'person', email: MIA });
      const mine = (await callTool(asMia, 'list_approvals', { scope: 'waiting_for_me' })).structuredContent as { approvals: { number: number; you_may_decide: boolean }[] };
      expect(mine.approvals.map((a) => [a.number, a.you_may_decide])).toEqual([[number, true]]);
      const operator = await governanceAs({ kind: 'operator' });
      const refused = await callTool(operator, 'list_approvals', { scope: 'waiting_for_me' });
      expect(refused.isError).toBe(true);
      expect(refused.content[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/need a person/) });
      const all = (await callTool(operator, 'list_approvals', { status: 'pending' })).structuredContent as { approvals: { number: number }[] };
      expect(all.approvals.map((a) => a.number)).toContain(number);
    });

    it('over Streamable HTTP the governance server answers as the personal token\'s owner', async () => {
      const OPERATOR = 'status-operator-token-0123456789';
      const app = createHttpApp({ database, log: silentLogger, mcp: { token: OPERATOR, allowedHosts: [] } });
      const server = await listen(app, { port: 0, host: '127.0.0.1', log: silentLogger });
      const as = async (bearer: string) => {
        const client = new McpClient({ name: 'qm-test', version: '1.0.0' });
        await client.connect(
          new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${server.port}/mcp/governance`), { requestInit: { headers: { authorization: `Bearer ${bearer}` } } }),
        );
        clients.push(() => client.close());
        return client;
      };
      try {
        const mia = await createToken(database, { user: MIA, createdBy: 'test' }, NOW());
        const ben = await createToken(database, { user: BEN, createdBy: 'test' }, NOW());
        const waiting = async (bearer: string) =>
          (await callTool(await as(bearer), 'list_approvals', { scope: 'waiting_for_me', email: MIA })) as { isError?: boolean; structuredContent?: { approvals: { number: number }[] } };
        expect((await waiting(mia.token)).structuredContent?.approvals.map((a) => a.number)).toEqual([number]);
        expect((await waiting(ben.token)).structuredContent?.approvals).toEqual([]);
        expect((await waiting(OPERATOR)).isError).toBe(true);
      } finally {
        await server.close();
      }
    });

    it('"What approvals did I request?" lists the requester\'s own', async () => {
      const alice = await ask('What approvals did I request?', ALICE);
      expect(alice.plan.reading.ask).toMatchObject({ approvalScope: 'requested_by_me' });
      expect(alice.reply.headline).toMatch(new RegExp(`^1 approval that you requested: #${number} `));
      expect((await ask('What approvals did I request?', BEN)).reply.headline).toBe('You have no approval requests.');
    });

    it('"What is the status of approval #N?" says what it waits on; an unknown number is said to be unknown', async () => {
      const [row] = await database.query<{ roles: string[] }>(
        `select array(select jsonb_array_elements_text(route -> current_level -> 'roles')) as roles from approvals where number = $1`,
        [number],
      );
      const turn = await ask(`What is the status of approval #${number}?`, MIA);
      expect(turn.plan.reading).toMatchObject({ intent: 'approval_status', ask: { approvalNumber: number } });
      expect(turn.reply.headline).toMatch(new RegExp(`^Approval #${number}, ".+" \\(£2,400\\.00\\), requested by ${ALICE.replace(/\./g, '\\.')}, is pending: waiting on .+ \\(${row!.roles.join(', ')}\\); you may decide it now\\.$`));
      const unknown = await ask('What is the status of approval #99999?');
      expect(unknown.reply.headline).toBe('No approval #99999 exists.');
    });
  });

  describe('monitor findings', () => {
    it('"What are the open invoice exceptions?" lists the three-way-match findings, each one', async () => {
      const rows = await database.query<{ title: string }>(
        `select title from findings where monitor = 'three-way-match' and status = 'open' order by last_seen_at desc`,
      );
      expect(rows.length).toBeGreaterThan(0);
      const turn = await ask('What are the open invoice exceptions?');
      expect(turn.plan.reading).toMatchObject({ intent: 'findings_list', ask: { monitor: 'three-way-match' } });
      expect(turn.reply.headline).toMatch(new RegExp(`^${rows.length} open invoice exceptions?: `));
      for (const r of rows.slice(0, 8)) expect(turn.reply.headline).toContain(r.title);
      expect(turn.reply.table?.rows.map((r) => r[2]).sort()).toEqual(rows.map((r) => r.title).sort());
    });

    it('"What did the monitors find?" lists every open finding', async () => {
      const [n] = await database.query<{ n: number }>(`select count(*)::int as n from findings where status = 'open'`);
      const turn = await ask('What did the monitors find?');
      expect(turn.reply.table?.rows).toHaveLength(Math.min(25, Number(n!.n)));
    });
  });

  describe('documents and suppliers', () => {
    it('"Has invoice X been paid?": paid when the spend data shows the payment, not paid with its due date otherwise', async () => {
      const [paid] = await database.query<{ invoice_number: string; supplier: string; total: string; date: string }>(
        `select i.invoice_number, s.name as supplier, round(i.total, 2)::text as total, max(l.date)::text as date
           from invoices i join suppliers s on s.id = i.supplier_id
           join spend_lines l on l.supplier_id = i.supplier_id and l.invoice_number = i.invoice_number
          group by 1, 2, 3 having sum(l.amount) >= max(i.total) order by 1 limit 1`,
      );
      const [unpaid] = await database.query<{ invoice_number: string; status: string; due: string | null }>(
        `select i.invoice_number, i.status, i.due_date::text as due from invoices i
          where not exists (select 1 from spend_lines l where l.supplier_id = i.supplier_id and l.invoice_number = i.invoice_number)
            and i.status <> 'paid' order by 1 limit 1`,
      );
      const yes = await ask(`Has invoice ${paid!.invoice_number} been paid?`);
      expect(yes.plan.reading).toMatchObject({ intent: 'invoice_status', ask: { document: paid!.invoice_number } });
      expect(yes.reply.headline).toMatch(new RegExp(`^Invoice ${paid!.invoice_number} from ${paid!.supplier} for £[\\d,.]+ has been paid \\(£[\\d,.]+ on ${paid!.date}\\)\\.`));
      const no = await ask(`has invoice ${unpaid!.invoice_number} been paid`);
      expect(no.reply.headline).toContain(`has not been paid: it is ${unpaid!.status}${unpaid!.due ? `, due ${unpaid!.due}` : ''}.`);
      expect((await ask('Has invoice ZZ-99999 been paid?')).reply.headline).toBe('No invoice numbered "ZZ-99999" is recorded, and no payment carries that number.');
    });

    it('"What is the status of PO-1003?": its status, received lines and invoices', async () => {
      const [po] = await database.query<{ status: string; lines: number }>(
        `select po.status, (select count(*) from purchase_order_lines l where l.po_id = po.id)::int as lines from purchase_orders po where po_number = 'PO-1003'`,
      );
      const turn = await ask("What's the status of PO-1003?");
      expect(turn.plan.reading).toMatchObject({ intent: 'po_status', ask: { document: 'PO-1003' } });
      expect(turn.reply.headline).toMatch(new RegExp(`^Purchase order PO-1003 with .+ is ${po!.status.replace('_', ' ')}: \\d+ of ${po!.lines} lines? fully received; `));
    });

    it('"Which suppliers are on hold?" lists them by master-data status, never spend in a category "on hold"', async () => {
      const none = await ask('Which suppliers are on hold?');
      expect(none.plan.reading.intent).toBe('suppliers_by_status');
      expect(none.plan.reading.category).toBeUndefined();
      const held = await database.query<{ name: string }>(`select name from suppliers where status = 'on_hold' order by name`);
      expect(none.reply.headline).toBe(held.length === 0 ? 'No supplier is on hold.' : expect.stringMatching(/are on hold/));
      await database.query(`update suppliers set status = 'on_hold' where name in ('Kestrel Security Services Ltd', 'Harbor Logistics Inc')`);
      try {
        const two = await ask('Which suppliers are on hold?');
        expect(two.reply.headline).toBe('2 suppliers are on hold: Harbor Logistics Inc, Kestrel Security Services Ltd.');
      } finally {
        await database.query(`update suppliers set status = 'active' where name in ('Kestrel Security Services Ltd', 'Harbor Logistics Inc')`);
      }
    });
  });

  describe('paging', () => {
    it('pages list_approvals and list_findings with limit/offset, truncated and next_offset', async () => {
      for (const qty of [11, 12, 13, 14]) await requestDellPurchase(database, await qm!.approvals(), qty, 'monitors', `${qty * 240}.00`);
      const operator = await governanceAs({ kind: 'operator' });
      const asMia = await governanceAs({ kind: 'person', email: MIA });
      const numberOf = (a: { number: number }) => String(a.number);
      // biome-ignore lint/suspicious/noExplicitAny: the list is picked out of structured content
      const approvals = (out: any) => out.approvals;
      const all = await expectPages(operator, 'list_approvals', { status: 'pending' }, { limit: 2, max: 200, rows: approvals, key: numberOf });
      expect(all).toContain(String(number));
      const mine = await expectPages(asMia, 'list_approvals', { scope: 'waiting_for_me' }, { limit: 2, max: 200, rows: approvals, key: numberOf });
      expect(mine).toHaveLength(5);
      const first = await callTool(asMia, 'list_approvals', { scope: 'waiting_for_me', limit: 2 });
      expect((first.content[0] as { text: string }).text).toMatch(/^5 approvals waiting for .*\. Showing 1-2 of 5 \(next_offset 2\); pass a status to narrow it\./);
      // biome-ignore lint/suspicious/noExplicitAny: the list is picked out of structured content
      const findings = (out: any) => out.findings;
      const [open] = await database.query<{ n: number }>(`select count(*)::int as n from findings where status = 'open'`);
      const seen = await expectPages(operator, 'list_findings', {}, { limit: 2, max: 200, rows: findings, key: (f: { id: string }) => f.id });
      expect(seen).toHaveLength(Number(open!.n));
      await expectLimitError(operator, 'list_approvals', {}, 200);
      await expectLimitError(operator, 'list_findings', {}, 200);
    });
  });
});
