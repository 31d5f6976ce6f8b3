// Orchestrator turns on a real PostgreSQL server with the demo organisation and the GLA spend loaded: for the rule
// planner, total turn time and the orchestrator's own overhead (turn time minus the time spent inside MCP tool
// calls) at p50/p99 over a mix of questions; for the language-model planner, whether the agents' tools really run
// in parallel, against a scripted OpenAI-compatible server that takes 300 ms per completion. Prints one JSON line.
// Needs a server: BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres. BENCH_TURNS (default 300),
// BENCH_LLM_TURNS (default 10).
import postgres from 'postgres';
import type { AgentResult } from '../agents/agent.js';
import { openToolClient } from '../agents/tool-client.js';
import { openDatabase } from '../src/db/client.js';
import { loadDemo } from '../src/demo/load.js';
import { type ChatProvider, createOpenAIProvider } from '../src/llm/openai.js';
import { silentLogger } from '../src/log.js';
import { loadConfig } from '../src/config.js';
import { createApp } from '../src/runtime.js';
import { call, say, startFakeOpenAI } from '../test/fakes/openai-server.js';

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const turns = Number(process.env.BENCH_TURNS ?? 300);
const llmTurns = Number(process.env.BENCH_LLM_TURNS ?? 10);
const TODAY = '2026-11-27';
const now = () => new Date(`${TODAY}T12:00:00Z`);
const COMPLETION_MS = 300;
const TARGET = { overheadP50Ms: 20, overheadP99Ms: 100 };

// One round of the mix; a round is one conversation, so the follow-up continues the question before it.
const QUESTIONS = [
  'What did we spend in 2012?',
  'What did we spend with Refinitiv in March 2026?',
  'and in February?',
  'Top 10 suppliers by spend in 2012',
  'Spend by category last quarter',
  'Show the monthly spend trend in 2012',
  'Is Aerocaribbean Airlines sanctioned?',
  'Which contracts expire in the next 90 days?',
  'What are the termination terms with Refinitiv?',
  'Tell me about Dell',
  'Can we buy 20 laptops from Dell for £25k?',
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
const round1 = (n: number) => Math.round(n * 10) / 10;
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: round1(percentile(s, 50)), p99: round1(percentile(s, 99)), max: round1(s.at(-1) ?? 0) };
};

/**
 * Time inside MCP tool calls: agents run in parallel, so the slowest agent's. Within one agent the calls are summed,
 * capped at that agent's own wall time (an agent that makes two calls at once cannot spend longer in them than it ran).
 */
function toolMs(results: AgentResult[]): number {
  return Math.max(0, ...results.map((r) => Math.min(r.ms, r.toolCalls.reduce((t, c) => t + c.ms, 0))));
}

const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
const dbName = `qm_bench_orch_${process.pid}`;
await admin.unsafe(`create database ${dbName}`);
const url = new URL(serverUrl);
url.pathname = `/${dbName}`;
const database = await openDatabase({ url: url.toString(), poolSize: 10 });
try {
  const loadStarted = performance.now();
  await loadDemo({ database, today: new Date(TODAY) });
  const loadMs = Math.round(performance.now() - loadStarted);

  // Rule planner.
  const ruleApp = await createApp(loadConfig({}), { purpose: 'bench orchestrator', database, log: silentLogger, now, jobs: 'off', llm: null });
  const rule = await ruleApp.orchestrator();
  // Warm-up round: JIT, query plans, the screening index.
  for (const q of QUESTIONS) await rule.handle({ channel: 'cli', conversationId: 'bench:warm-up', user: {}, text: q });
  const total: number[] = [];
  const overhead: number[] = [];
  const byQuestion = new Map<string, { total: number[]; overhead: number[] }>();
  let degraded = 0;
  for (let i = 0; i < turns; i++) {
    const text = QUESTIONS[i % QUESTIONS.length]!;
    const started = performance.now();
    const turn = await rule.handle({ channel: 'cli', conversationId: `bench:${Math.floor(i / QUESTIONS.length)}`, user: {}, text });
    const ms = performance.now() - started;
    if (turn.reply.degraded.length > 0) degraded++;
    const own = ms - toolMs(turn.results);
    total.push(ms);
    overhead.push(own);
    const q = byQuestion.get(text) ?? { total: [], overhead: [] };
    q.total.push(ms);
    q.overhead.push(own);
    byQuestion.set(text, q);
  }
  await ruleApp.close();
  const overheadStats = stats(overhead);

  // Language-model planner: one question that needs all three agents, one tool round, 300 ms per completion.
  let parallel: Record<string, unknown> | null = null;
  let parallelReason: string | undefined;
  const llmTurnModule = await import('../src/orchestrator/llm-turn.js').catch(() => undefined);
  if (typeof llmTurnModule?.runLlmTurn !== 'function') {
    parallelReason = 'runLlmTurn is not available in src/orchestrator/llm-turn.ts';
  } else {
    const fake = await startFakeOpenAI();
    const completionMs: number[] = [];
    const provider = createOpenAIProvider({ apiKey: 'bench', baseUrl: fake.baseUrl, model: 'fake-model', timeoutMs: 10_000 });
    const timed: ChatProvider & { model: string } = {
      model: provider.model,
      async complete(req) {
        const started = performance.now();
        try {
          return await provider.complete(req);
        } finally {
          completionMs.push(performance.now() - started);
        }
      },
    };
    // The model is offered every tool of the three servers each turn: how long listing them takes is part of the
    // time outside completions, measured here on its own to tell it from the agents' work.
    const clients = await Promise.all(
      (['spend', 'supplier', 'contract'] as const).map((s) => openToolClient(s, { deps: { database, log: silentLogger, now } })),
    );
    const catalogue: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await Promise.all(clients.map((c) => c.listTools()));
      catalogue.push(performance.now() - started);
    }
    await Promise.all(clients.map((c) => c.close()));
    const llmApp = await createApp(loadConfig({}), { purpose: 'bench orchestrator', database, log: silentLogger, now, jobs: 'off', llm: timed });
    const llm = await llmApp.orchestrator();
    const script = () =>
      fake.script([
        {
          delayMs: COMPLETION_MS,
          next: call([
            { name: 'spend__spend_summary', arguments: { group_by: 'supplier', date_from: '2008-01-01', date_to: '2013-12-31', limit: 50 } },
            { name: 'supplier__supplier_profile', arguments: { supplier: 'Dell' } },
            { name: 'contract__expiring_contracts', arguments: { withinDays: 3650 } },
          ]),
        },
        { delayMs: COMPLETION_MS, next: say('Dell is our framework supplier for laptops, with no sanctions match.') },
      ]);
    const text = 'Who were our biggest suppliers, what do we know about Dell, and which contracts end in the next ten years?';
    script();
    await llm.handle({ channel: 'cli', conversationId: 'bench:llm-warm-up', user: {}, text });
    const runs: { wall: number; completions: number; toolPhase: number; slowest: number; sum: number; agents: Record<string, number> }[] = [];
    for (let i = 0; i < llmTurns; i++) {
      script();
      completionMs.length = 0;
      const started = performance.now();
      const turn = await llm.handle({ channel: 'cli', conversationId: `bench:llm:${i}`, user: {}, text });
      const wall = performance.now() - started;
      if (!turn.plan.planner.startsWith('llm:') || turn.results.length !== 3) {
        throw new Error(`the language-model turn did not run all three agents (planner ${turn.plan.planner}, ${turn.results.length} agents)`);
      }
      const completions = completionMs.reduce((t, m) => t + m, 0);
      const agentMs = turn.results.map((r) => r.ms);
      runs.push({
        wall,
        completions,
        toolPhase: wall - completions,
        slowest: Math.max(...agentMs),
        sum: agentMs.reduce((t, m) => t + m, 0),
        agents: Object.fromEntries(turn.results.map((r) => [r.agent, r.ms])),
      });
    }
    await llmApp.close();
    await fake.close();
    const median = (xs: number[]) => round1(percentile([...xs].sort((a, b) => a - b), 50));
    const m = {
      wall: median(runs.map((r) => r.wall)),
      completions: median(runs.map((r) => r.completions)),
      toolPhase: median(runs.map((r) => r.toolPhase)),
      slowest: median(runs.map((r) => r.slowest)),
      sum: median(runs.map((r) => r.sum)),
    };
    parallel = {
      turns: llmTurns,
      completionDelayMs: COMPLETION_MS,
      completionsPerTurn: 2,
      medianMs: {
        wall: m.wall,
        inCompletions: m.completions,
        outsideCompletions: m.toolPhase,
        slowestAgent: m.slowest,
        sumOfAgents: m.sum,
        listingToolsOfThreeServers: round1(percentile([...catalogue].sort((a, b) => a - b), 50)),
        perAgent: Object.fromEntries(
          ['spend', 'supplier', 'contract'].map((a) => [a, median(runs.map((r) => r.agents[a] ?? 0))]),
        ),
      },
      // Wall time over the slowest single agent, with the model's time taken out: 1.0 is perfectly parallel, the
      // sum of the agents over the slowest is what running them one after another would give.
      outsideCompletionsOverSlowestAgent: round1(m.toolPhase / Math.max(1, m.slowest)),
      sequentialWouldBe: round1(m.sum / Math.max(1, m.slowest)),
      wallOverSlowestAgent: round1(m.wall / Math.max(1, m.slowest)),
    };
  }

  process.stdout.write(
    `${JSON.stringify({
      bench: 'orchestrator',
      database: 'postgres',
      demoLoadMs: loadMs,
      rule: {
        turns,
        questions: QUESTIONS.length,
        degradedTurns: degraded,
        turnMs: stats(total),
        overheadMs: overheadStats,
        targets: {
          ...TARGET,
          p50Met: overheadStats.p50 < TARGET.overheadP50Ms,
          p99Met: overheadStats.p99 < TARGET.overheadP99Ms,
        },
        overheadIncludes:
          'reading the thread, planning (with supplier-name lookups through find_suppliers, which no agent records), merging and recording the turn',
        byQuestion: [...byQuestion].map(([question, q]) => ({ question, turnMs: stats(q.total), overheadMs: stats(q.overhead) })),
      },
      parallel,
      ...(parallelReason ? { parallelReason } : {}),
    })}\n`,
  );
} finally {
  await database.close();
  await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
  await admin.end();
}
