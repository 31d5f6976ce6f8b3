// A fake Bot Framework connector (the Bot Connector REST API a Teams bot calls back into) on loopback, so the real
// botbuilder ConnectorClient inside CloudAdapter is exercised end to end. Point an incoming activity's `serviceUrl`
// at `url` and the bot's replies, proactive messages, card updates and roster look-ups land here:
//   POST /v3/conversations                                    create a conversation (a 1:1 chat with a user)
//   POST /v3/conversations/{conversationId}/activities         send to a conversation
//   POST /v3/conversations/{conversationId}/activities/{id}    reply to an activity
//   PUT  /v3/conversations/{conversationId}/activities/{id}    update an activity the bot sent
//   GET  /v3/conversations/{conversationId}/members/{userId}   one member (TeamsInfo.getMember): by MRI, AAD id, UPN or email
// Every call is recorded, with its Authorization header. Also builds activities the way the Teams channel sends them.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type TeamsMember = {
  /** The Teams user id (MRI), e.g. 29:1abc… */
  id: string;
  name: string;
  aadObjectId: string;
  email?: string;
  userPrincipalName?: string;
};

export type ConnectorCall = {
  method: string;
  path: string;
  /** What the call did: send, reply, update, member, create, or unknown. */
  kind: 'send' | 'reply' | 'update' | 'member' | 'create' | 'delete' | 'unknown';
  conversationId?: string;
  activityId?: string;
  body?: Record<string, unknown>;
  authorization?: string;
  status: number;
  /** The id of the activity sent (send, reply) or of the conversation created (create). */
  resultId?: string;
  /** performance.now() when the call arrived. */
  at: number;
};

/** An activity the bot sent, as the connector keeps it (updates replace its content). */
export type StoredActivity = {
  conversationId: string;
  id: string;
  replyToId?: string;
  activity: Record<string, unknown>;
  updates: number;
};

export type FakeBotConnector = {
  /** The serviceUrl to put in activities (ends in /). */
  url: string;
  calls: ConnectorCall[];
  /** Calls of `kind`, optionally only those since index `from` of `calls`, that succeeded. */
  callsOf(kind: ConnectorCall['kind'], from?: number): ConnectorCall[];
  /** Activities the bot sent, by `${conversationId}|${id}`. */
  activities: Map<string, StoredActivity>;
  /** Activities the bot sent to a conversation (typing indicators left out), oldest first. */
  sentTo(conversationId: string, from?: number): StoredActivity[];
  members: TeamsMember[];
  /** Conversations created by the bot: id → member id. */
  created: Map<string, string>;
  /** Makes the next calls of `kind` fail with HTTP `status`. */
  failNext(kind: ConnectorCall['kind'], status: number, times?: number): void;
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

/** `host`: the loopback address to listen on (default 127.0.0.1; e.g. 127.0.0.2 for a host the bot must not call). */
export async function startFakeBotConnector(opts: { members?: TeamsMember[]; host?: string } = {}): Promise<FakeBotConnector> {
  const host = opts.host ?? '127.0.0.1';
  const members = [...(opts.members ?? [])];
  const calls: ConnectorCall[] = [];
  const activities = new Map<string, StoredActivity>();
  const created = new Map<string, string>();
  const failures = new Map<string, { status: number; times: number }>();
  let seq = 0;
  const nextId = () => `${1_790_000_000_000 + ++seq}`;

  const findMember = (ref: string) => {
    const r = ref.toLowerCase();
    return members.find(
      (m) => m.id.toLowerCase() === r || m.aadObjectId.toLowerCase() === r || m.email?.toLowerCase() === r || m.userPrincipalName?.toLowerCase() === r,
    );
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => send(res, 500, { error: { code: 'ServiceError', message: err.message } }));
  });
  server.keepAliveTimeout = 30_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: Record<string, unknown> | undefined;
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
    } catch {
      body = undefined;
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';
    const at = performance.now();
    const authorization = req.headers.authorization;
    let kind: ConnectorCall['kind'] = 'unknown';
    let conversationId: string | undefined;
    let activityId: string | undefined;
    let status = 404;
    let answer: unknown = { error: { code: 'NotFound', message: `No route for ${method} ${path}` } };
    let resultId: string | undefined;

    if (parts[0] === 'v3' && parts[1] === 'conversations') {
      conversationId = parts[2];
      if (method === 'POST' && parts.length === 2) kind = 'create';
      else if (method === 'POST' && parts[3] === 'activities' && parts.length === 4) kind = 'send';
      else if (method === 'POST' && parts[3] === 'activities' && parts.length === 5) kind = 'reply';
      else if (method === 'PUT' && parts[3] === 'activities' && parts.length === 5) kind = 'update';
      else if (method === 'DELETE' && parts[3] === 'activities' && parts.length === 5) kind = 'delete';
      else if (method === 'GET' && parts[3] === 'members' && parts.length === 5) kind = 'member';
      activityId = parts[3] === 'activities' ? parts[4] : undefined;
    }
    const failure = failures.get(kind);
    if (failure) {
      status = failure.status;
      answer = { error: { code: status === 404 ? 'NotFound' : 'ServiceError', message: 'failure injected by the test' } };
      if (--failure.times <= 0) failures.delete(kind);
    } else if (kind === 'create') {
      const member = ((body?.members as { id?: string }[] | undefined) ?? [])[0]?.id;
      const known = member ? findMember(member) : undefined;
      if (!known) {
        status = 400;
        answer = { error: { code: 'BadArgument', message: 'Unknown member' } };
      } else {
        const id = `a:personal-${known.aadObjectId}`;
        created.set(id, known.id);
        status = 201;
        resultId = id;
        answer = { id, serviceUrl: `http://${host}:${port}/` };
      }
    } else if ((kind === 'send' || kind === 'reply') && conversationId && body) {
      const id = nextId();
      activities.set(`${conversationId}|${id}`, {
        conversationId,
        id,
        ...(kind === 'reply' && activityId ? { replyToId: activityId } : {}),
        activity: { ...body, id },
        updates: 0,
      });
      status = 201;
      resultId = id;
      answer = { id };
    } else if (kind === 'update' && conversationId && activityId && body) {
      const stored = activities.get(`${conversationId}|${activityId}`);
      if (stored) {
        stored.activity = { ...body, id: activityId };
        stored.updates++;
        status = 200;
        answer = { id: activityId };
      } else {
        status = 404;
        answer = { error: { code: 'NotFound', message: 'Activity not found' } };
      }
    } else if (kind === 'delete' && conversationId && activityId) {
      status = activities.delete(`${conversationId}|${activityId}`) ? 200 : 404;
      answer = {};
    } else if (kind === 'member' && parts[4]) {
      const m = findMember(parts[4]);
      if (m) {
        status = 200;
        answer = {
          id: m.id,
          name: m.name,
          aadObjectId: m.aadObjectId,
          email: m.email,
          userPrincipalName: m.userPrincipalName ?? m.email,
          givenName: m.name.split(' ')[0],
          surname: m.name.split(' ').slice(1).join(' '),
          tenantId: TENANT,
          userRole: 'user',
        };
      } else {
        status = 404;
        answer = { error: { code: 'MemberNotFoundInConversation', message: 'The member was not found in the conversation.' } };
      }
    }
    send(res, status, answer);
    calls.push({
      method,
      path,
      kind,
      ...(conversationId ? { conversationId } : {}),
      ...(activityId ? { activityId } : {}),
      ...(body ? { body } : {}),
      ...(authorization ? { authorization } : {}),
      status,
      ...(resultId ? { resultId } : {}),
      at,
    });
  }

  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}/`,
    calls,
    callsOf: (kind, from = 0) => calls.slice(from).filter((c) => c.kind === kind && c.status < 300),
    activities,
    sentTo: (conversationId, from = 0) =>
      calls
        .slice(from)
        .filter((c) => (c.kind === 'send' || c.kind === 'reply') && c.status < 300 && c.conversationId === conversationId && c.body?.type !== 'typing')
        .map((c) => activities.get(`${conversationId}|${c.resultId}`))
        .filter((a): a is StoredActivity => a !== undefined),
    members,
    created,
    failNext(kind, status, times = 1) {
      failures.set(kind, { status, times });
    },
    async waitFor(predicate, timeoutMs = 10_000) {
      const started = Date.now();
      while (!predicate()) {
        if (Date.now() - started > timeoutMs) throw new Error('fake connector: condition not met in time');
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

// ── Playing the Teams channel's part towards the bot ─────────────────────────────────────────────────────────

export const TENANT = '72f988bf-0000-4000-8000-00000000c0de';
export const BOT_ID = '28:00000000-0000-4000-8000-0000000000b0';
export const BOT_NAME = 'Quartermaster';

export type TeamsConversation =
  | { kind: 'personal'; id: string }
  | { kind: 'groupChat'; id: string }
  | { kind: 'channel'; id: string; teamId: string; channelId: string };

/** A conversation as it appears in an activity, with the channelData Teams adds for it. */
function conversationParts(c: TeamsConversation) {
  const conversation = {
    id: c.id,
    conversationType: c.kind,
    tenantId: TENANT,
    ...(c.kind === 'personal' ? {} : { isGroup: true }),
  };
  const channelData =
    c.kind === 'channel'
      ? { teamsChannelId: c.channelId, teamsTeamId: c.teamId, channel: { id: c.channelId }, team: { id: c.teamId }, tenant: { id: TENANT } }
      : { tenant: { id: TENANT } };
  return { conversation, channelData };
}

function base(serviceUrl: string, from: TeamsMember, c: TeamsConversation) {
  const now = new Date();
  return {
    timestamp: now.toISOString(),
    localTimestamp: now.toISOString().replace('Z', '+00:00'),
    channelId: 'msteams',
    serviceUrl,
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: { id: BOT_ID, name: BOT_NAME },
    locale: 'en-GB',
    localTimezone: 'Europe/London',
    entities: [{ type: 'clientInfo', locale: 'en-GB', country: 'GB', platform: 'Web', timezone: 'Europe/London' }],
    ...conversationParts(c),
  };
}

/** A message as Teams sends it; in a channel or group chat the bot is @mentioned at the start. */
export function messageActivity(serviceUrl: string, from: TeamsMember, c: TeamsConversation, text: string, opts: { id?: string; value?: unknown; mention?: boolean } = {}) {
  const b = base(serviceUrl, from, c);
  const mention = opts.mention ?? c.kind !== 'personal';
  const mentionText = `<at>${BOT_NAME}</at>`;
  return {
    ...b,
    type: 'message',
    id: opts.id ?? `${Date.now()}${Math.floor(Math.random() * 1000)}`,
    text: mention ? `${mentionText} ${text}` : text,
    textFormat: 'plain',
    ...(opts.value === undefined ? {} : { value: opts.value }),
    entities: [...b.entities, ...(mention ? [{ type: 'mention', text: mentionText, mentioned: { id: BOT_ID, name: BOT_NAME } }] : [])],
  };
}

/** The bot installed for a user (personal scope) or added to a conversation. */
export function installActivity(serviceUrl: string, from: TeamsMember, c: TeamsConversation) {
  return { ...base(serviceUrl, from, c), type: 'conversationUpdate', id: `f:${randomUUID()}`, membersAdded: [{ id: BOT_ID }] };
}

/** An Action.Execute (or a refresh) on a card the bot sent: `replyToId` is the card message's id. */
export function invokeActivity(
  serviceUrl: string,
  from: TeamsMember,
  c: TeamsConversation,
  action: { verb: string; data?: unknown },
  opts: { replyToId?: string; trigger?: 'manual' | 'automatic' } = {},
) {
  return {
    ...base(serviceUrl, from, c),
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: `f:${randomUUID()}`,
    ...(opts.replyToId ? { replyToId: opts.replyToId } : {}),
    value: { action: { type: 'Action.Execute', id: '', verb: action.verb, data: action.data ?? {} }, trigger: opts.trigger ?? 'manual' },
  };
}
