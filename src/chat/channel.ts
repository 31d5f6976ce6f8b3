// The chat layer's port: what the core needs from a chat platform (Slack, Teams, and next the web chat) to answer
// people and deliver approval cards. Each bot implements it by translating to its platform; the workflows that use
// it (ask.ts, approval-delivery.ts, people.ts, decide.ts) live here once, so the platforms cannot drift apart.
import type { ApprovalCard } from '../approvals/card.js';
import type { Approver } from '../approvals/types.js';
import type { ReplyImage } from '../orchestrator/types.js';

export type ChatPlatform = 'slack' | 'teams' | 'web';

/** A message the bot posted that shows an approval card: where it is and its id there. */
export type CardCopy = { conversationId: string; messageId: string };

/** Where a short note goes: a conversation, optionally under (in the thread of) one of its messages. */
export type NoteTarget = { conversationId: string; threadOf?: string };

/** What a note is about; channels choose an icon or a colour from it. */
export type NoteTone = 'info' | 'approved' | 'rejected' | 'executed' | 'reminder' | 'escalated' | 'alert';

export type ChannelCapabilities = {
  /** Forms in a dialog (Slack modals); without them, inputs live on the card itself (Teams ShowCard). */
  modals: boolean;
  /** Cards that refresh themselves into each viewer's own view (Teams Universal Actions). */
  cardRefresh: boolean;
  /** Which copies of a card get reminder and escalation notes under them: shared conversations or direct chats. */
  notesUnder: 'shared' | 'direct';
};

/** One chat platform, as the core sees it. Every method may throw; the workflows log and go on. */
export type Channel = {
  readonly platform: ChatPlatform;
  readonly capabilities: ChannelCapabilities;
  /** The conversation that also gets every approval card (a configured channel), when set and reachable. */
  approvalsConversation(): Promise<string | undefined>;
  /** The bot's direct conversation with a person (opened when needed); undefined when it cannot reach them. */
  openDm(person: Approver): Promise<string | undefined>;
  /** Posts an approval card; returns the copy, or undefined when the platform gave no message id. */
  postCard(conversationId: string, card: ApprovalCard): Promise<CardCopy | undefined>;
  /** Replaces every listed copy with the card's current state (copies it cannot reach are logged and skipped). */
  updateCards(copies: CardCopy[], card: ApprovalCard): Promise<void>;
  /** Posts a short plain-language note. */
  postNote(to: NoteTarget, text: string, tone: NoteTone): Promise<void>;
  /** Capability: shows a picture (an answer's chart) in a conversation, under a message when `threadOf` is set. */
  postImage?(to: NoteTarget, image: ReplyImage): Promise<void>;
  /** Where to answer a conversation this channel started (an orchestrator conversation id); else undefined. */
  replyTarget(conversationId: string | undefined): NoteTarget | undefined;
  /** True for a one-to-one conversation between the bot and a person. */
  isDirect(conversationId: string): boolean;
};
