// What every listener works with.
import type { webApi } from '@slack/bolt';
import type { ApprovalService } from '../../src/approvals/service.js';
import type { ChatCore } from '../../src/chat/core.js';
import type { ChatPerson } from '../../src/chat/people.js';
import type { Logger } from '../../src/log.js';

export type WebClient = webApi.WebClient;

export type BotContext = {
  /** The chat layer's core: ask, decide, people, the turn limiter. */
  chat: ChatCore;
  approvals: ApprovalService;
  log: Logger;
  /** Who a Slack user is to Quartermaster (users.ts). */
  person(client: WebClient, slackUserId: string): Promise<ChatPerson>;
  /** Channel for approval cards and alerts. */
  approvalsChannel?: string;
};
