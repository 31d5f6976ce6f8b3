// Approval cards in a chat, driven by the approvals notifier, the same on every platform:
//   pending   → the card in the approvals conversation (when set) and in each active approver's direct chat; every
//               copy is recorded (approval_messages) so it can be changed later;
//   updated   → every copy updated; approvers of the next level get the card;
//   reminder, escalated → copies updated and a note under the copies the channel puts notes under; an escalation
//               sends the card to the approvers who had none;
//   resolved  → copies updated (outcome, who, when, why; no buttons) and the outcome told where the request came from;
//   executed, notice → told where the request came from (notices also to the people named).
// A conversation gets one card per approval. Delivery runs inline unless `schedule` is given (Teams answers its HTTP
// request first and delivers one approval's events in order in the background).
import type { ApprovalCard } from '../approvals/card.js';
import type { ApprovalEvent, ApprovalNotifier } from '../approvals/notify.js';
import type { Approver } from '../approvals/types.js';
import { approvalMessages, recordApprovalMessage } from '../db/approvals.js';
import type { Database } from '../db/client.js';
import type { Logger } from '../log.js';
import type { CardCopy, Channel, NoteTone } from './channel.js';

export type ApprovalDeliveryDeps = {
  database: Database;
  log: Logger;
  notifier: ApprovalNotifier;
  /** Runs one event's delivery; the key orders one approval's events. Default: inline. */
  schedule?: (what: string, task: () => Promise<void>, key: string) => void;
};

/** The note under an approval's copies when it is overdue. */
export function approvalNoteText(kind: 'reminder' | 'escalated', card: ApprovalCard): string {
  const waiting = card.waitingFor.join('; ') || 'the approvers';
  return kind === 'reminder'
    ? `Reminder: approval #${card.number} still waits for ${waiting}.`
    : `Escalated: approval #${card.number} has waited too long; it now also waits for ${waiting}.`;
}

/** Subscribes `channel` to the approvals notifier; returns the unsubscribe. */
export function subscribeApprovalDelivery(channel: Channel, deps: ApprovalDeliveryDeps): () => void {
  const { database, log, notifier } = deps;
  const platform = channel.platform;
  // Conversations that already show an approval's card (approval id + conversation), so nobody gets it twice.
  const shown = new Set<string>();
  const remember = (key: string) => {
    shown.add(key);
    if (shown.size > 20_000) shown.delete(shown.values().next().value as string);
  };

  const post = async (card: ApprovalCard, conversationId: string) => {
    const key = `${card.approvalId}|${conversationId}`;
    if (shown.has(key)) return;
    const copy = await channel.postCard(conversationId, card);
    remember(key);
    if (copy) {
      remember(`${card.approvalId}|${copy.conversationId}`);
      await recordApprovalMessage(database, { approvalId: card.approvalId, channel: platform, ...copy });
    }
  };

  const toApprovers = async (card: ApprovalCard, approvers: Approver[]) => {
    for (const a of approvers) {
      if (!a.active) continue;
      try {
        const dm = await channel.openDm(a);
        if (dm) await post(card, dm);
        else log.debug(`${platform}: no direct chat with an approver`, { email: a.email, approval: card.number });
      } catch (err) {
        log.warn(`${platform}: could not send an approval card to an approver`, { email: a.email, approval: card.number, error: (err as Error).message });
      }
    }
  };

  const updateAll = async (card: ApprovalCard): Promise<CardCopy[]> => {
    const copies = (await approvalMessages(database, card.approvalId))
      .filter((m) => m.channel === platform)
      .map((m) => ({ conversationId: m.conversationId, messageId: m.messageId }));
    for (const c of copies) remember(`${card.approvalId}|${c.conversationId}`);
    if (copies.length > 0) await channel.updateCards(copies, card);
    return copies;
  };

  const note = async (to: Parameters<Channel['postNote']>[0], text: string, tone: NoteTone) => {
    await channel.postNote(to, text, tone).catch((err: Error) => log.warn(`${platform}: could not post a note`, { error: err.message }));
  };

  const toOrigin = async (origin: { channel: string; conversationId?: string } | undefined, text: string, tone: NoteTone) => {
    if (origin?.channel !== platform) return;
    const target = channel.replyTarget(origin.conversationId);
    if (target) await note(target, text, tone);
  };

  const handle = async (e: ApprovalEvent) => {
    switch (e.type) {
      case 'pending': {
        const shared = await channel.approvalsConversation();
        if (shared) await post(e.card, shared).catch((err: Error) => log.warn(`${platform}: could not post an approval card`, { approval: e.card.number, error: err.message }));
        await toApprovers(e.card, e.approvers);
        break;
      }
      case 'updated':
        await updateAll(e.card);
        await toApprovers(e.card, e.approvers);
        break;
      case 'reminder':
      case 'escalated': {
        const copies = await updateAll(e.card);
        const direct = channel.capabilities.notesUnder === 'direct';
        for (const c of copies.filter((x) => channel.isDirect(x.conversationId) === direct)) {
          await note({ conversationId: c.conversationId, threadOf: c.messageId }, approvalNoteText(e.type, e.card), e.type);
        }
        if (e.type === 'escalated') await toApprovers(e.card, e.approvers);
        break;
      }
      case 'resolved':
        await updateAll(e.card);
        await toOrigin(e.origin, `Approval #${e.card.number}: ${e.card.outcome ?? e.card.state}.`, e.card.state === 'approved' ? 'approved' : 'rejected');
        break;
      case 'executed':
        await toOrigin(e.origin, e.text, 'executed');
        break;
      case 'notice':
        await toOrigin(e.origin, e.text, 'info');
        for (const a of e.to ?? []) {
          const dm = a.active ? await channel.openDm(a).catch(() => undefined) : undefined;
          if (dm) await note({ conversationId: dm }, e.text, 'info');
        }
        break;
    }
  };

  const deliver = async (e: ApprovalEvent) => {
    try {
      await handle(e);
    } catch (err) {
      log.warn(`${platform}: an approval notification failed`, { type: e.type, error: (err as Error).message });
    }
  };

  return notifier.subscribe(async (e) => {
    if (!deps.schedule) return deliver(e);
    const key = 'card' in e ? e.card.approvalId : (e.approvalId ?? 'notices');
    deps.schedule(`delivering an approval ${e.type} event`, () => deliver(e), `approval:${key}`);
  });
}
