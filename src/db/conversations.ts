// Conversation memory and the record of every orchestrator turn.
import type { Database, Session } from './client.js';
import { desc, eq } from 'drizzle-orm';
import { conversationTurns } from './schema.js';

/** A turn to store: what was asked, how it was planned and answered (the id and time are the database's). */
export type TurnRecord = Omit<typeof conversationTurns.$inferInsert, 'id' | 'createdAt'>;

/** Stores a turn (in `q`, a transaction when the turn commits with its ledger events and proposals) and returns its id. */
export async function recordTurn(q: Session, t: TurnRecord): Promise<string> {
  const [row] = await q.db.insert(conversationTurns).values(t).returning({ id: conversationTurns.id });
  return row!.id;
}

/** Replaces a stored turn's reply (with governance's decisions, once they are known in the same transaction). */
export async function updateTurnReply(q: Session, id: string, reply: Record<string, unknown>): Promise<void> {
  await q.db.update(conversationTurns).set({ reply }).where(eq(conversationTurns.id, id));
}

/** The plan of the latest turn in a conversation, for resolving follow-ups ("and in February?"). */
export async function lastPlan(database: Session, conversationId: string): Promise<Record<string, unknown> | undefined> {
  const [row] = await database.db
    .select({ plan: conversationTurns.plan })
    .from(conversationTurns)
    .where(eq(conversationTurns.conversationId, conversationId))
    .orderBy(desc(conversationTurns.createdAt))
    .limit(1);
  return row?.plan;
}

/** The turns of a conversation, oldest first (at most `limit`, the latest ones). */
export async function conversationHistory(
  database: Database,
  conversationId: string,
  limit = 50,
): Promise<{ id: string; text: string; reply: Record<string, unknown>; createdAt: Date }[]> {
  const rows = await database.db
    .select({ id: conversationTurns.id, text: conversationTurns.text, reply: conversationTurns.reply, createdAt: conversationTurns.createdAt })
    .from(conversationTurns)
    .where(eq(conversationTurns.conversationId, conversationId))
    .orderBy(desc(conversationTurns.createdAt))
    .limit(limit);
  return rows.reverse();
}

/** Conversations whose id starts with `prefix`, latest first: id, first question and last activity. */
export async function conversationsWithPrefix(
  database: Database,
  prefix: string,
  limit = 20,
): Promise<{ conversationId: string; first: string; lastAt: Date }[]> {
  const rows = await database.query<{ conversation_id: string; first: string; last_at: string }>(
    `select conversation_id, (array_agg(text order by created_at))[1] as first, max(created_at)::text as last_at
       from conversation_turns where starts_with(conversation_id, $1)
      group by conversation_id order by max(created_at) desc limit $2`,
    [prefix, limit],
  );
  return rows.map((r) => ({ conversationId: r.conversation_id, first: r.first, lastAt: new Date(r.last_at) }));
}
