// The composition root: `createApp(config)` builds what one process runs on, once — the database, the ledger, the
// job queue, the approvals service, the orchestrator and the chat channels — and hands the same objects to
// whatever asks. `qm serve`, every CLI command, the tests and the benches start here; nothing else constructs
// services or looks them up. Parts are built on first use (a `qm import` never loads the policy or starts the
// job queue) and closed together, in reverse order, by `close()`.
import { openApprovalService, APPROVAL_QUEUES, type ApprovalService } from './approvals/service.js';
import { APPROVAL_EVENTS_QUEUE, deliverRelayedEvents, relayApprovalEvents } from './approvals/relay.js';
import { CHAT_QUEUES } from './chat/takeover.js';
import { analyticsLane } from './db/lane.js';
import { openReadRouting } from './db/replica.js';
import type { ApprovalNotifier } from './approvals/notify.js';
import { createLedger, type Ledger } from './audit/ledger.js';
import { type Config, loadConfig } from './config.js';
import { type Database, openDatabase } from './db/client.js';
import type { Policy } from './governance/policy.js';
import { createHttpApp } from './http/app.js';
import type { SlackBot } from '../bots/slack/index.js';
import type { BotFrameworkEndpoints, TeamsBot } from '../bots/teams/index.js';
import { openSlackBot } from './http/slack.js';
import { openTeamsBot } from './http/teams.js';
import { type JobQueue, openJobQueue } from './jobs/queue.js';
import { llmFromConfig } from './llm/from-config.js';
import type { ChatProvider } from './llm/openai.js';
import { createLogger, type Logger } from './log.js';
import { MONITOR_QUEUES, startMonitorJobs } from './monitors/jobs.js';
import type { MonitorRunDeps } from './monitors/runner.js';
import type { TurnFaults } from './orchestrator/commit-turn.js';
import { createOrchestrator, type Orchestrator, type OrchestratorDeps } from './orchestrator/orchestrator.js';
import type { Hono } from 'hono';

export type AppOptions = {
  /** What the process is for (shown by the database as its application name). */
  purpose: string;
  /** Only warnings and errors are logged (CLI commands that print their own output). */
  quiet?: boolean;
  /** A logger to use instead of one made from the config. */
  log?: Logger;
  /** An open database to run on; the caller keeps it and closes it. Unset → the configured one, closed by the app. */
  database?: Database;
  /** The server URL of a given `database` (the job queue then opens its own small pool, as it does for the configured one). */
  databaseUrl?: string;
  now?: () => Date;
  /**
   * The job queue: 'workers' runs the approval and monitor jobs in this process (a server), 'send' only schedules
   * them (a CLI command), 'off' neither. Default: 'send' when the config runs jobs, else 'off'.
   */
  jobs?: 'workers' | 'send' | 'off';
  /** How often job workers poll for due jobs (seconds). */
  pollSeconds?: number;
  /** A parsed policy; unset → loaded from the config's policy folder. */
  policy?: Policy;
  notifier?: ApprovalNotifier;
  /** The language model; unset → the configured one (none unless configured); null → none. */
  llm?: (ChatProvider & { model: string }) | null;
  /**
   * What the orchestrator does with the actions its turns propose: 'govern' (default) submits them to the approvals
   * service; 'show' only shows them, filing nothing (a question bank being scored, a what-if).
   */
  proposals?: 'govern' | 'show';
  /** Orchestrator settings for tests and benches: per-agent timeout, remote MCP servers, failure injection. */
  orchestrator?: Pick<OrchestratorDeps, 'agentTimeoutMs' | 'remote'> & { faults?: TurnFaults };
  /** Bot Framework endpoints for tests and benches (a local token signer, a fixed outbound token); never from the environment. */
  teams?: { botFramework?: BotFrameworkEndpoints };
};

export type Channels = { slack?: SlackBot; teams: TeamsBot };

export type App = {
  config: Config;
  log: Logger;
  database: Database;
  /** The group-committing ledger for events that stand alone (state changes record theirs in their transaction). */
  ledger: Ledger;
  now: () => Date;
  /** The job queue, unless jobs are off. */
  jobs(): Promise<JobQueue | undefined>;
  approvals(): Promise<ApprovalService>;
  orchestrator(): Promise<Orchestrator>;
  /** The Slack and Teams bots the config enables. */
  channels(): Promise<Channels>;
  /** What a monitor run needs. */
  monitorDeps(): Promise<MonitorRunDeps>;
  /** Works the approval and monitor jobs in this process (a server; needs jobs: 'workers'). */
  startWorkers(): Promise<void>;
  /** The HTTP routes (health, MCP, API, signals, Slack, Teams), for a server to listen with. */
  http(access: { localCredential?: string }): Promise<Hono>;
  /** Closes what was built, in reverse order. */
  close(): Promise<void>;
};

/** Builds the application for one process on `config` (default: the environment). */
export async function createApp(config: Config = loadConfig(), opts: AppOptions): Promise<App> {
  const log = opts.log ?? createLogger(opts.quiet ? 'warn' : config.logLevel);
  const opened =
    opts.database ??
    (await openDatabase({ url: config.database.url, dataDir: config.database.dataDir, poolSize: config.database.poolSize, purpose: opts.purpose }));
  const ownsDatabase = opts.database === undefined;
  // With a read replica, analytics read there, and this process's writes are noted so it reads them back at once.
  const routing = ownsDatabase && config.database.readUrl ? await openReadRouting(opened, config.database.readUrl, log) : undefined;
  const database = routing?.primary ?? opened;
  // Analytics (spend and demand questions) take turns: a few at a time on the server, the rest queued (src/db/lane.ts).
  const reads = analyticsLane(routing?.reads ?? database, config.database.analyticsConcurrency);
  const now = opts.now ?? (() => new Date());
  const ledger = createLedger(database);
  const serverUrl = ownsDatabase ? config.database.url : opts.databaseUrl;
  const mode = opts.jobs ?? (config.jobs ? 'send' : 'off');
  const closers: (() => Promise<void>)[] = [];
  if (routing) closers.push(() => routing.close());

  /** Builds a part once, on first use; later calls share it (and a failed build is retried on the next call). */
  const once = <T>(build: () => Promise<T>): (() => Promise<T>) => {
    let built: Promise<T> | undefined;
    return () => {
      built ??= build().catch((err) => {
        built = undefined;
        throw err;
      });
      return built;
    };
  };

  const jobs = once(async () => {
    if (mode === 'off') return undefined;
    const queue = await openJobQueue({
      database,
      log,
      ...(serverUrl ? { url: serverUrl } : {}),
      ...(opts.pollSeconds ? { pollSeconds: opts.pollSeconds } : {}),
      queues: [...APPROVAL_QUEUES, ...MONITOR_QUEUES, ...CHAT_QUEUES, APPROVAL_EVENTS_QUEUE],
    });
    closers.push(() => queue.stop());
    return queue;
  });

  // Until this process delivers approval events itself (chat channels), they go to a server that does.
  let relay: (() => void) | undefined;
  const approvals = once(async () => {
    const queue = await jobs();
    const service = await openApprovalService({
      database,
      log,
      now,
      policy: opts.policy ?? { dir: config.policyDir },
      ...(queue ? { jobs: queue, workers: mode === 'workers' } : {}),
      ...(opts.notifier ? { notifier: opts.notifier } : {}),
    });
    if (queue) relay = relayApprovalEvents(service.notifier, queue, log);
    return service;
  });

  const monitorDeps = once(async (): Promise<MonitorRunDeps> => ({ database, log, now, approvals: await approvals(), policyDir: config.policyDir }));

  const orchestrator = once(async () => {
    const llm = opts.llm === undefined ? llmFromConfig(config.llm) : (opts.llm ?? undefined);
    const o = await createOrchestrator({
      database,
      log,
      now,
      fiscalYearStartMonth: config.fiscalYearStartMonth,
      policyDir: config.policyDir,
      ...(opts.proposals === 'show' ? {} : { approvals: await approvals() }),
      readDatabase: reads,
      ...(llm ? { llm } : {}),
      ...(opts.orchestrator ?? {}),
    });
    closers.push(() => o.close());
    return o;
  });

  const channels = once(async (): Promise<Channels> => {
    const queue = await jobs();
    const deps = { config, orchestrator: await orchestrator(), approvals: await approvals(), database, log, ...(queue ? { jobs: queue } : {}) };
    const slack = await openSlackBot(deps);
    if (slack) closers.push(() => slack.close());
    const teams = await openTeamsBot({ ...deps, ...(opts.teams?.botFramework ? { botFramework: opts.teams.botFramework } : {}) });
    closers.push(() => teams.close());
    // A process with a chat channel delivers approval events itself, including those relayed from processes without one.
    if (slack || teams.mode !== 'off') {
      relay?.();
      if (queue && mode === 'workers') await deliverRelayedEvents(deps.approvals.notifier, queue);
    }
    return { ...(slack ? { slack } : {}), teams };
  });

  const app: App = {
    config,
    log,
    database,
    ledger,
    now,
    jobs,
    approvals,
    orchestrator,
    channels,
    monitorDeps,
    async startWorkers() {
      if (mode !== 'workers') throw new Error(`startWorkers needs jobs: 'workers' (this app has '${mode}')`);
      await approvals(); // opening the service registers the approval workers
      const queue = await jobs();
      if (queue) await startMonitorJobs(queue, await monitorDeps());
    },
    async http(access) {
      const { slack, teams } = await channels();
      const queue = await jobs();
      return createHttpApp({
        database,
        readDatabase: reads,
        log,
        now,
        ...(queue ? { jobs: queue } : {}),
        mcp: {
          token: config.mcp.token,
          allowedHosts: config.allowedHosts,
          ...(access.localCredential ? { localCredential: access.localCredential } : {}),
          ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
        },
        orchestrator: await orchestrator(),
        approvals: await approvals(),
        ...(slack ? { slack } : {}),
        teams,
        policyDir: config.policyDir,
        ...(config.oidc ? { oidc: config.oidc } : {}),
      });
    },
    async close() {
      for (const close of closers.reverse()) await close().catch((err) => log.warn('closing a part of the app failed', { error: (err as Error).message }));
      closers.length = 0;
      await ledger.flush();
      if (ownsDatabase) await database.close();
    },
  };
  return app;
}
