import { request as httpRequest } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { loadDemo } from '../../src/demo/load.js';
import { createHttpApp } from '../../src/http/app.js';
import { listen, type RunningServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/log.js';
import { testDatabases } from '../helpers/databases.js';

const TOKEN = 'test-token-0123456789';
const NOW = new Date('2026-11-27T12:00:00Z');

async function connect(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'qm-http-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

/** A raw POST with full control over Host and Origin headers (fetch will not send a forged Host). */
function rawPost(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = httpRequest(
      {
        hostname: u.hostname,
        port: u.port,
        path: u.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          data += d;
        });
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: data });
          // A server may answer before reading a large body; stop sending the rest.
          req.destroy();
        });
      },
    );
    req.on('error', reject);
    // Writes of a body the server has already refused fail with EPIPE after the answer: expected, not an error.
    req.on('socket', (socket) => socket.on('error', () => {}));
    req.end(body);
  });
}

const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

describe.each(testDatabases)('MCP over Streamable HTTP on $name', ({ open }) => {
  let database: Database;
  let open_: RunningServer;
  let secured: RunningServer;

  beforeAll(async () => {
    database = await open();
    await loadDemo({ database, today: NOW });
    const base = { database, log: silentLogger, now: () => NOW };
    open_ = await listen(createHttpApp({ ...base, mcp: { allowedHosts: [] } }), { port: 0, host: '127.0.0.1', log: silentLogger });
    secured = await listen(createHttpApp({ ...base, mcp: { token: TOKEN, allowedHosts: [] } }), {
      port: 0,
      host: '127.0.0.1',
      log: silentLogger,
    });
  }, 180_000);

  afterAll(async () => {
    await open_?.close();
    await secured?.close();
    await database?.close();
  });

  it('lists the tools of every server to a loopback client when no token is configured', async () => {
    for (const name of ['spend', 'supplier', 'contract']) {
      const client = await connect(`http://127.0.0.1:${open_.port}/mcp/${name}`);
      const { tools } = await client.listTools();
      expect(tools.length).toBeGreaterThan(0);
      for (const t of tools) {
        expect(t.description?.length).toBeGreaterThan(20);
        expect(t.annotations).toBeDefined();
      }
      await client.close();
    }
  });

  it('answers a tool call with figures from the database', async () => {
    const client = await connect(`http://127.0.0.1:${secured.port}/mcp/spend`, { authorization: `Bearer ${TOKEN}` });
    const result = await client.callTool({
      name: 'spend_summary',
      arguments: { group_by: 'year', date_from: '2012-01-01', date_to: '2012-12-31' },
    });
    expect(result.isError).toBeFalsy();
    const [row] = await database.query<{ total: string }>(
      "select sum(amount)::text as total from spend_lines where date between '2012-01-01' and '2012-12-31' and currency = 'GBP'",
    );
    expect(JSON.stringify(result.structuredContent)).toContain(Number(row!.total).toFixed(2).split('.')[0]!);
    await client.close();
  });

  it('reads spend analytics over HTTP where readDatabase points (the analytics lane or a replica), other tools the database', async () => {
    const analytics: string[] = [];
    const readDatabase: Database = {
      ...database,
      query: (text, params) => {
        analytics.push(text);
        return database.query(text, params);
      },
    };
    const app = await listen(createHttpApp({ database, readDatabase, log: silentLogger, now: () => NOW, mcp: { allowedHosts: [] } }), {
      port: 0,
      host: '127.0.0.1',
      log: silentLogger,
    });
    try {
      const spend = await connect(`http://127.0.0.1:${app.port}/mcp/spend`);
      const summary = await spend.callTool({ name: 'spend_summary', arguments: { group_by: 'year' } });
      expect(summary.isError).toBeFalsy();
      expect(analytics.some((q) => q.includes('spend_'))).toBe(true);
      await spend.close();
      const seen = analytics.length;
      const supplier = await connect(`http://127.0.0.1:${app.port}/mcp/supplier`);
      const found = await supplier.callTool({ name: 'find_suppliers', arguments: { query: 'Refinitiv' } });
      expect(found.isError).toBeFalsy();
      expect(analytics.length).toBe(seen);
      await supplier.close();
    } finally {
      await app.close();
    }
  });

  it('refuses a missing or wrong bearer token with 401 and processes nothing', async () => {
    const url = `http://127.0.0.1:${secured.port}/mcp/spend`;
    const none = await rawPost(url, {}, initialize);
    expect(none.status).toBe(401);
    const wrong = await rawPost(url, { authorization: 'Bearer nope' }, initialize);
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body).error.message).toMatch(/token/);
    await expect(connect(url, { authorization: 'Bearer nope' })).rejects.toThrow();
    const right = await rawPost(url, { authorization: `Bearer ${TOKEN}` }, initialize);
    expect(right.status).toBe(200);
  });

  it('rejects a foreign Host or Origin (DNS rebinding)', async () => {
    const url = `http://127.0.0.1:${open_.port}/mcp/supplier`;
    expect((await rawPost(url, { host: 'evil.example' }, initialize)).status).toBe(403);
    expect((await rawPost(url, { origin: 'http://evil.example' }, initialize)).status).toBe(403);
    expect((await rawPost(url, { origin: `http://localhost:${open_.port}` }, initialize)).status).toBe(200);
  });

  it('answers GET with 405, an unknown server with 404 and an oversized body with a JSON-RPC error', async () => {
    const base = `http://127.0.0.1:${open_.port}/mcp`;
    expect((await fetch(`${base}/spend`)).status).toBe(405);
    expect((await rawPost(`${base}/nothing`, {}, initialize)).status).toBe(404);
    const huge = JSON.stringify({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'find_suppliers', arguments: { query: 'x'.repeat(10 * 1024 * 1024) } },
    });
    const res = await rawPost(`${base}/supplier`, {}, huge);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.message).toMatch(/over 4 MB/);
    // The server is still healthy afterwards.
    expect((await fetch(`http://127.0.0.1:${open_.port}/healthz`)).status).toBe(200);
  });
});
