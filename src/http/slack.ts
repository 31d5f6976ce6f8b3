// POST /slack/events on the main server: Events API (JSON), interactivity (form `payload=`) and slash commands
// (form) all arrive here and go to the Slack bot. Without a bot (Slack not configured) the route says so; in Socket
// Mode events arrive over the socket and the route is not used.
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createSlackBot, type SlackBot } from '../../bots/slack/index.js';
import type { ApprovalService } from '../approvals/service.js';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Logger } from '../log.js';
import type { Orchestrator } from '../orchestrator/orchestrator.js';

export const SLACK_EVENTS_PATH = '/slack/events';

/** Mounts the Slack endpoint; `slack` is the bot from `openSlackBot` (undefined when Slack is not configured). */
export function mountSlack(app: Hono, deps: { slack?: SlackBot; log: Logger }): void {
  const { slack } = deps;
  app.post(
    SLACK_EVENTS_PATH,
    bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.json({ error: 'too_large', message: 'Request body over 1 MB.' }, 413) }),
    async (c) => {
      if (!slack) {
        return c.json({ error: 'not_configured', message: 'Slack is not configured: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN.' }, 503);
      }
      if (slack.mode === 'socket') {
        return c.json({ error: 'socket_mode', message: 'Slack runs in Socket Mode (SLACK_APP_TOKEN is set): events arrive over the socket, not here.' }, 404);
      }
      return slack.handle(c.req.raw);
    },
  );
}

/** Starts the Slack bot when SLACK_BOT_TOKEN (and a signing secret, or an app token for Socket Mode) is set. */
export async function openSlackBot(deps: {
  config: Config;
  orchestrator: Orchestrator;
  approvals: ApprovalService;
  database: Database;
  log: Logger;
  /** The process's job queue (CHAT_QUEUES declared), so requests an instance dies on are answered by another. */
  jobs?: JobQueue | undefined;
}): Promise<SlackBot | undefined> {
  const { slack } = deps.config;
  if (!slack.botToken || (!slack.signingSecret && !slack.appToken)) {
    if (slack.botToken || slack.signingSecret || slack.appToken) {
      deps.log.warn('Slack is partly configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)');
    }
    return undefined;
  }
  const bot = await createSlackBot({
    orchestrator: deps.orchestrator,
    approvals: deps.approvals,
    database: deps.database,
    log: deps.log,
    botToken: slack.botToken,
    ...(slack.signingSecret ? { signingSecret: slack.signingSecret } : {}),
    ...(slack.appToken ? { appToken: slack.appToken } : {}),
    ...(slack.apiUrl ? { apiUrl: slack.apiUrl } : {}),
    ...(deps.config.approvalsChannel ? { approvalsChannel: deps.config.approvalsChannel } : {}),
    // Rule-planner turns are CPU-bound (a few at a time keeps acks prompt); language-model turns mostly wait.
    maxConcurrentTurns: deps.config.llm.apiKey || deps.config.llm.baseUrl ? 16 : 4,
    leaseMs: deps.config.chat.leaseMs,
    ...(deps.jobs ? { jobs: deps.jobs } : {}),
  });
  deps.log.info(`Slack connected (${bot.mode === 'socket' ? 'Socket Mode' : `HTTP at ${SLACK_EVENTS_PATH}`})`, {
    approvalsChannel: deps.config.approvalsChannel ?? null,
  });
  return bot;
}
