// Where chat bots can write on their own: conversation references and what a bot knows of a person
// (chat_conversations, chat_contacts), shared by every app instance and kept across restarts.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database } from './client.js';
import { chatContacts, chatConversations } from './schema.js';

export type ConversationRow = typeof chatConversations.$inferSelect;
export type ContactRow = typeof chatContacts.$inferSelect;

/** Stores (or refreshes) a conversation's reference. */
export async function saveConversation(database: Database, row: typeof chatConversations.$inferInsert): Promise<void> {
  await database.db
    .insert(chatConversations)
    .values(row)
    .onConflictDoUpdate({
      target: [chatConversations.platform, chatConversations.conversationId],
      set: { conversationType: row.conversationType, reference: row.reference, seenAt: sql`excluded.seen_at` },
    });
}

/** A stored conversation reference. */
export async function findConversation(database: Database, platform: string, conversationId: string): Promise<ConversationRow | undefined> {
  const [row] = await database.db
    .select()
    .from(chatConversations)
    .where(and(eq(chatConversations.platform, platform), eq(chatConversations.conversationId, conversationId)))
    .limit(1);
  return row;
}

/** Stores what was learned of a person; fields left undefined keep their stored value. */
export async function saveContact(database: Database, row: typeof chatContacts.$inferInsert): Promise<void> {
  const keep = (column: string) => sql.raw(`coalesce(excluded.${column}, chat_contacts.${column})`);
  await database.db
    .insert(chatContacts)
    .values(row)
    .onConflictDoUpdate({
      target: [chatContacts.platform, chatContacts.externalId],
      set: {
        address: keep('address'),
        personalConversationId: keep('personal_conversation_id'),
        lastConversationId: keep('last_conversation_id'),
        userId: keep('user_id'),
        seenAt: sql`excluded.seen_at`,
      },
    });
}

/** A person by their platform id (Teams: AAD object id). */
export async function findContact(database: Database, platform: string, externalId: string): Promise<ContactRow | undefined> {
  const [row] = await database.db
    .select()
    .from(chatContacts)
    .where(and(eq(chatContacts.platform, platform), eq(chatContacts.externalId, externalId)))
    .limit(1);
  return row;
}

/** The most recently seen account of a user on a platform. */
export async function findContactOfUser(database: Database, platform: string, userId: string): Promise<ContactRow | undefined> {
  const [row] = await database.db
    .select()
    .from(chatContacts)
    .where(and(eq(chatContacts.platform, platform), eq(chatContacts.userId, userId)))
    .orderBy(desc(chatContacts.seenAt))
    .limit(1);
  return row;
}
