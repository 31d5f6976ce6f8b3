// Runs a question bank through the orchestrator: each question is one turn (a fresh thread, as the person the
// item names), its expected values written out or computed by its SQL in a read-only transaction, and the answer
// text scored (score.ts). Nothing is approved: the orchestrator is given no approvals service, so proposals are
// only shown.
import type { Database } from '../db/client.js';
import type { Orchestrator } from '../orchestrator/orchestrator.js';
import type { Reply } from '../orchestrator/types.js';
import type { BankItem } from './bank.js';
import { type Expected, score } from './score.js';

export type EvalResult = {
  q: string;
  ok: boolean;
  expected: Expected[];
  got: (string | null)[];
  answer: string;
  class?: string;
  /** Set when the expected values could not be computed (the item's SQL failed). */
  error?: string;
};

export type EvalReport = { planner: string; right: number; total: number; results: EvalResult[] };

/** The most values one SQL item may expect: an answer names a handful of things, not a table. */
const MAX_SQL_VALUES = 25;

/** The values `sql` returns (every column of every row), read in a read-only transaction. */
export async function expectedBySql(database: Database, sql: string): Promise<Expected[]> {
  return database.transaction(async (tx) => {
    await tx.query('set transaction read only');
    const rows = await tx.query<Record<string, unknown>>(sql);
    const values: Expected[] = [];
    for (const row of rows) {
      for (const v of Object.values(row)) {
        if (v === null || v === undefined) continue;
        values.push(typeof v === 'number' || typeof v === 'bigint' ? Number(v) : String(v));
      }
    }
    if (values.length === 0) throw new Error('the query returned no values');
    if (values.length > MAX_SQL_VALUES) throw new Error(`the query returned ${values.length} values; at most ${MAX_SQL_VALUES}`);
    return values;
  });
}

/**
 * What is scored: the answer itself (headline and facts), not a table a channel may not show: a ranking that names
 * only its leader in the text is not an answer to "top 5".
 */
export function answerText(reply: Reply): string {
  return [reply.headline, ...reply.facts.map((f) => `${f.label}: ${f.value}`)].join('\n');
}

/** Asks every question of `items` through `orchestrator` and scores the answers. */
export async function runEval(
  deps: { database: Database; orchestrator: Orchestrator; planner: string; onResult?: (r: EvalResult, i: number) => void },
  items: readonly BankItem[],
): Promise<EvalReport> {
  const results: EvalResult[] = [];
  const run = `eval:${Date.now().toString(36)}`;
  for (const [i, item] of items.entries()) {
    let expected: Expected[] = item.expect ?? [];
    let error: string | undefined;
    if (item.sql) {
      try {
        expected = await expectedBySql(deps.database, item.sql);
      } catch (err) {
        error = `expected values: ${(err as Error).message}`;
      }
    }
    const turn = await deps.orchestrator.handle({
      channel: 'cli',
      conversationId: `${run}:${i + 1}`,
      user: item.as ? { email: item.as } : {},
      text: item.q,
    });
    const answer = answerText(turn.reply);
    const s = error ? { ok: false, got: expected.map(() => null) } : score(expected, answer);
    const result: EvalResult = {
      q: item.q,
      ok: s.ok,
      expected,
      got: s.got,
      answer,
      ...(item.class ? { class: item.class } : {}),
      ...(error ? { error } : {}),
    };
    results.push(result);
    deps.onResult?.(result, i);
  }
  return { planner: deps.planner, right: results.filter((r) => r.ok).length, total: results.length, results };
}
