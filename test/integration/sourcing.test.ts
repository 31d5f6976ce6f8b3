// Strategic sourcing end to end on both databases, through the real MCP server (in-memory transport) and governance:
// a draft event, candidates with evidence from our own records, scores, the RFx, bids in both layouts (an item code
// repeated on two lines of a bid is two lines), the analysis, award scenarios, and an approved award that creates
// the contracts; every status change and every read of sealed bids is in the ledger.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpCaller } from '../../mcp-servers/index.js';
import { createSourcingServer } from '../../mcp-servers/sourcing/server.js';
import { verifyLedger } from '../../src/audit/verify.js';
import type { Database } from '../../src/db/client.js';
import { requireSourcingEvent } from '../../src/db/sourcing.js';
import { runImport } from '../../src/imports/run.js';
import { silentLogger } from '../../src/log.js';
import { projectPath } from '../../src/paths.js';
import type { App } from '../../src/runtime.js';
import { createDraftEvent, moveEvent } from '../../src/sourcing/events.js';
import { loadSourcingPolicy, parseSourcingPolicy } from '../../src/sourcing/policy.js';
import { proposeAward, proposeIssue } from '../../src/sourcing/proposals.js';
import { openTestApp } from '../helpers/app.js';
import { expectLimitError, expectPages } from '../helpers/paging.js';
import { testDatabases } from '../helpers/databases.js';

const NOW = new Date('2026-12-07T09:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'qm-sourcing-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const USERS = file(
  'users.csv',
  'email,name,roles\nbuyer@example.com,Bea Buyer,buyer;requester\npm@example.com,Pat Manager,procurement_manager;approver\ncfo@example.com,Cara Fo,cfo;approver\nstaff@example.com,Sam Staff,requester\n',
);
const SUPPLIERS = file(
  'suppliers.csv',
  'name,category,country\nSparkle Cleaning Ltd,76111501,GB\nBrite Facilities Ltd,76111500,GB\nGlint Janitorial Ltd,76111501,GB\nPaperworks Ltd,14111500,GB\n',
);
const SPEND = file(
  'spend.csv',
  [
    'date,supplier,amount,currency,description',
    '2026-01-15,Sparkle Cleaning Ltd,4000.00,GBP,Office cleaning January',
    '2026-02-15,Sparkle Cleaning Ltd,4000.00,GBP,Office cleaning February',
    '2026-03-15,Sparkle Cleaning Ltd,4200.00,GBP,Office cleaning March',
    '2026-05-10,Brite Facilities Ltd,1800.00,GBP,Deep clean site B',
    '2026-06-01,Paperworks Ltd,900.00,GBP,Copier paper',
  ].join('\n') + '\n',
);
const CONTRACTS = file(
  'contracts.csv',
  'contract number,title,supplier,start date,end date,value,currency,category\nC-CLN-1,Office cleaning services,Sparkle Cleaning Ltd,2025-04-01,2027-03-31,48000,GBP,76111501\n',
);

// A long-layout tabulation: one row per bidder and line; CLN-01 is on two lines of every bid (two sites).
const LONG = file(
  'bids-long.csv',
  [
    'Bidder,Item Code,Description,Qty,UoM,Unit Price,Line Total,Currency,Lead Time Days,Notes',
    'Sparkle Cleaning Ltd,CLN-01,Daily office clean,12,month,"1,000.10",12001.20,GBP,14,site A',
    'Sparkle Cleaning Ltd,CLN-01,Daily office clean,12,month,900.05,10800.60,GBP,14,site B',
    'Sparkle Cleaning Ltd,CLN-09,Window cleaning,4,visit,250,1100.00,GBP,7,',
    'Brite Facilities Ltd,CLN-01,Daily office clean,12,month,950,,GBP,21,',
    'Brite Facilities Ltd,CLN-01,Daily office clean,12,month,950,,GBP,21,',
    'Brite Facilities Ltd,CLN-09,Window cleaning,4,visit,abc,,GBP,,',
    'Clearview Services,CLN-01,Daily office clean,12,month,1100,,GBP,10,',
    'Clearview Services,CLN-01,Daily office clean,12,month,1000,,GBP,10,',
    'Clearview Services,CLN-09,Window cleaning,4,visit,0,,GBP,10,included',
    'Dazzle & Co,CLN-01,Daily office clean,12,month,3000,,GBP,5,',
    'Dazzle & Co,CLN-01,Daily office clean,12,month,980,,GBP,5,',
    'Dazzle & Co,CLN-09,Window cleaning,4,visit,240,,GBP,5,',
  ].join('\n') + '\n',
);

// The same kind of tabulation as published: a row per line, a price column per bidder.
const WIDE = file(
  'bids-wide.csv',
  [
    'Line,Item,Description,Quantity,Unit,Sparkle Cleaning Ltd,Glint Janitorial Ltd Unit Price,Glint Janitorial Ltd Total,Dazzle & Co',
    '1,CLN-01,Daily office clean,12,month,1000.10,960.00,11520.00,3000',
    '2,CLN-01,Daily office clean,12,month,900.05,960.00,11520.00,980',
    '3,CLN-09,Window cleaning,4,visit,250,No bid,,240',
    '4,CLN-12,Carpet shampoo,2,visit,300.333,310,620,£295',
  ].join('\n') + '\n',
);

async function connect(database: Database, caller?: McpCaller): Promise<{ call: (tool: string, args: Record<string, unknown>) => Promise<CallToolResult>; client: Client; close: () => Promise<void> }> {
  const { server, cleanup } = createSourcingServer({ database, log: silentLogger, now: () => NOW, ...(caller ? { caller } : {}) });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(b);
  const client = new Client({ name: 'sourcing-test', version: '1.0.0' });
  await client.connect(a);
  return {
    client,
    call: async (tool, args) => (await client.callTool({ name: tool, arguments: args })) as CallToolResult,
    close: async () => {
      await client.close();
      await cleanup();
    },
  };
}

const text = (r: CallToolResult) => r.content.map((c) => ('text' in c ? c.text : '')).join('\n');

describe.each(testDatabases)('sourcing on $name', ({ open }) => {
  let database: Database;
  let app: App;
  const policyDir = projectPath('policies');

  beforeAll(async () => {
    database = await open();
    for (const [kind, path] of [['users', USERS], ['suppliers', SUPPLIERS], ['spend', SPEND], ['contracts', CONTRACTS]] as const) {
      await runImport({ database, log: silentLogger }, kind, path, { currency: 'GBP' });
    }
    await database.query(
      `insert into risk_signals (supplier_id, supplier_name, kind, severity, title, observed_at)
       select id, name, 'financial', 4, 'Profit warning and covenant breach', '2026-10-01T00:00:00Z' from suppliers where name = 'Brite Facilities Ltd'`,
    );
    app = await openTestApp(database, { now: () => NOW });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('runs an event from draft to awarded contracts', async () => {
    const policy = await loadSourcingPolicy(policyDir);
    const draft = await createDraftEvent(
      database,
      { title: 'Office cleaning for three sites', categoryCode: '76111501', estimatedValue: '120000', currency: 'GBP', requesterEmail: 'staff@example.com', buyerEmail: 'buyer@example.com', channel: 'test' },
      policy,
      { type: 'user', id: 'staff@example.com' },
    );
    expect(draft).toMatchObject({ status: 'draft', number: expect.any(Number) });
    expect(draft.criteria.map((c) => c.key)).toEqual(['price', 'quality', 'delivery']);

    const operator = await connect(database);
    // Candidates from our own records, with the evidence: the incumbent, 12-month spend, its share, risk.
    const found = await operator.call('find_candidate_suppliers', { event: draft.number });
    expect(found.isError).toBeFalsy();
    const candidates = (found.structuredContent as { candidates: { name: string; activeContracts: unknown[]; categorySpend12m: string; categoryShare: string | null; maxSignalSeverity: number | null }[] }).candidates;
    const names = candidates.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['Sparkle Cleaning Ltd', 'Brite Facilities Ltd', 'Glint Janitorial Ltd']));
    expect(names).not.toContain('Paperworks Ltd');
    const sparkle = candidates.find((c) => c.name === 'Sparkle Cleaning Ltd')!;
    expect(sparkle.activeContracts).toHaveLength(1);
    expect(sparkle.categorySpend12m).toBe('12200.0000');
    expect(text(found)).toContain('incumbent: Sparkle Cleaning Ltd');
    expect(candidates.find((c) => c.name === 'Brite Facilities Ltd')!.maxSignalSeverity).toBe(4);

    // Scores from policies/sourcing.yaml, each explained by its evidence.
    const scored = await operator.call('score_suppliers', { event: String(draft.number) });
    const ranking = (scored.structuredContent as { candidates: { name: string; total: string; criteria: { key: string; score: number; explanation: string }[]; warnings: string[] }[] }).candidates;
    expect(ranking[0]!.name).toBe('Sparkle Cleaning Ltd');
    expect(ranking[0]!.criteria.find((c) => c.key === 'category_experience')!.explanation).toContain('C-CLN-1');
    const brite = ranking.find((c) => c.name === 'Brite Facilities Ltd')!;
    expect(brite.criteria.find((c) => c.key === 'risk')).toMatchObject({ score: 20, explanation: expect.stringContaining('Profit warning') });
    expect(brite.warnings.join(' ')).toContain('high risk');

    // Both lists page: pages of one, joined, equal one large page; a limit over 100 is a readable error.
    const supplierId = (c: { supplierId: string }) => c.supplierId;
    // biome-ignore lint/suspicious/noExplicitAny: the list is picked out of structured content
    const listed = (out: any) => out.candidates;
    for (const tool of ['find_candidate_suppliers', 'score_suppliers']) {
      await expectPages(operator.client, tool, { event: draft.number }, { limit: 1, max: 100, rows: listed, key: supplierId });
      await expectLimitError(operator.client, tool, { event: draft.number }, 100);
    }

    // Issuing the RFx goes through governance: the procurement manager approves (rule sourcing-start).
    const asked = await (await app.approvals()).submit({ action: proposeIssue(draft, policy), requester: 'buyer@example.com' });
    expect(asked).toMatchObject({ outcome: 'needs_approval', ruleId: 'sourcing-start' });
    const refused = await (await app.approvals()).decide({ approval: String(asked.approval!.number), user: 'staff@example.com', decision: 'approve' });
    expect(refused.status).toBe('not_authorised');
    const issued = await (await app.approvals()).decide({ approval: String(asked.approval!.number), user: 'pm@example.com', decision: 'approve' });
    expect(issued.status).toBe('recorded');
    expect(issued.status === 'recorded' ? issued.execution?.status : undefined).toBe('done');
    const event = await requireSourcingEvent(database, draft.number);
    expect(event.status).toBe('rfx_issued');
    expect(event.deadline!.toISOString()).toBe('2026-12-28T17:00:00.000Z');

    // The RFx: the tool and the rfx:// resource carry the same Markdown document.
    const rfx = await operator.call('draft_rfx', { event: draft.number });
    const md = (rfx.structuredContent as { markdown: string }).markdown;
    expect(md).toContain('# Request for Proposal: Office cleaning for three sites');
    expect(md).toContain('| Price (total evaluated cost of the lines) | 60% |');
    expect(md).toContain('bidder,line,item,description,quantity,unit,unit_price,line_total,currency,lead_time_days,notes');
    expect(md).not.toContain('120,000');
    const resource = await operator.client.readResource({ uri: `rfx://${draft.number}` });
    expect((resource.contents[0] as { text: string }).text).toBe(md);

    // Bids, long layout: the bad cell is rejected by line, everything else lands; CLN-01 is two lines.
    const imported = await runImport({ database, log: silentLogger }, 'bids', LONG, { event: String(draft.number) });
    expect(imported).toMatchObject({ read: 12, imported: 11, duplicates: 0, rejected: [{ line: 7, reason: 'unit_price: "abc" is not an amount' }] });
    const again = await runImport({ database, log: silentLogger }, 'bids', LONG, { event: String(draft.number) });
    expect(again).toMatchObject({ imported: 0, duplicates: 11 });
    expect((await requireSourcingEvent(database, draft.number)).status).toBe('bids_open');
    const [prospect] = await database.query<{ status: string }>(`select status from suppliers where name = 'Clearview Services'`);
    expect(prospect!.status).toBe('prospect');

    // Sealed until the deadline: a requester is refused (and that is recorded); procurement and the operator read.
    const staff = await connect(database, { kind: 'person', email: 'staff@example.com' });
    const sealed = await staff.call('analyse_bids', { event: draft.number });
    expect(sealed.isError).toBe(true);
    expect(text(sealed)).toContain('sealed until 2026-12-28 17:00 UTC');
    await staff.close();
    const pm = await connect(database, { kind: 'person', email: 'pm@example.com' });
    expect((await pm.call('analyse_bids', { event: draft.number })).isError).toBeFalsy();
    await pm.close();

    const analysed = await operator.call('analyse_bids', { event: draft.number });
    const a = analysed.structuredContent as { currency: string; bidders: { bidder: string; total: string; rank: number; lines_priced: number; lines_missing: number }[]; lowest: unknown; unbalanced: { bidder: string; line: number; ratio: string }[]; flags: { kind: string; bidder?: string }[] };
    expect(a.currency).toBe('GBP');
    expect(a.bidders.map((b) => [b.bidder, b.total, b.rank, b.lines_priced, b.lines_missing])).toEqual([
      ['Sparkle Cleaning Ltd', '23901.80', 1, 3, 0],
      ['Clearview Services', '25200.00', 2, 3, 0],
      ['Dazzle & Co', '48720.00', 3, 3, 0],
      ['Brite Facilities Ltd', '22800.00', 4, 2, 1],
    ]);
    expect(a.lowest).toEqual({ bidder: 'Sparkle Cleaning Ltd', total: '23901.80' });
    expect(a.unbalanced).toContainEqual(expect.objectContaining({ bidder: 'Dazzle & Co', line: 1 }));
    expect(a.flags.map((f) => f.kind)).toEqual(expect.arrayContaining(['line_total_mismatch', 'zero_priced', 'missing_lines']));

    // Scenarios: the cap and its price; an impossible cap says why; the high-risk bidder is left out of one.
    const scenarios = await operator.call('award_scenarios', { event: draft.number, max_share: 0.5 });
    const s = scenarios.structuredContent as { scenarios: { kind: string; total: string; awards: { bidder: string; share: string; lines: number[] }[]; tradeoff: string }[]; unavailable: { kind: string; reason: string }[] };
    expect(s.scenarios.map((x) => x.kind)).toEqual(['single_lowest', 'split_lowest', 'split_capped', 'risk_adjusted_split', 'risk_adjusted_capped']);
    const split = s.scenarios.find((x) => x.kind === 'split_lowest')!;
    expect(split.total).toBe('22200.60'); // line 1 Brite 11,400, line 2 Sparkle 10,800.60, line 3 Clearview at zero
    // Brite would hold 51%: the cheapest split within 50% moves line 3 to Dazzle (£960), as enumeration confirms.
    const capped = s.scenarios.find((x) => x.kind === 'split_capped')!;
    expect(capped.total).toBe('23160.60');
    for (const aw of capped.awards) expect(Number(aw.share)).toBeLessThanOrEqual(0.5);
    expect(capped.tradeoff).toMatch(/No supplier above 50%: costs £960.00 more than the cheapest split/);
    expect(s.scenarios.find((x) => x.kind === 'risk_adjusted_split')!.awards.map((x) => x.bidder)).not.toContain('Brite Facilities Ltd');
    const tight = await operator.call('award_scenarios', { event: draft.number, max_share: 0.1 });
    expect((tight.structuredContent as { unavailable: { kind: string; reason: string }[] }).unavailable).toContainEqual({ kind: 'split_capped', reason: expect.stringContaining('with 4 bidders') });
    const badExclude = await operator.call('award_scenarios', { event: draft.number, exclude: ['Nobody Ltd'] });
    expect(badExclude.isError).toBe(true);

    // The award goes through governance (a high-risk awardee would need compliance; this one is under 100k).
    const award = await proposeAward(database, policy, draft.number, { kind: 'risk_adjusted_split' }, NOW);
    expect(award.amount).toEqual({ value: s.scenarios.find((x) => x.kind === 'risk_adjusted_split')!.total, currency: 'GBP' });
    const filed = await (await app.approvals()).submit({ action: award, requester: 'buyer@example.com' });
    expect(filed).toMatchObject({ outcome: 'needs_approval', ruleId: 'award' });
    expect((await requireSourcingEvent(database, draft.number)).status).toBe('award_proposed');
    const decided = await (await app.approvals()).decide({ approval: String(filed.approval!.number), user: 'pm@example.com', decision: 'approve' });
    expect(decided.status).toBe('recorded');
    const awarded = await requireSourcingEvent(database, draft.number);
    expect(awarded.status).toBe('awarded');
    const contracts = await database.query<{ contract_number: string; value: string; supplier: string; prices: number }>(
      `select c.contract_number, c.value::text, s.name as supplier, (select count(*)::int from contract_prices p where p.contract_id = c.id) as prices
         from contracts c join suppliers s on s.id = c.supplier_id where c.contract_number like $1 order by c.contract_number`,
      [`SE${draft.number}-%`],
    );
    expect(contracts.length).toBeGreaterThan(0);
    expect(contracts.reduce((sum, c) => sum + Number(c.value), 0).toFixed(2)).toBe(Number(award.amount!.value).toFixed(2));
    expect(contracts.every((c) => c.prices > 0)).toBe(true);

    // Every transition and every read of the bids is in the ledger, and the chain holds.
    const moves = await database.query<{ data: { from: string; to: string } }>(
      `select data from audit_events where action = 'sourcing_status_changed' and subject_id = $1 order by seq`,
      [draft.id],
    );
    expect(moves.map((m) => `${m.data.from}>${m.data.to}`)).toEqual(['draft>rfx_issued', 'rfx_issued>bids_open', 'bids_open>evaluating', 'evaluating>award_proposed', 'award_proposed>awarded']);
    const views = await database.query<{ actor: string; data: { allowed: boolean } }>(
      `select actor, data from audit_events where action = 'sourcing_bids_viewed' and subject_id = $1 order by seq`,
      [draft.id],
    );
    expect(views[0]).toMatchObject({ actor: 'staff@example.com', data: { allowed: false } });
    expect(views.length).toBeGreaterThanOrEqual(5);
    expect((await verifyLedger(database)).ok).toBe(true);
    await operator.close();
  }, 180_000);

  it('reads the wide layout: a price column per bidder, unit price and total columns, "no bid" cells', async () => {
    const policy = await loadSourcingPolicy(policyDir);
    const e = await createDraftEvent(database, { title: 'Cleaning, wide tabulation', categoryCode: '76111501', currency: 'GBP', channel: 'test' }, policy, { type: 'system', id: 'test' });
    await database.transaction((tx) => moveEvent(tx, e.number, 'rfx_issued', { actor: { type: 'system', id: 'test' }, cause: 'test' }));
    const r = await runImport({ database, log: silentLogger }, 'bids', WIDE, { event: String(e.number) });
    expect(r).toMatchObject({ read: 4, imported: 11, duplicates: 0, rejected: [] });
    const op = await connect(database);
    const a = (await op.call('analyse_bids', { event: e.number })).structuredContent as { bidders: { bidder: string; total: string; lines_priced: number; lines_missing: number }[]; flags: { kind: string }[] };
    expect(a.bidders.map((b) => [b.bidder, b.total, b.lines_priced, b.lines_missing])).toEqual([
      ['Sparkle Cleaning Ltd', '24402.47', 4, 0], // 12001.20 + 10800.60 + 1000 + 600.666, summed exactly, shown to the cent
      ['Dazzle & Co', '49310.00', 4, 0],
      ['Glint Janitorial Ltd', '23660.00', 3, 1],
    ]);
    const lines = await database.query<{ n: number }>(`select count(*)::int as n from sourcing_event_lines l join sourcing_events e on e.id = l.event_id where e.number = $1`, [e.number]);
    expect(lines[0]!.n).toBe(4);
    await op.close();
  }, 60_000);

  it('is asked in chat: a draft with candidates and an RFx, then bids, scenarios and an award proposal', async () => {
    const orchestrator = await app.orchestrator();
    const ask = (text: string) => orchestrator.handle({ channel: 'cli', conversationId: 'sourcing-chat', user: { email: 'buyer@example.com' }, text });
    const intake = await ask('We need office cleaning for 3 sites from April, budget £120k');
    expect(intake.plan.agents).toEqual(['sourcing']);
    const ran = intake.results.find((r) => r.agent === 'sourcing')!;
    expect(ran.ok).toBe(true);
    expect(ran.toolCalls.map((c) => c.tool).sort()).toEqual(['create_sourcing_draft', 'draft_rfx', 'score_suppliers']);
    expect(intake.reply.headline).toMatch(/^Draft sourcing event \d+ "Office cleaning for 3 sites" is ready \(budget £120,000.00\): \d+ candidate suppliers? from our records, .+ scoring highest/);
    expect(intake.reply.decisions?.map((d) => [d.kind, d.outcome])).toEqual([['start_sourcing_event', 'needs_approval']]);
    const number = Number(/event (\d+)/.exec(intake.reply.headline)![1]);
    const created = await requireSourcingEvent(database, number);
    expect(created).toMatchObject({ status: 'draft', estimatedValue: '120000.0000', neededFrom: '2027-04-01', requesterEmail: 'buyer@example.com' });

    // The wide-layout event has bids: compare them, ask for a cap without naming the event, then award.
    const [wide] = await database.query<{ number: number }>(`select number from sourcing_events where title = 'Cleaning, wide tabulation'`);
    const compared = await ask(`Compare the bids for event ${wide!.number}`);
    expect(compared.reply.headline).toBe(`Lowest complete bid for event ${wide!.number}: Sparkle Cleaning Ltd at £24,402.47 (3 bids, 4 lines).`);
    const capped = await ask('What if no supplier gets more than 60%?');
    expect(capped.reply.headline).toMatch(new RegExp(`^With no supplier above 60%, the cheapest award for event ${wide!.number} costs £[\\d,.]+\\.`));
    // Nothing is awarded to a supplier nobody screened in this turn: with no sanctions list imported, nothing goes forward.
    const unscreened = await ask(`Award event ${wide!.number} to the cheapest split`);
    expect(unscreened.reply.decisions ?? []).toEqual([]);
    expect(unscreened.reply.headline).toMatch(/^I can't propose this award yet: not every awarded supplier could be screened/);
    // A list where one awardee matches strongly: the award stops there, and says why.
    const list = file('watchlist_2026-11-30.csv', 'entry_id,name,type,programs\nW1,DAZZLE & CO,entity,TEST\n');
    await runImport({ database, log: silentLogger }, 'sanctions', list);
    const stopped = await ask(`Award event ${wide!.number} to the cheapest split`);
    expect(stopped.reply.decisions ?? []).toEqual([]);
    expect(stopped.reply.headline).toBe('Stop: Dazzle & Co strongly matches "DAZZLE & CO" on the sanctions lists');
    expect(stopped.reply.rationale.join('\n')).toMatch(/Compliance and risk findings outrank cost, so that proposal was set aside/);
    // Without that bidder, every awardee is screened clear and the award goes to governance.
    const awarded = await ask(`Award event ${wide!.number} to the cheapest split without Dazzle & Co`);
    expect(awarded.reply.decisions?.map((d) => [d.kind, d.outcome])).toEqual([['award_contract', 'needs_approval']]);
    expect(awarded.reply.headline).toContain('by split lowest');
    expect(awarded.reply.headline).not.toContain('Dazzle');
    // The event waits for the award's approval; rejected, it is back in evaluation for another proposal.
    expect((await requireSourcingEvent(database, wide!.number)).status).toBe('award_proposed');
    const [pending] = await database.query<{ number: number }>(`select number from approvals where action_kind = 'award_contract' and status = 'pending' order by number desc limit 1`);
    const rejected = await (await app.approvals()).decide({ approval: String(pending!.number), user: 'pm@example.com', decision: 'reject', reason: 'Split across too many sites' });
    expect(rejected).toMatchObject({ status: 'recorded', final: 'rejected' });
    const back = await requireSourcingEvent(database, wide!.number);
    expect(back.status).toBe('evaluating');
    const [move] = await database.query<{ actor: string; data: { from: string; to: string; approvalNumber: number } }>(
      `select actor, data from audit_events where action = 'sourcing_status_changed' and subject_id = $1 order by seq desc limit 1`,
      [back.id],
    );
    expect(move).toMatchObject({ actor: 'pm@example.com', data: { from: 'award_proposed', to: 'evaluating', approvalNumber: pending!.number } });
    expect((await verifyLedger(database)).ok).toBe(true);
  }, 120_000);

  it("reads the organisation's own sourcing policy (QM_POLICY_DIR) in chat, not the packaged one", async () => {
    const own = mkdtempSync(join(tmpdir(), 'qm-policies-'));
    cpSync(policyDir, own, { recursive: true });
    const yaml = readFileSync(join(own, 'sourcing.yaml'), 'utf8').replace('label: Quality and method statement', 'label: Social value and method statement');
    writeFileSync(join(own, 'sourcing.yaml'), yaml);
    const ownApp = await openTestApp(database, { now: () => NOW, env: { QM_POLICY_DIR: own } });
    try {
      const reply = await (await ownApp.orchestrator()).handle({ channel: 'cli', conversationId: 'own-policy', user: { email: 'buyer@example.com' }, text: 'We need window cleaning for 2 sites from May, budget £20k' });
      const number = Number(/event (\d+)/.exec(reply.reply.headline)![1]);
      const created = await requireSourcingEvent(database, number);
      expect(JSON.stringify(created.criteria)).toContain('Social value and method statement');
    } finally {
      await ownApp.close();
      rmSync(own, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses what makes no sense, with the reason', async () => {
    const policy = await loadSourcingPolicy(policyDir);
    const op = await connect(database);
    const missing = await op.call('analyse_bids', { event: 9999 });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toContain('No sourcing event has the number or id "9999"');
    const draft = await createDraftEvent(database, { title: 'Not issued yet', channel: 'test' }, policy, { type: 'system', id: 'test' });
    await expect(runImport({ database, log: silentLogger }, 'bids', LONG, { event: String(draft.number) })).rejects.toThrow(/bids can be imported once its RFx is issued/);
    await expect(createDraftEvent(database, { title: '  ', channel: 'test' }, policy, { type: 'system', id: 'test' })).rejects.toThrow(/needs a title/);
    expect(() => parseSourcingPolicy('capability:\n  criteria:\n    - key: risk\n      weight: "0.5"\nevaluation:\n  - key: price\n    label: Price\n    weight: 1\n')).toThrow(/capability.criteria \(line 3\): the weights must sum to 1/);
    await op.close();
  });
});
