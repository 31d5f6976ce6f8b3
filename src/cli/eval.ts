// `qm eval <questions.json|jsonl> [--planner rule|llm|both] [--json]`: asks a question bank and scores the
// answers. Prints each miss and `N/M answered right` (with --json one object per planner:
// {"planner","right","total","results":[{"q","ok","expected","got","answer"}]}). Exit 0 when every answer is
// right, 3 when some are wrong, 1 when the bank or the setup is unusable.
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { AppError } from '../errors.js';
import { type BankItem, readBank } from '../eval/bank.js';
import { type EvalReport, type EvalResult, runEval } from '../eval/run.js';
import { llmFromConfig } from '../llm/from-config.js';
import { createApp } from '../runtime.js';

type Flags = { planner?: string; json?: boolean };
const PLANNERS = ['rule', 'llm', 'both'] as const;

function missText(r: EvalResult, n: number): string {
  const missing = r.expected.filter((_, i) => r.got[i] === null);
  const lines = [`✗ ${n}. ${r.q}`];
  if (r.error) lines.push(`    ${r.error}`);
  else lines.push(`    expected: ${missing.map((e) => JSON.stringify(e)).join(', ')}`);
  lines.push(`    answer:   ${r.answer.split('\n')[0]}`);
  return lines.join('\n');
}

function summaryLine(report: EvalReport): string {
  const byClass = new Map<string, { right: number; total: number }>();
  for (const r of report.results) {
    if (!r.class) continue;
    const c = byClass.get(r.class) ?? { right: 0, total: 0 };
    c.total++;
    if (r.ok) c.right++;
    byClass.set(r.class, c);
  }
  const classes = [...byClass].map(([name, c]) => `  ${name}: ${c.right}/${c.total}`).join('\n');
  return `${classes ? `${classes}\n` : ''}${report.right}/${report.total} answered right (${report.planner} planner)`;
}

/** Adds the eval command. */
export function registerEval(program: Command, setExit: (code: number) => void): void {
  program
    .command('eval')
    .description('Ask a question bank (JSON or JSONL: {"q","expect":[…]} or {"q","sql":"select …"}) and score the answers')
    .argument('<file>', 'the question bank')
    .option('--planner <planner>', 'rule, llm or both (default rule)', 'rule')
    .option('--json', 'print {"planner","right","total","results"} per planner, one JSON line each')
    .action(async (file: string, flags: Flags) => {
      const planner = flags.planner ?? 'rule';
      if (!(PLANNERS as readonly string[]).includes(planner)) {
        throw new AppError('eval:usage', `--planner must be one of ${PLANNERS.join(', ')}, not "${planner}"`);
      }
      const items: BankItem[] = await readBank(file);
      const config = loadConfig();
      const llm = planner === 'rule' ? undefined : llmFromConfig(config.llm);
      if (planner !== 'rule' && !llm) {
        throw new AppError('eval:llm', 'The llm planner needs a language model: set OPENAI_API_KEY or OPENAI_BASE_URL (and QM_LLM_MODEL).');
      }
      // A bank never files requests, whatever it asks: the apps only show what turns propose.
      const app = await createApp(config, { purpose: 'qm eval', quiet: true, jobs: 'off', llm: null, proposals: 'show' });
      let allRight = true;
      try {
        for (const which of planner === 'both' ? (['rule', 'llm'] as const) : ([planner] as const)) {
          const run = which === 'llm' && llm ? await createApp(config, { purpose: 'qm eval', quiet: true, database: app.database, jobs: 'off', llm, proposals: 'show' }) : app;
          try {
            const report = await runEval(
              {
                database: app.database,
                orchestrator: await run.orchestrator(),
                planner: which,
                ...(flags.json ? {} : { onResult: (r: EvalResult, i: number) => (r.ok ? undefined : process.stdout.write(`${missText(r, i + 1)}\n`)) }),
              },
              items,
            );
            allRight &&= report.right === report.total;
            process.stdout.write(flags.json ? `${JSON.stringify(jsonOf(report))}\n` : `${summaryLine(report)}\n`);
          } finally {
            if (run !== app) await run.close();
          }
        }
      } finally {
        await app.close();
      }
      setExit(allRight ? 0 : 3);
    });
}

function jsonOf(report: EvalReport) {
  return {
    planner: report.planner,
    right: report.right,
    total: report.total,
    results: report.results.map((r) => ({
      q: r.q,
      ok: r.ok,
      expected: r.expected,
      got: r.got,
      answer: r.answer,
      ...(r.class ? { class: r.class } : {}),
      ...(r.error ? { error: r.error } : {}),
    })),
  };
}
