// award_scenarios at size: 300 lines × 12 bidders, through the real sourcing MCP server (in-memory transport) on an
// embedded database, with share caps that do not bind (0.5), bind (0.15) and bind tightly (0.1, where 12 bidders
// can just meet it). Prices are generated: two cheap bidders win most lines, so the caps force real trade-offs.
// Each case runs 5 times after one warm-up (the first call also loads the solver); the median is reported, with
// the median CPU time of the process over a call (the solver and the embedded database both run in it, on one
// thread each at a time), which stays close to the idle wall time when other work shares the machine.
// Usage: node --import tsx bench/sourcing.ts (BENCH_CAPS=0.15,0.1 runs only those caps; BENCH_SEED=n generates
// another tender, 11 by default). Prints one JSON line.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createSourcingServer } from '../mcp-servers/sourcing/server.js';
import { openDatabase } from '../src/db/client.js';
import { insertEventLines } from '../src/db/sourcing.js';
import { silentLogger } from '../src/log.js';

const LINES = 300;
const BIDDERS = 12;
const RUNS = 5;

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

async function main(): Promise<void> {
  const database = await openDatabase({ dataDir: 'memory' });
  const seed = Number(process.env.BENCH_SEED ?? 11);
  const r = random(seed);
  const [event] = await database.query<{ id: string; number: number }>(
    `insert into sourcing_events (title, currency, status) values ('Bench tender', 'GBP', 'evaluating') returning id::text, number`,
  );
  await insertEventLines(
    database,
    event!.id,
    Array.from({ length: LINES }, (_, i) => ({ lineNo: i + 1, itemCode: `IT-${i % 40}`, description: `Item ${i + 1}`, quantity: String(1 + Math.floor(r() * 50)), unit: 'ea' })),
  );
  for (let b = 0; b < BIDDERS; b++) {
    const [s] = await database.query<{ id: string }>(`insert into suppliers (name, normalized_name) values ($1, $1) returning id::text`, [`bidder ${b}`]);
    const [bid] = await database.query<{ id: string }>(
      `insert into sourcing_bids (event_id, supplier_id, bidder_name, currency) values ($1::uuid, $2::uuid, $3, 'GBP') returning id::text`,
      [event!.id, s!.id, `Bidder ${b}`],
    );
    await database.query(
      `insert into sourcing_bid_lines (bid_id, line_no, unit_price) select $1::uuid, g, p from unnest($2::int[], $3::numeric[]) as t(g, p)`,
      [bid!.id, Array.from({ length: LINES }, (_, i) => i + 1), Array.from({ length: LINES }, () => ((b < 2 ? 10 : 30) + r() * 50).toFixed(2))],
    );
  }
  const { server, cleanup } = createSourcingServer({ database, log: silentLogger, now: () => new Date() });
  const [a, s] = InMemoryTransport.createLinkedPair();
  await server.connect(s);
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(a);
  const call = async (maxShare?: number) => {
    const t = performance.now();
    const cpu = process.cpuUsage();
    const res = await client.callTool({ name: 'award_scenarios', arguments: { event: event!.number, ...(maxShare ? { max_share: maxShare } : {}) } });
    if (res.isError) throw new Error(JSON.stringify(res.content));
    const used = process.cpuUsage(cpu);
    return { ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000, res: res.structuredContent as { scenarios: { kind: string; total: string }[] } };
  };
  const cold = await call(0.15);
  const cases: Record<string, { medianMs: number; maxMs: number; medianCpuMs: number; cappedTotal: string | null }> = {};
  const caps = process.env.BENCH_CAPS ? process.env.BENCH_CAPS.split(',').map(Number) : [undefined, 0.5, 0.15, 0.1];
  for (const cap of caps) {
    const times: number[] = [];
    const cpus: number[] = [];
    let total: string | null = null;
    for (let i = 0; i < RUNS; i++) {
      const { ms, cpuMs, res } = await call(cap);
      times.push(ms);
      cpus.push(cpuMs);
      total = res.scenarios.find((x) => x.kind === 'split_capped')?.total ?? null;
    }
    times.sort((x, y) => x - y);
    cpus.sort((x, y) => x - y);
    const key = cap === undefined ? 'no_cap' : `cap_${cap}`;
    cases[key] = { medianMs: Math.round(times[Math.floor(RUNS / 2)]!), maxMs: Math.round(times[RUNS - 1]!), medianCpuMs: Math.round(cpus[Math.floor(RUNS / 2)]!), cappedTotal: total };
  }
  console.log(JSON.stringify({ bench: 'sourcing', lines: LINES, bidders: BIDDERS, seed, coldMs: Math.round(cold.ms), ...cases }));
  await client.close();
  await cleanup();
  await database.close();
}

await main();
