// What every listener works with.
import type { webApi } from '@slack/bolt';
import type { ApprovalService } from '../../src/approvals/service.js';
import type { Database } from '../../src/db/client.js';
import type { Logger } from '../../src/log.js';
import type { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import type { RequestClaims } from './dedupe.js';
import type { Limiter } from './limiter.js';
import type { UserDirectory } from './users.js';

export type WebClient = webApi.WebClient;

export type BotContext = {
  orchestrator: Orchestrator;
  approvals: ApprovalService;
  database: Database;
  log: Logger;
  users: UserDirectory;
  /** Process-once claims on requests and messages, shared by every instance through the database. */
  claims: RequestClaims;
  /** Channel for approval cards and alerts. */
  approvalsChannel?: string;
  /** Bounds how many orchestrator turns run at once. */
  turns: Limiter;
};
