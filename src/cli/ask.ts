// `qm ask "<question>" [--as <email>] [--json]`: one orchestrator turn from the command line. When a running
// `qm serve` holds the embedded database, the question goes through its /api/ask instead.
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { AppError, isAppError } from '../errors.js';
import { renderReplyText } from '../orchestrator/render-text.js';
import { type TurnJson, turnToJson } from '../orchestrator/turn-json.js';
import { createApp } from '../runtime.js';
import { operatorCredential, runningServer } from './server-info.js';

type Flags = { as?: string; json?: boolean; thread?: string };

async function askLocally(question: string, flags: Flags): Promise<TurnJson> {
  const rt = await createApp(loadConfig(), { purpose: 'qm ask', quiet: true });
  try {
    const orchestrator = await rt.orchestrator();
    const turn = await orchestrator.handle({
      channel: 'cli',
      conversationId: `cli:${flags.thread ?? randomUUID()}`,
      user: { email: flags.as },
      text: question,
    });
    return turnToJson(turn);
  } finally {
    await rt.close();
  }
}

async function askServer(url: string, token: string | undefined, question: string, flags: Flags): Promise<TurnJson> {
  const res = await fetch(`${url}/api/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ question, ...(flags.thread ? { thread: flags.thread } : {}), ...(flags.as ? { as: flags.as } : {}) }),
  });
  if (!res.ok) {
    throw new AppError('ask:server', `The running server at ${url} refused the question (HTTP ${res.status}): ${await res.text()}`);
  }
  return (await res.json()) as TurnJson;
}

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
      let result: TurnJson;
      try {
        result = await askLocally(question, flags);
      } catch (err) {
        const config = loadConfig();
        const server = !config.database.url && isAppError(err, 'db:locked') ? runningServer(config.database.dataDir) : undefined;
        if (!server) throw err;
        result = await askServer(server.url, operatorCredential(config.database.dataDir, config.mcp.token), question, flags);
      }
      if (flags.json) {
        const { reply: _reply, ...shape } = result;
        process.stdout.write(`${JSON.stringify(shape)}\n`);
      } else {
        process.stdout.write(`${renderReplyText(result.reply)}\n`);
      }
      setExit(0);
    });
}
