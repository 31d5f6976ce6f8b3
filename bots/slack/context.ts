// What every listener works with.
import type { webApi } from '@slack/bolt';
import type { ApprovalService } from '../../src/approvals/service.js';
import type { Database } from '../../src/db/client.js';
import type { Logger } from '../../src/log.js';
import type { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import type { SeenSet } from './dedupe.js';
import type { Limiter } from './limiter.js';
import type { UserDirectory } from './users.js';

export type WebClient = webApi.WebClient;

export type BotContext = {
  orchestrator: Orchestrator;
  approvals: ApprovalService;
  database: Database;
  log: Logger;
  users: UserDirectory;
  /** Event ids and messages already handled. */
  seen: SeenSet;
  /** Channel for approval cards and alerts. */
  approvalsChannel?: string;
  /** Bounds how many orchestrator turns run at once. */
  turns: Limiter;
};
