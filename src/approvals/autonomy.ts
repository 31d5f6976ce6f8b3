// The autonomy envelope over time: it narrows at once when a human overrides or reverses an agent, and it
// widens only through an approval, proposed when the measured agreement meets the policy.
import type { AuditEventInput } from '../audit/types.js';
import { envelopeEvidence, pendingExpansion } from '../db/approvals.js';
import { grantOf, setGrant } from '../db/autonomy.js';
import type { Session } from '../db/client.js';
import { narrowing, widening } from '../governance/autonomy.js';
import { ruleById } from '../governance/policy.js';
import type { AutonomyLevel, EnvelopeKey } from '../governance/types.js';
import type { ApprovalDeps } from './deps.js';
import { submitProposal } from './submit.js';
import type { Approval } from './types.js';

const keyText = (k: EnvelopeKey) => `${k.agent}/${k.actionKind}/${k.category}/${k.band}`;

/** Narrows an envelope after an override or reversal (inside the caller's transaction); returns the ledger events. */
export async function narrowEnvelope(
  deps: Pick<ApprovalDeps, 'policy'>,
  tx: Session,
  key: EnvelopeKey,
  cause: 'override' | 'reversal',
  what: string,
): Promise<AuditEventInput[]> {
  const current = (await grantOf(tx, key)) ?? (deps.policy.autonomy.default as AutonomyLevel);
  const change = narrowing(current, cause, deps.policy.autonomy);
  if (!change) return [];
  await setGrant(tx, key, change.to, `${change.reason} (${what})`);
  return [
    {
      actorType: 'system',
      actor: 'governance',
      action: 'autonomy_changed',
      subjectType: 'envelope',
      subjectId: keyText(key),
      rationale: `${change.reason} (${what})`,
      policyVersion: deps.policy.version,
      data: { ...key, from: current, to: change.to, cause },
    },
  ];
}

/** A human rejected the agent's recommendation: an override. */
export async function narrowAfterOverride(deps: Pick<ApprovalDeps, 'policy'>, tx: Session, a: Approval): Promise<AuditEventInput[]> {
  if (!a.envelope) return [];
  return narrowEnvelope(deps, tx, a.envelope, 'override', `approval #${a.number} was rejected`);
}

/** After a decision, proposes widening the envelope when the evidence meets the policy (itself an approval). */
export async function proposeWidening(deps: ApprovalDeps, a: Approval): Promise<void> {
  const key = a.envelope;
  if (!key) return;
  const settings = deps.policy.autonomy;
  const evidence = await envelopeEvidence(deps.database, key, settings.widen.window);
  const current = (await grantOf(deps.database, key)) ?? (settings.default as AutonomyLevel);
  const rule = ruleById(deps.policy, a.ruleId);
  const cap = (rule && 'maxAutonomy' in rule && rule.maxAutonomy ? rule.maxAutonomy : 'recommend') as AutonomyLevel;
  const step = widening(evidence, current, cap, settings);
  if (!step || (await pendingExpansion(deps.database, key))) return;
  await submitProposal(deps, {
    action: {
      kind: 'expand_autonomy',
      summary: `Let the ${key.agent} agent ${step.to.replaceAll('_', ' ')} on ${key.actionKind.replaceAll('_', ' ')} (${key.category}, ${key.band})`,
      proposedBy: 'system',
      rationale: step.reason,
      params: { envelope: key, to: step.to, evidence: step.reason },
    },
    planner: 'governance',
  });
}
