// Conversation references: what the bot must know to write into a Teams conversation on its own (a proactive card
// to an approver, an update of a card it sent, an outcome in the requester's chat): the service URL, the
// conversation, the bot's and the user's ids. Teams hands them over only in incoming activities, so every incoming
// activity is remembered here, keyed by conversation id and by the sender's AAD object id (with their Teams user id,
// 29:…, which card refresh lists name).
//
// WEAK: this store is in memory. After a restart the bot cannot reach a person or update a card in a conversation
// until someone in it writes to the bot again (or, for a person, installs or opens the app), and with several app
// instances each knows only the activities it received. Nothing is lost for the approval itself: decisions stay in
// the database and the cards show the current state the next time they are refreshed.
import type { ConversationReference } from 'botbuilder';

export type StoredReference = {
  reference: Partial<ConversationReference>;
  conversationType: string;
  seenAt: number;
};

const MAX_ENTRIES = 50_000;

/** A Map that forgets its oldest entries past a size. */
class Bounded<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
  get size(): number {
    return this.map.size;
  }
}

type Incoming = {
  from?: { id?: string; aadObjectId?: string };
  conversation?: { id?: string; conversationType?: string };
  serviceUrl?: string;
  channelId?: string;
  channelData?: unknown;
};

export class ReferenceStore {
  private readonly byConversation = new Bounded<StoredReference>(MAX_ENTRIES);
  /** AAD object id → the conversation id of their personal (1:1) chat with the bot. */
  private readonly personalByAad = new Bounded<string>(MAX_ENTRIES);
  /** AAD object id → the last conversation they wrote from (any kind). */
  private readonly lastByAad = new Bounded<string>(MAX_ENTRIES);
  /** AAD object id → Teams user id (29:…). */
  private readonly mriByAad = new Bounded<string>(MAX_ENTRIES);
  /** Quartermaster user id → AAD object id, for the people matched to a user. */
  private readonly aadByUser = new Bounded<string>(MAX_ENTRIES);

  /** Remembers where an incoming activity came from (and, when known, which Quartermaster user sent it). */
  remember(reference: Partial<ConversationReference>, activity: Incoming, userId?: string): void {
    const conversationId = activity.conversation?.id;
    if (!conversationId || !activity.serviceUrl) return;
    const conversationType = activity.conversation?.conversationType ?? 'personal';
    // A reference for writing later: not a reply to this particular activity.
    const { activityId: _activityId, ...rest } = reference;
    const seenAt = Date.now();
    this.byConversation.set(conversationId, { reference: rest, conversationType, seenAt });
    // A channel thread (`19:…@thread.tacv2;messageid=…`) also tells how to post at the top of its channel.
    const channel = (activity.channelData as { channel?: { id?: unknown } } | undefined)?.channel?.id;
    if (conversationType === 'channel' && typeof channel === 'string' && channel !== conversationId) {
      const conversation = { ...rest.conversation, id: channel } as ConversationReference['conversation'];
      this.byConversation.set(channel, { reference: { ...rest, conversation }, conversationType, seenAt });
    }
    const aad = activity.from?.aadObjectId;
    if (!aad) return;
    if (activity.from?.id) this.mriByAad.set(aad, activity.from.id);
    this.lastByAad.set(aad, conversationId);
    if (conversationType === 'personal') this.personalByAad.set(aad, conversationId);
    if (userId) this.aadByUser.set(userId, aad);
  }

  /** Links a Quartermaster user to an AAD object id (learned from a look-up rather than an activity). */
  linkUser(userId: string, aadObjectId: string): void {
    this.aadByUser.set(userId, aadObjectId);
  }

  conversation(conversationId: string): StoredReference | undefined {
    return this.byConversation.get(conversationId);
  }

  /** The person's 1:1 chat with the bot, when they have written to it (or installed it) since the start. */
  personal(aadObjectId: string): StoredReference | undefined {
    const id = this.personalByAad.get(aadObjectId);
    return id ? this.byConversation.get(id) : undefined;
  }

  /** Any conversation the person wrote from: enough to open a 1:1 chat with them (same service URL and tenant). */
  lastSeen(aadObjectId: string): StoredReference | undefined {
    const id = this.lastByAad.get(aadObjectId);
    return id ? this.byConversation.get(id) : undefined;
  }

  /** Records a 1:1 chat the bot opened itself. */
  rememberPersonal(aadObjectId: string, stored: StoredReference): void {
    const id = stored.reference.conversation?.id;
    if (!id) return;
    this.byConversation.set(id, stored);
    this.personalByAad.set(aadObjectId, id);
  }

  mri(aadObjectId: string): string | undefined {
    return this.mriByAad.get(aadObjectId);
  }

  aadOfUser(userId: string): string | undefined {
    return this.aadByUser.get(userId);
  }

  get size(): number {
    return this.byConversation.size;
  }
}
