// Teams conversations as the orchestrator sees them: `teams:<conversation id>`. A channel thread's conversation id
// carries the thread (`19:…@thread.tacv2;messageid=…`), so follow-ups and an approval's outcome find the same thread.

const PREFIX = 'teams:';

export function encodeConversation(conversationId: string): string {
  return `${PREFIX}${conversationId}`;
}

/** The Teams conversation id of a conversation id this bot created; undefined for any other. */
export function decodeConversation(id: string | undefined): string | undefined {
  if (!id?.startsWith(PREFIX)) return undefined;
  const rest = id.slice(PREFIX.length);
  return rest.length > 0 && rest.length <= 1000 ? rest : undefined;
}
