// What the browser tests share: Debian's chromium driven by playwright-core (no browser download) with the flags
// this machine's notes prescribe, and the app on a fresh embedded database with the demo organisation, served on a
// free port.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import type { ApprovalService } from '../../src/approvals/service.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { loadDemo } from '../../src/demo/load.js';
import { createHttpApp, type HttpDeps } from '../../src/http/app.js';
import { listen, type RunningServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/log.js';
import { openTestApp } from './app.js';

const CHROMIUM = process.env.QM_CHROMIUM ?? '/usr/bin/chromium';
// No sandbox (tests run as root in CI), no GPU, and no background traffic to Google's hosts (closed network).
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** False only off CI on a machine without chromium; CI installs it (.ci/run), so there the browser suites must run. */
export const browserAvailable = existsSync(CHROMIUM) || Boolean(process.env.CI);

/** Starts headless chromium with a fresh profile. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

export type WebApp = { database: Database; approvals: ApprovalService; server: RunningServer; close(): Promise<void> };

/** The app with the demo organisation on an in-memory database, listening on 127.0.0.1 (any free port). */
export async function startWebApp(extra: Partial<Pick<HttpDeps, 'oidc'>> = {}): Promise<WebApp> {
  const database = await openDatabase({ dataDir: 'memory' });
  await loadDemo({ database, log: silentLogger });
  const qm = await openTestApp(database);
  let server: RunningServer | undefined;
  const close = async () => {
    await server?.close();
    await qm.close();
    await database.close();
  };
  try {
    const approvals = await qm.approvals();
    const app = createHttpApp({ database, log: silentLogger, mcp: { allowedHosts: [] }, orchestrator: await qm.orchestrator(), approvals, ...extra });
    server = await listen(app, { port: 0, host: '127.0.0.1', log: silentLogger });
    return { database, approvals, server, close };
  } catch (err) {
    await close();
    throw err;
  }
}
