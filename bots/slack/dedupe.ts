// Each inbound Slack request is processed once across every app instance sharing the database. A signed request
// replayed within Slack's signature window passes the signature check, and Slack itself delivers an event again
// when it thinks the first delivery failed (`X-Slack-Retry-Num`, same event_id), or occasionally twice unasked.
// So the first instance to claim the request's natural id in Postgres (request_claims) processes it; any other
// delivery is acknowledged (200) and dropped. Ids: a slash command's and an interaction's trigger_id (Slack mints
// one per invocation or click), an event's event_id, and a message's channel and ts (claimed by the listeners, so
// one message is answered once whichever event brought it).
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { RequestClaims } from '../../src/chat/request-claims.js';
import type { Logger } from '../../src/log.js';

/**
 * How long a claim holds. The receiver accepts a signature timestamp up to five minutes either side of its clock,
 * so one signed body can pass for up to ten minutes after it first arrives; commands and clicks are held longer
 * than that, with margin for clocks that disagree. Events and messages are held for an hour, past Slack's retries.
 */
export const CLAIM_TTL_MS = { command: 15 * 60_000, interaction: 15 * 60_000, event: 60 * 60_000, message: 60 * 60_000 } as const;

/** Claims one message (channel and ts): true for the first event, on any instance, that brings it. */
export function claimMessage(claims: RequestClaims, channel: string, ts: string): Promise<boolean> {
  return claims.claim(`slack:message:${channel}:${ts}`, 'slack:message', CLAIM_TTL_MS.message);
}

type Claimable = { kind: string; key: string; ttlMs: number };

/** The request's process-once key, when it has a natural id. */
export function claimKey(body: Record<string, unknown>): Claimable | undefined {
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  if (body.type === 'event_callback') {
    const id = str(body.event_id);
    return id ? { kind: 'slack:event', key: `slack:event:${id}`, ttlMs: CLAIM_TTL_MS.event } : undefined;
  }
  const trigger = str(body.trigger_id);
  if (!trigger) return undefined;
  if (str(body.command)) return { kind: 'slack:command', key: `slack:command:${trigger}`, ttlMs: CLAIM_TTL_MS.command };
  return { kind: 'slack:interaction', key: `slack:interaction:${trigger}`, ttlMs: CLAIM_TTL_MS.interaction };
}

/**
 * Global middleware: drops retries, and requests another delivery (here or on another instance) already claimed.
 * Events are acknowledged before middleware runs; a command or interaction dropped here is acknowledged with an
 * empty 200 by the receiver, so a replay changes nothing and shows nothing.
 */
export function dedupeMiddleware(claims: RequestClaims, log: Logger): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const claim = claimKey(body as Record<string, unknown>);
    if (context.retryNum !== undefined && context.retryNum > 0) {
      // Not claimed either: the first delivery may still be on its way to its claim (events are acknowledged
      // before middleware runs), and a retry that took the claim from it would leave the event unanswered.
      log.debug('slack: retry acknowledged, not processed again', { key: claim?.key, retryNum: context.retryNum, reason: context.retryReason });
      return;
    }
    if (claim) {
      let mine: boolean;
      try {
        mine = await claims.claim(claim.key, claim.kind, claim.ttlMs);
      } catch (err) {
        // Without the claim there is no telling whether another instance has it: process nothing twice.
        log.error('slack: could not claim a request; not processed', { key: claim.key, error: (err as Error).message });
        return;
      }
      if (!mine) {
        log.info('slack: request already processed (a replay or a repeated delivery); dropped', { key: claim.key });
        return;
      }
    }
    await next();
  };
}
