// The web app as its page tests use it: the demo organisation on a test database, the app from the composition
// root listening on 127.0.0.1, and one person signed in through a one-time link (the session cookie returned).
import { expect } from 'vitest';
import { createSignInLink } from '../../src/access/web-sessions.js';
import type { Database } from '../../src/db/client.js';
import { loadDemo } from '../../src/demo/load.js';
import { createHttpApp } from '../../src/http/app.js';
import { listen, type RunningServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/log.js';
import type { App } from '../../src/runtime.js';
import { openTestApp } from './app.js';

export type SignedInWeb = {
  qm: App;
  server: RunningServer;
  /** http://127.0.0.1:<port> */
  base: string;
  /** The signed-in person's session cookie (`name=value`). */
  cookie: string;
  /** Closes the server and the app (the caller closes the database). */
  close(): Promise<void>;
};

/** Loads the demo into `database` as of `now`, serves the web app and signs `user` in with a link. */
export async function startSignedInWeb(database: Database, opts: { user: string; now: Date; token: string }): Promise<SignedInWeb> {
  const { now } = opts;
  await loadDemo({ database, log: silentLogger, today: now });
  const qm = await openTestApp(database, { now: () => now });
  const [approvals, orchestrator] = [await qm.approvals(), await qm.orchestrator()];
  const app = createHttpApp({ database, log: silentLogger, now: () => now, mcp: { token: opts.token, allowedHosts: [] }, orchestrator, approvals });
  const server = await listen(app, { port: 0, host: '127.0.0.1', log: silentLogger });
  const base = `http://127.0.0.1:${server.port}`;
  const link = await createSignInLink(database, { user: opts.user, createdBy: 'test' }, now);
  const res = await fetch(`${base}/auth/link`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: new URLSearchParams({ token: link.token }).toString(),
  });
  expect(res.status).toBe(303);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  return {
    qm,
    server,
    base,
    cookie,
    async close() {
      await server.close();
      await qm.close();
    },
  };
}

/** The cells of each body row of the table captioned `caption`, tags stripped. */
export function tableRows(page: string, caption: string): string[][] {
  const at = page.indexOf(`<caption>${caption}</caption>`);
  expect(at, `table "${caption}"`).toBeGreaterThan(-1);
  const body = page.slice(at, page.indexOf('</table>', at));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].slice(1).map((r) => [...r[1]!.matchAll(/<td>(.*?)<\/td>/gs)].map((c) => c[1]!.replace(/<[^>]+>/g, '').trim()));
}
