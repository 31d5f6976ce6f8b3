// An in-memory chat Channel: a real implementation of src/chat/channel.ts that keeps every conversation as a list of
// messages, for testing the core chat workflows without a platform (Slack and Teams are covered by their bot tests).
// Conversations: 'shared' (the approvals conversation), 'dm:<email>' (a person's direct chat; only people listed in
// `reachable` have one), and any thread a question was asked in. Orchestrator conversation ids are 'fake:<thread>'.
import type { ApprovalCard } from '../../src/approvals/card.js';
import type { Channel, ChatPlatform, NoteTone } from '../../src/chat/channel.js';

export type FakeMessage = { id: string; card?: ApprovalCard; text?: string; tone?: NoteTone; threadOf?: string; updates: number };

export type FakeChannel = Channel & {
  conversations: Map<string, FakeMessage[]>;
  /** The messages of one conversation (empty when none). */
  in(conversationId: string): FakeMessage[];
  /** Every approval card posted, by conversation. */
  cards(approvalId: string): { conversationId: string; message: FakeMessage }[];
};

export function createFakeChannel(opts: { platform?: ChatPlatform; reachable: string[]; shared?: boolean }): FakeChannel {
  const conversations = new Map<string, FakeMessage[]>();
  const reachable = new Set(opts.reachable.map((e) => e.toLowerCase()));
  let seq = 0;
  const add = (conversationId: string, m: Omit<FakeMessage, 'id' | 'updates'>) => {
    const message = { ...m, id: `m${++seq}`, updates: 0 };
    const list = conversations.get(conversationId) ?? [];
    list.push(message);
    conversations.set(conversationId, list);
    return message;
  };
  const self: FakeChannel = {
    platform: opts.platform ?? 'slack',
    capabilities: { modals: false, cardRefresh: false, notesUnder: 'shared' },
    conversations,
    in: (id) => conversations.get(id) ?? [],
    cards: (approvalId) =>
      [...conversations.entries()].flatMap(([conversationId, list]) =>
        list.filter((m) => m.card?.approvalId === approvalId).map((message) => ({ conversationId, message })),
      ),
    approvalsConversation: async () => (opts.shared === false ? undefined : 'shared'),
    openDm: async (person) => (reachable.has(person.email.toLowerCase()) ? `dm:${person.email.toLowerCase()}` : undefined),
    async postCard(conversationId, card) {
      const m = add(conversationId, { card });
      return { conversationId, messageId: m.id };
    },
    async updateCards(copies, card) {
      for (const c of copies) {
        const m = self.in(c.conversationId).find((x) => x.id === c.messageId);
        if (!m) throw new Error(`no message ${c.messageId} in ${c.conversationId}`);
        m.card = card;
        m.updates++;
      }
    },
    async postNote(to, text, tone) {
      add(to.conversationId, { text, tone, ...(to.threadOf ? { threadOf: to.threadOf } : {}) });
    },
    replyTarget: (conversationId) => (conversationId?.startsWith('fake:') ? { conversationId: conversationId.slice(5) } : undefined),
    isDirect: (conversationId) => conversationId.startsWith('dm:'),
  };
  return self;
}
