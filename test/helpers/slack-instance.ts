// One app instance for the multi-instance tests, run as its own process (so a test can kill it with SIGKILL): the
// composition root (createApp, as `qm serve` builds it) with job workers and the Slack bot, configured from the
// environment the test gives it, serving HTTP on a free port. Prints `listening <url>` on stdout when ready.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { listen } from '../../src/http/server.js';
import { createLogger } from '../../src/log.js';
import { createApp } from '../../src/runtime.js';

const config = loadConfig({
  DATABASE_URL: process.env.INSTANCE_DATABASE_URL,
  SLACK_BOT_TOKEN: process.env.INSTANCE_SLACK_TOKEN,
  SLACK_SIGNING_SECRET: process.env.INSTANCE_SLACK_SECRET,
  SLACK_API_URL: process.env.INSTANCE_SLACK_API_URL,
  QM_CHAT_LEASE_SECONDS: process.env.INSTANCE_LEASE_SECONDS,
  QM_DATA_DIR: mkdtempSync(join(tmpdir(), 'qm-instance-')),
});
const log = createLogger('warn');
const qm = await createApp(config, { purpose: 'test instance', log, jobs: 'workers', pollSeconds: 0.5, llm: null });
const server = await listen(await qm.http({}), { port: 0, host: '127.0.0.1', log });
process.stdout.write(`listening ${server.url}\n`);

process.once('SIGTERM', () => {
  void (async () => {
    await server.close();
    await qm.close();
    process.exit(0);
  })();
});
