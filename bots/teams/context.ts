// What the handlers of the Teams bot share.
import type { ApprovalService } from '../../src/approvals/service.js';
import type { Database } from '../../src/db/client.js';
import type { Logger } from '../../src/log.js';
import type { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import type { TeamsPeople } from './people.js';
import type { ReferenceStore } from './references.js';
import type { TeamsSender } from './send.js';
import type { Work } from './work.js';

export type TeamsBotContext = {
  orchestrator: Orchestrator;
  approvals: ApprovalService;
  database: Database;
  log: Logger;
  references: ReferenceStore;
  people: TeamsPeople;
  sender: TeamsSender;
  work: Work;
  /** A Teams conversation (e.g. a channel) that also gets every approval card, once the bot has seen it. */
  approvalsConversation?: string;
};
