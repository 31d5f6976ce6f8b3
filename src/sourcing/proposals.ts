// The actions the sourcing workflow asks governance for: issuing an event's RFx (start_sourcing_event) and awarding
// it by a chosen scenario (award_contract). Built here, once, for the CLI, the agent and the web; decided by the
// authority matrix; carried out only by the action executor.
import type { Database } from '../db/client.js';
import { requireSourcingEvent, type SourcingEventRow } from '../db/sourcing.js';
import { isDecimal, compareDecimal, formatMoney } from '../domain/money.js';
import type { ProposedAction } from '../domain/proposed-action.js';
import { AppError } from '../errors.js';
import { assessBidders } from './bidder-risk.js';
import { asBids, linesAndBids } from './detail.js';
import type { SourcingPolicy } from './policy.js';
import { awardScenarios, type Scenario, type ScenarioKind } from './scenarios.js';
import { AWARDABLE, STATUS_TEXT } from './status.js';


/** Issue the RFx of a draft: bids close at the event's deadline, else `responseDays` after approval. */
export function proposeIssue(e: SourcingEventRow, policy?: SourcingPolicy): ProposedAction {
  if (e.status !== 'draft') throw new AppError('sourcing:status', `Event ${e.number} is ${STATUS_TEXT[e.status]}: only a draft can be issued.`);
  return {
    kind: 'start_sourcing_event',
    summary: `Issue the RFx for sourcing event ${e.number} "${e.title}"`,
    proposedBy: 'sourcing',
    rationale: `Event ${e.number} is a draft with ${e.criteria.length} evaluation criteria${e.categoryCode ? ` in category ${e.categoryCode}` : ''}; issuing it invites bids.`,
    params: {
      eventId: e.id,
      eventNumber: e.number,
      ...(e.categoryCode ? { categoryCode: e.categoryCode } : {}),
      responseDays: policy?.rfx.responseDays ?? 21,
    },
    ...(e.estimatedValue && e.currency ? { amount: { value: e.estimatedValue, currency: e.currency } } : {}),
  };
}

export type AwardChoice = { kind: string; maxShare?: string; exclude?: readonly string[] };

const KINDS: readonly ScenarioKind[] = ['single_lowest', 'split_lowest', 'split_capped', 'risk_adjusted_split', 'risk_adjusted_capped'];

/** Checks a share cap given by a person or a model: a fraction in (0, 1]. */
export function checkShare(share: string | undefined): string | undefined {
  if (share === undefined) return undefined;
  const s = share.trim().replace(/%$/, '');
  const value = share.trim().endsWith('%') && isDecimal(s) ? String(Number(s) / 100) : s;
  if (!isDecimal(value) || compareDecimal(value, '0') <= 0 || compareDecimal(value, '1') > 0) {
    throw new AppError('sourcing:invalid', `A share cap is a fraction above 0 and at most 1 (0.4 for 40%), not "${share}".`);
  }
  return value;
}

/** Builds the award of `ref` by the chosen scenario, with its alternatives in the rationale for the approver. */
export async function proposeAward(database: Database, policy: SourcingPolicy, ref: string | number, choice: AwardChoice, now: Date): Promise<ProposedAction> {
  if (!(KINDS as readonly string[]).includes(choice.kind)) throw new AppError('sourcing:invalid', `Unknown scenario "${choice.kind}"; one of ${KINDS.join(', ')}.`);
  const maxShare = checkShare(choice.maxShare);
  if ((choice.kind === 'split_capped' || choice.kind === 'risk_adjusted_capped') && !maxShare) {
    throw new AppError('sourcing:invalid', `The ${choice.kind} scenario needs a share cap (max share), e.g. 0.4.`);
  }
  const e = await requireSourcingEvent(database, ref);
  if (!AWARDABLE.includes(e.status)) throw new AppError('sourcing:status', `Event ${e.number} is ${STATUS_TEXT[e.status]}: it cannot be awarded now.`);
  const { lines, bids } = await linesAndBids(database, e.id);
  if (bids.length === 0) throw new AppError('sourcing:invalid', `Event ${e.number} has no bids to award.`);
  const currency = e.currency ?? bids[0]!.currency;
  const { risk, highRisk } = await assessBidders(database, bids, policy, now.toISOString().slice(0, 10));
  const result = await awardScenarios({ lines, bids: asBids(bids), currency, ...(maxShare ? { maxShare } : {}), exclude: choice.exclude ?? [], highRisk });
  const chosen = result.scenarios.find((s) => s.kind === choice.kind);
  if (!chosen) {
    const why = result.unavailable.find((u) => u.kind === choice.kind)?.reason ?? 'it does not apply to these bids';
    throw new AppError('sourcing:invalid', `No ${choice.kind} scenario for event ${e.number}: ${why}.`);
  }
  const supplierOf = new Map(bids.map((b) => [b.bidder, b.supplierId]));
  // Governance weighs the riskiest supplier the award reaches (then the largest), so a high-risk awardee is never hidden.
  const rank = (bidder: string) => {
    const r = risk.find((x) => x.supplierId === supplierOf.get(bidder));
    return highRisk.has(bidder) ? 2 : (r?.maxSeverity ?? 0) >= 3 ? 1 : 0;
  };
  const subject = [...chosen.awards].sort((a, b) => rank(b.bidder) - rank(a.bidder))[0]!;
  return awardAction({
    event: e,
    currency,
    chosen: { ...chosen, awards: chosen.awards.map((a) => ({ ...a, supplierId: supplierOf.get(a.bidder)! })) },
    alternatives: result.scenarios.filter((s) => s !== chosen),
    subjectSupplierId: supplierOf.get(subject.bidder)!,
    ...(maxShare ? { maxShare } : {}),
    exclude: choice.exclude ?? [],
  });
}

/** What an award proposal is built from: the event, the chosen scenario (awards with supplier ids) and the others. */
export type AwardInput = {
  event: Pick<SourcingEventRow, 'id' | 'number' | 'title' | 'categoryCode'>;
  currency: string;
  chosen: { kind: string; total: string; tradeoff: string; awards: (Scenario['awards'][number] & { supplierId: string })[] };
  alternatives: { kind: string; total: string; tradeoff: string }[];
  /** The supplier governance weighs: the riskiest one the award reaches. */
  subjectSupplierId: string;
  maxShare?: string;
  exclude: readonly string[];
};

/** The award_contract proposal for a chosen scenario, its alternatives in the rationale for the approver. */
export function awardAction(a: AwardInput): ProposedAction {
  const { event: e, chosen, currency } = a;
  const money = (v: string) => formatMoney(v, currency);
  return {
    kind: 'award_contract',
    summary: `Award sourcing event ${e.number} "${e.title}" by ${chosen.kind.replace(/_/g, ' ')}: ${chosen.awards.map((x) => `${x.bidder} ${money(x.total)}`).join(', ')} (total ${money(chosen.total)})`,
    proposedBy: 'sourcing',
    rationale: `${chosen.tradeoff} Alternatives: ${a.alternatives.map((s) => `${s.kind} ${money(s.total)}`).join('; ') || 'none'}.`,
    params: {
      eventId: e.id,
      eventNumber: e.number,
      scenario: chosen.kind,
      ...(a.maxShare ? { maxShare: a.maxShare } : {}),
      exclude: [...a.exclude],
      currency,
      total: chosen.total,
      awards: chosen.awards,
      alternatives: a.alternatives.map((s) => ({ kind: s.kind, total: s.total, tradeoff: s.tradeoff })),
      supplierId: a.subjectSupplierId,
      ...(e.categoryCode ? { categoryCode: e.categoryCode } : {}),
    },
    amount: { value: chosen.total, currency },
  };
}

