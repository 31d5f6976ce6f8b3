// The supplier-risk monitor on real databases: the real OFAC SDN list, suppliers written the way an ERP writes
// listed names (case, legal suffix, punctuation, word order, a recorded alias, a listed weak alias) next to
// clean ones with common words; exactly the listed ones raise findings, with the evidence and the exposure, and
// their hold proposals go to compliance through governance. A newer list version (the same file plus added
// entries) raises exactly the suppliers it newly lists. Risk signals arrive over POST /signals and as a CSV
// import, are matched, scored against exposure and raise findings only above the threshold.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalService } from '../../src/approvals/service.js';
import type { App } from '../../src/runtime.js';
import { openTestApp } from '../helpers/app.js';
import { verifyLedger } from '../../src/audit/verify.js';
import type { Database } from '../../src/db/client.js';
import { listen, type RunningServer } from '../../src/http/server.js';
import { mountSignals } from '../../src/http/signals.js';
import { runImport } from '../../src/imports/run.js';
import { silentLogger } from '../../src/log.js';
import { type MonitorRunReport, runMonitor } from '../../src/monitors/runner.js';
import { supplierRiskMonitor } from '../../src/monitors/supplier-risk.js';
import { projectPath } from '../../src/paths.js';
import { testDatabases } from '../helpers/databases.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const TOKEN = 'signals-token-0123456789';
const OFAC_FILE = projectPath('data', 'sanctions', 'ofac_sdn_2024-04-26.csv');
const D = 'risk.quartermaster.dev';
const HASSAN = `hassan.ali@${D}`; // compliance
const IVY = `ivy.patel@${D}`; // procurement manager
const SOURCE = 'OFAC SDN';

const day = (offset: number) => new Date(NOW.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
const csv = (rows: (string | number)[][]) =>
  `${rows.map((r) => r.map((c) => (/[",\n]/.test(String(c)) ? `"${String(c).replaceAll('"', '""')}"` : String(c))).join(',')).join('\n')}\n`;

// Listed entries written as an ERP would, each with the OFAC entry it must match.
const LISTED = {
  'SR-001': { name: 'Aerocaribbean Airlines Ltd', entry: '36' }, // case + another legal suffix
  'SR-002': { name: 'Anglo Caribbean Company Limited', entry: '173' }, // "ANGLO-CARIBBEAN CO., LTD.": punctuation
  'SR-003': { name: 'Vega Strategic Services LLC', entry: '44223' }, // "LIMITED LIABILITY COMPANY VEGA ...": form moved
  'SR-004': { name: 'Luis Antonio Hernandez Zea', entry: '8600' }, // "HERNANDEZ ZEA, Luis Antonio": word order
  'SR-005': { name: 'Pacific Freight Partners Ltd', entry: '45054', alias: 'TRANSMASHHOLDING J.S.C.' }, // a recorded alias
} as const;
const WEAK_ALIAS = { id: 'SR-006', name: 'TD Rosel JSC', entry: '37776' }; // weak a.k.a. 'AO TD ROSEL'
const CLEAN = [
  ['SR-010', 'Global Trading Ltd'],
  ['SR-011', 'International Services Ltd'],
  ['SR-012', 'Banner Business Supplies Ltd'],
  ['SR-013', 'Eversheds LLP'],
  ['SR-014', 'Northwind Logistics Ltd'], // listed only by the newer version
  ['SR-016', 'Dmytro Ivanovych Kovalenko'], // listed only by the newer version
] as const;
// Entries the newer version adds, in OFAC's sdn.csv layout.
const ADDED = [
  '99990001,"NORTHWIND LOGISTICS FZE",-0- ,RUSSIA-EO14024,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Organization Type: Freight transport."',
  '99990002,"KOVALENKO, Dmytro Ivanovych",individual,RUSSIA-EO14024,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 12 Mar 1975; nationality Ukraine."',
  '99990003,"GLOBAL TRADING HOUSE ZENITH LLC",-0- ,IRAN,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
];

const keyOf = (supplierId: string, entry: string) => `sanctions:${supplierId}:${SOURCE}:${entry}`;

describe.each(testDatabases)('supplier-risk monitor on $name', ({ open }) => {
  let database: Database;
  let qm: App | undefined;
  let approvals: ApprovalService;
  let dir: string;
  let server: RunningServer;
  const ids = new Map<string, string>();
  const deps = () => ({ database, log: silentLogger, now: () => NOW, approvals, policyDir: projectPath('policies') });
  let first: MonitorRunReport;

  beforeAll(async () => {
    database = await open();
    dir = await mkdtemp(join(tmpdir(), 'qm-risk-'));
    const file = async (name: string, body: string) => {
      const path = join(dir, name);
      await writeFile(path, body);
      return path;
    };
    await runImport(
      { database },
      'users',
      await file(
        'users.csv',
        csv([
          ['email', 'name', 'roles', 'department', 'title'],
          [HASSAN, 'Hassan Ali', 'compliance;approver', 'Risk & Compliance', 'Compliance Officer'],
          [IVY, 'Ivy Patel', 'procurement_manager;approver', 'Procurement', 'Head of Procurement'],
          [`fay.lim@${D}`, 'Fay Lim', 'finance', 'Finance', 'Finance Manager'],
          [`ben.okafor@${D}`, 'Ben Okafor', 'buyer;requester', 'Procurement', 'Buyer'],
        ]),
      ),
    );
    await runImport(
      { database },
      'suppliers',
      await file(
        'suppliers.csv',
        csv([
          ['external_id', 'name', 'country', 'status', 'aliases'],
          ...Object.entries(LISTED).map(([id, s]) => [id, s.name, '', 'active', 'alias' in s ? s.alias : '']),
          [WEAK_ALIAS.id, WEAK_ALIAS.name, 'RU', 'active', ''],
          ...CLEAN.map(([id, name]) => [id, name, 'GB', 'active', '']),
        ]),
      ),
    );
    for (const [ext, id] of (await database.query<{ external_id: string; id: string }>('select external_id, id::text from suppliers')).map(
      (r) => [r.external_id, r.id] as const,
    )) {
      ids.set(ext, id);
    }
    // What is at stake with Aerocaribbean: an active contract, an open PO, an unpaid USD invoice, payments.
    await runImport(
      { database },
      'contracts',
      await file(
        'contracts.csv',
        csv([
          ['contract_number', 'title', 'supplier', 'start_date', 'end_date', 'value', 'currency', 'status', 'full_text'],
          ['C-RISK-1', 'Charter flights', LISTED['SR-001'].name, day(-200), day(300), '120000.00', 'GBP', 'active', ''],
          [
            'C-RISK-2',
            'Office supplies with service levels',
            'Banner Business Supplies Ltd',
            day(-100),
            day(500),
            '250000.00',
            'GBP',
            'active',
            'The Supplier shall meet the service levels in Schedule 2 and pays service credits for each missed level.',
          ],
        ]),
      ),
      { currency: 'GBP' },
    );
    await runImport(
      { database },
      'purchase-orders',
      await file(
        'pos.csv',
        csv([
          ['po_number', 'supplier', 'order_date', 'currency', 'line_no', 'description', 'quantity', 'unit_price'],
          ['PO-R1', LISTED['SR-001'].name, day(-10), 'GBP', 1, 'Charter flight', 1, '8000.00'],
        ]),
      ),
    );
    await runImport(
      { database },
      'invoices',
      await file(
        'invoices.csv',
        csv([
          ['invoice_number', 'supplier', 'invoice_date', 'due_date', 'currency', 'line_no', 'description', 'quantity', 'unit_price'],
          ['AC-77', LISTED['SR-001'].name, day(-5), day(25), 'USD', 1, 'Fuel surcharge', 1, '5000.00'],
        ]),
      ),
    );
    await runImport(
      { database },
      'spend',
      await file(
        'spend.csv',
        csv([
          ['date', 'supplier', 'amount', 'currency'],
          [day(-75), LISTED['SR-001'].name, '18200.00', 'GBP'],
          [day(-500), LISTED['SR-001'].name, '9999.00', 'GBP'], // older than 12 months: not in the trailing spend
        ]),
      ),
    );
    qm = await openTestApp(database, { now: () => NOW });
    approvals = await qm.approvals();
    const app = new Hono();
    mountSignals(app, { database, log: silentLogger, now: () => NOW, access: { token: TOKEN, allowedHosts: [] }, approvals });
    server = await listen(app, { port: 0, host: '127.0.0.1', log: silentLogger });
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    await qm?.close();
    await database?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('raises nothing, and says so, before any sanctions list is imported', async () => {
    const report = await runMonitor(deps(), supplierRiskMonitor);
    expect(report.findings.filter((f) => f.key.startsWith('sanctions:'))).toEqual([]);
  });

  it('raises exactly the suppliers the OFAC list names, however the ERP wrote them, with the evidence and exposure', async () => {
    const imported = await runImport({ database }, 'sanctions', OFAC_FILE);
    expect(imported.imported).toBe(14_668);
    first = await runMonitor(deps(), supplierRiskMonitor);
    const sanctions = first.findings.filter((f) => f.key.startsWith('sanctions:'));
    const expected = [
      ...Object.entries(LISTED).map(([ext, s]) => keyOf(ids.get(ext)!, s.entry)),
      keyOf(ids.get(WEAK_ALIAS.id)!, WEAK_ALIAS.entry),
    ];
    expect(sanctions.map((f) => f.key).sort()).toEqual(expected.sort());
    expect(first.raised).toBe(expected.length);

    const strong = sanctions.filter((f) => f.severity === 'critical');
    expect(strong).toHaveLength(Object.keys(LISTED).length);
    for (const f of strong) {
      expect(f.routeTo).toEqual(['compliance']);
      expect(f.proposal).toMatchObject({ kind: 'put_supplier_on_hold', proposedBy: 'monitor:supplier-risk', params: { supplierId: f.supplierId } });
      expect(f.decision).toMatchObject({ outcome: 'needs_approval', ruleId: 'supplier-hold' });
      expect(f.approvalId).toEqual(expect.any(String));
    }

    // The weak a.k.a. is for a person to review: high, no hold proposed.
    const weak = sanctions.find((f) => f.key === keyOf(ids.get(WEAK_ALIAS.id)!, WEAK_ALIAS.entry))!;
    expect(weak.severity).toBe('high');
    expect(weak.proposal).toBeNull();
    expect(weak.evidence[0]).toMatchObject({ band: 'review', listedName: { name: 'AO TD ROSEL', kind: 'aka', strength: 'weak' } });

    // Evidence: which name matched which listed name, the score, why; exposure per currency.
    const aero = sanctions.find((f) => f.supplierId === ids.get('SR-001'))!;
    expect(aero.evidence[0]).toMatchObject({
      type: 'sanctions_match',
      band: 'strong',
      list: { source: SOURCE, version: '2024-04-26' },
      entryId: '36',
      entryName: 'AEROCARIBBEAN AIRLINES',
      programs: ['CUBA'],
      supplierName: 'Aerocaribbean Airlines Ltd',
      screened: 'supplier name',
      listedName: { name: 'AEROCARIBBEAN AIRLINES', kind: 'primary', strength: 'strong' },
    });
    expect((aero.evidence[0] as { score: number }).score).toBeGreaterThanOrEqual(0.92);
    expect((aero.evidence[0] as { why: string[] }).why[0]).toMatch(/after removing legal suffix 'Ltd'/);
    expect(aero.evidence.slice(1)).toEqual([
      { type: 'exposure', currency: 'GBP', activeContractValue: '120000.00', openPurchaseOrders: '8000.00', unpaidInvoices: '0.00', trailing12MonthSpend: '18200.00', atStake: '128000.00' },
      { type: 'exposure', currency: 'USD', activeContractValue: '0.00', openPurchaseOrders: '0.00', unpaidInvoices: '5000.00', trailing12MonthSpend: '0.00', atStake: '5000.00' },
    ]);
    // 128,000 GBP + 5,000 USD at 0.79 (authority.yaml).
    expect(aero.currency).toBe('GBP');
    expect(aero.amount).toMatch(/^131950\.00(00)?$/);
    expect(aero.impact).toContain('128,000.00 GBP at stake');

    const viaAlias = sanctions.find((f) => f.supplierId === ids.get('SR-005'))!;
    expect(viaAlias.evidence[0]).toMatchObject({ supplierName: 'TRANSMASHHOLDING J.S.C.', screened: 'supplier alias', entryId: '45054' });
    expect(viaAlias.summary).toContain('recorded as "TRANSMASHHOLDING J.S.C."');
    const reordered = sanctions.find((f) => f.supplierId === ids.get('SR-004'))!;
    expect((reordered.evidence[0] as { entryType: string }).entryType).toBe('individual');

    // The clean suppliers, common words included, raise nothing.
    for (const [ext] of CLEAN) expect(sanctions.some((f) => f.supplierId === ids.get(ext))).toBe(false);
  }, 180_000);

  it('routes each hold to compliance; once approved the supplier is on hold and a new PO is refused', async () => {
    const aero = first.findings.find((f) => f.supplierId === ids.get('SR-001'))!;
    const approval = await approvals.get(aero.approvalId!);
    expect(approval).toMatchObject({ actionKind: 'put_supplier_on_hold', ruleId: 'supplier-hold', status: 'pending' });
    expect(JSON.stringify(approval!.route)).toContain('compliance');
    const refused = await approvals.decide({ approval: aero.approvalId!, user: IVY, decision: 'approve' });
    expect(refused.status).toBe('not_authorised');
    const decided = await approvals.decide({ approval: aero.approvalId!, user: HASSAN, decision: 'approve', reason: 'Same airline as the SDN entry' });
    expect(decided.status).toBe('recorded');
    if (decided.status !== 'recorded') return;
    expect(decided.final).toBe('approved');
    expect(decided.execution?.status).toBe('done');
    const [s] = await database.query<{ status: string }>('select status from suppliers where id = $1::uuid', [ids.get('SR-001')]);
    expect(s!.status).toBe('on_hold');
    const po = await approvals.submit({
      action: {
        kind: 'create_purchase_order',
        summary: 'Another charter',
        proposedBy: 'user',
        rationale: 'test',
        params: { supplierId: ids.get('SR-001') },
        amount: { value: '500.00', currency: 'GBP' },
      },
      requester: `ben.okafor@${D}`,
    });
    expect(po.outcome).toBe('deny');
  }, 60_000);

  it('does not raise a finding twice: the next run of the same list changes nothing', async () => {
    const again = await runMonitor(deps(), supplierRiskMonitor);
    expect(again.raised).toBe(0);
    expect(again.resolved).toBe(0);
    expect(again.findings.filter((f) => f.key.startsWith('sanctions:'))).toHaveLength(first.findings.filter((f) => f.key.startsWith('sanctions:')).length);
  }, 60_000);

  it('a newer list version raises exactly the suppliers it newly lists, through governance', async () => {
    const newer = join(dir, 'ofac_sdn_2024-05-10.csv');
    const original = await readFile(OFAC_FILE);
    await writeFile(newer, Buffer.concat([original, Buffer.from(`${ADDED.join('\r\n')}\r\n`, 'latin1')]));
    const imported = await runImport({ database }, 'sanctions', newer);
    expect(imported.imported).toBe(14_668 + ADDED.length);
    const lists = await database.query<{ version: string }>('select version from sanctions_lists order by id');
    expect(lists.map((l) => l.version)).toEqual(['2024-04-26', '2024-05-10']);
    const holdsBefore = (await approvals.list()).filter((a) => a.actionKind === 'put_supplier_on_hold').length;

    const second = await runMonitor(deps(), supplierRiskMonitor);
    const before = new Set(first.findings.map((f) => f.key));
    const raised = second.findings.filter((f) => !before.has(f.key));
    expect(raised.map((f) => f.key).sort()).toEqual([keyOf(ids.get('SR-014')!, '99990001'), keyOf(ids.get('SR-016')!, '99990002')].sort());
    expect(second.raised).toBe(2);
    for (const f of raised) {
      expect(f.severity).toBe('critical');
      expect(f.evidence[0]).toMatchObject({ list: { source: SOURCE, version: '2024-05-10' } });
      expect(f.decision).toMatchObject({ outcome: 'needs_approval', ruleId: 'supplier-hold' });
    }
    // "Global Trading Ltd" does not match GLOBAL TRADING HOUSE ZENITH LLC on its common words.
    expect(second.findings.some((f) => f.supplierId === ids.get('SR-010'))).toBe(false);
    // The suppliers the older version already listed are not raised again (nor proposed again).
    const holdsAfter = (await approvals.list()).filter((a) => a.actionKind === 'put_supplier_on_hold').length;
    expect(holdsAfter - holdsBefore).toBe(2);
    expect(second.resolved).toBe(0);
  }, 180_000);

  describe('risk signals', () => {
    const post = (body: unknown, token: string | null = TOKEN) =>
      fetch(`http://127.0.0.1:${server.port}/signals`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const signalCount = async () => Number((await database.query<{ n: number }>('select count(*)::int as n from risk_signals'))[0]!.n);

    it('refuses a request without the token (401) and invalid signals with readable per-item errors (400)', async () => {
      const ok = { supplier: 'SR-012', kind: 'financial', severity: 2, title: 'Late filing' };
      expect((await post(ok, null)).status).toBe(401);
      expect((await post(ok, 'wrong')).status).toBe(401);
      expect((await post('{not json')).status).toBe(400);
      const res = await post([ok, { supplier: 'SR-012', kind: 'weather', severity: 9 }, { supplier: 'SR-012', kind: 'financial', severity: 3, title: 'x', observedAt: '2030-01-01' }]);
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.error).toBe('invalid_signals');
      expect(body.problems).toEqual([
        { index: 1, errors: expect.arrayContaining([expect.stringMatching(/^kind must be one of financial, /), 'severity must be a whole number from 1 to 5', 'title is required']) },
        { index: 2, errors: [expect.stringMatching(/observedAt .* is in the future/)] },
      ]);
      expect(await signalCount()).toBe(0);
    });

    it('stores signals, matches them by external id, name or alias, and raises only those above the exposure-weighted threshold', async () => {
      const res = await post([
        // £250,000 active contract with service levels: 4 × 1.5 × 1.25 = 7.5 ≥ 5.
        { supplier: 'SR-012', kind: 'financial', severity: 4, title: 'Profit warning; credit rating cut to CCC', source: 'Credit feed', externalId: 'feed-1', observedAt: day(-2) },
        // Nothing at stake with Eversheds: 5 × 0.5 = 2.5.
        { supplier: 'Eversheds LLP', kind: 'regulatory', severity: 5, title: 'Regulator opens an investigation', externalId: 'feed-2' },
        { supplier: 'Nonexistent Widgets GmbH', kind: 'operational', severity: 3, title: 'Factory fire' },
        // A sanctions signal on the same supplier, by a variant of its name: critical, and a hold is proposed.
        { supplier: 'BANNER BUSINESS SUPPLIES LIMITED', kind: 'sanctions', severity: 5, title: 'Parent company designated by the EU', externalId: 'feed-3' },
        // Old news: outside the 90-day window.
        { supplier: 'SR-012', kind: 'operational', severity: 5, title: 'Warehouse strike', externalId: 'feed-4', observedAt: day(-200) },
      ]);
      expect(res.status).toBe(202);
      const body = await res.json();
      expect(body).toMatchObject({ stored: 5, duplicates: 0 });
      const [credit, regulator, unknown, sanction, old] = body.signals;
      expect(credit).toMatchObject({ status: 'stored', supplier: { id: ids.get('SR-012'), matchedBy: 'external_id' }, alert: true, score: { value: 7.5, threshold: 5 } });
      expect(credit.score.explanation).toMatch(/severity 4 × exposure weight 1.5 \(250,000.00 GBP at stake\) × criticality 1.25 \(active contract "Office supplies with service levels" has service levels\) = 7.5/);
      expect(credit.finding).toMatchObject({ key: `signal:${credit.id}`, severity: 'high', status: 'open' });
      expect(regulator).toMatchObject({ supplier: { name: 'Eversheds LLP', matchedBy: 'name' }, alert: false, score: { value: 2.5 } });
      expect(regulator.finding).toBeUndefined();
      expect(unknown).toMatchObject({ supplier: null, alert: false, unmatched: { reason: expect.stringContaining('Nonexistent Widgets GmbH') } });
      expect(sanction).toMatchObject({ supplier: { id: ids.get('SR-012') }, alert: true, finding: { severity: 'critical', approval: { outcome: 'needs_approval', ruleId: 'supplier-hold' } } });
      expect(old).toMatchObject({ alert: false, note: expect.stringContaining('90-day window') });
      expect(body.alerts.map((a: { id: string }) => a.id).sort()).toEqual([credit.id, sanction.id].sort());

      const [finding] = await database.query<{ route_to: string[]; evidence: Record<string, unknown>[] }>(
        'select route_to, evidence from findings where key = $1',
        [`signal:${credit.id}`],
      );
      expect(finding!.route_to).toEqual(['finance', 'procurement_manager']);
      expect(finding!.evidence[0]).toMatchObject({ type: 'risk_signal', externalId: 'feed-1', severity: 4, source: 'Credit feed' });

      // The same signal again is a duplicate: nothing new stored or raised.
      const again = await (await post({ supplier: 'SR-012', kind: 'financial', severity: 4, title: 'Profit warning; credit rating cut to CCC', externalId: 'feed-1' })).json();
      expect(again).toMatchObject({ stored: 0, duplicates: 1, monitor: { raised: 0 } });
      expect(again.signals[0]).toMatchObject({ id: credit.id, status: 'duplicate', alert: true });
    }, 60_000);

    it('imports signals from a CSV file: rejected lines reported, a re-import adds nothing, findings follow on the next run', async () => {
      const path = join(dir, 'signals.csv');
      await writeFile(
        path,
        csv([
          ['Supplier', 'Type', 'Severity', 'Headline', 'Date', 'Reference'],
          ['SR-012', 'Operational', '5', 'Distribution centre flooded', day(-1).split('-').reverse().join('/'), 'csv-1'],
          ['Eversheds LLP', 'financial', 'high', 'Downgrade', day(-1), 'csv-2'],
          ['Global Trading Ltd', 'geopolitical', '2', 'Port closures in the region', day(-3), 'csv-3'],
        ]),
      );
      const report = await runImport({ database }, 'signals', path);
      expect(report).toMatchObject({ read: 3, imported: 2, duplicates: 0 });
      expect(report.rejected).toEqual([expect.objectContaining({ line: 3, reason: 'severity must be a whole number from 1 to 5' })]);
      expect((await runImport({ database }, 'signals', path)).imported).toBe(0);
      const run = await runMonitor(deps(), supplierRiskMonitor);
      const [flood] = await database.query<{ id: string }>("select id::text from risk_signals where external_id = 'csv-1'");
      const [port] = await database.query<{ id: string }>("select id::text from risk_signals where external_id = 'csv-3'");
      expect(run.findings.find((f) => f.key === `signal:${flood!.id}`)).toMatchObject({ severity: 'critical', routeTo: ['procurement_manager', 'buyer'] });
      expect(run.findings.some((f) => f.key === `signal:${port!.id}`)).toBe(false);
      expect((await verifyLedger(database)).ok).toBe(true);
    }, 60_000);
  });
});

// `qm import sanctions` runs the monitor when it brings in a new list version; the same file again does not.
describe('qm import sanctions re-screens the suppliers', () => {
  it('reports the findings raised by a new list version in its --json summary', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qm-risk-cli-'));
    try {
      const env = { ...process.env, DATABASE_URL: '', QM_DATA_DIR: join(dir, 'db'), QM_LOG_LEVEL: 'warn', QM_JOBS: 'off' };
      // The built CLI (npm test builds first): compiling the sources on the fly is slow on a loaded machine.
      const qm = (...args: string[]) =>
        spawnSync(process.execPath, [projectPath('bin', 'qm.js'), ...args], { env, cwd: projectPath(), encoding: 'utf8', timeout: 240_000 });
      const suppliers = join(dir, 'suppliers.csv');
      await writeFile(suppliers, 'Name,External ID\nAerocaribbean Airlines Ltd,SUP-1\nGlobal Trading Ltd,SUP-2\n');
      expect(qm('import', 'suppliers', suppliers, '--json').status).toBe(0);
      const imported = qm('import', 'sanctions', OFAC_FILE, '--json');
      expect(imported.status).toBe(0);
      const summary = JSON.parse(imported.stdout);
      expect(summary).toMatchObject({ kind: 'sanctions', imported: 14_668, monitor: { name: 'supplier-risk', raised: 1 } });
      expect(summary.monitor.findings[0]).toMatch(/^\[critical\] Sanctions match: Aerocaribbean Airlines Ltd — OFAC SDN entry 36 AEROCARIBBEAN AIRLINES \(approval #1\)$/);
      const again = JSON.parse(qm('import', 'sanctions', OFAC_FILE, '--json').stdout);
      expect(again.imported).toBe(0);
      expect(again.monitor).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
