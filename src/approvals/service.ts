// The approvals service of one process: loads the policy (recording a changed one in the ledger), works the
// approval jobs (reminders, escalations, expiry, outbox drains) on the process's job queue when asked to, and
// offers submit / decide / reverse to the orchestrator, the channels and the CLI. The composition root
// (src/runtime.ts) opens the job queue and hands it in; the service never opens one of its own.
import { drainOutbox, type ExecutorDeps } from '../actions/executor.js';
import { appendAuditIn } from '../audit/ledger.js';
import type { Database, Session } from '../db/client.js';
import { type ApprovalFilter, findApproval, findUser, listApprovals, pendingApprovalsWithoutKey, setProposalKey } from '../db/approvals.js';
import { AppError } from '../errors.js';
import { latestPolicyVersion, recordPolicyVersion } from '../db/policies.js';
import { loadPolicy, type Policy } from '../governance/policy.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Logger } from '../log.js';
import { type DecisionRequest, type DecisionResult, decideApproval } from './decide.js';
import { type ApprovalDeps, JOB_DRAIN, JOB_ESCALATE, JOB_EXPIRE, JOB_REMIND } from './deps.js';
import { escalate, expire, remind } from './escalation.js';
import { type ApprovalNotifier, createNotifier } from './notify.js';
import { proposalKey } from './proposal-key.js';
import { type ReverseResult, reverseAction } from './reverse.js';
import { type GovernedProposal, governIn, type SubmitOutcome, type Submission, submitProposal } from './submit.js';
import type { Approval } from './types.js';

export type ApprovalServiceOptions = {
  database: Database;
  log: Logger;
  now?: () => Date;
  /** A parsed policy, or the folder to load it from. */
  policy: Policy | { dir: string };
  /** The process's job queue (declaring APPROVAL_QUEUES); without one, reminders and escalations are not scheduled. */
  jobs?: JobQueue;
  /** Work the approval queues in this process (a server), not only send to them (a CLI command). */
  workers?: boolean;
  notifier?: ApprovalNotifier;
};

export type ApprovalService = {
  policy: Policy;
  notifier: ApprovalNotifier;
  submit(s: Submission): Promise<SubmitOutcome>;
  /** Governs a proposal inside the caller's transaction: append its `events` there (last), call `afterCommit` after. */
  governIn(tx: Session, s: Submission): Promise<GovernedProposal>;
  decide(req: DecisionRequest): Promise<DecisionResult>;
  reverse(actionId: number, user: string, reason: string): Promise<ReverseResult>;
  /** Approvals; `approvableBy` (an email or chat id) keeps the pending ones that user's roles may decide now. */
  list(filter?: ApprovalFilter & { approvableBy?: string }): Promise<Approval[]>;
  get(ref: string): Promise<Approval | undefined>;
  /** Runs actions left pending (after a crash between decision and execution). */
  drain(): Promise<void>;
};

/** The queues the approvals service sends to and works. */
export const APPROVAL_QUEUES: readonly string[] = [JOB_REMIND, JOB_ESCALATE, JOB_EXPIRE, JOB_DRAIN];

/** Opens the service: policy, ledger entry for a new policy version, and (with `workers`) the approval job workers. */
export async function openApprovalService(opts: ApprovalServiceOptions): Promise<ApprovalService> {
  const { database, log } = opts;
  const now = opts.now ?? (() => new Date());
  const policy = 'dir' in opts.policy ? await loadPolicy(opts.policy.dir) : opts.policy;
  await recordPolicyLoad(database, policy);
  await keyPendingApprovals(database, log);
  const notifier = opts.notifier ?? createNotifier((err) => log.warn('an approval notification failed', { error: err.message }));
  const jobs = opts.jobs;
  const executor: ExecutorDeps = { database, log, now };
  const deps: ApprovalDeps = { database, log, now, policy, notifier, executor, ...(jobs ? { jobs } : {}) };
  const drain = async () => {
    for (const r of await drainOutbox(executor)) log.info('outbox action', { id: r.actionId, kind: r.kind, status: r.status, summary: r.summary });
  };
  if (jobs && opts.workers) {
    await jobs.work(JOB_REMIND, (d) => remind(deps, d));
    await jobs.work(JOB_ESCALATE, (d) => escalate(deps, d));
    await jobs.work(JOB_EXPIRE, (d) => expire(deps, d));
    await jobs.work(JOB_DRAIN, () => drain());
    await jobs.schedule(JOB_DRAIN, '*/5 * * * *');
    await drain();
  }
  return {
    policy,
    notifier,
    submit: (s) => submitProposal(deps, s),
    governIn: (tx, s) => governIn(deps, tx, s),
    decide: (req) => decideApproval(deps, req),
    reverse: (id, user, reason) => reverseAction(deps, id, user, reason),
    async list(filter = {}) {
      const { approvableBy, ...rest } = filter;
      if (!approvableBy) return listApprovals(database, rest);
      const user = await findUser(database, approvableBy);
      if (!user) throw new AppError('approvals:unknown-user', `${approvableBy} is not a Quartermaster user.`);
      return listApprovals(database, { ...rest, approverRoles: user.roles });
    },
    get: (ref) => findApproval(database, ref),
    drain,
  };
}

/**
 * Gives approvals left pending from before proposal keys existed their key, so a repeat of one attaches to it too.
 * Of two such approvals for the same request the older keeps the key; the other stays as it was.
 */
async function keyPendingApprovals(database: Database, log: Logger): Promise<void> {
  let keyed = 0;
  for (const a of await pendingApprovalsWithoutKey(database, 5000)) {
    const key = proposalKey(a.action as { kind: string });
    if (!key) continue;
    try {
      if (await setProposalKey(database, a.id, key)) keyed++;
    } catch (err) {
      // Another instance keyed an equal approval at the same moment: this one stays unkeyed.
      log.debug('an older pending approval was not keyed', { id: a.id, error: (err as Error).message });
    }
  }
  if (keyed > 0) log.info('older pending approvals given their proposal key', { keyed });
}

/** Stores the policy version and, when it differs from the last one in force, records the change in the ledger. */
async function recordPolicyLoad(database: Database, policy: Policy): Promise<void> {
  const previous = await latestPolicyVersion(database);
  if (previous === policy.version) return;
  await database.transaction(async (tx) => {
    await recordPolicyVersion(tx, policy);
    await appendAuditIn(tx, [
      {
        actorType: 'system',
        actor: 'governance',
        action: 'policy_loaded',
        subjectType: 'policy',
        subjectId: policy.version,
        rationale: previous
          ? `A changed policy was loaded from ${policy.source}; decisions from now on follow ${policy.version.slice(0, 19)} (was ${previous.slice(0, 19)}).`
          : `Policy ${policy.version.slice(0, 19)} loaded from ${policy.source}.`,
        policyVersion: policy.version,
        data: { version: policy.version, previous: previous ?? null, rules: policy.authority.rules.length },
      },
    ]);
  });
}
