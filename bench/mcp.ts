// MCP over HTTP: calls/s and p50/p99 latency of `spend_summary` grouped by month over N spend rows (default
// 1,000,000) on a real PostgreSQL server, with 1 and 16 concurrent clients; and of a trivial tool served through
// our HTTP stack next to the SDK's own minimal stateless server, as a ratio. Prints one JSON line.
// Needs a server: BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres. BENCH_ROWS, BENCH_SECONDS.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { Hono } from 'hono';
import postgres from 'postgres';
import { z } from 'zod';
import { openDatabase } from '../src/db/client.js';
import { createHttpApp } from '../src/http/app.js';
import { mountMcp } from '../src/http/mcp.js';
import { listen } from '../src/http/server.js';
import { silentLogger } from '../src/log.js';

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 8);

function echoServer() {
  const server = new McpServer({ name: 'echo', version: '1.0.0' });
  server.registerTool(
    'echo',
    { description: 'Returns its input', inputSchema: { text: z.string() }, annotations: { readOnlyHint: true } },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  return server;
}

/** The SDK's documented minimal stateless server: node:http + StreamableHTTPServerTransport, fresh per request. */
async function startMinimal(): Promise<{ url: string; close: () => void }> {
  const http = createServer(async (req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const server = echoServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      transport.close();
      server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, JSON.parse(Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`, close: () => http.close() };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function load(url: string, clients: number, tool: string, args: Record<string, unknown>) {
  const conns = await Promise.all(
    Array.from({ length: clients }, async () => {
      const c = new Client({ name: 'bench', version: '1' });
      await c.connect(new StreamableHTTPClientTransport(new URL(url)));
      return c;
    }),
  );
  // Warm up: JIT, plans, caches.
  for (const c of conns) await c.callTool({ name: tool, arguments: args });
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    conns.map(async (c) => {
      while (performance.now() < end) {
        const t = performance.now();
        const r = await c.callTool({ name: tool, arguments: args });
        if (r.isError) errors++;
        latencies.push(performance.now() - t);
      }
    }),
  );
  await Promise.all(conns.map((c) => c.close()));
  latencies.sort((a, b) => a - b);
  return {
    callsPerSec: Math.round(latencies.length / seconds),
    p50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
    p99Ms: Math.round(percentile(latencies, 99) * 10) / 10,
    errors,
  };
}

const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
const dbName = `qm_bench_mcp_${process.pid}`;
await admin.unsafe(`create database ${dbName}`);
const url = new URL(serverUrl);
url.pathname = `/${dbName}`;
const database = await openDatabase({ url: url.toString(), poolSize: 20 });
try {
  // 1M payments over 5 years and 5,000 suppliers, generated in SQL (the import path has its own benchmark).
  await database.query(
    `insert into suppliers (name, normalized_name) select 'Supplier ' || g || ' Ltd', 'supplier ' || g from generate_series(1, 5000) g`,
  );
  await database.query(
    `insert into spend_lines (dedup_hash, dedup_seq, supplier_id, supplier_name, date, amount, currency, category, department)
     select md5(g::text)::uuid, 1, s.id, s.name, date '2021-01-01' + (g % 1826), ((g::bigint * 7919) % 5000000) / 100.0, 'GBP',
            (array['IT hardware','Consultancy','Facilities','Travel','Catering'])[1 + g % 5], (array['IT','Finance','Ops'])[1 + g % 3]
     from generate_series(1, $1::int) g join (select id, name, row_number() over () as n from suppliers) s on s.n = 1 + g % 5000`,
    [rows],
  );
  // Steady state: after a bulk load autovacuum would set the visibility map; do it now so index-only scans apply.
  await database.query('vacuum (analyze) spend_lines');

  const app = createHttpApp({ database, log: silentLogger, mcp: { allowedHosts: [] } });
  const ours = await listen(app, { port: 0, host: '127.0.0.1', log: silentLogger });
  const echoApp = new Hono();
  mountMcp(echoApp, {
    deps: { database, log: silentLogger, now: () => new Date() },
    access: { allowedHosts: [] },
    servers: { echo: () => ({ server: echoServer(), cleanup: async () => {} }) },
  });
  const oursEcho = await listen(echoApp, { port: 0, host: '127.0.0.1', log: silentLogger });
  const minimal = await startMinimal();

  const summaryArgs = { group_by: 'month' };
  const summary1 = await load(`${ours.url}/mcp/spend`, 1, 'spend_summary', summaryArgs);
  const summary16 = await load(`${ours.url}/mcp/spend`, 16, 'spend_summary', summaryArgs);
  const echoOurs1 = await load(`${oursEcho.url}/mcp/echo`, 1, 'echo', { text: 'hi' });
  const echoMin1 = await load(minimal.url, 1, 'echo', { text: 'hi' });
  const echoOurs16 = await load(`${oursEcho.url}/mcp/echo`, 16, 'echo', { text: 'hi' });
  const echoMin16 = await load(minimal.url, 16, 'echo', { text: 'hi' });
  process.stdout.write(
    `${JSON.stringify({
      bench: 'mcp-http',
      rows,
      secondsPerRun: seconds,
      spendSummaryByMonth: { clients1: summary1, clients16: summary16 },
      trivialTool: {
        ours: { clients1: echoOurs1, clients16: echoOurs16 },
        sdkMinimal: { clients1: echoMin1, clients16: echoMin16 },
        p50Ratio1: Math.round((echoOurs1.p50Ms / echoMin1.p50Ms) * 100) / 100,
        throughputRatio16: Math.round((echoMin16.callsPerSec / echoOurs16.callsPerSec) * 100) / 100,
      },
    })}\n`,
  );
  await ours.close();
  await oursEcho.close();
  minimal.close();
} finally {
  await database.close();
  await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
  await admin.end();
}
