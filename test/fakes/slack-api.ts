// A fake Slack Web API on 127.0.0.1 speaking Slack's wire format (form-encoded or JSON requests with a bearer
// token; `{"ok": true, …}` / `{"ok": false, "error": "…"}` answers), so the real @slack/web-api client inside Bolt
// is exercised end to end. Implements auth.test, chat.postMessage, chat.update, chat.postEphemeral, views.open,
// views.publish, users.info, users.lookupByEmail and the file upload flow (files.getUploadURLExternal, the POST of
// the bytes to the upload URL it returns, files.completeUploadExternal); records every call. Also signs requests the way Slack signs
// what it sends to an app, for tests and benchmarks that play Slack's part.
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type SlackUser = { id: string; name: string; email?: string; isBot?: boolean };

export type SlackCall = {
  method: string;
  args: Record<string, unknown>;
  token?: string;
  ok: boolean;
  error?: string;
  /** performance.now() when the call arrived. */
  at: number;
};

/** A file uploaded through files.getUploadURLExternal + POST + files.completeUploadExternal. */
export type StoredFile = {
  id: string;
  filename: string;
  length: number;
  altText?: string;
  title?: string;
  /** The body POSTed to the upload URL (as the client sent it). */
  body?: Buffer;
  contentType?: string;
  /** Where completeUploadExternal shared it. */
  shares: { channel: string; threadTs?: string }[];
};

export type StoredMessage = { channel: string; ts: string; text?: string; blocks?: unknown[]; threadTs?: string; metadata?: Record<string, unknown>; updates: number };

export type FakeSlackApi = {
  /** Base URL for the Web API client (ends in /api/). */
  url: string;
  /** A response_url for slash commands: what is posted there is recorded as method "response_url". */
  responseUrl: string;
  botUserId: string;
  botId: string;
  teamId: string;
  calls: SlackCall[];
  /** Successful calls to `method`, optionally only those since index `from` of `calls`. */
  callsTo(method: string, from?: number): SlackCall[];
  messages: Map<string, StoredMessage>;
  /** Uploaded files by id. */
  files: Map<string, StoredFile>;
  /** Makes the next calls to `method` fail with `error` (Slack's error code). */
  failNext(method: string, error: string, times?: number): void;
  /**
   * Leaves the next call to `method` matching `predicate` unanswered until the fake closes (a caller killed while
   * waiting on it); the call is recorded with error `held`. With `{ carryOut: true }` Slack does what was asked (a
   * message is posted) and only the answer is held back: the caller dies after its request got through.
   */
  holdNext(method: string, predicate?: (args: Record<string, unknown>) => boolean, opts?: { carryOut?: boolean }): void;
  /** Answers every call held so far with Slack's error `error` (a caller that was stalled, not killed, going on). */
  releaseHeld(error: string): void;
  /** Resolves with the first call from now on that matches (no polling), or rejects after `timeoutMs`. */
  waitForCall(predicate: (call: SlackCall) => boolean, timeoutMs?: number): Promise<SlackCall>;
  close(): Promise<void>;
};

// Arguments the client sends as JSON strings inside a form.
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata', 'files']);

export async function startFakeSlackApi(opts: { token: string; users?: SlackUser[]; botUserId?: string; botId?: string }): Promise<FakeSlackApi> {
  const botUserId = opts.botUserId ?? 'U0QMBOT000';
  const botId = opts.botId ?? 'B0QMBOT000';
  const teamId = 'T0QMTEST00';
  const users = new Map((opts.users ?? []).map((u) => [u.id, u]));
  const calls: SlackCall[] = [];
  const messages = new Map<string, StoredMessage>();
  const files = new Map<string, StoredFile>();
  let base = '';
  const failures = new Map<string, { error: string; times: number }>();
  const holds: { method: string; predicate: (args: Record<string, unknown>) => boolean; carryOut: boolean }[] = [];
  const held: ServerResponse[] = [];
  const waiters = new Set<{ predicate: (c: SlackCall) => boolean; resolve: (c: SlackCall) => void }>();
  const record = (call: SlackCall) => {
    calls.push(call);
    for (const w of waiters) {
      if (w.predicate(call)) {
        waiters.delete(w);
        w.resolve(call);
      }
    }
  };
  let seq = 0;
  // Unique by the fraction; a reply is later than the message it replies to, as on Slack, whatever ts that one has.
  const nextTs = (after?: string) => {
    seq++;
    return `${Math.max(1_790_000_000, Math.floor(Number(after ?? 0))) + seq}.${String(seq).padStart(6, '0')}`;
  };
  // A message to a user id lands in the bot's DM with them: D + the rest of the id.
  const dmOf = (channel: string) => (/^[UW][A-Z0-9]+$/.test(channel) ? `D${channel.slice(1)}` : channel);
  const profile = (u: SlackUser) => ({
    id: u.id,
    team_id: teamId,
    name: u.name.toLowerCase().replace(/\s+/g, '.'),
    real_name: u.name,
    deleted: false,
    is_bot: Boolean(u.isBot),
    profile: { real_name: u.name, display_name: u.name.split(' ')[0], ...(u.email ? { email: u.email } : {}) },
  });

  const methods: Record<string, (a: Record<string, unknown>) => Record<string, unknown>> = {
    'auth.test': () => ({ url: 'https://qm-test.slack.com/', team: 'QM Test', user: 'quartermaster', team_id: teamId, user_id: botUserId, bot_id: botId, is_enterprise_install: false }),
    'chat.postMessage': (a) => {
      const channel = typeof a.channel === 'string' ? dmOf(a.channel) : '';
      if (!channel) return { error: 'channel_not_found' };
      if (!a.text && !a.blocks) return { error: 'no_text' };
      if (Array.isArray(a.blocks) && a.blocks.length > 50) return { error: 'invalid_blocks' };
      const threadTs = typeof a.thread_ts === 'string' ? a.thread_ts : undefined;
      const ts = nextTs(threadTs);
      const metadata = typeof a.metadata === 'object' && a.metadata !== null ? (a.metadata as Record<string, unknown>) : undefined;
      const m: StoredMessage = {
        channel,
        ts,
        ...(typeof a.text === 'string' ? { text: a.text } : {}),
        ...(Array.isArray(a.blocks) ? { blocks: a.blocks } : {}),
        ...(threadTs ? { threadTs } : {}),
        ...(metadata ? { metadata } : {}),
        updates: 0,
      };
      messages.set(`${channel}:${ts}`, m);
      return { channel, ts, message: { type: 'message', user: botUserId, bot_id: botId, text: a.text, blocks: a.blocks, ts, ...(threadTs ? { thread_ts: threadTs } : {}) } };
    },
    // The bot's own messages in a thread (the fake keeps no one else's), oldest first, metadata only when asked for.
    'conversations.replies': (a) => {
      const channel = typeof a.channel === 'string' ? a.channel : '';
      const ts = typeof a.ts === 'string' ? a.ts : '';
      if (!channel || !ts) return { error: 'invalid_arguments' };
      const oldest = typeof a.oldest === 'string' ? Number(a.oldest) : Number.NEGATIVE_INFINITY;
      const withMetadata = a.include_all_metadata === true || a.include_all_metadata === 'true';
      const thread = [...messages.values()]
        .filter((m) => m.channel === channel && m.threadTs === ts && Number(m.ts) >= oldest)
        .sort((x, y) => Number(x.ts) - Number(y.ts))
        .map((m) => ({ type: 'message', user: botUserId, bot_id: botId, text: m.text, ts: m.ts, thread_ts: ts, ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}) }));
      return { messages: thread, has_more: false };
    },
    'chat.update': (a) => {
      const m = messages.get(`${String(a.channel)}:${String(a.ts)}`);
      if (!m) return { error: 'message_not_found' };
      if (Array.isArray(a.blocks) && a.blocks.length > 50) return { error: 'invalid_blocks' };
      if (typeof a.text === 'string') m.text = a.text;
      if (Array.isArray(a.blocks)) m.blocks = a.blocks;
      m.updates++;
      return { channel: m.channel, ts: m.ts, text: m.text };
    },
    'chat.postEphemeral': (a) => {
      if (!a.channel || !a.user) return { error: 'invalid_arguments' };
      return { message_ts: nextTs() };
    },
    'views.open': (a) => {
      if (!a.trigger_id) return { error: 'invalid_trigger_id' };
      if (typeof a.view !== 'object' || a.view === null) return { error: 'invalid_arguments' };
      return { view: { ...(a.view as object), id: `V${randomUUID().slice(0, 8).toUpperCase()}`, team_id: teamId } };
    },
    'views.publish': (a) => {
      if (!a.user_id || typeof a.view !== 'object' || a.view === null) return { error: 'invalid_arguments' };
      return { view: { ...(a.view as object), id: `V${randomUUID().slice(0, 8).toUpperCase()}`, team_id: teamId } };
    },
    'files.getUploadURLExternal': (a) => {
      const length = Number(a.length);
      if (typeof a.filename !== 'string' || a.filename === '' || !Number.isInteger(length) || length <= 0) return { error: 'invalid_arguments' };
      const id = `F${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
      files.set(id, { id, filename: a.filename, length, ...(typeof a.alt_text === 'string' ? { altText: a.alt_text } : {}), shares: [] });
      return { upload_url: `${base}/upload/${id}`, file_id: id };
    },
    'files.completeUploadExternal': (a) => {
      const list = Array.isArray(a.files) ? (a.files as { id?: string; title?: string }[]) : [];
      if (list.length === 0) return { error: 'invalid_arguments' };
      const found = list.map((f) => files.get(String(f.id)));
      if (found.some((f) => !f?.body)) return { error: 'file_not_found' };
      const channel = typeof a.channel_id === 'string' ? a.channel_id : undefined;
      const threadTs = typeof a.thread_ts === 'string' ? a.thread_ts : undefined;
      if (threadTs && !channel) return { error: 'invalid_arguments' };
      return {
        files: found.map((f, i) => {
          const file = f!;
          if (list[i]!.title) file.title = list[i]!.title;
          if (channel) file.shares.push({ channel, ...(threadTs ? { threadTs } : {}) });
          return { id: file.id, name: file.filename, title: file.title ?? file.filename };
        }),
      };
    },
    'users.info': (a) => {
      const u = users.get(String(a.user));
      return u ? { user: profile(u) } : { error: 'user_not_found' };
    },
    'users.lookupByEmail': (a) => {
      const email = String(a.email ?? '').toLowerCase();
      const u = [...users.values()].find((x) => x.email?.toLowerCase() === email);
      return u ? { user: profile(u) } : { error: 'users_not_found' };
    },
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => send(res, 500, { ok: false, error: 'internal_error', detail: err.message }));
  });
  server.keepAliveTimeout = 30_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString('utf8');
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const upload = /^\/upload\/(F[A-Z0-9]+)$/.exec(path);
    if (req.method === 'POST' && upload) {
      // Slack's upload URL answers plain text: "OK - <bytes>".
      const file = files.get(upload[1]!);
      const ok = Boolean(file) && bytes.length > 0;
      if (file && ok) Object.assign(file, { body: bytes, ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}) });
      res.writeHead(ok ? 200 : 404, { 'content-type': 'text/plain' });
      res.end(ok ? `OK - ${bytes.length}` : 'file_not_found');
      record({ method: 'upload', args: { file: upload[1], bytes: bytes.length }, ok, at: performance.now() });
      return;
    }
    if (req.method === 'POST' && path.startsWith('/response/')) {
      send(res, 200, { ok: true });
      record({ method: 'response_url', args: parseArgs(raw, req.headers['content-type']), ok: true, at: performance.now() });
      return;
    }
    const m = /^\/api\/([a-zA-Z.]+)$/.exec(path);
    if (req.method !== 'POST' || !m) {
      send(res, 404, { ok: false, error: 'unknown_method' });
      return;
    }
    const method = m[1]!;
    const args = parseArgs(raw, req.headers['content-type']);
    const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? (typeof args.token === 'string' ? args.token : undefined);
    const at = performance.now();
    const hold = holds.findIndex((h) => h.method === method && h.predicate(args));
    if (hold >= 0) {
      const [h] = holds.splice(hold, 1);
      if (h!.carryOut) methods[method]?.(args);
      held.push(res);
      record({ method, args, ok: false, error: 'held', at });
      return;
    }
    let result: Record<string, unknown>;
    const failure = failures.get(method);
    if (token !== opts.token) result = { error: token ? 'invalid_auth' : 'not_authed' };
    else if (failure) {
      result = { error: failure.error };
      if (--failure.times <= 0) failures.delete(method);
    } else result = methods[method]?.(args) ?? { error: 'unknown_method' };
    const ok = !('error' in result);
    send(res, 200, { ok, ...result });
    record({ method, args, ...(token ? { token } : {}), ok, ...(ok ? {} : { error: String(result.error) }), at });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    responseUrl: `http://127.0.0.1:${port}/response/commands/1`,
    botUserId,
    botId,
    teamId,
    calls,
    callsTo: (method, from = 0) => calls.slice(from).filter((c) => c.method === method && c.ok),
    messages,
    files,
    failNext(method, error, times = 1) {
      failures.set(method, { error, times });
    },
    holdNext(method, predicate = () => true, holdOpts = {}) {
      holds.push({ method, predicate, carryOut: Boolean(holdOpts.carryOut) });
    },
    releaseHeld(error) {
      for (const res of held.splice(0)) send(res, 200, { ok: false, error });
    },
    waitForCall(predicate, timeoutMs = 10_000) {
      return new Promise<SlackCall>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error('fake Slack: no matching call in time'));
        }, timeoutMs);
        const waiter = {
          predicate,
          resolve: (c: SlackCall) => {
            clearTimeout(timer);
            resolve(c);
          },
        };
        waiters.add(waiter);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if ((contentType ?? '').includes('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    if (JSON_FIELDS.has(k)) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        // kept as text
      }
    }
    out[k] = v === 'true' ? true : v === 'false' ? false : v;
  }
  return out;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

// ── Playing Slack's part towards the app ─────────────────────────────────────────────────────────────────────

/** Headers Slack sends with a request body, signed with `secret` at `timestamp` (seconds; default now). */
export function slackHeaders(secret: string, body: string, opts: { timestamp?: number; contentType?: string; retryNum?: number } = {}): Record<string, string> {
  const ts = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const sig = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
  return {
    'content-type': opts.contentType ?? 'application/json',
    'x-slack-request-timestamp': ts,
    'x-slack-signature': sig,
    ...(opts.retryNum !== undefined ? { 'x-slack-retry-num': String(opts.retryNum), 'x-slack-retry-reason': 'http_timeout' } : {}),
  };
}

/** An Events API envelope around `event`. */
export function eventEnvelope(event: Record<string, unknown>, fake: Pick<FakeSlackApi, 'teamId' | 'botUserId'>, eventId = `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`) {
  return {
    token: 'verification-token-unused',
    team_id: fake.teamId,
    api_app_id: 'A0QMAPP000',
    event: { event_ts: event.ts ?? String(Date.now() / 1000), ...event },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: fake.teamId, user_id: fake.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}

/** A form body for interactivity: payload=<JSON>. */
export function interactivityBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A slash command as Slack posts it. */
export function commandBody(c: { command: string; text: string; userId: string; channelId: string; teamId: string; responseUrl?: string }): string {
  return new URLSearchParams({
    token: 'verification-token-unused',
    team_id: c.teamId,
    team_domain: 'qm-test',
    channel_id: c.channelId,
    channel_name: 'general',
    user_id: c.userId,
    user_name: c.userId.toLowerCase(),
    command: c.command,
    text: c.text,
    api_app_id: 'A0QMAPP000',
    response_url: c.responseUrl ?? 'https://hooks.slack.com/commands/T0QMTEST00/1/unused',
    trigger_id: `${Date.now()}.1.${randomUUID().slice(0, 8)}`,
  }).toString();
}

/** A click on a button in a message (block_actions). */
export function buttonClick(c: {
  teamId: string;
  userId: string;
  channel?: string;
  message?: { ts: string; thread_ts?: string; blocks?: unknown[] };
  view?: Record<string, unknown>;
  actionId: string;
  value: string;
  blockId?: string;
}): Record<string, unknown> {
  return {
    type: 'block_actions',
    team: { id: c.teamId, domain: 'qm-test' },
    user: { id: c.userId, username: c.userId.toLowerCase(), team_id: c.teamId },
    api_app_id: 'A0QMAPP000',
    token: 'verification-token-unused',
    trigger_id: `${Date.now()}.1.${randomUUID().slice(0, 8)}`,
    ...(c.channel ? { channel: { id: c.channel, name: 'channel' }, container: { type: 'message', message_ts: c.message?.ts, channel_id: c.channel, is_ephemeral: false } } : {}),
    ...(c.message ? { message: { type: 'message', user: 'U0QMBOT000', ...c.message } } : {}),
    ...(c.view ? { view: c.view, container: { type: 'view', view_id: 'V0HOME' } } : {}),
    actions: [
      {
        type: 'button',
        action_id: c.actionId,
        block_id: c.blockId ?? 'block',
        value: c.value,
        text: { type: 'plain_text', text: 'button', emoji: true },
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
}

/** A modal submitted (view_submission) with `values` as Slack nests them: block_id → action_id → { value }. */
export function viewSubmission(c: { teamId: string; userId: string; view: Record<string, unknown>; values: Record<string, Record<string, string>> }): Record<string, unknown> {
  const values = Object.fromEntries(
    Object.entries(c.values).map(([block, actions]) => [block, Object.fromEntries(Object.entries(actions).map(([a, v]) => [a, { type: 'plain_text_input', value: v }]))]),
  );
  return {
    type: 'view_submission',
    team: { id: c.teamId, domain: 'qm-test' },
    user: { id: c.userId, username: c.userId.toLowerCase(), team_id: c.teamId },
    api_app_id: 'A0QMAPP000',
    token: 'verification-token-unused',
    trigger_id: `${Date.now()}.1.${randomUUID().slice(0, 8)}`,
    view: { id: 'V0MODAL', team_id: c.teamId, hash: '1.abc', ...c.view, state: { values } },
  };
}
