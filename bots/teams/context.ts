// What the handlers of the Teams bot share.
import type { ApprovalService } from '../../src/approvals/service.js';
import type { ChatCore } from '../../src/chat/core.js';
import type { Logger } from '../../src/log.js';
import type { TeamsPeople } from './people.js';
import type { ReferenceStore } from './references.js';
import type { TeamsSender } from './send.js';

export type TeamsBotContext = {
  /** The chat layer's core: ask, decide, people, the turn limiter and background work. */
  chat: ChatCore;
  approvals: ApprovalService;
  log: Logger;
  references: ReferenceStore;
  people: TeamsPeople;
  sender: TeamsSender;
  /** A Teams conversation (e.g. a channel) that also gets every approval card, once the bot has seen it. */
  approvalsConversation?: string;
};
