// A bot's address book, kept in Postgres (src/db/chat-conversations.ts): the references to conversations it may
// write to on its own and what it knows of people (their platform address, 1:1 conversation, last conversation,
// matched user). Platforms hand these over only in incoming activities, so a bot records them as they come; stored
// here, a proactive card still reaches a person after a restart, and from whichever instance sends it.
import type { Database } from '../db/client.js';
import { findContact, findContactOfUser, findConversation, saveContact, saveConversation } from '../db/chat-conversations.js';
import type { ChatPlatform } from './channel.js';

export type KnownConversation = { reference: Record<string, unknown>; conversationType: string; seenAt: number };

export type KnownContact = {
  externalId: string;
  address?: string;
  personalConversationId?: string;
  lastConversationId?: string;
  userId?: string;
};

export type AddressBook = {
  saveConversation(conversationId: string, c: KnownConversation): Promise<void>;
  conversation(conversationId: string): Promise<KnownConversation | undefined>;
  /** Records what was learned of a person; fields left out keep what was known. */
  saveContact(c: KnownContact): Promise<void>;
  contact(externalId: string): Promise<KnownContact | undefined>;
  contactOfUser(userId: string): Promise<KnownContact | undefined>;
};

const contactOf = (row: { externalId: string; address: string | null; personalConversationId: string | null; lastConversationId: string | null; userId: string | null }): KnownContact => ({
  externalId: row.externalId,
  ...(row.address ? { address: row.address } : {}),
  ...(row.personalConversationId ? { personalConversationId: row.personalConversationId } : {}),
  ...(row.lastConversationId ? { lastConversationId: row.lastConversationId } : {}),
  ...(row.userId ? { userId: row.userId } : {}),
});

/**
 * The address book of one platform's bot. `registration` keeps bots registered under different ids apart (Teams
 * user ids and 1:1 conversations belong to one bot registration: another cannot write into them).
 */
export function createAddressBook(database: Database, chat: ChatPlatform, registration?: string): AddressBook {
  const platform = registration ? `${chat}:${registration}` : chat;
  return {
    saveConversation: (conversationId, c) =>
      saveConversation(database, { platform, conversationId, conversationType: c.conversationType, reference: c.reference, seenAt: new Date(c.seenAt) }),
    async conversation(conversationId) {
      const row = await findConversation(database, platform, conversationId);
      return row ? { reference: row.reference, conversationType: row.conversationType, seenAt: row.seenAt.getTime() } : undefined;
    },
    saveContact: (c) =>
      saveContact(database, {
        platform,
        externalId: c.externalId,
        address: c.address ?? null,
        personalConversationId: c.personalConversationId ?? null,
        lastConversationId: c.lastConversationId ?? null,
        userId: c.userId ?? null,
        seenAt: new Date(),
      }),
    async contact(externalId) {
      const row = await findContact(database, platform, externalId);
      return row ? contactOf(row) : undefined;
    },
    async contactOfUser(userId) {
      const row = await findContactOfUser(database, platform, userId);
      return row ? contactOf(row) : undefined;
    },
  };
}
