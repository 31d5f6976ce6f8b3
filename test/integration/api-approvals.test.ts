// /api/approvals over real HTTP: guarded like MCP (bearer token), lists what a user may decide, and decides
// with the same enforcement as every other channel (403 for the wrong person, 409 once decided).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalService } from '../../src/approvals/service.js';
import type { App } from '../../src/runtime.js';
import { openTestApp } from '../helpers/app.js';
import type { Database } from '../../src/db/client.js';
import { loadDemo } from '../../src/demo/load.js';
import { createHttpApp } from '../../src/http/app.js';
import { listen, type RunningServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/log.js';
import { testDatabases } from '../helpers/databases.js';
import { requestDellPurchase } from '../helpers/purchases.js';

const TOKEN = 'approvals-token-0123456789';
const D = 'demo.quartermaster.dev';

describe.each(testDatabases)('/api/approvals on $name', ({ open }) => {
  let database: Database;
  let qm: App | undefined;
  let approvals: ApprovalService;
  let server: RunningServer;
  let number: number;

  beforeAll(async () => {
    database = await open();
    await loadDemo({ database, log: silentLogger });
    qm = await openTestApp(database);
    approvals = await qm.approvals();
    const app = createHttpApp({ database, log: silentLogger, mcp: { token: TOKEN, allowedHosts: [] }, approvals });
    server = await listen(app, { port: 0, host: '127.0.0.1', log: silentLogger });
    number = await requestPurchase(10, 'monitors', '2400.00');
  }, 180_000);

  const requestPurchase = (quantity: number, item: string, value: string) => requestDellPurchase(database, approvals, quantity, item, value);

  afterAll(async () => {
    await server?.close();
    await qm?.close();
    await database?.close();
  });

  const call = (path: string, init: { method?: string; body?: unknown; token?: string | null } = {}) =>
    fetch(`http://127.0.0.1:${server.port}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', ...(init.token === null ? {} : { authorization: `Bearer ${init.token ?? TOKEN}` }) },
      ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
    });

  it('refuses callers without the token', async () => {
    expect((await call('/api/approvals', { token: null })).status).toBe(401);
    expect((await call('/api/approvals', { token: 'wrong' })).status).toBe(401);
    expect((await call(`/api/approvals/${number}/decisions`, { method: 'POST', token: 'wrong', body: { as: `mia.santos@${D}`, decision: 'approve' } })).status).toBe(401);
    expect((await approvals.get(String(number)))?.status).toBe('pending');
  });

  it('lists what a user may decide now, with the card', async () => {
    const mia = await (await call(`/api/approvals?as=${encodeURIComponent(`mia.santos@${D}`)}`)).json();
    expect(mia.approvals.map((a: { number: number }) => a.number)).toEqual([number]);
    expect(mia.approvals[0].card.buttons.map((b: { verb: string }) => b.verb)).toEqual(['approve', 'reject', 'request_changes']);
    const ben = await (await call(`/api/approvals?as=${encodeURIComponent(`ben.okafor@${D}`)}`)).json();
    expect(ben.approvals).toEqual([]);
    expect((await call('/api/approvals?status=nonsense')).status).toBe(400);
    expect((await call('/api/approvals?as=nobody@example.com')).status).toBe(400);
    expect((await call('/api/approvals/999999')).status).toBe(404);
  });

  it('decides with the same enforcement as every channel', async () => {
    expect((await call(`/api/approvals/${number}/decisions`, { method: 'POST', body: '{not json' })).status).toBe(400);
    expect((await call(`/api/approvals/${number}/decisions`, { method: 'POST', body: { as: `mia.santos@${D}`, decision: 'maybe' } })).status).toBe(400);
    const wrong = await call(`/api/approvals/${number}/decisions`, { method: 'POST', body: { as: `ben.okafor@${D}`, decision: 'approve' } });
    expect(wrong.status).toBe(403);
    expect((await wrong.json()).message).toMatch(/budget holder/);
    const right = await call(`/api/approvals/${number}/decisions`, { method: 'POST', body: { as: `mia.santos@${D}`, decision: 'approve' } });
    expect(right.status).toBe(200);
    const body = await right.json();
    expect(body).toMatchObject({ status: 'recorded', approval: { status: 'approved' }, execution: { status: 'done', kind: 'create_purchase_order' } });
    const again = await call(`/api/approvals/${number}/decisions`, { method: 'POST', body: { as: `daniel.reyes@${D}`, decision: 'approve' } });
    expect(again.status).toBe(409);
    expect((await again.json()).message).toMatch(new RegExp(`^Approval #${number} was already approved by Mia Santos \\(mia\\.santos@${D}\\) at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\.$`));
  });

  it('answers a repeated decision and a decision on a closed level with 409, saying who decided and when', async () => {
    const n = await requestPurchase(200, 'laptops', '250000.00');
    const decide = (as: string) => call(`/api/approvals/${n}/decisions`, { method: 'POST', body: { as: `${as}@${D}`, decision: 'approve' } });
    const first = await decide('daniel.reyes');
    expect(first.status).toBe(200);
    const at = String((await first.json()).approval.decisions[0].at);
    const when = `${at.slice(0, 16).replace('T', ' ')} UTC`;

    const repeat = await decide('daniel.reyes');
    expect(repeat.status).toBe(409);
    expect(await repeat.json()).toMatchObject({
      status: 'already_decided',
      message: `You already approved this at ${when} (approval #${n}, Level 1: budget holder); it now waits for Level 2: procurement manager.`,
      approval: { status: 'pending', currentLevel: 1 },
    });
    const late = await decide('mia.santos');
    expect(late.status).toBe(409);
    expect((await late.json()).message).toBe(
      `Level 1: budget holder of approval #${n} was already approved by Daniel Reyes (daniel.reyes@${D}) at ${when}; it now waits for Level 2: procurement manager.`,
    );
    // Someone who could never decide here is still refused as such.
    expect((await decide('ben.okafor')).status).toBe(403);
    expect((await approvals.get(String(n)))?.decisions).toHaveLength(1);
  });
});
