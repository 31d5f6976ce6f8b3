// What the approval state machine works with.
import type { ExecutorDeps } from '../actions/executor.js';
import type { Database } from '../db/client.js';
import type { Policy } from '../governance/policy.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Logger } from '../log.js';
import type { ApprovalNotifier } from './notify.js';

export type ApprovalDeps = {
  database: Database;
  log: Logger;
  now: () => Date;
  policy: Policy;
  notifier: ApprovalNotifier;
  /** Reminders, escalations and expiry are scheduled here; without a queue they are not scheduled. */
  jobs?: JobQueue;
  executor: ExecutorDeps;
};

export const JOB_REMIND = 'approval-remind';
export const JOB_ESCALATE = 'approval-escalate';
export const JOB_EXPIRE = 'approval-expire';
export const JOB_DRAIN = 'outbox-drain';
