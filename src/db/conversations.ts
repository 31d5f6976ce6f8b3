// Conversation memory and the record of every orchestrator turn.
import type { Database, Queryable } from './client.js';
import { desc, eq } from 'drizzle-orm';
import { conversationTurns } from './schema.js';

export type TurnRecord = {
  conversationId: string;
  channel: string;
  userEmail?: string;
  text: string;
  planner: string;
  plan: Record<string, unknown>;
  agents: unknown[];
  reply: Record<string, unknown>;
  tokens?: Record<string, number>;
  durationMs: number;
};

/** Stores a turn (in `q`, a transaction when the turn commits with its ledger events and proposals) and returns its id. */
export async function recordTurn(q: Queryable, t: TurnRecord): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `insert into conversation_turns (conversation_id, channel, user_email, text, planner, plan, agents, reply, tokens, duration_ms)
     values ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, $9::jsonb, $10) returning id::text`,
    [
      t.conversationId,
      t.channel,
      t.userEmail ?? null,
      t.text,
      t.planner,
      JSON.stringify(t.plan),
      JSON.stringify(t.agents),
      JSON.stringify(t.reply),
      t.tokens ? JSON.stringify(t.tokens) : null,
      t.durationMs,
    ],
  );
  return row!.id;
}

/** Replaces a stored turn's reply (with governance's decisions, once they are known in the same transaction). */
export async function updateTurnReply(q: Queryable, id: string, reply: Record<string, unknown>): Promise<void> {
  await q.query('update conversation_turns set reply = $2::jsonb where id = $1::uuid', [id, JSON.stringify(reply)]);
}

/** The plan of the latest turn in a conversation, for resolving follow-ups ("and in February?"). */
export async function lastPlan(database: Database, conversationId: string): Promise<Record<string, unknown> | undefined> {
  const [row] = await database.query<{ plan: Record<string, unknown> | string }>(
    'select plan from conversation_turns where conversation_id = $1 order by created_at desc limit 1',
    [conversationId],
  );
  if (!row) return undefined;
  return typeof row.plan === 'string' ? JSON.parse(row.plan) : row.plan;
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
