// Nothing acknowledged is lost when an instance dies. A platform is told "received" (acked) before the answer is
// worked out, so once acked it will not deliver the request again. So before the ack, in one transaction, the
// receiving instance claims the request for a lease (request_claims) and stores it as a job due when that lease
// would lapse (the job queue, pg-boss). The instance answers, renewing the lease while it works, and marks the
// claim done; the job, run then by whichever instance is free, finds it done and ends. If the instance died, the
// job finds the lease lapsed unanswered, takes the claim over (scheduling the next look, in case it dies too) and
// answers the request itself.
import type { Database } from '../db/client.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Logger } from '../log.js';
import type { ChatPlatform } from './channel.js';
import type { Lease, RequestClaims } from './request-claims.js';

/** The job queue holding one platform's requests until they are answered. */
export const takeoverQueueOf = (platform: ChatPlatform): string => `chat-takeover-${platform}`;

/** Every takeover queue, to declare when the job queue is opened. */
export const CHAT_QUEUES: readonly string[] = (['slack', 'teams'] as const).map(takeoverQueueOf);

/** A request as received (already authenticated), with its process-once key. */
export type InboundRequest = {
  key: string;
  kind: string;
  /** How long an answer keeps later deliveries of the same request out (replays, late retries). */
  keepMs: number;
  /** What another instance needs to answer it; without one the request is claimed but not stored. */
  payload?: Record<string, unknown>;
};

export type ChatIntake = {
  /** How long a lease lasts before another delivery or instance may take the request over. */
  leaseMs: number;
  /**
   * Claims the request (and stores it for takeover, when it has a payload and a job queue is there); undefined when
   * another delivery holds or answered it. Call before acknowledging the request.
   */
  accept(r: InboundRequest): Promise<Lease | undefined>;
  /** Where the claim on `key` stands. */
  state: RequestClaims['state'];
  /** Runs `answer` under the lease, then marks the request answered. */
  answer(lease: Lease, keepMs: number, answer: () => Promise<void>): Promise<void>;
  /** Answers, on this instance, requests taken over from instances that did not answer them in time. */
  takeOver(answer: (payload: Record<string, unknown>, stillMine: () => Promise<boolean>) => Promise<void>): Promise<void>;
};

type TakeoverJob = { key: string; kind: string; keepMs: number; payload: Record<string, unknown> };

// The job is due a little after the lease would lapse, so a live holder's renewal is seen first.
const MARGIN_MS = 1000;

/** The intake of one platform's requests; without a job queue (or with its queue undeclared) it only claims. */
export function createChatIntake(opts: {
  platform: ChatPlatform;
  claims: RequestClaims;
  log: Logger;
  jobs?: JobQueue | undefined;
  database: Pick<Database, 'transaction'>;
  leaseMs?: number;
}): ChatIntake {
  const { platform, claims, log } = opts;
  const queue = takeoverQueueOf(platform);
  const jobs = opts.jobs?.declared(queue) ? opts.jobs : undefined;
  const leaseMs = opts.leaseMs ?? 60_000;
  const later = (ms: number) => new Date(Date.now() + ms);

  const answer = async (lease: Lease, keepMs: number, fn: () => Promise<void>) => {
    await lease.keepWhile(fn);
    if (!(await lease.complete(keepMs))) log.warn(`${platform}: a request was answered after another instance took it over`, { key: lease.key });
  };

  /** Claims a request and, in the same transaction, schedules the look at it for when the lease would lapse. */
  const claimAndStore = (job: TakeoverJob, queued: JobQueue) =>
    opts.database.transaction(async (tx) => {
      const lease = await claims.hold(job.key, job.kind, leaseMs, tx);
      if (lease) await queued.send(queue, job, { tx, startAfter: later(leaseMs + MARGIN_MS) });
      return lease;
    });

  return {
    leaseMs,
    async accept(r) {
      if (!jobs || !r.payload) return claims.hold(r.key, r.kind, leaseMs);
      return claimAndStore({ key: r.key, kind: r.kind, keepMs: r.keepMs, payload: r.payload }, jobs);
    },
    answer,
    state: (key) => claims.state(key),
    async takeOver(fn) {
      if (!jobs) return;
      await jobs.work(queue, async (data) => {
        const job = data as TakeoverJob;
        const before = await claims.state(job.key);
        if (before.state === 'done') return;
        // Taken over with a look of its own scheduled: the job running here stays claimed by this instance until the
        // job queue expires it (15 minutes), so should this instance die too, that look is what takes it over again.
        const lease = await claimAndStore(job, jobs);
        if (!lease) {
          // Still being answered (its holder renews the lease): look again when the lease would lapse.
          const state = await claims.state(job.key);
          if (state.state === 'done') return;
          const until = state.state === 'held' ? state.until.getTime() - Date.now() : 0;
          await jobs.send(queue, job, { startAfter: later(Math.max(until, 0) + MARGIN_MS) });
          return;
        }
        log.warn(`${platform}: answering a request another instance acknowledged but did not answer in time`, { key: job.key, kind: job.kind });
        await answer(lease, job.keepMs, () => fn(job.payload, () => lease.stillHeld()));
      });
    },
  };
}
