// The web app: the third channel on the core, beside Slack and Teams. Its pages ask and decide through the chat
// core (src/chat) like the bots do, and read the same services and queries as the MCP tools and the CLI. Every
// route passes webSecurity first (Host, headers, session, same-origin and CSRF on POST).
import type { Hono } from 'hono';
import { cookieKey, DEFAULT_SESSION_LIMITS, type SessionLimits } from '../access/web-sessions.js';
import type { ApprovalService } from '../approvals/service.js';
import { createChatCore } from '../chat/core.js';
import type { Database } from '../db/client.js';
import type { Logger } from '../log.js';
import type { Orchestrator } from '../orchestrator/orchestrator.js';
import { mountAssets } from './assets.js';
import { mountAuth, OPEN_POSTS } from './auth.js';
import { mountOidc, type OidcSettings } from './oidc.js';
import { mountApprovalPages } from './pages/approvals.js';
import { mountAsk } from './pages/ask.js';
import { mountAutonomy } from './pages/autonomy.js';
import { mountForecast } from './pages/forecast.js';
import { mountLedger } from './pages/ledger.js';
import { mountRecords } from './pages/records.js';
import { mountSourcing } from './pages/sourcing.js';
import { mountSpend } from './pages/spend.js';
import { signedIn, type WebSecurity, webSecurity } from './security.js';

export type WebDeps = {
  database: Database;
  /** Where the spend and forecast pages read (see HttpDeps); unset → `database`. */
  readDatabase?: Database;
  log: Logger;
  now: () => Date;
  orchestrator: Orchestrator;
  approvals: ApprovalService;
  allowedHosts: readonly string[];
  publicUrl?: string | undefined;
  limits?: SessionLimits;
  /** Sign-in through an OpenID Connect provider (QM_OIDC_*), besides one-time links. */
  oidc?: OidcSettings | undefined;
};

/** The paths the web app serves (the security middleware runs on these only, not on the API or MCP). */
export const WEB_PATHS: readonly string[] = [
  '/',
  '/sign-in',
  '/auth/*',
  '/ask',
  '/approvals',
  '/approvals/*',
  '/spend',
  '/sourcing',
  '/sourcing/*',
  '/forecast',
  '/suppliers',
  '/contracts',
  '/findings',
  '/findings/*',
  '/ledger',
  '/ledger/*',
  '/autonomy',
  '/metrics',
  '/web/*',
];

/** Mounts the web app's routes on `app`. */
export function mountWeb(app: Hono, deps: WebDeps): void {
  let key: Promise<string> | undefined;
  const sec: WebSecurity = {
    database: deps.database,
    allowedHosts: deps.allowedHosts,
    publicUrl: deps.publicUrl,
    limits: deps.limits ?? DEFAULT_SESSION_LIMITS,
    now: deps.now,
    key: () => {
      key ??= cookieKey(deps.database).catch((err) => {
        key = undefined;
        throw err;
      });
      return key;
    },
  };
  const chat = createChatCore({ platform: 'web', database: deps.database, log: deps.log, orchestrator: deps.orchestrator, approvals: deps.approvals });
  const guard = webSecurity(sec, OPEN_POSTS);
  for (const path of WEB_PATHS) app.use(path, guard);
  mountAssets(app);
  mountAuth(app, sec, { oidcName: deps.oidc ? new URL(deps.oidc.issuer).host : undefined });
  if (deps.oidc) mountOidc(app, sec, deps.oidc, deps.log);
  mountAsk(app, { database: deps.database, chat, signed: signedIn });
  mountApprovalPages(app, { chat, signed: signedIn });
  const reads = { database: deps.database, signed: signedIn, now: deps.now };
  const analytics = { ...reads, database: deps.readDatabase ?? deps.database };
  mountSpend(app, analytics);
  mountSourcing(app, reads);
  mountForecast(app, analytics);
  mountRecords(app, reads);
  mountLedger(app, reads);
  mountAutonomy(app, { database: deps.database, approvals: deps.approvals, signed: signedIn });
}
