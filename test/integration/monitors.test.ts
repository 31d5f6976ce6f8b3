// The monitors on the demo organisation, on real databases: each finds its planted cases, raises each once
// (a second run raises nothing and keeps the same findings), routes it to the role that must act, puts its
// proposal through governance (an approval under the expected rule), closes it when the condition goes away,
// and audits every step. The three-way match also holds invoices with exceptions and releases those within
// tolerance through the outbox. The monitors run as jobs too. Every suite ends with the audit chain verified.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApprovalEvent, createNotifier } from '../../src/approvals/notify.js';
import type { ApprovalService } from '../../src/approvals/service.js';
import type { App } from '../../src/runtime.js';
import { openTestApp } from '../helpers/app.js';
import { verifyLedger } from '../../src/audit/verify.js';
import type { Database } from '../../src/db/client.js';
import { findFinding, listFindings } from '../../src/db/findings.js';
import { loadDemo } from '../../src/demo/load.js';
import { PLANTED } from '../../src/demo/organisation.js';
import { runImport } from '../../src/imports/run.js';
import { openJobQueue } from '../../src/jobs/queue.js';
import { silentLogger } from '../../src/log.js';
import { MONITOR_QUEUES, requestMonitorRun, startMonitorJobs } from '../../src/monitors/jobs.js';
import { monitors } from '../../src/monitors/registry.js';
import { dismiss } from '../../src/monitors/dismiss.js';
import { type MonitorRunReport, runMonitor, type StoredFinding } from '../../src/monitors/runner.js';
import { projectPath } from '../../src/paths.js';
import { testDatabases } from '../helpers/databases.js';

const TODAY = new Date('2026-11-27T12:00:00Z');
const DAY = 86_400_000;
const D = 'demo.quartermaster.dev';
const user = (local: string) => `${local}@${D}`;
const ALICE = user('alice.moreno'); // requester
const BEN = user('ben.okafor'); // buyer
const CARLA = user('carla.nguyen'); // receiver
const ERIN = user('erin.walsh'); // finance, owner of the Refinitiv contract
const GRACE = user('grace.lin'); // legal
const IVY = user('ivy.patel'); // procurement manager
const JONAS = user('jonas.berg'); // requester

describe.each(testDatabases)('monitors on $name', ({ open }) => {
  let database: Database;
  let qm: App | undefined;
  let service: ApprovalService;
  type Notice = { text: string; to?: { email: string }[] };
  const notices: Notice[] = [];

  const run = (name: string, at: Date = TODAY): Promise<MonitorRunReport> =>
    runMonitor({ database, log: silentLogger, now: () => at, approvals: service, policyDir: projectPath('policies') }, monitors.get(name)!);

  const count = async (sql: string, params: unknown[] = []) => {
    const [row] = await database.query<Record<string, unknown>>(sql, params);
    return Number(Object.values(row!)[0]);
  };

  const invoice = async (number: string) => {
    const [row] = await database.query<{ id: string; status: string }>('select id::text, status from invoices where invoice_number = $1', [number]);
    return row!;
  };

  const approvalOf = async (f: StoredFinding) => {
    expect(f.approvalId, `${f.key} has an approval`).toBeTruthy();
    return (await service.get(f.approvalId!))!;
  };

  const noticeFor = (f: StoredFinding) => notices.find((n) => n.text.includes(`(finding ${f.id})`));

  const events = (action: string, subjectId: string) =>
    database.query<{ data: Record<string, unknown>; rationale: string }>('select data, rationale from audit_events where action = $1 and subject_id = $2 order by seq', [
      action,
      subjectId,
    ]);

  beforeAll(async () => {
    database = await open();
    await loadDemo({ database, log: silentLogger, today: TODAY });
    const notifier = createNotifier();
    notifier.subscribe((e: ApprovalEvent) => {
      if (e.type === 'notice') notices.push({ text: e.text, ...(e.to ? { to: e.to } : {}) });
    });
    qm = await openTestApp(database, { notifier });
    service = await qm.approvals();
  }, 180_000);

  afterAll(async () => {
    await qm?.close();
    await database?.close();
  });

  describe('three-way match', () => {
    let first: MonitorRunReport;
    const byKind = (kind: string, invoiceId: string) => first.findings.find((f) => f.key.startsWith(`invoice:${invoiceId}:${kind}`));

    beforeAll(async () => {
      first = await run('three-way-match');
    });

    it('raises each planted exception once, routed to the role that can fix it, with a release through governance', async () => {
      const dl = await invoice(PLANTED.priceVariance.invoice);
      const nb = await invoice('NB-22817');
      const apx = await invoice(PLANTED.duplicateInvoice.invoices[1]);
      const hl = await invoice(PLANTED.missingPo.invoice);
      const gl = await invoice(PLANTED.missingReceipt.invoice);

      const price = byKind('price', dl.id)!;
      expect(price).toMatchObject({ status: 'open', routeTo: ['buyer'], amount: '1150.00', currency: 'GBP', subjectType: 'invoice', subjectId: dl.id });
      expect(price.key).toBe(`invoice:${dl.id}:price:1`);
      expect(price.summary).toContain(`${PLANTED.priceVariance.invoice} bills "Latitude 5440 laptop" at 1,265.00 GBP against 1,150.00 GBP on ${PLANTED.priceVariance.po}`);
      expect(noticeFor(price)?.to?.map((u) => u.email)).toEqual([BEN, IVY]); // the PO's buyer first, then every buyer

      const quantity = byKind('quantity', nb.id)!;
      expect(quantity).toMatchObject({ routeTo: ['receiver'], amount: '64.00' }); // 20 reams at 3.20
      expect(quantity.evidence).toContainEqual(expect.objectContaining({ source: 'goods_receipt', receipt: 'GR-5003', quantity: '80' }));
      expect(noticeFor(quantity)?.to?.map((u) => u.email)).toEqual([CARLA]); // who received the goods (the only receiver)

      // The second Apex invoice bills the one month already invoiced and received: a quantity exception too.
      const twice = byKind('quantity', apx.id)!;
      expect(twice.summary).toContain(`with ${PLANTED.duplicateInvoice.invoices[0]} before it`);

      const missingPo = byKind('missing-po', hl.id)!;
      expect(missingPo.routeTo).toEqual(['requester']);
      expect(missingPo.summary).toContain(PLANTED.missingPo.likelyPo);
      expect(noticeFor(missingPo)?.to?.map((u) => u.email)).toEqual([CARLA, ALICE, JONAS]); // requester of the likely PO, then requesters

      const receipt = byKind('receipt', gl.id)!;
      expect(receipt).toMatchObject({ routeTo: ['requester'], amount: '750.00' });
      expect(noticeFor(receipt)?.to?.map((u) => u.email)).toEqual([JONAS, ALICE]);

      const exceptions = [price, quantity, twice, missingPo, receipt];
      for (const f of exceptions) {
        expect(f.proposal).toMatchObject({ kind: 'release_invoice', proposedBy: 'monitor:three-way-match', params: { invoiceId: f.subjectId } });
        const a = await approvalOf(f);
        expect(a).toMatchObject({ status: 'pending', actionKind: 'release_invoice', ruleId: 'invoice-release-under-25k', proposedBy: 'monitor:three-way-match' });
        expect(a.route.map((l) => l.roles)).toEqual([['finance']]);
        expect(f.decision).toMatchObject({ outcome: 'needs_approval', ruleId: 'invoice-release-under-25k' });
        const raised = await events('finding_raised', f.id);
        expect(raised).toHaveLength(1);
        expect(raised[0]!.rationale).toBe(`${f.summary} ${f.impact}`);
      }
      // Every exception's invoice is held, through the outbox, by the monitor.
      const statuses = await database.query<{ status: string }>('select status from invoices where id = any($1::uuid[])', [[dl.id, nb.id, apx.id, hl.id, gl.id]]);
      expect(statuses.map((r) => r.status)).toEqual(['held', 'held', 'held', 'held', 'held']);
      expect(await count(`select count(*) from action_outbox where kind = 'hold_invoice' and authorised_by = 'monitor:three-way-match' and status = 'done'`)).toBe(5);
      expect(first).toMatchObject({ raised: 6, updated: 0, unchanged: 0, resolved: 0 });
    });

    it('releases invoices within tolerance through the outbox, with the policy decision in the ledger', async () => {
      for (const n of ['GL-3309', PLANTED.duplicateInvoice.invoices[0]]) {
        const inv = await invoice(n);
        expect(inv.status).toBe('approved');
        const [decision] = await events('policy_decision', inv.id);
        expect(decision!.data).toMatchObject({
          outcome: 'auto',
          ruleId: 'three-way-match-within-tolerance',
          actionKind: 'release_invoice',
          proposedBy: 'monitor:three-way-match',
          matrixRule: 'invoice-release-under-25k',
          tolerances: { pricePercent: '2', quantity: '0', amount: '50.00' },
        });
        const [executed] = await database.query<{ data: Record<string, unknown> }>(
          `select data from audit_events where action = 'action_executed' and data ->> 'kind' = 'release_invoice' and data -> 'result' ->> 'invoiceId' = $1`,
          [inv.id],
        );
        expect(executed!.data).toMatchObject({ authorisedBy: 'tolerance:three-way-match', proposedBy: 'monitor:three-way-match' });
      }
      // Within tolerance but above what the matrix lets go without a person: proposed to finance, then the CFO.
      const big = await invoice('DL-90377');
      expect(big.status).toBe('received');
      const release = first.findings.find((f) => f.key === `invoice:${big.id}:release`)!;
      expect(release).toMatchObject({ severity: 'info', routeTo: ['finance'] });
      const a = await approvalOf(release);
      expect(a.ruleId).toBe('invoice-release-25k-plus');
      expect(a.route.map((l) => l.roles)).toEqual([['finance'], ['cfo']]);
    });

    it('raises nothing new on a second run: same findings, no second proposal, nothing released twice', async () => {
      const approvals = await count('select count(*) from approvals');
      const outbox = await count('select count(*) from action_outbox');
      const again = await run('three-way-match');
      expect(again).toMatchObject({ raised: 0, updated: 0, unchanged: 6, resolved: 0 });
      expect(again.findings.map((f) => f.id).sort()).toEqual(first.findings.map((f) => f.id).sort());
      expect(again.findings.every((f) => f.seenCount === 2)).toBe(true);
      expect(await count('select count(*) from approvals')).toBe(approvals);
      expect(await count('select count(*) from action_outbox')).toBe(outbox);
    });

    it('closes a finding when its condition goes away: the release is approved, the missing goods are received', async () => {
      const dl = await invoice(PLANTED.priceVariance.invoice);
      const price = first.findings.find((f) => f.key === `invoice:${dl.id}:price:1`)!;
      const decided = await service.decide({ approval: price.approvalId!, user: ERIN, decision: 'approve', reason: 'Price rise agreed by the buyer' });
      expect(decided).toMatchObject({ status: 'recorded', final: 'approved' });
      expect((await invoice(PLANTED.priceVariance.invoice)).status).toBe('approved');

      // The 20 missing reams arrive and are receipted through the ordinary import.
      const dir = await mkdtemp(join(tmpdir(), 'qm-monitors-'));
      try {
        const file = join(dir, 'receipts.csv');
        await writeFile(file, `receipt_number,po_number,line_no,quantity,received_date,receiver\nGR-5009,${PLANTED.quantityMismatch.po},1,20,2026-11-26,${CARLA}\n`);
        expect((await runImport({ database, log: silentLogger }, 'receipts', file)).imported).toBe(1);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      const nb = await invoice('NB-22817');
      const quantity = first.findings.find((f) => f.key === `invoice:${nb.id}:quantity:1`)!;

      const after = await run('three-way-match');
      expect(after.resolved).toBe(2);
      const closed = await listFindings(database, { monitor: 'three-way-match', status: 'resolved' });
      expect(closed.map((f) => f.id).sort()).toEqual([price.id, quantity.id].sort());
      expect(closed.every((f) => f.resolvedAt !== null)).toBe(true);
      expect(await events('finding_resolved', price.id)).toHaveLength(1);
      // The paper invoice now matches but is held: its release waits on the approval already asked for.
      expect(after.raised).toBe(1);
      const ready = after.findings.find((f) => f.key === `invoice:${nb.id}:release`)!;
      expect(ready.approvalId).toBe(quantity.approvalId);
      expect((await invoice('NB-22817')).status).toBe('held');
    });
  });

  describe('spend anomalies', () => {
    let first: MonitorRunReport;
    const kind = (prefix: string) => first.findings.filter((f) => f.key.startsWith(prefix));

    beforeAll(async () => {
      first = await run('spend-anomalies');
    });

    it('finds exactly the planted anomalies in the last year, each with money at stake, evidence and a recommendation', async () => {
      expect(first.raised).toBe(5);
      const [dup] = kind('duplicate:invoices:');
      expect(dup).toMatchObject({ routeTo: ['finance'], amount: PLANTED.duplicateInvoice.amount, severity: 'high' });
      expect(dup!.evidence.map((e) => e.invoiceNumber)).toEqual(expect.arrayContaining([...PLANTED.duplicateInvoice.invoices]));
      expect(noticeFor(dup!)?.to?.map((u) => u.email)).toEqual([ERIN]);

      const [split] = kind('split:10000:');
      expect(split).toMatchObject({ routeTo: ['procurement_manager'], amount: '19850.00' });
      expect(split!.evidence.map((e) => e.amount).sort()).toEqual(PLANTED.splitPurchase.amounts.map((a) => `${a}00`).sort());
      expect(split!.summary).toContain('under the 10,000.00 GBP approval threshold');

      const [price] = kind('price:');
      expect(price).toMatchObject({ routeTo: ['buyer'], amount: '1150.00' });
      const off = kind('off-contract:');
      expect(off.map((f) => f.title).sort()).toEqual([
        'Kestrel Security Services Ltd paid after its contract ended: 7,450.00 GBP',
        'Off-contract spend with Staples UK Ltd: 1,240.00 GBP',
      ]);
      expect(off.every((f) => f.routeTo[0] === 'procurement_manager')).toBe(true);
      for (const f of first.findings) {
        expect(f.amount).not.toBeNull();
        expect(f.evidence.length).toBeGreaterThan(0);
        expect(f.recommendation.length).toBeGreaterThan(20);
      }
    });

    it('proposes rejecting the unsettled duplicate invoice, through governance to finance', async () => {
      const [dup] = kind('duplicate:invoices:');
      const later = await invoice(PLANTED.duplicateInvoice.invoices[1]);
      expect(dup!.proposal).toMatchObject({ kind: 'reject_invoice', params: { invoiceId: later.id } });
      const a = await approvalOf(dup!);
      expect(a).toMatchObject({ actionKind: 'reject_invoice', ruleId: 'invoice-reject', status: 'pending', proposedBy: 'monitor:spend-anomalies' });
      expect(a.route.map((l) => l.roles)).toEqual([['finance']]);
    });

    it('raises nothing new on a second run, and resolves findings that leave the look-back window', async () => {
      const again = await run('spend-anomalies');
      expect(again).toMatchObject({ raised: 0, updated: 0, unchanged: 5, resolved: 0 });
      expect(again.findings.map((f) => f.id).sort()).toEqual(first.findings.map((f) => f.id).sort());
      const later = await run('spend-anomalies', new Date(TODAY.getTime() + 400 * DAY));
      expect(later).toMatchObject({ raised: 0, resolved: 5 });
    });
  });

  describe('renewal deadlines', () => {
    const contract = async () => {
      const [row] = await database.query<{ id: string }>('select id::text from contracts where contract_number = $1', [PLANTED.noticeDeadline.contract]);
      return row!.id;
    };

    it('raises a finding for the owner as the notice deadline enters each window, more urgent each time', async () => {
      const id = await contract();
      const early = await run('renewal-deadlines', new Date(TODAY.getTime() - 10 * DAY)); // deadline 40 days away
      expect(early.raised).toBe(1);
      const f90 = early.findings[0]!;
      expect(f90).toMatchObject({ key: `contract:${id}:notice:2026-12-27:90`, severity: 'warning', routeTo: ['procurement_manager'], amount: '186000.00', subjectId: id });
      expect(f90.summary).toContain('must be given by 2026-12-27, or it renews automatically');
      expect(f90.evidence).toContainEqual(expect.objectContaining({ source: 'spend', currency: 'GBP' }));
      expect(f90.evidence).toContainEqual(expect.objectContaining({ source: 'price_compliance' }));
      expect(f90.evidence).toContainEqual(expect.objectContaining({ source: 'supplier_risk', risk: 'low' }));
      expect(noticeFor(f90)?.to?.map((u) => u.email)).toEqual([ERIN, IVY]); // the contract owner, then the procurement manager
      const a = await approvalOf(f90);
      expect(a).toMatchObject({ actionKind: 'review_contract_renewal', ruleId: 'contract-renewal-review', status: 'pending' });
      expect(a.action.params).toMatchObject({ contractId: id, deadline: '2026-12-27' });
      expect(a.route.map((l) => l.roles)).toEqual([['procurement_manager']]);

      const now = await run('renewal-deadlines'); // 30 days away
      expect(now).toMatchObject({ raised: 1, resolved: 1 });
      const f30 = now.findings[0]!;
      expect(f30).toMatchObject({ key: `contract:${id}:notice:2026-12-27:30`, severity: 'high' });
      expect(f30.id).not.toBe(f90.id);
      expect(f30.approvalId).toBe(f90.approvalId); // the review already asked for stands
      expect(await run('renewal-deadlines')).toMatchObject({ raised: 0, unchanged: 1, resolved: 0 });

      const last = await run('renewal-deadlines', new Date(TODAY.getTime() + 25 * DAY));
      expect(last.findings[0]).toMatchObject({ key: `contract:${id}:notice:2026-12-27:7`, severity: 'critical' });
    });

    it('closes the finding once the contract is renewed through governance', async () => {
      const id = await contract();
      const renewal = await service.submit({
        action: { kind: 'renew_contract', summary: 'Renew the Eikon contract for 12 months', proposedBy: 'user', rationale: 'Still needed', params: { contractId: id, months: 12 } },
        requester: ERIN,
      });
      expect(renewal.ruleId).toBe('contract-change');
      await service.decide({ approval: renewal.approval!.id, user: GRACE, decision: 'approve' });
      const done = await service.decide({ approval: renewal.approval!.id, user: IVY, decision: 'approve' });
      expect(done).toMatchObject({ status: 'recorded', final: 'approved' });
      const after = await run('renewal-deadlines', new Date(TODAY.getTime() + 25 * DAY));
      expect(after).toMatchObject({ raised: 0, resolved: 1 });
      expect(await listFindings(database, { monitor: 'renewal-deadlines', status: 'open' })).toEqual([]);
    });
  });

  it('audits one monitor_run per run, and runs monitors as jobs', async () => {
    const runs = () => count(`select count(*) from audit_events where action = 'monitor_run' and subject_id = 'renewal-deadlines'`);
    const before = await runs();
    expect(before).toBe(5);
    const queue = await openJobQueue({ database, log: silentLogger, queues: MONITOR_QUEUES, pollSeconds: 0.5 });
    try {
      await startMonitorJobs(queue, { database, log: silentLogger, now: () => new Date(), approvals: service, policyDir: projectPath('policies') });
      await requestMonitorRun(queue, 'renewal-deadlines');
      const deadline = Date.now() + 30_000;
      while ((await runs()) === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      expect(await runs()).toBe(before + 1);
    } finally {
      await queue.stop();
    }
  });

  it('lets the routed role dismiss a false alarm, which is then never raised again', async () => {
    await run('spend-anomalies');
    const [staples] = (await listFindings(database, { monitor: 'spend-anomalies', status: 'open' })).filter((f) => !f.routeTo.includes('buyer'));
    expect(staples, 'an open finding not routed to buyers').toBeDefined();
    const refused = await dismiss(database, staples!.id, BEN, 'looks fine to me');
    expect(refused).toMatchObject({ ok: false });
    expect(refused.message).toMatch(/may not dismiss/);
    expect((await dismiss(database, staples!.id, IVY, '')).ok).toBe(false);
    const done = await dismiss(database, staples!.id, IVY, 'Framework call-off agreed with legal; not maverick spend');
    expect(done.ok).toBe(true);
    const again = await run('spend-anomalies');
    expect(again.raised).toBe(0);
    expect((await findFinding(database, staples!.id))?.status).toBe('dismissed');
    expect(
      await count(`select count(*) from audit_events where action = 'finding_resolved' and subject_id = $1 and data ->> 'dismissed' = 'true'`, [staples!.id]),
    ).toBe(1);
  });

  it('leaves a valid audit chain', async () => {
    expect((await verifyLedger(database)).ok).toBe(true);
  });
});
