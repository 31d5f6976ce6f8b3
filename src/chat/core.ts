// The chat layer's core, built once per bot: person resolution, the turn limiter and background work, request
// claims, the ask handler, decisions, and approval-card delivery for the bot's Channel. Bots get the database only
// to hand it here: everything they need from Postgres goes through these services (bots never import src/db).
import type { ApprovalService } from '../approvals/service.js';
import type { Database } from '../db/client.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Logger } from '../log.js';
import type { Orchestrator } from '../orchestrator/orchestrator.js';
import { type AddressBook, createAddressBook } from './address-book.js';
import { subscribeApprovalDelivery } from './approval-delivery.js';
import { type ChatAnswer, type ChatQuestion, askFromChat } from './ask.js';
import type { Channel, ChatPlatform } from './channel.js';
import { type ChatDecision, decideFromChat } from './decide.js';
import { type ChatPeople, createChatPeople } from './people.js';
import { createRequestClaims, type RequestClaims } from './request-claims.js';
import { type ChatIntake, createChatIntake } from './takeover.js';
import { type ChatWork, createChatWork } from './work.js';

/** The database handle a bot is given, to pass to the chat core. */
export type ChatDatabase = Database;

export type ChatCoreOptions = {
  platform: ChatPlatform;
  database: ChatDatabase;
  log: Logger;
  orchestrator: Orchestrator;
  approvals: ApprovalService;
  /** Orchestrator turns run at once (default 4); more wait in arrival order. */
  maxConcurrentTurns?: number | undefined;
  /** How long a resolved person is cached (default five minutes). */
  peopleTtlMs?: number | undefined;
  /** How long an instance holds a request it is answering before another may take it over (default 60 s). */
  leaseMs?: number | undefined;
  /** The process's job queue: requests are stored there for another instance to take over (CHAT_QUEUES declared). */
  jobs?: JobQueue | undefined;
};

export type ChatCore = {
  people: ChatPeople;
  work: ChatWork;
  claims: RequestClaims;
  /** Requests claimed before they are acknowledged, answered here or taken over by another instance. */
  intake: ChatIntake;
  /** Conversation references and what the bot knows of people, kept in Postgres for every instance (per bot registration). */
  addressBook(registration?: string): AddressBook;
  approvals: ApprovalService;
  ask(q: ChatQuestion): Promise<ChatAnswer>;
  decide(d: Omit<ChatDecision, 'reason'> & { reason?: string | undefined }): ReturnType<typeof decideFromChat>;
  /** Delivers approval cards through `channel` (in the background when `background`); returns the unsubscribe. */
  deliverApprovals(channel: Channel, opts?: { background?: boolean }): () => void;
};

export function createChatCore(opts: ChatCoreOptions): ChatCore {
  const { database, log, orchestrator, approvals, platform } = opts;
  const work = createChatWork(log, platform, opts.maxConcurrentTurns ?? 4);
  const people = createChatPeople({ database, log, ...(opts.peopleTtlMs ? { ttlMs: opts.peopleTtlMs } : {}) });
  const claims = createRequestClaims({ database, log, label: platform });
  const intake = createChatIntake({ platform, claims, log, database, jobs: opts.jobs, ...(opts.leaseMs ? { leaseMs: opts.leaseMs } : {}) });
  return {
    people,
    work,
    claims,
    intake,
    addressBook: (registration) => createAddressBook(database, platform, registration),
    approvals,
    ask: (q) => askFromChat({ orchestrator, work, log }, q),
    decide: ({ reason, ...d }) => decideFromChat({ approvals, log }, { ...d, ...(reason ? { reason } : {}) }),
    deliverApprovals: (channel, o = {}) =>
      subscribeApprovalDelivery(channel, { database, log, notifier: approvals.notifier, ...(o.background ? { schedule: work.run } : {}) }),
  };
}
