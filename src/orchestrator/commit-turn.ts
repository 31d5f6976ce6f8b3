// The last step every turn passes through, whatever planned it: the turn's record, its ledger events (the turn,
// each tool call, each proposal and governance's verdict on it) and the approvals or outbox rows its proposals
// lead to are written in ONE transaction, so a crash leaves the whole turn or none of it. What cannot be undone
// waits for the commit: an action allowed to run under autonomy is executed from the outbox (a crash before that
// leaves it pending for the next drain), and approval cards and notices are sent. Reminder, escalation and
// expiry jobs are rows of the job queue written in the same transaction, so they exist exactly when their
// approval does. The ledger is appended last, so its lock is held only from then until commit.
import type { AgentResult } from '../../agents/agent.js';
import { proposalKey } from '../approvals/proposal-key.js';
import type { ApprovalService } from '../approvals/service.js';
import type { GovernedProposal, SubmitOutcome } from '../approvals/submit.js';
import { appendAuditIn } from '../audit/ledger.js';
import type { AuditEventInput } from '../audit/types.js';
import type { Database } from '../db/client.js';
import { recordTurn, updateTurnReply } from '../db/conversations.js';
import type { ChatUsage } from '../llm/openai.js';
import type { Plan } from './plan/plan.js';
import { waitingSentence } from './render-text.js';
import type { ActionDecision, InboundMessage, Reply } from './types.js';

/** Test-only failure injection: a hook that throws simulates the process dying at that point of the commit. */
export type TurnFaults = { afterTurnRecord?: () => void | Promise<void> };

export type CommitTurnDeps = {
  database: Database;
  /** Governance: proposed actions are submitted here (unset → they are only shown). */
  approvals?: ApprovalService;
  faults?: TurnFaults;
};

export type TurnToCommit = {
  message: InboundMessage;
  plan: Plan;
  results: AgentResult[];
  /** Completed in place: governance's decisions, and the headline's leading sentence about the first one. */
  reply: Reply;
  tokens?: ChatUsage;
  durationMs: number;
};

/** The reply as the turn keeps it: without its pictures (a chart is redrawn from the data, not stored). */
function stored(reply: Reply): Record<string, unknown> {
  const { images: _images, ...rest } = reply;
  return rest as unknown as Record<string, unknown>;
}

/** Records, audits and governs a turn in one transaction, then runs what may run and tells approvers; returns the turn id. */
export async function commitTurn(deps: CommitTurnDeps, t: TurnToCommit): Promise<string> {
  const { database, approvals } = deps;
  const { message, plan, results, reply } = t;
  const headline = reply.headline;
  const actions = approvals ? reply.actions : [];
  const governed: GovernedProposal[] = [];
  const turnId = await database.transaction(async (tx) => {
    const id = await recordTurn(tx, {
      conversationId: message.conversationId,
      channel: message.channel,
      userEmail: message.user.email,
      text: message.text.slice(0, 10_000),
      planner: plan.planner,
      plan: plan as unknown as Record<string, unknown>,
      agents: results.map((r) => ({ agent: r.agent, ok: r.ok, error: r.error, ms: r.ms, toolCalls: r.toolCalls, rationale: r.rationale })),
      reply: stored(reply),
      ...(t.tokens ? { tokens: t.tokens } : {}),
      durationMs: t.durationMs,
    });
    await deps.faults?.afterTurnRecord?.();
    if (approvals && actions.length > 0) {
      // In proposal-key order: two turns proposing the same actions meet their rows in the same order, never crosswise.
      const order = actions.map((a, i) => ({ i, key: proposalKey(a) ?? '' })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i));
      for (const { i } of order) {
        governed[i] = await approvals.governIn(tx, {
          action: actions[i]!,
          ...(message.user.email || message.user.id ? { requester: message.user.email ?? message.user.id } : {}),
          origin: { channel: message.channel, conversationId: message.conversationId, turnId: id },
          planner: plan.planner,
        });
      }
      decide(reply, headline, actions, governed.map((g) => g.outcome));
      await updateTurnReply(tx, id, stored(reply));
    }
    await appendAuditIn(tx, [...turnEvents(id, t), ...governed.flatMap((g) => g.events)]);
    return id;
  });
  if (governed.length > 0) {
    const outcomes: SubmitOutcome[] = [];
    for (const g of governed) outcomes.push(await g.afterCommit());
    decide(reply, headline, actions, outcomes);
  }
  return turnId;
}

/** The turn and each agent tool call, as ledger events. */
function turnEvents(turnId: string, t: TurnToCommit): AuditEventInput[] {
  const actor = t.message.user.email ?? t.message.user.id ?? 'anonymous';
  return [
    {
      actorType: 'user',
      actor,
      action: 'turn',
      subjectType: 'turn',
      subjectId: turnId,
      rationale: t.reply.rationale.join(' ').slice(0, 2000) || t.reply.headline,
      data: {
        channel: t.message.channel,
        ...(t.message.user.via ? { via: t.message.user.via } : {}),
        conversationId: t.message.conversationId,
        text: t.message.text.slice(0, 2000),
        planner: t.plan.planner,
        intent: t.plan.reading.intent,
        agents: t.results.map((r) => ({ agent: r.agent, ok: r.ok, ms: r.ms })),
        headline: t.reply.headline,
      },
    },
    ...t.results.flatMap((r) =>
      r.toolCalls.map(
        (c): AuditEventInput => ({
          actorType: 'agent',
          actor: r.agent,
          action: 'tool_call',
          subjectType: 'turn',
          subjectId: turnId,
          rationale: `${r.agent} called ${c.tool}${c.isError ? ' (error)' : ''}`,
          data: { turnId, tool: c.tool, args: c.args, ms: c.ms, isError: c.isError },
        }),
      ),
    ),
  ];
}

/** Sets the reply's decisions from governance's outcomes, and leads the headline with the first one. */
function decide(reply: Reply, headline: string, actions: readonly Reply['actions'][number][], outcomes: readonly SubmitOutcome[]): void {
  reply.decisions = outcomes.map((r, i) => actionDecision(actions[i]!, r));
  const lead = leadingDecision(reply.decisions);
  reply.headline = lead ? `${headline} ${lead}` : headline;
}

function actionDecision(action: Reply['actions'][number], r: SubmitOutcome): ActionDecision {
  return {
    kind: action.kind,
    summary: action.summary,
    outcome: r.outcome,
    reason: r.reason,
    ...(r.approval
      ? {
          approval: {
            id: r.approval.id,
            number: r.approval.number,
            waitingFor: r.approval.waitingFor,
            ...(r.attached ? { attached: true, ...(r.approval.requester ? { requester: r.approval.requester } : {}), ...(r.approval.requestedAt ? { requestedAt: r.approval.requestedAt } : {}) } : {}),
          },
        }
      : {}),
    ...(r.execution ? { result: r.execution.summary } : {}),
  };
}

/** One sentence on what governance did with the first action. */
function leadingDecision(decisions: ActionDecision[]): string | undefined {
  const d = decisions[0];
  if (!d) return undefined;
  if (d.outcome === 'needs_approval') return d.approval?.attached ? `${waitingSentence(d.approval)}: ${d.reason}` : `Sent for approval #${d.approval?.number}: ${d.reason}`;
  if (d.outcome === 'deny') return `Policy does not allow it: ${d.reason}`;
  return d.result ? `Done: ${d.result}` : undefined;
}
