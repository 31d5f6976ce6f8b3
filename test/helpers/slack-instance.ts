// One app instance for the multi-instance tests and bench/instances.ts, run as its own process (so a test can kill it
// with SIGKILL): the composition root (createApp, as `qm serve` builds it) with job workers and the Slack bot,
// configured from the environment the test gives it, serving HTTP on a free port. Prints `listening <url>` on stdout
// when ready. Optional: the Teams bot authenticated against a local Bot Framework token signer
// (INSTANCE_TEAMS_APP_ID, INSTANCE_TEAMS_OPENID_URL: test/fakes/bot-framework-tokens.ts; its own calls carry a fixed
// token), the host names it answers to behind a proxy (INSTANCE_ALLOWED_HOSTS), and monitors run on a short timer
// (INSTANCE_MONITORS, comma-separated, every INSTANCE_MONITOR_EVERY_MS) the way a scheduled run goes: skipped while
// another run of the monitor, on any instance, holds it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { listen } from '../../src/http/server.js';
import { createLogger } from '../../src/log.js';
import { monitors } from '../../src/monitors/registry.js';
import { runMonitor } from '../../src/monitors/runner.js';
import { createApp } from '../../src/runtime.js';

const env = process.env;
const teamsAppId = env.INSTANCE_TEAMS_APP_ID;
const config = loadConfig({
  DATABASE_URL: env.INSTANCE_DATABASE_URL,
  SLACK_BOT_TOKEN: env.INSTANCE_SLACK_TOKEN,
  SLACK_SIGNING_SECRET: env.INSTANCE_SLACK_SECRET,
  SLACK_API_URL: env.INSTANCE_SLACK_API_URL,
  QM_CHAT_LEASE_SECONDS: env.INSTANCE_LEASE_SECONDS,
  QM_DATA_DIR: mkdtempSync(join(tmpdir(), 'qm-instance-')),
  QM_ALLOWED_HOSTS: env.INSTANCE_ALLOWED_HOSTS,
  QM_DB_POOL_SIZE: env.INSTANCE_POOL_SIZE,
  ...(teamsAppId ? { MICROSOFT_APP_ID: teamsAppId, MICROSOFT_APP_PASSWORD: 'not-a-real-secret', MICROSOFT_APP_TYPE: 'MultiTenant', QM_TEAMS_SERVICE_HOSTS: '127.0.0.1' } : {}),
});
const log = createLogger('warn');
const botFramework = env.INSTANCE_TEAMS_OPENID_URL ? { openIdMetadataUrl: env.INSTANCE_TEAMS_OPENID_URL, outboundToken: async () => 'instance-outbound-token' } : undefined;
const qm = await createApp(config, { purpose: 'test instance', log, jobs: 'workers', pollSeconds: 0.5, llm: null, ...(botFramework ? { teams: { botFramework } } : {}) });
const server = await listen(await qm.http({}), { port: 0, host: '127.0.0.1', log });

const timers: NodeJS.Timeout[] = [];
const every = Number(env.INSTANCE_MONITOR_EVERY_MS ?? 1000);
for (const name of (env.INSTANCE_MONITORS ?? '').split(',').filter(Boolean)) {
  const monitor = monitors.get(name);
  if (!monitor) throw new Error(`no monitor named "${name}"`);
  let busy = false;
  timers.push(
    setInterval(() => {
      if (busy) return;
      busy = true;
      void qm
        .monitorDeps()
        .then((deps) => runMonitor(deps, monitor, { ifRunning: 'skip' }))
        .catch((err: Error) => log.warn(`monitor ${name} failed`, { error: err.message }))
        .finally(() => {
          busy = false;
        });
    }, every),
  );
}
process.stdout.write(`listening ${server.url}\n`);

process.once('SIGTERM', () => {
  void (async () => {
    for (const t of timers) clearInterval(t);
    await server.close();
    await qm.close();
    process.exit(0);
  })();
});
