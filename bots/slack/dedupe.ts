// Slack delivers an event again when it thinks the first delivery failed (`X-Slack-Retry-Num`, same event_id),
// and occasionally twice without saying so. A retry is acknowledged and dropped; an event id (and a message's
// channel and ts, so one message is answered once whichever event brought it) is remembered for an hour in a
// bounded set, oldest evicted first.
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../../src/log.js';

/** A bounded set of keys that expire after `ttlMs`. */
export class SeenSet {
  private readonly entries = new Map<string, number>();

  constructor(
    private readonly max = 10_000,
    private readonly ttlMs = 60 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds `key`; false when it was already there (and not expired). */
  add(key: string): boolean {
    const t = this.now();
    const expires = this.entries.get(key);
    if (expires !== undefined && expires > t) return false;
    this.entries.delete(key);
    this.entries.set(key, t + this.ttlMs);
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return true;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Global middleware: drops retries and events already seen. Events are acknowledged before middleware runs. */
export function dedupeMiddleware(seen: SeenSet, log: Logger): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (context.retryNum !== undefined && context.retryNum > 0) {
      log.debug('slack: retry acknowledged, not processed again', { eventId, retryNum: context.retryNum, reason: context.retryReason });
      if (typeof eventId === 'string') seen.add(eventId);
      return;
    }
    if (typeof eventId === 'string' && !seen.add(eventId)) {
      log.debug('slack: duplicate event dropped', { eventId });
      return;
    }
    await next();
  };
}
