// The Slack bot: a Bolt app (the factory below), its listeners, and approval cards wired to the approvals notifier.
// Over HTTP (the default) requests come through `handle`, mounted by the hono server at POST /slack/events; with an
// app-level token (SLACK_APP_TOKEN) Bolt's SocketModeReceiver connects out to Slack instead and `handle` is unused.
import { App, SocketModeReceiver, type types } from '@slack/bolt';
import type { ApprovalService } from '../../src/approvals/service.js';
import type { Approver } from '../../src/approvals/types.js';
import { type ChatDatabase, createChatCore } from '../../src/chat/core.js';
import type { JobQueue } from '../../src/jobs/queue.js';
import type { Logger } from '../../src/log.js';
import type { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import { renderNote } from './blocks/approval.js';
import { createSlackChannel } from './channel.js';
import type { BotContext, WebClient } from './context.js';
import { ACCEPTED, admit, dedupeMiddleware, STILL_MINE } from './dedupe.js';
import { registerListeners } from './listeners/index.js';
import { boltLogger } from './logger.js';
import { postMessage } from './post.js';
import { HonoReceiver } from './receiver.js';
import { slackPerson } from './users.js';

export type SlackBotOptions = {
  orchestrator: Orchestrator;
  approvals: ApprovalService;
  /** Handed to the chat core (src/chat), which does the bot's database work. */
  database: ChatDatabase;
  log: Logger;
  /** Bot token (xoxb-…). */
  botToken: string;
  /** Signing secret: required over HTTP. */
  signingSecret?: string;
  /** App-level token (xapp-…): Socket Mode. */
  appToken?: string;
  /** Web API base URL (default https://slack.com/api/). */
  apiUrl?: string;
  /** Channel for approval cards and alerts. */
  approvalsChannel?: string;
  /** Seconds since the epoch, for signature timestamps (tests). */
  nowSeconds?: () => number;
  /** How an approver's Slack id is found (default users.lookupByEmail). */
  slackIdOf?: (approver: Approver, client: WebClient) => Promise<string | undefined>;
  /** Orchestrator turns run at once (default 4); more wait in arrival order. */
  maxConcurrentTurns?: number;
  /** How long this instance holds a request it is answering before another may take it over (default 60 s). */
  leaseMs?: number;
  /** The process's job queue (CHAT_QUEUES declared): acknowledged requests wait there until answered. */
  jobs?: JobQueue | undefined;
};

export type SlackBot = {
  mode: 'http' | 'socket';
  /** One request to POST /slack/events (HTTP mode). */
  handle(request: Request): Promise<Response>;
  /** Posts an alert to the approvals/alerts channel; undefined when none is configured. */
  postAlert(text: string, blocks?: types.KnownBlock[]): Promise<{ channel: string; ts: string } | undefined>;
  /** Waits for work still running after requests were acknowledged. */
  drain(): Promise<void>;
  close(): Promise<void>;
  /** The Bolt app (for tests and extensions). */
  app: App;
};

/** The Bolt app factory: one app, our logger, the Web API pointed at `apiUrl`, auth.test done by `init()`. */
export function createBoltApp(opts: { botToken: string; receiver: HonoReceiver | SocketModeReceiver; log: Logger; apiUrl?: string; socket: boolean }): App {
  return new App({
    token: opts.botToken,
    receiver: opts.receiver,
    ...(opts.socket ? { socketMode: true } : {}),
    logger: boltLogger(opts.log),
    clientOptions: clientOptions(opts.apiUrl),
    // auth.test runs in init(), awaited by the caller, instead of as a floating promise in the constructor.
    deferInitialization: true,
    convoStore: false,
  });
}

function clientOptions(apiUrl: string | undefined) {
  return {
    ...(apiUrl ? { slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` } : {}),
    timeout: 10_000,
    retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2000 },
  };
}

/** Creates the bot, verifies the token (auth.test) and, in Socket Mode, connects. */
export async function createSlackBot(opts: SlackBotOptions): Promise<SlackBot> {
  const { log } = opts;
  const socket = Boolean(opts.appToken);
  if (!socket && !opts.signingSecret) throw new Error('Slack over HTTP needs SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode).');
  const chat = createChatCore({ ...opts, platform: 'slack' });
  const http = socket
    ? undefined
    : new HonoReceiver({
        signingSecret: opts.signingSecret!,
        log,
        admit: (body, retryNum) => admit(chat.intake, body, log, retryNum),
        ...(opts.nowSeconds ? { nowSeconds: opts.nowSeconds } : {}),
      });
  const receiver =
    http ??
    new SocketModeReceiver({
      appToken: opts.appToken!,
      logger: boltLogger(log),
      installerOptions: { clientOptions: clientOptions(opts.apiUrl) },
    });
  const app = createBoltApp({ botToken: opts.botToken, receiver, log, socket, ...(opts.apiUrl ? { apiUrl: opts.apiUrl } : {}) });
  try {
    await app.init();
  } catch (err) {
    throw new Error(`Slack rejected the bot token (auth.test: ${(err as Error).message}); check SLACK_BOT_TOKEN${opts.apiUrl ? ' and SLACK_API_URL' : ''}.`, {
      cause: err,
    });
  }

  const ctx: BotContext = {
    chat,
    approvals: opts.approvals,
    log,
    person: (client, slackId) => slackPerson(chat.people, client, slackId),
    ...(opts.approvalsChannel ? { approvalsChannel: opts.approvalsChannel } : {}),
  };
  app.error(async (err) => {
    log.error('slack: a listener failed', { error: err.message, code: err.code });
  });
  app.use(dedupeMiddleware(chat.intake, log));
  registerListeners(app, ctx);
  // Requests another instance acknowledged but did not answer in time (it died) are answered here.
  await chat.intake.takeOver((payload, stillMine) =>
    app.processEvent({ body: payload.body as Record<string, unknown>, ack: async () => {}, customProperties: { [ACCEPTED]: true, [STILL_MINE]: stillMine } }),
  );
  const unsubscribe = chat.deliverApprovals(createSlackChannel(ctx, app.client, opts.slackIdOf ? { slackIdOf: opts.slackIdOf } : {}));
  if (socket) await app.start();

  let closed = false;
  return {
    mode: socket ? 'socket' : 'http',
    app,
    handle: (request) => (http ? http.handle(request) : Promise.resolve(new Response(null, { status: 404 }))),
    async postAlert(text, blocks) {
      if (!ctx.approvalsChannel) {
        log.warn('slack: an alert was not posted: no approvals/alerts channel is set (QM_APPROVALS_CHANNEL)', { text: text.slice(0, 200) });
        return undefined;
      }
      const message = blocks && blocks.length > 0 ? { text, blocks } : renderNote(text, ':rotating_light:');
      return postMessage(app.client, log, { channel: ctx.approvalsChannel }, message);
    },
    drain: () => (http ? http.drain() : Promise.resolve()),
    async close() {
      if (closed) return;
      closed = true;
      // Work already acknowledged finishes first (its decisions still update the cards), then the cards stop.
      if (http) await http.drain();
      else await app.stop();
      unsubscribe();
    },
  };
}
