// One run of a monitor at a time, across every app instance and the CLI. Two instances working the monitor's queue,
// or a schedule firing while someone runs `qm monitor run`, would otherwise find the same conditions together and
// race to store, propose and notify them. A run holds a lease on `monitor-run:<name>` in request_claims: renewed
// while it runs, let go when it ends, and lapsing on its own (one minute) if its process dies mid-run, so a crash
// never blocks the monitor for longer than that.
import type { Database } from '../db/client.js';
import { createRequestClaims } from '../chat/request-claims.js';
import type { Logger } from '../log.js';

export type ExclusiveOptions = {
  /** When a run holds the monitor: wait for it to end, then run (a person asked), or skip (a scheduled run). */
  ifRunning: 'wait' | 'skip';
  /** How long a run's lease lasts between renewals (default 60 s). */
  leaseMs?: number;
  /** How long to wait at most before giving up with an error (default 30 minutes). */
  maxWaitMs?: number;
};

export type Exclusive<T> = { ran: true; value: T } | { ran: false };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `run` while holding monitor `name`'s lease; `{ ran: false }` when skipped because another run holds it. */
export async function runExclusively<T>(deps: { database: Database; log: Logger }, name: string, opts: ExclusiveOptions, run: () => Promise<T>): Promise<Exclusive<T>> {
  const claims = createRequestClaims({ database: deps.database, log: deps.log, label: 'monitors' });
  const leaseMs = opts.leaseMs ?? 60_000;
  const key = `monitor-run:${name}`;
  const deadline = Date.now() + (opts.maxWaitMs ?? 30 * 60_000);
  for (;;) {
    const lease = await claims.hold(key, 'monitor:run', leaseMs);
    if (lease) {
      try {
        return { ran: true, value: await lease.keepWhile(run) };
      } finally {
        await lease.release().catch((err: Error) => deps.log.warn(`monitor ${name}: could not let go of its run lease`, { error: err.message }));
      }
    }
    if (opts.ifRunning === 'skip') {
      deps.log.info(`monitor ${name}: already running (here or on another instance); this run is skipped`);
      return { ran: false };
    }
    if (Date.now() > deadline) throw new Error(`monitor ${name} has been running elsewhere for too long; try again later`);
    const state = await claims.state(key);
    const wait = state.state === 'held' ? state.until.getTime() - Date.now() : 0;
    await sleep(Math.min(Math.max(wait, 200), 1000));
  }
}
