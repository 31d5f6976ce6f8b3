// `qm serve` (everything on one port) and `qm start` (the same, loading the demo organisation into an empty database).
import type { Command } from 'commander';
import { openApprovalService } from '../approvals/service.js';
import { isDatabaseEmpty } from '../db/status.js';
import { MONITOR_QUEUES, startMonitorJobs } from '../monitors/jobs.js';
import { loadDemo } from '../demo/load.js';
import { createHttpApp } from '../http/app.js';
import { llmFromConfig } from '../llm/from-config.js';
import { createOrchestrator } from '../orchestrator/orchestrator.js';
import { writeLocalCredential } from '../access/local-credential.js';
import { publishServer } from './server-info.js';
import { listen } from '../http/server.js';
import { openSlackBot } from '../http/slack.js';
import { openTeamsBot, TEAMS_MODE_NOTE } from '../http/teams.js';
import { openRuntime } from '../runtime.js';

/** Adds the serve and start commands. */
export function registerServe(program: Command, setExit: (code: number) => void): void {
  program
    .command('serve')
    .description('Run the HTTP server (health, Slack, Teams, MCP) on PORT')
    .action(() => serve(false, setExit));
  program
    .command('start')
    .description('Like serve, but first loads the demo organisation when the database is empty')
    .action(() => serve(true, setExit));
}

async function serve(demoIfEmpty: boolean, setExit: (code: number) => void): Promise<void> {
  const rt = await openRuntime('qm serve');
  const { log } = rt;
  try {
    if (demoIfEmpty && (await isDatabaseEmpty(rt.database))) {
      log.info('empty database: loading the demo organisation (first start only)');
      await loadDemo({ database: rt.database, log });
    }
    if (!rt.config.mcp.token) {
      log.warn('QM_MCP_TOKEN is not set: the MCP endpoints accept loopback (local) clients only');
    }
    const approvals = await openApprovalService({
      database: rt.database,
      log,
      policy: { dir: rt.config.policyDir },
      jobs: rt.config.jobs ? 'workers' : 'send',
      extraQueues: MONITOR_QUEUES,
      ...(rt.config.database.url ? { databaseUrl: rt.config.database.url } : {}),
    });
    if (rt.config.jobs && approvals.jobs) {
      await startMonitorJobs(approvals.jobs, { database: rt.database, log, now: () => new Date(), approvals, policyDir: rt.config.policyDir });
    }
    approvals.notifier.subscribe((e) => {
      if (e.type === 'pending') log.info(`approval #${e.card.number} requested: ${e.card.ask}`, { waitingFor: e.card.waitingFor });
      if (e.type === 'resolved') log.info(`approval #${e.card.number} ${e.card.state}`, { outcome: e.card.outcome });
      if (e.type === 'executed' || e.type === 'notice') log.info(e.text);
    });
    const orchestrator = await createOrchestrator({
      database: rt.database,
      log,
      now: () => new Date(),
      llm: llmFromConfig(rt.config.llm),
      approvals,
    });
    const slack = await openSlackBot({ config: rt.config, orchestrator, approvals, database: rt.database, log });
    const teams = await openTeamsBot({ config: rt.config, orchestrator, approvals, database: rt.database, log });
    // Proves the local `qm` commands to this server as the operator (they read it; nobody else can).
    const local = writeLocalCredential(rt.config.database.dataDir);
    const app = createHttpApp({
      database: rt.database,
      log,
      mcp: {
        token: rt.config.mcp.token,
        localCredential: local.credential,
        allowedHosts: rt.config.allowedHosts,
        ...(rt.config.publicUrl ? { publicUrl: rt.config.publicUrl } : {}),
      },
      orchestrator,
      approvals,
      slack,
      teams,
      policyDir: rt.config.policyDir,
    });
    const server = await listen(app, { port: rt.config.http.port, host: rt.config.http.host, log });
    log.info(`Quartermaster listening on ${server.url}`, { database: rt.database.label });
    // Lets `qm ask` in another terminal go through this server while it holds the embedded database.
    const unpublish = rt.database.kind === 'pglite' ? publishServer(rt.config.database.dataDir, server.url) : () => {};
    process.stderr.write(
      [
        '',
        `  Quartermaster is running on ${server.url}`,
        `    health   ${server.url}/healthz`,
        `    MCP      ${server.url}/mcp/spend  ${server.url}/mcp/supplier  ${server.url}/mcp/contract`,
        '',
        `    ask      POST ${server.url}/api/ask  {"question": "..."}`,
        `    signals  POST ${server.url}/signals  (risk signals from your feeds)`,
        slack ? `    Slack    ${slack.mode === 'socket' ? 'Socket Mode' : `POST ${server.url}/slack/events`}` : '    Slack    not configured (see docs/slack.md)',
        `    Teams    POST ${server.url}/api/messages${TEAMS_MODE_NOTE[teams.mode]}`,
        '',
        '  Try:  npx qm ask "Which contracts expire in the next 90 days?"',
        rt.database.kind === 'pglite'
          ? '  (qm ask goes through this server; other qm commands need it stopped, or DATABASE_URL set to a PostgreSQL server)'
          : '',
        '',
      ].join('\n'),
    );
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        log.info(`${signal}: shutting down (draining in-flight requests)`);
        process.off('SIGTERM', onTerm);
        process.off('SIGINT', onInt);
        unpublish();
        local.remove();
        server.close().then(resolve, resolve);
      };
      const onTerm = () => stop('SIGTERM');
      const onInt = () => stop('SIGINT');
      process.on('SIGTERM', onTerm);
      process.on('SIGINT', onInt);
    });
    await slack?.close();
    await teams.close();
    await orchestrator.close();
    await approvals.close();
    setExit(0);
  } finally {
    await rt.close();
    log.info('stopped');
  }
}
