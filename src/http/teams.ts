// POST /api/messages on the main server: the Bot Framework messaging endpoint of the Teams bot, in one of three modes
// (bots/teams/auth.ts):
//   authenticated  MICROSOFT_APP_ID and its password: every activity needs a valid Bot Framework JWT (checked by the
//                  bot before anything runs); the rest get 401;
//   dev            no registration and QM_TEAMS_DEV=1: unauthenticated activities, so the route admits only a caller
//                  on this machine, talking to it directly: loopback socket, no forwarding headers (a local reverse
//                  proxy relays the internet from loopback too), a Host that is a loopback name or in
//                  QM_ALLOWED_HOSTS, and no Origin other than the server's own (a web page's fetch, including one
//                  reaching it through DNS rebinding, carries its origin; the Emulator sends none);
//   off            neither: 401 for everything, nothing processed.
// In every mode the bot refuses (403) an activity whose serviceUrl is not a Bot Framework host (loopback in dev).
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { BotFrameworkEndpoints, TeamsBot } from '../../bots/teams/index.js';
import type { ApprovalService } from '../approvals/service.js';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import type { Logger } from '../log.js';
import type { Orchestrator } from '../orchestrator/orchestrator.js';
import { hostname, isDirectLoopback } from './guard.js';
import { isJsonContentType, readJson } from './input.js';

export const TEAMS_MESSAGES_PATH = '/api/messages';

/** How the start-up banner describes each mode. */
export const TEAMS_MODE_NOTE: Readonly<Record<TeamsBot['mode'], string>> = {
  authenticated: '',
  dev: '  (QM_TEAMS_DEV: UNAUTHENTICATED, loopback callers only)',
  off: '  (off: no MICROSOFT_APP_ID; see docs/teams.md)',
};

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Why a development-mode request is refused, or undefined when it comes straight from this machine. */
function devRefusal(c: Context, allowedHosts: ReadonlySet<string>): { status: 401 | 403; message: string } | undefined {
  if (!isDirectLoopback(c)) {
    return { status: 401, message: 'Teams runs without authentication (QM_TEAMS_DEV): only callers on this machine, not relayed by a proxy, are accepted.' };
  }
  const host = c.req.header('host') ?? '';
  const name = hostname(host);
  if (!LOOPBACK_NAMES.has(name) && !/^127(\.\d{1,3}){3}$/.test(name) && !allowedHosts.has(name)) {
    return { status: 403, message: `Host "${host}" is not allowed; add it to QM_ALLOWED_HOSTS to serve under that name.` };
  }
  const origin = c.req.header('origin');
  // Only the server's own origin, exactly (http, the host and port of the request): browsers send Origin with every POST.
  if (origin !== undefined && origin.toLowerCase() !== `http://${host.trim().toLowerCase()}`) {
    return { status: 403, message: `Origin "${origin}" is not allowed.` };
  }
  return undefined;
}

/** Mounts the Teams endpoint; `teams` is the bot from `openTeamsBot` (undefined: the route says Teams is not running). */
export function mountTeams(app: Hono, deps: { teams?: TeamsBot; log: Logger; allowedHosts?: readonly string[] }): void {
  const { teams, log } = deps;
  const allowedHosts = new Set((deps.allowedHosts ?? []).map((h) => h.toLowerCase()));
  app.post(
    TEAMS_MESSAGES_PATH,
    bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.json({ error: 'too_large', message: 'Request body over 1 MB.' }, 413) }),
    async (c) => {
      if (!teams) return c.json({ error: 'not_configured', message: 'The Teams bot is not running in this process.' }, 503);
      if (teams.mode === 'off') {
        return c.json({ error: 'unauthorized', message: 'Teams is not configured: set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD (or QM_TEAMS_DEV=1 for local development).' }, 401);
      }
      if (teams.mode === 'dev') {
        const refusal = devRefusal(c, allowedHosts);
        if (refusal) {
          log.warn(`teams: a request was refused: ${refusal.message}`);
          return c.json({ error: refusal.status === 401 ? 'unauthorized' : 'forbidden', message: refusal.message }, refusal.status);
        }
      }
      // The Bot Framework posts JSON; anything else (a form a web page could send without a preflight) is not an activity.
      if (!isJsonContentType(c.req.header('content-type'))) {
        return c.json({ error: 'unsupported_media_type', message: 'Send a Bot Framework activity as application/json.' }, 415);
      }
      const body = await readJson(c);
      if (!body || typeof body !== 'object' || Array.isArray(body)) {
        return c.json({ error: 'bad_request', message: 'Send a Bot Framework activity as JSON.' }, 400);
      }
      const headers: Record<string, string> = {};
      c.req.raw.headers.forEach((value, name) => {
        headers[name] = value;
      });
      const result = await teams.handle({ headers, body });
      const status = result.status as ContentfulStatusCode;
      return result.body === undefined ? c.body(null, status) : c.json(result.body as object, status);
    },
  );
}

/** Starts the Teams bot: authenticated with MICROSOFT_APP_ID, else unauthenticated for loopback with QM_TEAMS_DEV=1, else off. */
export async function openTeamsBot(deps: {
  config: Config;
  orchestrator: Orchestrator;
  approvals: ApprovalService;
  database: Database;
  log: Logger;
  /** A local token signer and a fixed outbound token instead of Microsoft's (tests and benches). */
  botFramework?: BotFrameworkEndpoints;
}): Promise<TeamsBot> {
  // botbuilder is loaded only when the bot starts, not by every command that builds the HTTP app.
  const { createTeamsBot } = await import('../../bots/teams/index.js');
  const { microsoft, teams } = deps.config;
  const bot = createTeamsBot({
    orchestrator: deps.orchestrator,
    approvals: deps.approvals,
    database: deps.database,
    log: deps.log,
    credentials: {
      ...(microsoft.appId ? { appId: microsoft.appId } : {}),
      ...(microsoft.appPassword ? { appPassword: microsoft.appPassword } : {}),
      ...(microsoft.tenantId ? { tenantId: microsoft.tenantId } : {}),
      ...(microsoft.appType ? { appType: microsoft.appType } : {}),
    },
    dev: teams.dev,
    ...(teams.serviceHosts ? { serviceHosts: teams.serviceHosts } : {}),
    ...(deps.config.approvalsChannel ? { approvalsConversation: deps.config.approvalsChannel } : {}),
    ...(deps.botFramework ? { botFramework: deps.botFramework } : {}),
  });
  // Development mode is announced (as a warning) by the bot itself.
  if (bot.mode === 'authenticated') deps.log.info(`Teams bot at ${TEAMS_MESSAGES_PATH} (app ${microsoft.appId}): Bot Framework tokens required`);
  else if (bot.mode === 'off') deps.log.info(`Teams is off: ${TEAMS_MESSAGES_PATH} answers 401 (set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD, or QM_TEAMS_DEV=1 for local development)`);
  return bot;
}
