// One app instance for the multi-instance tests, run as its own process (so a test can kill it with SIGKILL):
// the database, the job queue with the chat takeover queues, the approvals service, the orchestrator, the Slack bot
// and the HTTP server, built from the environment the test gives it. Prints `listening <url>` on stdout when ready.
import { openApprovalService } from '../../src/approvals/service.js';
import { CHAT_QUEUES } from '../../src/chat/takeover.js';
import { openDatabase } from '../../src/db/client.js';
import { createHttpApp } from '../../src/http/app.js';
import { listen } from '../../src/http/server.js';
import { openJobQueue } from '../../src/jobs/queue.js';
import { createLogger } from '../../src/log.js';
import { createOrchestrator } from '../../src/orchestrator/orchestrator.js';
import { projectPath } from '../../src/paths.js';
import { createSlackBot } from '../../bots/slack/index.js';

const need = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

const url = need('INSTANCE_DATABASE_URL');
const log = createLogger('warn');
const database = await openDatabase({ url, poolSize: 4, purpose: 'test instance' });
const jobs = await openJobQueue({ database, url, log, queues: CHAT_QUEUES, pollSeconds: 0.5 });
const approvals = await openApprovalService({ database, log, policy: { dir: projectPath('policies') } });
const orchestrator = await createOrchestrator({ database, log, now: () => new Date(), approvals });
const bot = await createSlackBot({
  orchestrator,
  approvals,
  database,
  log,
  botToken: need('INSTANCE_SLACK_TOKEN'),
  signingSecret: need('INSTANCE_SLACK_SECRET'),
  apiUrl: need('INSTANCE_SLACK_API_URL'),
  leaseMs: Number(need('INSTANCE_LEASE_MS')),
  jobs,
});
const server = await listen(createHttpApp({ database, log, mcp: { allowedHosts: [] }, orchestrator, slack: bot }), { port: 0, host: '127.0.0.1', log });
process.stdout.write(`listening ${server.url}\n`);

process.once('SIGTERM', () => {
  void (async () => {
    await server.close();
    await bot.close();
    await jobs.stop();
    await orchestrator.close();
    await database.close();
    process.exit(0);
  })();
});
