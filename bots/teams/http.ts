// CloudAdapter.process() wants a Node-style request ({ body (parsed), headers, method }) and response (status(),
// header(), send(), end()), as Express and Restify give. This is that pair for a request that arrives through the
// hono server: the response is captured and handed back as status + body.
import type { CloudAdapter, Request as BotRequest, Response as BotResponse, TurnContext } from 'botbuilder';
import type { Logger } from '../../src/log.js';

export type BotHttpRequest = { headers: Record<string, string | undefined>; body: unknown };
export type BotHttpResult = { status: number; body?: unknown };

class CapturedResponse implements BotResponse {
  socket: unknown = null;
  statusCode = 200;
  body: unknown;
  readonly headers: Record<string, unknown> = {};
  private ended = false;

  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  header(name: string, value: unknown): this {
    this.headers[name.toLowerCase()] = value;
    return this;
  }
  send(body?: unknown): this {
    if (body !== undefined) this.body = body;
    return this;
  }
  end(): this {
    this.ended = true;
    return this;
  }
  get done(): boolean {
    return this.ended;
  }
}

/** Runs one Bot Framework request through the adapter (authentication included) and returns what it answered. */
export async function processBotRequest(adapter: CloudAdapter, req: BotHttpRequest, logic: (context: TurnContext) => Promise<void>, log: Logger): Promise<BotHttpResult> {
  const type = (req.body as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || type === '') {
    // process() throws on a body without an activity type instead of answering.
    return { status: 400, body: { error: 'bad_request', message: 'Not a Bot Framework activity: no type.' } };
  }
  const res = new CapturedResponse();
  const request: BotRequest = { method: 'POST', headers: req.headers, body: req.body as Record<string, unknown> };
  await adapter.process(request, res, logic);
  if (!res.done) log.warn('teams: the adapter did not finish its response');
  const { statusCode } = res;
  if (statusCode === 401 || statusCode === 403) {
    return { status: statusCode, body: { error: 'unauthorized', message: 'The Bot Framework token is missing or invalid.' } };
  }
  if (statusCode >= 500) {
    // The adapter puts the error message in the body; it stays in the log.
    log.error('teams: an activity could not be processed', { status: statusCode, error: typeof res.body === 'string' ? res.body.slice(0, 500) : undefined });
    return { status: statusCode, body: { error: 'internal', message: 'Internal error; see the server log.' } };
  }
  if (statusCode === 400) return { status: 400, body: { error: 'bad_request', message: typeof res.body === 'string' ? res.body.slice(0, 300) : 'Not a Bot Framework activity.' } };
  return { status: statusCode, ...(res.body === undefined ? {} : { body: res.body }) };
}
