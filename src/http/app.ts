// The HTTP surface: one hono app on one port. Chat platforms and MCP mount their routes here.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Database } from '../db/client.js';
import type { Logger } from '../log.js';
import { version } from '../version.js';
import type { Orchestrator } from '../orchestrator/orchestrator.js';
import type { ApprovalService } from '../approvals/service.js';
import { mountApprovals } from './approvals.js';
import type { AccessOptions } from './guard.js';
import { noNulInUrl } from './input.js';
import { bodyLimits } from './limits.js';
import { mountAsk } from './ask.js';
import type { SlackBot } from '../../bots/slack/index.js';
import type { TeamsBot } from '../../bots/teams/index.js';
import { mountMcp } from './mcp.js';
import { mountSignals } from './signals.js';
import { mountSlack } from './slack.js';
import { mountTokens } from './tokens.js';
import { mountTeams } from './teams.js';
import { mountWebLinks } from './web-links.js';
import { createAccessTokenVerifier } from '../access/oauth-resource.js';
import { mountWeb } from '../web/app.js';
import type { JobQueue } from '../jobs/queue.js';
import { mountReadiness } from './health.js';

export type HttpDeps = {
  database: Database;
  /** Where analytics read (a read replica, queued in an analytics lane); unset → `database`. */
  readDatabase?: Database;
  log: Logger;
  /**
   * Access to the programmatic endpoints (MCP, /api, /signals): QM_MCP_TOKEN, the local credential written
   * into the data directory, QM_ALLOWED_HOSTS and QM_PUBLIC_URL. Personal tokens are checked in `database`.
   */
  mcp: { token?: string; localCredential?: string; allowedHosts: readonly string[]; publicUrl?: string };
  now?: () => Date;
  /** When given, POST /api/ask answers questions (guarded like MCP). */
  orchestrator?: Orchestrator;
  /** When given, /api/approvals lists and decides approvals (guarded like MCP). */
  approvals?: ApprovalService;
  /** The Slack bot (from openSlackBot); without it POST /slack/events answers 503. */
  slack?: SlackBot;
  /** Folder of the policies (monitor thresholds for POST /signals); default: the packaged policies/. */
  policyDir?: string;
  /** Web sign-in through an OpenID Connect provider (config.oidc), besides one-time links. */
  oidc?: { issuer: string; clientId: string; clientSecret?: string | undefined } | undefined;
  /** The Teams bot (from openTeamsBot); without it POST /api/messages answers 503. */
  teams?: TeamsBot;
  /** The process's job queue, checked by GET /readyz. */
  jobs?: JobQueue | undefined;
};

/** Builds the hono app with every route. */
export function createHttpApp(deps: HttpDeps): Hono {
  const app = new Hono();
  const access: AccessOptions = {
    ...deps.mcp,
    database: deps.database,
    ...(deps.now ? { now: deps.now } : {}),
    // The web app's identity provider also issues access tokens for the MCP servers (OAuth resource server).
    ...(deps.oidc ? { oauth: createAccessTokenVerifier({ issuer: deps.oidc.issuer, database: deps.database, ...(deps.now ? { now: deps.now } : {}) }) } : {}),
  };
  app.use('*', noNulInUrl);
  app.use('*', bodyLimits());

  app.get('/healthz', async (c) => {
    const reachable = await deps.database.ping();
    return c.json(
      { status: reachable ? 'ok' : 'degraded', version, database: { kind: deps.database.kind, reachable } },
      reachable ? 200 : 503,
    );
  });

  mountReadiness(app, { database: deps.database, jobs: deps.jobs });

  mountMcp(app, {
    deps: {
      database: deps.database,
      ...(deps.readDatabase ? { readDatabase: deps.readDatabase } : {}),
      log: deps.log,
      now: deps.now ?? (() => new Date()),
      ...(deps.policyDir ? { policyDir: deps.policyDir } : {}),
    },
    access,
  });

  if (deps.orchestrator) {
    mountAsk(app, { orchestrator: deps.orchestrator, access });
  }

  if (deps.approvals) {
    mountApprovals(app, { approvals: deps.approvals, access });
  }

  // The web app (sign-in, Ask, Approvals, …) and the operator's sign-in links for it.
  mountWebLinks(app, { database: deps.database, access, ...(deps.now ? { now: deps.now } : {}) });
  if (deps.orchestrator && deps.approvals) {
    mountWeb(app, {
      database: deps.database,
      ...(deps.readDatabase ? { readDatabase: deps.readDatabase } : {}),
      log: deps.log,
      now: deps.now ?? (() => new Date()),
      orchestrator: deps.orchestrator,
      approvals: deps.approvals,
      allowedHosts: deps.mcp.allowedHosts,
      publicUrl: deps.mcp.publicUrl,
      oidc: deps.oidc,
    });
  }

  mountSignals(app, {
    database: deps.database,
    log: deps.log,
    now: deps.now,
    access,
    approvals: deps.approvals,
    ...(deps.policyDir ? { policyDir: deps.policyDir } : {}),
  });
  mountTokens(app, { database: deps.database, access, ...(deps.now ? { now: deps.now } : {}) });
  mountSlack(app, { slack: deps.slack, log: deps.log });
  mountTeams(app, { teams: deps.teams, log: deps.log, allowedHosts: deps.mcp.allowedHosts });

  app.notFound((c) => c.json({ error: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((err, c) => {
    if (err instanceof HTTPException) return err.getResponse();
    // Database and internal errors are logged, never shown to callers.
    deps.log.error('unhandled error in HTTP handler', { path: c.req.path, error: err.message });
    return c.json({ error: 'internal', message: 'Internal error; see the server log.' }, 500);
  });
  return app;
}
