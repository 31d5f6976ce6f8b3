// `qm serve` (everything on one port) and `qm start` (the same, loading the demo organisation into an empty database).
import type { Command } from 'commander';
import { writeLocalCredential } from '../access/local-credential.js';
import { administratorSignInLink, signInUrl } from '../access/web-sessions.js';
import { loadConfig } from '../config.js';
import { isDatabaseEmpty } from '../db/status.js';
import { loadDemo } from '../demo/load.js';
import { listen } from '../http/server.js';
import { TEAMS_MODE_NOTE } from '../http/teams.js';
import { createLogger } from '../log.js';
import { createApp } from '../runtime.js';
import { publishServer } from './server-info.js';
import { MCP_SERVER_NAMES } from '../../mcp-servers/index.js';

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
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const qm = await createApp(config, { purpose: 'qm serve', log, jobs: config.jobs ? 'workers' : 'send' });
  try {
    // The demo goes in before anything else reads the database (the policy's users, the monitors' data).
    if (demoIfEmpty && (await isDatabaseEmpty(qm.database))) {
      log.info('empty database: loading the demo organisation (first start only)');
      await loadDemo({ database: qm.database, log });
    }
    if (config.jobs) await qm.startWorkers();
    if (!config.mcp.token) {
      log.warn('QM_MCP_TOKEN is not set: the MCP endpoints accept loopback (local) clients only');
    }
    const approvals = await qm.approvals();
    approvals.notifier.subscribe((e) => {
      if (e.type === 'pending') log.info(`approval #${e.card.number} requested: ${e.card.ask}`, { waitingFor: e.card.waitingFor });
      if (e.type === 'resolved') log.info(`approval #${e.card.number} ${e.card.state}`, { outcome: e.card.outcome });
      if (e.type === 'executed' || e.type === 'notice') log.info(e.text);
    });
    const { slack, teams } = await qm.channels();
    // Proves the local `qm` commands to this server as the operator (they read it; nobody else can).
    const local = writeLocalCredential(config.database.dataDir);
    const app = await qm.http({ localCredential: local.credential });
    const server = await listen(app, { port: config.http.port, host: config.http.host, log });
    log.info(`Quartermaster listening on ${server.url}`, { database: qm.database.label });
    // Lets `qm ask` in another terminal go through this server while it holds the embedded database.
    const unpublish = qm.database.kind === 'pglite' ? publishServer(config.database.dataDir, server.url) : () => {};
    // `qm start` (a newcomer's first run) signs the administrator straight in; `qm serve` never prints a credential.
    const origin = config.publicUrl ?? server.url;
    const admin = demoIfEmpty ? await administratorSignInLink(qm.database, 'qm start') : undefined;
    process.stderr.write(
      [
        '',
        `  Quartermaster is running on ${server.url}`,
        `    web      ${origin}/`,
        ...(admin ? [`    sign in  ${signInUrl(origin, admin.token)}`, `             (as ${admin.user.email}; works once, for 10 minutes; more with: npx qm web link --as <email>)`] : []),
        `    health   ${server.url}/healthz`,
        `    MCP      ${MCP_SERVER_NAMES.map((name) => `${server.url}/mcp/${name}`).join('  ')}`,
        '',
        `    ask      POST ${server.url}/api/ask  {"question": "..."}`,
        `    signals  POST ${server.url}/signals  (risk signals from your feeds)`,
        slack ? `    Slack    ${slack.mode === 'socket' ? 'Socket Mode' : `POST ${server.url}/slack/events`}` : '    Slack    not configured (see docs/slack.md)',
        `    Teams    POST ${server.url}/api/messages${TEAMS_MODE_NOTE[teams.mode]}`,
        '',
        '  Try:  npx qm ask "Which contracts expire in the next 90 days?"',
        qm.database.kind === 'pglite'
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
    setExit(0);
  } finally {
    await qm.close();
    log.info('stopped');
  }
}
