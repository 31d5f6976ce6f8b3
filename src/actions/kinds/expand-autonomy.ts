// expand_autonomy: raises an agent's autonomy for one envelope after the evidence and an approval.
import { z } from 'zod';
import { setGrant } from '../../db/autonomy.js';
import { defineHandler } from '../handler.js';

const level = z.enum(['recommend', 'act_with_notice', 'autonomous']);

export const expandAutonomy = defineHandler({
  kind: 'expand_autonomy',
  params: z.looseObject({
    envelope: z.strictObject({ agent: z.string(), actionKind: z.string(), category: z.string(), band: z.string() }),
    to: level,
    evidence: z.string().optional(),
  }),
  async execute(tx, _action, p) {
    const reason = `Approved widening: ${p.evidence ?? 'agreement evidence met the policy'}`;
    const from = (await setGrant(tx, p.envelope, p.to, reason)) ?? 'recommend';
    const e = p.envelope;
    return {
      summary: `The ${e.agent} agent may now ${p.to.replaceAll('_', ' ')} on ${e.actionKind.replaceAll('_', ' ')} (${e.category}, ${e.band}).`,
      result: { envelope: e, from, to: p.to },
      events: [
        {
          actorType: 'system',
          actor: 'governance',
          action: 'autonomy_changed',
          subjectType: 'envelope',
          subjectId: `${e.agent}/${e.actionKind}/${e.category}/${e.band}`,
          rationale: reason,
          data: { ...e, from, to: p.to, cause: 'approved_widening' },
        },
      ],
    };
  },
});
