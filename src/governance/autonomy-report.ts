// Each agent's autonomy envelopes (agent × action × category × amount band) as granted, with the agreement evidence
// behind them and what widening needs: what `qm autonomy` prints and the web app's Autonomy page shows.
import { envelopesEvidence } from '../db/approvals.js';
import { listGrants } from '../db/autonomy.js';
import type { Database } from '../db/client.js';
import { widening } from './autonomy.js';
import type { Policy } from './policy.js';
import type { AutonomyLevel, AutonomySettings } from './types.js';

export type EnvelopeReport = {
  agent: string;
  actionKind: string;
  category: string;
  band: string;
  level: AutonomyLevel;
  reason: string;
  cases: number;
  agreed: number;
  pending: number;
  /** The most generous maxAutonomy among the policy's rules for this action kind. */
  cap: AutonomyLevel;
  agreementRate: number | null;
  nextStep: string;
};

export type AutonomyReport = { policyVersion: string; settings: AutonomySettings; envelopes: EnvelopeReport[] };

/** The envelopes with a grant or with evidence, under `policy`. */
export async function autonomyReport(database: Database, policy: Policy): Promise<AutonomyReport> {
  const settings = policy.autonomy;
  const grants = await listGrants(database);
  const evidence = await envelopesEvidence(database, settings.widen.window);
  type Row = Omit<EnvelopeReport, 'cap' | 'agreementRate' | 'nextStep'>;
  const key = (e: { agent: string; actionKind: string; category: string; band: string }) => `${e.agent}|${e.actionKind}|${e.category}|${e.band}`;
  const rows = new Map<string, Row>();
  for (const g of grants) rows.set(key(g), { ...g, cases: 0, agreed: 0, pending: 0 });
  for (const e of evidence) {
    const env = e.envelope as { agent: string; actionKind: string; category: string; band: string };
    const base = rows.get(key(env)) ?? { ...env, level: settings.default, reason: 'default level', cases: 0, agreed: 0, pending: 0 };
    rows.set(key(env), { ...base, cases: e.cases, agreed: e.agreed, pending: e.pending });
  }
  const rate = Number(settings.widen.agreementRate);
  const envelopes = [...rows.values()].map((r): EnvelopeReport => {
    const caps = policy.authority.rules.flatMap((rule) =>
      'maxAutonomy' in rule && rule.maxAutonomy && (rule.actions.includes(r.actionKind) || rule.actions.includes('*')) ? [rule.maxAutonomy] : [],
    );
    const cap: AutonomyLevel = caps.includes('autonomous') ? 'autonomous' : caps.includes('act_with_notice') ? 'act_with_notice' : 'recommend';
    const next = widening({ cases: r.cases, agreed: r.agreed }, r.level, cap, settings);
    return {
      ...r,
      cap,
      agreementRate: r.cases > 0 ? r.agreed / r.cases : null,
      nextStep: next
        ? `Eligible to widen to ${next.to}: ${next.reason}`
        : r.level === cap
          ? `At the policy's cap (${cap}).`
          : `Widening needs ${rate * 100}% agreement over at least ${settings.widen.minCases} decided cases.`,
    };
  });
  return { policyVersion: policy.version, settings, envelopes };
}
