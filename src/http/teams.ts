// POST /api/messages on the main server: the Bot Framework messaging endpoint of the Teams bot. With an Azure Bot
// registration (MICROSOFT_APP_ID and its password) botbuilder's CloudAdapter validates every activity's JWT and
// refuses the rest with 401; without one, activities are not authenticated, so only loopback callers (the Bot
// Framework Emulator, tests) are let in and everyone else, including anything relayed by a proxy, gets 401.
import type { IncomingMessage } from 'node:http';
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { TeamsBot } from '../../bots/teams/index.js';
import type { ApprovalService } from '../approvals/service.js';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import type { Logger } from '../log.js';
import type { Orchestrator } from '../orchestrator/orchestrator.js';

export const TEAMS_MESSAGES_PATH = '/api/messages';

function isLoopbackAddress(addr: string | undefined): boolean {
  return addr === '::1' || addr === '::ffff:127.0.0.1' || (addr?.startsWith('127.') ?? false) || (addr?.startsWith('::ffff:127.') ?? false);
}

/** Mounts the Teams endpoint; `teams` is the bot from `openTeamsBot` (undefined: the route says Teams is off). */
export function mountTeams(app: Hono, deps: { teams?: TeamsBot; log: Logger }): void {
  const { teams, log } = deps;
  if (teams && !teams.authenticated) {
    log.warn(`Teams runs without authentication (MICROSOFT_APP_ID is not set): ${TEAMS_MESSAGES_PATH} accepts loopback callers only (Bot Framework Emulator, local tests)`);
  }
  app.post(
    TEAMS_MESSAGES_PATH,
    bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.json({ error: 'too_large', message: 'Request body over 1 MB.' }, 413) }),
    async (c) => {
      if (!teams) return c.json({ error: 'not_configured', message: 'The Teams bot is not running in this process.' }, 503);
      if (!teams.authenticated) {
        const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
        // A request relayed by a proxy on this machine arrives from loopback too: its forwarding headers give it away.
        const forwarded = c.req.header('forwarded') ?? c.req.header('x-forwarded-for') ?? c.req.header('x-real-ip');
        if (!isLoopbackAddress(incoming?.socket.remoteAddress) || forwarded !== undefined) {
          return c.json({ error: 'unauthorized', message: 'Teams is not configured (MICROSOFT_APP_ID): only loopback callers are accepted.' }, 401);
        }
      }
      const body: unknown = await c.req.json().catch(() => undefined);
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

/** Starts the Teams bot. Without MICROSOFT_APP_ID it runs unauthenticated, for loopback callers only. */
export async function openTeamsBot(deps: {
  config: Config;
  orchestrator: Orchestrator;
  approvals: ApprovalService;
  database: Database;
  log: Logger;
}): Promise<TeamsBot> {
  // botbuilder is loaded only when the bot starts, not by every command that builds the HTTP app.
  const { createTeamsBot } = await import('../../bots/teams/index.js');
  const { microsoft } = deps.config;
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
    ...(deps.config.approvalsChannel ? { approvalsConversation: deps.config.approvalsChannel } : {}),
  });
  deps.log.info(`Teams bot at ${TEAMS_MESSAGES_PATH}${bot.authenticated ? ` (app ${microsoft.appId})` : ' (unauthenticated: loopback only)'}`);
  return bot;
}
