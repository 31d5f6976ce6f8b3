// `qm eval` end to end: the shipped question bank (data/eval/demo-bank.jsonl: the demo organisation and the GLA
// spend, every expected value computed by SQL on the database itself) answered right by the rule planner on both
// databases; the language-model path through the scripted model server (which proves the plumbing: tool results
// reach the answer that is scored, not a model's quality); and the command's exit codes and JSON.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { loadDemo } from '../../src/demo/load.js';
import { readBank } from '../../src/eval/bank.js';
import { expectedBySql, runEval } from '../../src/eval/run.js';
import { createOpenAIProvider } from '../../src/llm/openai.js';
import { openTestApp } from '../helpers/app.js';
import { projectPath } from '../../src/paths.js';
import { testDatabases } from '../helpers/databases.js';
import { type ChatRequestBody, call, type FakeOpenAIServer, startFakeOpenAI } from '../fakes/openai-server.js';

const BANK = projectPath('data', 'eval', 'demo-bank.jsonl');

describe.each(testDatabases)('the shipped question bank on $name', ({ open }) => {
  let database: Database;
  let fake: FakeOpenAIServer;

  beforeAll(async () => {
    database = await open();
    await loadDemo({ database });
    fake = await startFakeOpenAI();
  }, 240_000);

  afterAll(async () => {
    await fake?.close();
    await database?.close();
  });

  it('has at least 200 questions over every class, and the rule planner answers every one right', async () => {
    const items = await readBank(BANK);
    expect(items.length).toBeGreaterThanOrEqual(200);
    expect(new Set(items.map((i) => i.class)).size).toBeGreaterThanOrEqual(10);
    const qm = await openTestApp(database, { proposals: 'show' });
    try {
      const report = await runEval({ database, orchestrator: await qm.orchestrator(), planner: 'rule' }, items);
      const misses = report.results.filter((r) => !r.ok).map((r) => `${r.q}\n  expected ${JSON.stringify(r.expected)}\n  got ${r.answer.split('\n')[0]}`);
      expect(misses).toEqual([]);
      expect(report).toMatchObject({ planner: 'rule', right: items.length, total: items.length });
    } finally {
      await qm.close();
    }
  }, 600_000);

  it('runs an item\'s SQL read-only: a query that writes fails and changes nothing', async () => {
    const before = await database.query<{ n: number }>('select count(*)::int as n from suppliers');
    await expect(expectedBySql(database, "insert into suppliers (name, normalized_name) values ('x', 'x') returning name")).rejects.toThrow(/read-only/);
    expect(await database.query<{ n: number }>('select count(*)::int as n from suppliers')).toEqual(before);
    await expect(expectedBySql(database, 'select 1 where false')).rejects.toThrow('the query returned no values');
  });

  it('the language-model path: the scripted model reads through the MCP tools and its answer is scored', async () => {
    const items = (await readBank(BANK)).filter((i) => /^What did we spend in (2011|2012)\?$/.test(i.q));
    expect(items).toHaveLength(2);
    // For each question: call spend_summary for that year, then answer with the tool's own first line.
    fake.script(
      items.flatMap((i) => {
        const year = /\d{4}/.exec(i.q)![0];
        return [
          call([{ name: 'spend__spend_summary', arguments: { group_by: 'year', date_from: `${year}-01-01`, date_to: `${year}-12-31` } }]),
          (body: ChatRequestBody) => ({ content: String([...body.messages].reverse().find((m) => m.role === 'tool')?.content ?? '').split('\n')[0] }),
        ];
      }),
    );
    const llm = Object.assign(createOpenAIProvider({ apiKey: 'test-key', baseUrl: fake.baseUrl, model: 'scripted', timeoutMs: 60_000 }), { model: 'scripted' });
    const qm = await openTestApp(database, { proposals: 'show', llm });
    try {
      const report = await runEval({ database, orchestrator: await qm.orchestrator(), planner: 'llm' }, items);
      expect(report.results.map((r) => r.answer.split('\n')[0])).toEqual([expect.stringMatching(/^Total £[\d,]+\.\d\d across [\d,]+ payments from 2011-01-01 to 2011-12-31\.$/), expect.stringMatching(/2012-12-31\.$/)]);
      expect(report).toMatchObject({ planner: 'llm', right: 2, total: 2 });
      expect(fake.remaining()).toBe(0);
    } finally {
      await qm.close();
    }
  }, 120_000);
});

describe('qm eval', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qm-eval-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs the command from the sources on an empty embedded database. */
  const qm = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', '-e', `import(${JSON.stringify(projectPath('src', 'cli', 'main.ts'))}).then(async (m) => { process.exitCode = await m.main(${JSON.stringify(args)}); })`], {
      env: { ...process.env, DATABASE_URL: '', QM_DATA_DIR: join(dir, 'db'), QM_LOG_LEVEL: 'warn', OPENAI_API_KEY: '', OPENAI_BASE_URL: '' },
      encoding: 'utf8',
      timeout: 120_000,
    });

  it('prints each miss and "N/M answered right", exits 3 on a miss, and --json gives one object per planner', async () => {
    const bank = join(dir, 'bank.jsonl');
    await writeFile(
      bank,
      [
        JSON.stringify({ q: 'What did we spend in 2012?', expect: ['We have no recorded spend in 2012'] }),
        JSON.stringify({ q: 'How many suppliers are there?', sql: 'select count(*)::int + 1 from suppliers' }),
      ].join('\n'),
    );
    const text = qm(['eval', bank]);
    expect(text.status, text.stderr).toBe(3);
    expect(text.stdout).toMatch(/^✗ 2\. How many suppliers are there\?\n {4}expected: 1\n {4}answer: {3}.+\n1\/2 answered right \(rule planner\)\n$/);
    const json = qm(['eval', bank, '--json']);
    expect(json.status).toBe(3);
    const out = JSON.parse(json.stdout);
    expect(out).toMatchObject({ planner: 'rule', right: 1, total: 2 });
    expect(out.results[0]).toEqual({ q: 'What did we spend in 2012?', ok: true, expected: ['We have no recorded spend in 2012'], got: ['We have no recorded spend in 2012'], answer: expect.any(String) });
    expect(out.results[1]).toMatchObject({ ok: false, expected: [1], got: [null] });
  }, 240_000);

  it('exits 0 when all are right, and 1 with the reason for a bad bank or a missing language model', async () => {
    const good = join(dir, 'good.json');
    await writeFile(good, JSON.stringify([{ q: 'What did we spend in 2012?', expect: ['no recorded spend'] }]));
    const ok = qm(['eval', good]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toBe('1/1 answered right (rule planner)\n');
    const bad = join(dir, 'bad.jsonl');
    await writeFile(bad, '{"q":"x"}\n');
    const refused = qm(['eval', bad]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/bad\.jsonl has 1 bad item:\n {2}line 1: item: give either "expect" or "sql"/);
    const noModel = qm(['eval', good, '--planner', 'llm']);
    expect(noModel.status).toBe(1);
    expect(noModel.stderr).toMatch(/needs a language model/);
  }, 240_000);
});
