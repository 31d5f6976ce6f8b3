// The Teams bot: botbuilder's CloudAdapter behind the checks of http.ts (mode, serviceUrl, Bot Framework JWT; see
// auth.ts for the three modes), the activity handler, conversation references remembered from every accepted
// activity, and approval cards wired to the approvals notifier. Requests come through `handle`, mounted by the hono
// server at POST /api/messages.
import { TurnContext } from 'botbuilder';
import type { ApprovalService } from '../../src/approvals/service.js';
import { renderErrorCard } from '../../src/chat/cards/adaptive/notes.js';
import { type ChatDatabase, createChatCore } from '../../src/chat/core.js';
import type { Logger } from '../../src/log.js';
import type { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import { type BotFrameworkEndpoints, type TeamsCredentials, type TeamsMode, teamsAuthentication } from './auth.js';
import { createTeamsChannel } from './channel.js';
import type { TeamsBotContext } from './context.js';
import { QuartermasterTeamsHandler } from './handler.js';
import { type BotHttpRequest, type BotHttpResult, processBotRequest, TeamsAdapter } from './http.js';
import { TeamsPeople } from './people.js';
import { ReferenceStore } from './references.js';
import { cardMessage, TeamsSender } from './send.js';

export type TeamsBotOptions = {
  orchestrator: Orchestrator;
  approvals: ApprovalService;
  /** Handed to the chat core (src/chat), which does the bot's database work. */
  database: ChatDatabase;
  log: Logger;
  /** The Azure Bot registration: every activity must carry a valid Bot Framework token. */
  credentials?: TeamsCredentials;
  /** Without credentials: accept unauthenticated activities (QM_TEAMS_DEV; the HTTP route admits loopback only). Else off. */
  dev?: boolean;
  /** Service host patterns the bot may call with credentials (QM_TEAMS_SERVICE_HOSTS; default: the Bot Framework's). */
  serviceHosts?: readonly string[];
  /** Internal: token signers' metadata and outbound tokens for running the authenticated mode offline (tests). */
  botFramework?: BotFrameworkEndpoints;
  /** A Teams conversation id (e.g. a channel) that also gets every approval card, once the bot has seen it. */
  approvalsConversation?: string;
  /** Orchestrator turns run at once (default 4); more wait in arrival order. */
  maxConcurrentTurns?: number;
};

export type TeamsBot = {
  /** authenticated (Bot Framework JWT), dev (unauthenticated, loopback callers) or off (every activity refused). */
  mode: TeamsMode;
  /** True when incoming activities must carry a valid Bot Framework token. */
  authenticated: boolean;
  /** One request to POST /api/messages: a Bot Framework activity (parsed JSON) and the request headers. */
  handle(request: BotHttpRequest): Promise<BotHttpResult>;
  /** Waits for work still running after requests were answered (turns, card deliveries). */
  drain(): Promise<void>;
  close(): Promise<void>;
  references: ReferenceStore;
};

/** How long an activity id is remembered: past Teams' redeliveries. */
const ACTIVITY_CLAIM_TTL_MS = 60 * 60_000;

export function createTeamsBot(opts: TeamsBotOptions): TeamsBot {
  const { log } = opts;
  const auth = teamsAuthentication({
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    ...(opts.dev ? { dev: true } : {}),
    ...(opts.serviceHosts ? { serviceHosts: opts.serviceHosts } : {}),
    ...(opts.botFramework ? { botFramework: opts.botFramework } : {}),
  });
  const { mode, appId } = auth;
  if (mode === 'dev') {
    log.warn('Teams runs WITHOUT AUTHENTICATION (QM_TEAMS_DEV=1): POST /api/messages accepts activities from callers on this machine and believes who they say they are. For local development only; never with a tunnel or proxy in front.');
  }
  const adapter = new TeamsAdapter(auth.authentication);
  // Only Teams with a registration; the Emulator too in development.
  const channels = mode === 'dev' ? ['msteams', 'emulator'] : ['msteams'];
  const chat = createChatCore({ ...opts, platform: 'teams' });
  const references = new ReferenceStore(chat.addressBook(appId));
  const { work } = chat;
  const ctx: TeamsBotContext = {
    chat,
    approvals: opts.approvals,
    log,
    references,
    people: new TeamsPeople({ people: chat.people, references }),
    sender: new TeamsSender(adapter, appId, log),
    ...(opts.approvalsConversation ? { approvalsConversation: opts.approvalsConversation } : {}),
  };
  const handler = new QuartermasterTeamsHandler(ctx);

  adapter.onTurnError = async (context, error) => {
    log.error('teams: a turn failed', { type: context.activity.type, error: error.message });
    if (context.activity.type === 'message') {
      await context.sendActivity(cardMessage(renderErrorCard('Sorry, something went wrong.', 'Try again in a moment.'), 'Something went wrong')).catch(() => undefined);
    }
  };

  // Teams redelivers an activity it got no answer for in time; one delivery is handled, on whichever instance
  // claims its id first (request_claims, through the chat core). Without the claim nothing is processed twice.
  // Activity ids are unique within a conversation (message ids are timestamps), so the key names both.
  const firstDelivery = async (conversationId: string | undefined, id: string | undefined) => {
    if (!id) return true;
    try {
      return await chat.claims.claim(`teams:activity:${conversationId ?? ''}:${id}`, 'teams:activity', ACTIVITY_CLAIM_TTL_MS);
    } catch (err) {
      log.error('teams: could not claim an activity; not processed', { id, error: (err as Error).message });
      return false;
    }
  };

  const logic = async (context: TurnContext) => {
    const { activity } = context;
    if (!channels.includes(activity.channelId)) {
      log.debug('teams: an activity from another channel was ignored', { channel: activity.channelId });
      return;
    }
    // With a tenant configured, people of other tenants (who could, say, claim an approver's email) are not served.
    const tenant = (activity.conversation as { tenantId?: string } | undefined)?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
    if (auth.tenantId && tenant !== auth.tenantId) {
      log.warn('teams: an activity from another tenant was ignored', { tenant });
      return;
    }
    if (activity.type !== 'invoke' && !(await firstDelivery(activity.conversation?.id, activity.id))) {
      log.debug('teams: a redelivered activity was ignored', { id: activity.id });
      return;
    }
    // Who wrote (and where from) is remembered from every activity, for cards and answers sent later.
    const person = await ctx.people.sender(context);
    await references
      .remember(TurnContext.getConversationReference(activity), activity, person.user?.id)
      .catch((err: Error) => log.warn('teams: could not store a conversation reference', { error: err.message }));
    await handler.run(context);
  };

  // Off, no activity is accepted, so no conversation is known to write to.
  const unsubscribe = mode === 'off' ? () => {} : chat.deliverApprovals(createTeamsChannel(ctx), { background: true });
  let closed = false;
  return {
    mode,
    authenticated: mode === 'authenticated',
    references,
    handle: (request) => processBotRequest({ adapter, auth, log }, request, logic),
    drain: () => work.drain(),
    async close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      await work.drain();
    },
  };
}
