// A Bolt receiver for a hono route: takes a web Request, checks Slack's signature itself (HMAC-SHA256 of
// "v0:{timestamp}:{raw body}", constant-time, five-minute window → 401; unparsable body → 400), answers
// url_verification and ssl_check, and hands everything else to `app.processEvent` with an `ack` that resolves the
// HTTP response. The listener's work goes on after the response; `drain()` waits for it. With `admit`, each request
// is claimed before anything acknowledges it (dedupe.ts): one held or answered elsewhere is dropped with an empty 200.
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../../src/log.js';
import { ACCEPTED, type Admission, STILL_MINE, type StillMine } from './dedupe.js';
import { verifySlackSignature } from './signature.js';

export type HonoReceiverOptions = {
  signingSecret: string;
  log: Logger;
  /** Seconds since the epoch (tests move the clock). */
  nowSeconds?: () => number;
  /** How long a listener may take to acknowledge (Slack gives up after 3 s). */
  ackTimeoutMs?: number;
  /** Claims a verified request before it is acknowledged; throws when no claim can be made (then 503). */
  admit?: (body: Record<string, unknown>, retryNum: number | undefined) => Promise<Admission>;
};

type Parsed = { kind: 'body'; body: Record<string, unknown> } | { kind: 'ssl_check' } | { kind: 'malformed'; reason: string };

const FORM = 'application/x-www-form-urlencoded';

/** The body of a Slack request: JSON (events), a form with `payload=` (interactivity) or a plain form (commands). */
export function parseSlackBody(raw: string, contentType: string | null): Parsed {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === FORM) {
    const form = new URLSearchParams(raw);
    if (form.get('ssl_check') === '1') return { kind: 'ssl_check' };
    const payload = form.get('payload');
    if (payload !== null) {
      try {
        const body = JSON.parse(payload) as unknown;
        if (typeof body !== 'object' || body === null || Array.isArray(body)) return { kind: 'malformed', reason: 'payload is not a JSON object' };
        return { kind: 'body', body: body as Record<string, unknown> };
      } catch {
        return { kind: 'malformed', reason: 'payload is not JSON' };
      }
    }
    if (form.get('command') !== null) return { kind: 'body', body: Object.fromEntries(form) };
    return { kind: 'malformed', reason: 'a form body needs payload or command' };
  }
  try {
    const body = JSON.parse(raw) as unknown;
    if (typeof body !== 'object' || body === null || Array.isArray(body) || typeof (body as { type?: unknown }).type !== 'string') {
      return { kind: 'malformed', reason: 'not a Slack event object' };
    }
    return { kind: 'body', body: body as Record<string, unknown> };
  } catch {
    return { kind: 'malformed', reason: 'body is not JSON' };
  }
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** What `ack(response)` becomes on the wire. */
function ackResponse(response: unknown): Response {
  if (response === undefined || response === null || response === '') return new Response(null, { status: 200 });
  if (typeof response === 'string') return new Response(response, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  return json(200, response);
}

export class HonoReceiver implements Receiver {
  private app: App | undefined;
  private readonly inflight = new Set<Promise<void>>();
  private readonly nowSeconds: () => number;

  constructor(private readonly opts: HonoReceiverOptions) {
    this.nowSeconds = opts.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  }

  init(app: App): void {
    this.app = app;
  }

  // Nothing to listen on: the hono server owns the port.
  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return this.drain();
  }

  /** Waits until every accepted request's listeners have finished. */
  async drain(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /** Handles one POST to the Slack endpoint. */
  async handle(request: Request): Promise<Response> {
    const { log } = this.opts;
    const raw = Buffer.from(await request.arrayBuffer());
    const contentType = request.headers.get('content-type');
    // ssl_check carries no signature and is never processed: answer it before anything else.
    if ((contentType ?? '').toLowerCase().startsWith(FORM) && new URLSearchParams(raw.toString('utf8')).get('ssl_check') === '1') {
      return new Response(null, { status: 200 });
    }
    const check = verifySlackSignature({
      signingSecret: this.opts.signingSecret,
      signature: request.headers.get('x-slack-signature'),
      timestamp: request.headers.get('x-slack-request-timestamp'),
      body: raw,
      nowSeconds: this.nowSeconds(),
    });
    if (!check.ok) {
      log.warn('slack: request refused', { reason: check.reason });
      return json(401, { error: 'unauthorized', message: 'Invalid Slack request signature or timestamp.' });
    }
    const parsed = parseSlackBody(raw.toString('utf8'), contentType);
    if (parsed.kind === 'ssl_check') return new Response(null, { status: 200 });
    if (parsed.kind === 'malformed') {
      log.warn('slack: malformed request', { reason: parsed.reason });
      return json(400, { error: 'bad_request', message: `Malformed Slack request: ${parsed.reason}.` });
    }
    const { body } = parsed;
    if (body.type === 'url_verification') return json(200, { challenge: String(body.challenge ?? '') });
    const app = this.app;
    if (!app) return json(503, { error: 'unavailable', message: 'The Slack app is not initialised.' });

    const retry = request.headers.get('x-slack-retry-num');
    const retryNum = retry !== null && /^\d+$/.test(retry) ? Number(retry) : undefined;
    const retryReason = request.headers.get('x-slack-retry-reason') ?? undefined;
    let admission: Admission | undefined;
    if (this.opts.admit) {
      try {
        admission = await this.opts.admit(body, retryNum);
      } catch (err) {
        // Not acknowledged, so Slack delivers it again later: nothing is lost while the database is away.
        log.error('slack: could not claim a request; asking Slack to deliver it again', { type: body.type, error: (err as Error).message });
        return json(503, { error: 'unavailable', message: 'Temporarily unavailable; retry later.' });
      }
      if (!admission.process) return new Response(null, { status: 200 });
    }

    let acked = false;
    let respond!: (r: Response) => void;
    const response = new Promise<Response>((resolve) => {
      respond = resolve;
    });
    const settle = (r: Response) => {
      if (acked) return false;
      acked = true;
      respond(r);
      return true;
    };
    const ack: ReceiverEvent['ack'] = async (r?: unknown) => {
      if (!settle(ackResponse(r))) {
        log.debug('slack: ack called more than once');
        return;
      }
      // Let the response go out before the listener's work takes the event loop.
      await new Promise<void>((resolve) => setImmediate(resolve));
    };
    const eventOf = (stillMine?: StillMine): ReceiverEvent => ({
      body,
      ...(retryNum !== undefined ? { retryNum } : {}),
      ...(retryReason ? { retryReason } : {}),
      ...(admission ? { customProperties: { [ACCEPTED]: true, ...(stillMine ? { [STILL_MINE]: stillMine } : {}) } } : {}),
      ack,
    });
    const timer = setTimeout(() => {
      if (settle(json(500, { error: 'timeout', message: 'Not acknowledged in time.' }))) {
        log.error('slack: a request was not acknowledged within 3 seconds', { type: body.type });
      }
    }, this.opts.ackTimeoutMs ?? 2900);
    const work = (admission?.process ? admission.run((stillMine) => app.processEvent(eventOf(stillMine))) : app.processEvent(eventOf())).then(
      // Nothing acknowledged it (no listener for it): Slack only needs the 200.
      () => void settle(new Response(null, { status: 200 })),
      (err: Error) => {
        log.error('slack: processing failed', { type: body.type, error: err.message });
        settle(json(500, { error: 'internal', message: 'Internal error; see the server log.' }));
      },
    );
    const tracked = work.finally(() => {
      clearTimeout(timer);
      this.inflight.delete(tracked);
    });
    this.inflight.add(tracked);
    const res = await response;
    clearTimeout(timer);
    return res;
  }
}
