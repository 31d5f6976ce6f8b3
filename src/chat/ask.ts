// One question from a chat, the same on every platform: the resolved person asks in their conversation, the
// orchestrator runs the turn within the bot's turn limit, and the Reply comes back for the channel to render. A
// failure is logged here and returned as `failed`, so each channel only chooses how to say "try again".
import type { Logger } from '../log.js';
import type { Orchestrator } from '../orchestrator/orchestrator.js';
import type { Reply } from '../orchestrator/types.js';
import type { ChatPerson } from './people.js';
import type { ChatWork } from './work.js';

export type ChatQuestion = {
  /** The orchestrator conversation id (the channel's encoding of its conversation and thread). */
  conversationId: string;
  person: ChatPerson;
  text: string;
};

export type ChatAnswer = { ok: true; reply: Reply } | { ok: false };

export type AskDeps = { orchestrator: Orchestrator; work: ChatWork; log: Logger };

/** Runs one turn for a question from a chat. Never throws. */
export async function askFromChat(deps: AskDeps, q: ChatQuestion): Promise<ChatAnswer> {
  const { person } = q;
  // The turn is asked as the matched user; an unmatched person by their platform id and name only (an email their
  // profile gives is not theirs to act under: it matched no user).
  const user = person.user
    ? { id: person.user.id, email: person.user.email, name: person.user.name }
    : { ...(person.externalId ? { id: `${person.platform}:${person.externalId}` } : {}), ...(person.name ? { name: person.name } : {}) };
  try {
    const turn = await deps.work.turn(() => deps.orchestrator.handle({ channel: person.platform === 'web' ? 'http' : person.platform, conversationId: q.conversationId, user, text: q.text }));
    return { ok: true, reply: turn.reply };
  } catch (err) {
    deps.log.error(`${person.platform}: the question could not be answered`, { conversation: q.conversationId, error: (err as Error).message });
    return { ok: false };
  }
}
