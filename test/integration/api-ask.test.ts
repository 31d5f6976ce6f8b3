import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { loadDemo } from '../../src/demo/load.js';
import { listen, type RunningServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/log.js';
import type { App } from '../../src/runtime.js';
import { openTestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const TOKEN = 'ask-token-0123456789';

describe.each(testDatabases)('POST /api/ask on $name', ({ open }) => {
  let database: Database;
  let qm: App | undefined;
  let server: RunningServer;

  beforeAll(async () => {
    database = await open();
    await loadDemo({ database, today: NOW });
    qm = await openTestApp(database, { now: () => NOW, env: { QM_MCP_TOKEN: TOKEN } });
    server = await listen(await qm.http({}), { port: 0, host: '127.0.0.1', log: silentLogger });
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    await qm?.close();
    await database?.close();
  });

  const ask = (body: unknown, token: string | null = TOKEN) =>
    fetch(`http://127.0.0.1:${server.port}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  it('answers with the qm ask --json shape, recorded as a turn', async () => {
    const res = await ask({ question: 'Which contracts expire in the next 90 days?' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.answer).toMatch(/C-2024-002/);
    expect(body.agents.map((a: { name: string }) => a.name)).toEqual(['contract']);
    const [turn] = await database.query<{ channel: string }>('select channel from conversation_turns where id = $1', [body.auditId]);
    expect(turn?.channel).toBe('http');
  });

  it('continues a thread across requests', async () => {
    await ask({ question: 'What did we spend with Refinitiv in March 2026?', thread: 't-1' });
    const body = await (await ask({ question: 'and in February?', thread: 't-1' })).json();
    expect(body.answer).toMatch(/Refinitiv Ltd/);
    expect(body.answer).toMatch(/February 2026/);
  });

  it('refuses a missing or wrong token with 401 and a malformed body with 400', async () => {
    expect((await ask({ question: 'hi' }, null)).status).toBe(401);
    expect((await ask({ question: 'hi' }, 'wrong')).status).toBe(401);
    expect((await ask({ nope: 1 })).status).toBe(400);
    const [n] = await database.query<{ n: number }>("select count(*)::int as n from conversation_turns where text = 'hi'");
    expect(Number(n!.n)).toBe(0);
  });
});
