// Each inbound Slack request is answered once across every app instance sharing the database, and none is lost
// when an instance dies. A signed request replayed within Slack's signature window passes the signature check,
// Slack delivers an event again when it got no acknowledgement in time (`X-Slack-Retry-Num`, same event_id, perhaps
// to another instance), and occasionally twice unasked. So before acknowledging, the receiving instance claims the
// request's natural id in Postgres for a lease (through the chat core's intake), and events and commands are stored
// to be taken over should it die before answering. A delivery, first or retry, is processed when its id is unclaimed
// or its lease lapsed unanswered; otherwise it is acknowledged (200) and dropped. Ids: a slash command's and an
// interaction's trigger_id (Slack mints one per invocation or click), an event's event_id, and a message's channel
// and ts (claimed by the listeners, so one message is answered once whichever event brought it).
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Lease } from '../../src/chat/request-claims.js';
import type { ChatIntake } from '../../src/chat/takeover.js';
import type { Logger } from '../../src/log.js';

/**
 * How long an answered request keeps later deliveries out. The receiver accepts a signature timestamp up to five
 * minutes either side of its clock, so one signed body can pass for up to ten minutes after it first arrives;
 * commands and clicks are kept longer than that, with margin for clocks that disagree. Events and messages are kept
 * for an hour, past Slack's retries.
 */
export const KEEP_MS = { command: 15 * 60_000, interaction: 15 * 60_000, event: 60 * 60_000, message: 60 * 60_000 } as const;

/** Set in Bolt's context for a request already claimed before its acknowledgement (or taken over). */
export const ACCEPTED = 'qmAccepted';

/**
 * Set in Bolt's context beside ACCEPTED: asks, just before an answer goes out, whether this instance still holds the
 * request (false once its lease lapsed and another instance took it over, which then answers it).
 */
export const STILL_MINE = 'qmStillMine';

/** Asked just before answering: false when another instance took the request over. */
export type StillMine = () => Promise<boolean>;

/** The request's STILL_MINE check from Bolt's context; always true for a request no lease covers. */
export function stillMineOf(context: Record<string, unknown>): StillMine {
  const check = context[STILL_MINE];
  return typeof check === 'function' ? (check as StillMine) : async () => true;
}

type Claimable = { kind: string; key: string; keepMs: number; durable: boolean };

/** The request's process-once key, when it has a natural id. */
export function claimKey(body: Record<string, unknown>): Claimable | undefined {
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  if (body.type === 'event_callback') {
    const id = str(body.event_id);
    return id ? { kind: 'slack:event', key: `slack:event:${id}`, keepMs: KEEP_MS.event, durable: true } : undefined;
  }
  const trigger = str(body.trigger_id);
  if (!trigger) return undefined;
  if (str(body.command)) return { kind: 'slack:command', key: `slack:command:${trigger}`, keepMs: KEEP_MS.command, durable: true };
  // A click is not stored for takeover: its trigger_id (modals) is good for three seconds, and a person whose click
  // went unanswered clicks again.
  return { kind: 'slack:interaction', key: `slack:interaction:${trigger}`, keepMs: KEEP_MS.interaction, durable: false };
}

/** What the receiver does with a request: drop it, or process it (under `run`, which marks it answered). */
export type Admission = { process: false } | { process: true; run(work: (stillMine: StillMine) => Promise<void>): Promise<void> };

const unclaimed: Admission = { process: true, run: (work) => work(async () => true) };

/**
 * Claims a request before it is acknowledged. Throws when the claim cannot be made (the database is unreachable):
 * the receiver then answers 503 and Slack delivers the request again later.
 */
export async function admit(intake: ChatIntake, body: Record<string, unknown>, log: Logger, retryNum?: number): Promise<Admission> {
  const claim = claimKey(body);
  if (!claim) return unclaimed;
  const lease = await intake.accept({ key: claim.key, kind: claim.kind, keepMs: claim.keepMs, ...(claim.durable ? { payload: { body } } : {}) });
  if (!lease) {
    log.info('slack: request already answered or being answered (a retry, replay or repeated delivery); dropped', { key: claim.key, retryNum });
    return { process: false };
  }
  if (retryNum) log.info('slack: a retried request is processed here (its earlier delivery was not answered)', { key: claim.key, retryNum });
  return { process: true, run: (work) => intake.answer(lease, claim.keepMs, () => work(() => lease.stillHeld())) };
}

/**
 * Global middleware for requests not claimed before their acknowledgement (Socket Mode): claims them here, and
 * drops those another delivery holds or answered. Requests the HTTP receiver admitted pass straight through.
 */
export function dedupeMiddleware(intake: ChatIntake, log: Logger): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    if (context[ACCEPTED]) {
      await next();
      return;
    }
    let admission: Admission;
    try {
      admission = await admit(intake, body as Record<string, unknown>, log, context.retryNum);
    } catch (err) {
      // Without the claim there is no telling whether another instance has it: process nothing twice.
      log.error('slack: could not claim a request; not processed', { error: (err as Error).message });
      return;
    }
    if (!admission.process) return;
    await admission.run((stillMine) => {
      context[STILL_MINE] = stillMine;
      return next();
    });
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Answers one message (channel and ts) once, whichever event (or delivery) brought it: runs `answer` under a lease
 * on the message and returns true, or returns false when it was answered already. While another delivery holds the
 * message, this one waits for that lease to end: answered, or lapsed (its instance died) and taken over here. A
 * message taken over is answered with `takenOver` set: the instance that died may have posted its answer before it
 * could mark the message answered.
 */
export async function answerMessageOnce(
  intake: ChatIntake,
  channel: string,
  ts: string,
  answer: (stillMine: () => Promise<boolean>, takenOver: boolean) => Promise<void>,
): Promise<boolean> {
  const key = `slack:message:${channel}:${ts}`;
  const deadline = Date.now() + 3 * intake.leaseMs;
  for (;;) {
    const lease: Lease | undefined = await intake.accept({ key, kind: 'slack:message', keepMs: KEEP_MS.message });
    if (lease) {
      // Checked again just before posting: a lease lost meanwhile (renewals starved) means another instance answers.
      await intake.answer(lease, KEEP_MS.message, () => answer(() => lease.stillHeld(), lease.takenOver));
      return true;
    }
    const state = await intake.state(key);
    if (state.state === 'done' || Date.now() > deadline) return false;
    const wait = state.state === 'held' ? state.until.getTime() - Date.now() : 0;
    await sleep(Math.min(Math.max(wait + 50, 100), Math.max(100, intake.leaseMs / 3)));
  }
}
