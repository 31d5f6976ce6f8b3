// `qm ask "<question>" [--as <email>] [--json]`: one orchestrator turn from the command line.
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { llmFromConfig } from '../llm/from-config.js';
import { createOrchestrator } from '../orchestrator/orchestrator.js';
import { renderReplyText } from '../orchestrator/render-text.js';
import { openRuntime } from '../runtime.js';

type Flags = { as?: string; json?: boolean; thread?: string };

/** Adds the ask command. */
export function registerAsk(program: Command, setExit: (code: number) => void): void {
  program
    .command('ask')
    .description('Ask a question (spend, suppliers, contracts) and get the answer with its evidence')
    .argument('<question>', 'the question, in quotes')
    .option('--as <email>', 'ask as this user (for permissions and conversation history)')
    .option('--thread <id>', 'continue a conversation: follow-ups resolve against its last turn')
    .option('--json', 'print {"answer","data","agents","actions","auditId"} on stdout')
    .action(async (question: string, flags: Flags) => {
      const rt = await openRuntime('qm ask', { quiet: true });
      const orchestrator = await createOrchestrator({
        database: rt.database,
        log: rt.log,
        now: () => new Date(),
        llm: llmFromConfig(rt.config.llm),
      });
      try {
        const turn = await orchestrator.handle({
          channel: 'cli',
          conversationId: `cli:${flags.thread ?? randomUUID()}`,
          user: { email: flags.as },
          text: question,
        });
        if (flags.json) {
          const data = Object.fromEntries(turn.results.map((r) => [r.agent, r.data]));
          process.stdout.write(
            `${JSON.stringify({
              answer: turn.reply.headline,
              data: {
                ...data,
                plan: { planner: turn.plan.planner, intent: turn.plan.reading.intent, period: turn.plan.period, suppliers: turn.plan.suppliers },
              },
              agents: turn.results.map((r) => ({ name: r.agent, tools: r.toolCalls.map((c) => c.tool), ms: r.ms, ok: r.ok })),
              actions: turn.reply.actions,
              auditId: turn.turnId,
            })}\n`,
          );
        } else {
          process.stdout.write(`${renderReplyText(turn.reply)}\n`);
        }
        setExit(0);
      } finally {
        await orchestrator.close();
        await rt.close();
      }
    });
}
