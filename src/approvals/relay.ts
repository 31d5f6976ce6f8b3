// Approval events reach the chat channels whichever process took the decision. A server delivers the events of its
// own decisions through its channels (every copy of a card is in approval_messages and every conversation's
// reference in Postgres, so any instance can update them all). A process with no channel (a CLI command such as
// `qm approvals approve`, or an instance serving no chat) relays its events through the job queue instead, and one
// server with channels takes each and delivers it as if it were its own: cards updated, outcome posted, once.
import type { JobQueue } from '../jobs/queue.js';
import type { Logger } from '../log.js';
import type { ApprovalEvent, ApprovalNotifier } from './notify.js';

/** The job queue carrying approval events from processes without channels to a server with them. */
export const APPROVAL_EVENTS_QUEUE = 'approval-events';

/** Hands every event `notifier` publishes to the job queue; returns the unsubscribe. */
export function relayApprovalEvents(notifier: ApprovalNotifier, jobs: JobQueue, log: Logger): () => void {
  return notifier.subscribe(async (event) => {
    try {
      await jobs.send(APPROVAL_EVENTS_QUEUE, { event });
    } catch (err) {
      log.warn('an approval event could not be handed on for the chat channels; cards will show it when next refreshed', {
        type: event.type,
        error: (err as Error).message,
      });
    }
  });
}

/** Delivers events relayed by other processes through this process's channels (subscribed to `notifier`). */
export async function deliverRelayedEvents(notifier: ApprovalNotifier, jobs: JobQueue): Promise<void> {
  await jobs.work(APPROVAL_EVENTS_QUEUE, async (data) => {
    const event = data.event as ApprovalEvent | undefined;
    if (event && typeof event === 'object' && typeof event.type === 'string') await notifier.publish(event);
  });
}
