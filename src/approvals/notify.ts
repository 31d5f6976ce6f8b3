// How approvals reach people: channels (Slack, Teams) subscribe; the state machine publishes. With no channel
// connected the events still land in the ledger and `qm approvals`, so nothing depends on a chat platform.
import type { ApprovalCard } from './card.js';
import type { Approver } from './types.js';

export type ApprovalEvent =
  | { type: 'pending'; card: ApprovalCard; approvers: Approver[]; origin?: { channel: string; conversationId?: string } }
  | { type: 'updated'; card: ApprovalCard; approvers: Approver[] }
  | { type: 'resolved'; card: ApprovalCard; origin?: { channel: string; conversationId?: string } }
  | { type: 'reminder' | 'escalated'; card: ApprovalCard; approvers: Approver[] }
  | { type: 'executed' | 'notice'; approvalId?: string; text: string; origin?: { channel: string; conversationId?: string }; to?: Approver[] };

export type ApprovalListener = (event: ApprovalEvent) => Promise<void> | void;

export type ApprovalNotifier = {
  subscribe(listener: ApprovalListener): () => void;
  publish(event: ApprovalEvent): Promise<void>;
};

/** A fan-out to every subscribed channel; one channel failing never stops the others or the decision. */
export function createNotifier(onError: (err: Error) => void = () => {}): ApprovalNotifier {
  const listeners = new Set<ApprovalListener>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async publish(event) {
      await Promise.all(
        [...listeners].map(async (l) => {
          try {
            await l(event);
          } catch (err) {
            onError(err as Error);
          }
        }),
      );
    },
  };
}
