// The JSON shape of one turn, as `qm ask --json` prints it and `POST /api/ask` returns it.
import type { TurnResult } from './orchestrator.js';
import type { Reply } from './types.js';

export type TurnJson = {
  answer: string;
  data: Record<string, unknown>;
  agents: { name: string; tools: string[]; ms: number; ok: boolean }[];
  actions: Reply['actions'];
  /** Governance's verdict on each action (approval number, denial, or what ran). */
  decisions: NonNullable<Reply['decisions']>;
  auditId: string;
  reply: Reply;
};

/** `{answer, data, agents, actions, auditId}` (plus the full reply, for renderers) of a turn. */
export function turnToJson(turn: TurnResult): TurnJson {
  const data = Object.fromEntries(turn.results.map((r) => [r.agent, r.data]));
  return {
    answer: turn.reply.headline,
    data: {
      ...data,
      plan: { planner: turn.plan.planner, intent: turn.plan.reading.intent, period: turn.plan.period, suppliers: turn.plan.suppliers },
    },
    agents: turn.results.map((r) => ({ name: r.agent, tools: r.toolCalls.map((c) => c.tool), ms: r.ms, ok: r.ok })),
    actions: turn.reply.actions,
    decisions: turn.reply.decisions ?? [],
    auditId: turn.turnId,
    reply: turn.reply,
  };
}
