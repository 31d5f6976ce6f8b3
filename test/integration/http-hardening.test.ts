// The HTTP surface attacked from loopback, in the default configuration (no QM_MCP_TOKEN): another local origin,
// a relay through a same-host proxy, impersonation with `as`, NUL bytes and oversized bodies. Each case checks
// that nothing was decided or stored, not just the status code.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalService } from '../../src/approvals/service.js';
import type { App } from '../../src/runtime.js';
import { openTestApp } from '../helpers/app.js';
import { createToken, revokeToken } from '../../src/access/tokens.js';
import type { Database } from '../../src/db/client.js';
import { loadDemo } from '../../src/demo/load.js';
import { createHttpApp } from '../../src/http/app.js';
import { listen, type RunningServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/log.js';
import type { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import { testDatabases } from '../helpers/databases.js';
import { requestDellPurchase } from '../helpers/purchases.js';

const D = 'demo.quartermaster.dev';
const LOCAL = 'qm_local_test-credential-0123456789abcdef';

type Sent = { status: number; body: string; json: () => Record<string, unknown> };

/**
 * One request with exactly these headers (Host and Origin included), over a real socket. A body is written in
 * 64 KB chunks and writing stops as soon as the server answers, or after `stopAfter` bytes (a client that
 * keeps sending after a 413 gets its connection reset); `chunked` sends it without a Content-Length.
 */
function send(
  port: number,
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean; stopAfter?: number } = {},
): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const body = opts.body === undefined ? undefined : Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(opts.body);
    let answered = false;
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        headers: {
          host: `127.0.0.1:${port}`,
          ...(body && !opts.chunked ? { 'content-length': String(body.length) } : {}),
          ...opts.headers,
        },
      },
      (res) => {
        answered = true;
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          data += d;
        });
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: data, json: () => JSON.parse(data) as Record<string, unknown> });
          req.destroy();
        });
      },
    );
    req.on('error', (err) => {
      // The server may close the socket after answering 413 while the body is still being written.
      if (!answered) reject(new Error(`${method} ${path}${opts.chunked ? ' (chunked)' : ''}: ${err.message}`));
    });
    if (!body) {
      req.end();
      return;
    }
    let offset = 0;
    const write = () => {
      const until = Math.min(body.length, opts.stopAfter ?? body.length);
      while (!answered && offset < until) {
        const chunk = body.subarray(offset, offset + 65_536);
        offset += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', write);
          return;
        }
      }
      if (!answered && offset >= body.length) req.end();
    };
    write();
  });
}

const json = { 'content-type': 'application/json' };

describe.each(testDatabases)('HTTP hardening on $name', ({ open }) => {
  let database: Database;
  let qm: App | undefined;
  let approvals: ApprovalService;
  let orchestrator: Orchestrator;
  let server: RunningServer;
  let number: number;

  const count = async (sql: string) => Number((await database.query<{ n: number }>(sql))[0]!.n);
  const decisions = () => count('select count(*)::int as n from approval_decisions');
  const status = async () => (await approvals.get(String(number)))?.status;
  const decide = (body: unknown, headers: Record<string, string> = {}) =>
    send(server.port, 'POST', `/api/approvals/${number}/decisions`, { headers: { ...json, ...headers }, body: JSON.stringify(body) });

  beforeAll(async () => {
    database = await open();
    await loadDemo({ database, log: silentLogger });
    qm = await openTestApp(database);
    approvals = await qm.approvals();
    orchestrator = await qm.orchestrator();
    const app = createHttpApp({ database, log: silentLogger, mcp: { localCredential: LOCAL, allowedHosts: [] }, approvals, orchestrator });
    server = await listen(app, { port: 0, host: '127.0.0.1', log: silentLogger });
    number = await requestDellPurchase(database, approvals, 10, 'monitors', '2400.00');
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    await qm?.close();
    await database?.close();
  });

  it('refuses a cross-origin POST from another local port, and a text/plain body, deciding nothing', async () => {
    const before = await decisions();
    const other = await decide({ as: `mia.santos@${D}`, decision: 'approve' }, { origin: 'http://localhost:6666', 'content-type': 'text/plain', authorization: `Bearer ${LOCAL}` });
    expect(other.status).toBe(403);
    expect(other.json().message).toMatch(/Origin/);
    const https = await decide({ as: `mia.santos@${D}`, decision: 'approve' }, { origin: `http://127.0.0.1:${server.port + 1}`, authorization: `Bearer ${LOCAL}` });
    expect(https.status).toBe(403);
    const plain = await decide({ as: `mia.santos@${D}`, decision: 'approve' }, { 'content-type': 'text/plain', authorization: `Bearer ${LOCAL}` });
    expect(plain.status).toBe(415);
    const form = await send(server.port, 'POST', '/api/ask', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '{"question":"hi"}' });
    expect(form.status).toBe(415);
    expect(await decisions()).toBe(before);
    expect(await status()).toBe('pending');
    // The server's own origin (and its loopback aliases on the same port) is let through.
    const own = await send(server.port, 'GET', '/api/approvals', { headers: { origin: `http://localhost:${server.port}` } });
    expect(own.status).toBe(200);
  });

  it('treats a request relayed with forwarding headers as remote: nothing decided, asked or stored', async () => {
    const before = await decisions();
    const turns = await count('select count(*)::int as n from conversation_turns');
    const relays: Record<string, string>[] = [{ 'x-forwarded-for': '203.0.113.9' }, { forwarded: 'for=203.0.113.9' }, { 'x-real-ip': '203.0.113.9' }];
    for (const h of relays) {
      expect((await decide({ decision: 'approve' }, h)).status).toBe(403);
      expect((await send(server.port, 'POST', '/api/ask', { headers: { ...json, ...h }, body: '{"question":"total spend"}' })).status).toBe(403);
      expect((await send(server.port, 'GET', '/api/approvals', { headers: h })).status).toBe(403);
      expect((await send(server.port, 'POST', '/signals', { headers: { ...json, ...h }, body: '{"supplier":"Dell","kind":"news","severity":3,"title":"x"}' })).status).toBe(403);
      expect((await send(server.port, 'POST', '/mcp/spend', { headers: { ...json, accept: 'application/json, text/event-stream', ...h }, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' })).status).toBe(403);
    }
    expect(await decisions()).toBe(before);
    expect(await count('select count(*)::int as n from conversation_turns')).toBe(turns);
    expect(await count('select count(*)::int as n from risk_signals')).toBe(0);
  });

  it('lets an anonymous loopback caller act as nobody: "as" needs a credential', async () => {
    const before = await decisions();
    const r = await decide({ as: `mia.santos@${D}`, decision: 'approve' });
    expect(r.status).toBe(403);
    expect(r.json().message).toMatch(/credential/);
    expect((await decide({ decision: 'approve' })).status).toBe(403);
    expect((await send(server.port, 'POST', '/api/ask', { headers: json, body: JSON.stringify({ question: 'total spend', as: `mia.santos@${D}` }) })).status).toBe(403);
    expect((await send(server.port, 'GET', `/api/approvals?as=${encodeURIComponent(`mia.santos@${D}`)}`)).status).toBe(403);
    // Nor may it mint tokens.
    expect((await send(server.port, 'POST', '/api/tokens', { headers: json, body: JSON.stringify({ user: `mia.santos@${D}` }) })).status).toBe(403);
    expect(await decisions()).toBe(before);
  });

  it('a personal token acts as its user only; an on-behalf token may name another and the ledger records both', async () => {
    const ben = await createToken(database, { user: `ben.okafor@${D}`, name: 'ben laptop', createdBy: 'test' });
    const before = await decisions();
    const impersonate = await decide({ as: `mia.santos@${D}`, decision: 'approve' }, { authorization: `Bearer ${ben.token}` });
    expect(impersonate.status).toBe(403);
    expect(impersonate.json().message).toMatch(/acts as ben\.okafor/);
    expect(await decisions()).toBe(before);
    // Deciding as himself goes to the state machine, which knows Ben is not the budget holder.
    const self = await decide({ decision: 'approve' }, { authorization: `Bearer ${ben.token}` });
    expect(self.status).toBe(403);
    expect(self.json().message).toMatch(/budget holder/);
    // A personal token cannot manage tokens.
    expect((await send(server.port, 'GET', '/api/tokens', { headers: { authorization: `Bearer ${ben.token}` } })).status).toBe(403);

    const bridge = await createToken(database, { user: `ben.okafor@${D}`, name: 'chat bridge', onBehalf: true, createdBy: 'test' });
    const relayed = await decide({ as: `mia.santos@${D}`, decision: 'approve' }, { authorization: `Bearer ${bridge.token}` });
    expect(relayed.status).toBe(200);
    expect(await status()).toBe('approved');
    const [event] = await database.query<{ actor: string; data: Record<string, unknown> }>(
      `select actor, data from audit_events where action = 'approval_decision' and (data->>'number')::int = $1`,
      [number],
    );
    expect(event!.actor).toBe(`mia.santos@${D}`);
    expect(String(event!.data.via)).toMatch(/ben\.okafor@.*chat bridge/);

    await revokeToken(database, bridge.id, 'test');
    const revoked = await send(server.port, 'GET', '/api/approvals', { headers: { authorization: `Bearer ${bridge.token}` } });
    expect(revoked.status).toBe(401);
    expect(revoked.json().message).toMatch(/revoked/);
    const expired = await createToken(database, { user: `ben.okafor@${D}`, expires: '1h', createdBy: 'test' }, new Date(Date.now() - 2 * 3_600_000));
    expect((await send(server.port, 'GET', '/api/approvals', { headers: { authorization: `Bearer ${expired.token}` } })).json().message).toMatch(/expired/);
  });

  it('the local credential is the operator: it may name the user and manage tokens', async () => {
    const auth = { authorization: `Bearer ${LOCAL}` };
    const list = await send(server.port, 'GET', `/api/approvals?as=${encodeURIComponent(`mia.santos@${D}`)}`, { headers: auth });
    expect(list.status).toBe(200);
    const made = await send(server.port, 'POST', '/api/tokens', { headers: { ...json, ...auth }, body: JSON.stringify({ user: `mia.santos@${D}`, name: 'ci', expires: '30d' }) });
    expect(made.status).toBe(201);
    const t = made.json();
    expect(Object.keys(t).sort()).toEqual(['expiresAt', 'id', 'name', 'onBehalf', 'token', 'user']);
    expect(String(t.token)).toMatch(/^qm_pat_/);
    const [stored] = await database.query<{ token_hash: string }>('select token_hash from api_tokens where id = $1::uuid', [t.id]);
    expect(stored!.token_hash).not.toContain(String(t.token));
    const ask = await send(server.port, 'POST', '/api/ask', { headers: { ...json, authorization: `Bearer ${t.token}` }, body: '{"question":"What did we spend in total?"}' });
    expect(ask.status).toBe(200);
  });

  it('answers 400 to NUL characters in a question, a signal title or a query parameter, storing nothing', async () => {
    const turns = await count('select count(*)::int as n from conversation_turns');
    const q = await send(server.port, 'POST', '/api/ask', { headers: json, body: '{"question":"total spend\\u0000 please"}' });
    expect(q.status).toBe(400);
    expect(q.json().message).toMatch(/NUL.*\$\.question/);
    const s = await send(server.port, 'POST', '/signals', {
      headers: json,
      body: '[{"supplier":"Dell Technologies Ltd","kind":"news","severity":3,"title":"ok"},{"supplier":"Dell","kind":"news","severity":3,"title":"bad\\u0000"}]',
    });
    expect(s.status).toBe(400);
    expect(s.json().message).toMatch(/\$\[1\]\.title/);
    expect((await send(server.port, 'GET', '/api/approvals?status=pending%00')).status).toBe(400);
    expect((await send(server.port, 'GET', '/api/approvals/1%00')).status).toBe(400);
    expect(await count('select count(*)::int as n from conversation_turns')).toBe(turns);
    expect(await count('select count(*)::int as n from risk_signals')).toBe(0);
    expect((await send(server.port, 'GET', '/healthz')).status).toBe(200);
  });

  it('refuses a 30 MB decision body with 413, declared or streamed, and stays healthy', async () => {
    const big = Buffer.alloc(30 * 1024 * 1024, 0x20);
    big.write('{"decision":"approve","reason":"', 0);
    const declared = await send(server.port, 'POST', `/api/approvals/${number}/decisions`, { headers: json, body: big, stopAfter: 65_536 });
    expect(declared.status).toBe(413);
    expect(declared.json().message).toMatch(/over 1 MB/);
    const streamed = await send(server.port, 'POST', `/api/approvals/${number}/decisions`, { headers: json, body: big, chunked: true, stopAfter: 1_200_000 });
    expect(streamed.status).toBe(413);
    expect((await send(server.port, 'POST', '/api/ask', { headers: json, body: Buffer.alloc(2 * 1024 * 1024, 0x20), stopAfter: 65_536 })).status).toBe(413);
    expect(await status()).toBe('approved');
    expect((await send(server.port, 'GET', '/healthz')).status).toBe(200);
  });
});
