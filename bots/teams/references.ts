// Conversation references: what the bot must know to write into a Teams conversation on its own (a proactive card
// to an approver, an update of a card it sent, an outcome in the requester's chat): the service URL, the
// conversation, the bot's and the user's ids. Teams hands them over only in incoming activities, so every incoming
// activity is remembered here, keyed by conversation id and by the sender's AAD object id (with their Teams user id,
// 29:…, which card refresh lists name). They are kept in Postgres through the chat core's address book
// (src/chat/address-book.ts), so a restarted instance, or another one, reaches the same people; this store is the
// process's cache in front of it (the `find…` methods read through to the database on a miss).
import type { ConversationReference } from 'botbuilder';
import type { AddressBook, KnownContact } from '../../src/chat/address-book.js';

export type StoredReference = {
  reference: Partial<ConversationReference>;
  conversationType: string;
  seenAt: number;
};

const MAX_ENTRIES = 50_000;
/** An unchanged reference or contact is written to the database at most this often. */
const REWRITE_MS = 60_000;

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
  /** What was last written to the database, and when: unchanged entries are not rewritten on every activity. */
  private readonly written = new Bounded<{ value: string; at: number }>(MAX_ENTRIES);

  /** `book`: where references are kept beyond this process (absent: memory only). */
  constructor(private readonly book?: AddressBook) {}

  /** Remembers where an incoming activity came from (and, when known, which Quartermaster user sent it). */
  async remember(reference: Partial<ConversationReference>, activity: Incoming, userId?: string): Promise<void> {
    const conversationId = activity.conversation?.id;
    if (!conversationId || !activity.serviceUrl) return;
    const conversationType = activity.conversation?.conversationType ?? 'personal';
    // A reference for writing later: not a reply to this particular activity.
    const { activityId: _activityId, ...rest } = reference;
    const seenAt = Date.now();
    const writes: Promise<void>[] = [this.keepConversation(conversationId, { reference: rest, conversationType, seenAt })];
    // A channel thread (`19:…@thread.tacv2;messageid=…`) also tells how to post at the top of its channel.
    const channel = (activity.channelData as { channel?: { id?: unknown } } | undefined)?.channel?.id;
    if (conversationType === 'channel' && typeof channel === 'string' && channel !== conversationId) {
      const conversation = { ...rest.conversation, id: channel } as ConversationReference['conversation'];
      writes.push(this.keepConversation(channel, { reference: { ...rest, conversation }, conversationType, seenAt }));
    }
    const aad = activity.from?.aadObjectId;
    if (aad) {
      if (activity.from?.id) this.mriByAad.set(aad, activity.from.id);
      this.lastByAad.set(aad, conversationId);
      if (conversationType === 'personal') this.personalByAad.set(aad, conversationId);
      if (userId) this.aadByUser.set(userId, aad);
      writes.push(
        this.keepContact({
          externalId: aad,
          ...(activity.from?.id ? { address: activity.from.id } : {}),
          lastConversationId: conversationId,
          ...(conversationType === 'personal' ? { personalConversationId: conversationId } : {}),
          ...(userId ? { userId } : {}),
        }),
      );
    }
    await Promise.all(writes);
  }

  /** Links a Quartermaster user to an AAD object id (learned from a look-up rather than an activity). */
  async linkUser(userId: string, aadObjectId: string): Promise<void> {
    this.aadByUser.set(userId, aadObjectId);
    await this.keepContact({ externalId: aadObjectId, userId });
  }

  /** A conversation seen by this process (no database read). */
  conversation(conversationId: string): StoredReference | undefined {
    return this.byConversation.get(conversationId);
  }

  /** A conversation seen by any instance, ever. */
  async findConversation(conversationId: string): Promise<StoredReference | undefined> {
    const known = this.byConversation.get(conversationId);
    if (known || !this.book) return known;
    const stored = await this.book.conversation(conversationId);
    if (!stored) return undefined;
    const found: StoredReference = { reference: stored.reference as Partial<ConversationReference>, conversationType: stored.conversationType, seenAt: stored.seenAt };
    this.byConversation.set(conversationId, found);
    return found;
  }

  /** The person's 1:1 chat with the bot, when they have written to it (or installed it). */
  async personal(aadObjectId: string): Promise<StoredReference | undefined> {
    const id = this.personalByAad.get(aadObjectId) ?? (await this.contact(aadObjectId))?.personalConversationId;
    return id ? this.findConversation(id) : undefined;
  }

  /** Any conversation the person wrote from: enough to open a 1:1 chat with them (same service URL and tenant). */
  async lastSeen(aadObjectId: string): Promise<StoredReference | undefined> {
    const id = this.lastByAad.get(aadObjectId) ?? (await this.contact(aadObjectId))?.lastConversationId;
    return id ? this.findConversation(id) : undefined;
  }

  /** Records a 1:1 chat the bot opened itself. */
  async rememberPersonal(aadObjectId: string, stored: StoredReference): Promise<void> {
    const id = stored.reference.conversation?.id;
    if (!id) return;
    this.personalByAad.set(aadObjectId, id);
    await Promise.all([this.keepConversation(id, stored), this.keepContact({ externalId: aadObjectId, personalConversationId: id })]);
  }

  /** The person's Teams user id (29:…). */
  async mri(aadObjectId: string): Promise<string | undefined> {
    return this.mriByAad.get(aadObjectId) ?? (await this.contact(aadObjectId))?.address;
  }

  /** The AAD object id of a Quartermaster user, when they have been seen in Teams. */
  async aadOfUser(userId: string): Promise<string | undefined> {
    const known = this.aadByUser.get(userId);
    if (known || !this.book) return known;
    const contact = await this.book.contactOfUser(userId);
    if (contact) this.cacheContact(contact);
    return contact?.externalId;
  }

  get size(): number {
    return this.byConversation.size;
  }

  private async contact(aadObjectId: string): Promise<KnownContact | undefined> {
    const contact = await this.book?.contact(aadObjectId);
    if (contact) this.cacheContact(contact);
    return contact;
  }

  private cacheContact(c: KnownContact): void {
    if (c.address && !this.mriByAad.get(c.externalId)) this.mriByAad.set(c.externalId, c.address);
    if (c.personalConversationId && !this.personalByAad.get(c.externalId)) this.personalByAad.set(c.externalId, c.personalConversationId);
    if (c.lastConversationId && !this.lastByAad.get(c.externalId)) this.lastByAad.set(c.externalId, c.lastConversationId);
    if (c.userId && !this.aadByUser.get(c.userId)) this.aadByUser.set(c.userId, c.externalId);
  }

  private async keepConversation(conversationId: string, stored: StoredReference): Promise<void> {
    this.byConversation.set(conversationId, stored);
    if (!this.book || !this.changed(`c:${conversationId}`, { ...stored, seenAt: 0 })) return;
    await this.book.saveConversation(conversationId, { reference: stored.reference as Record<string, unknown>, conversationType: stored.conversationType, seenAt: stored.seenAt });
  }

  private async keepContact(c: KnownContact): Promise<void> {
    if (!this.book || !this.changed(`p:${c.externalId}:${Object.keys(c).sort().join(',')}`, c)) return;
    await this.book.saveContact(c);
  }

  /** True (and noted) when `value` differs from what was last written under `key`, or that was a while ago. */
  private changed(key: string, value: unknown): boolean {
    const text = JSON.stringify(value);
    const last = this.written.get(key);
    const now = Date.now();
    if (last && last.value === text && now - last.at < REWRITE_MS) return false;
    this.written.set(key, { value: text, at: now });
    return true;
  }
}
