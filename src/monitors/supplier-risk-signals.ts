// The risk-signal half of the supplier-risk monitor: every signal observed within the window, attached to its
// supplier, scored by severity × exposure × criticality; those at or above the threshold are findings (keyed by
// the signal), routed by kind. A signal that falls out of the window, or whose supplier's exposure drops below
// the threshold, is no longer returned, so its finding resolves.
import { attachSignal, type StoredSignal, signalsSince } from '../db/queries/supplier-risk.js';
import { type Criticality, type Exposure, exposureEvidence, exposureText, loadCriticality, loadExposure, nothingAtStake } from './supplier-risk-exposure.js';
import { SUPPLIER_RISK } from './supplier-risk-sanctions.js';
import type { SupplierRiskSettings } from './supplier-risk-settings.js';
import { matchSignalSupplier, type SignalKind } from '../imports/signals.js';
import { type SignalScore, scoreSignal } from './signals.js';
import type { FindingInput, MonitorContext, Severity } from './types.js';

const DAY_MS = 86_400_000;
// Unattached signals tried again per run, newest first: a feed about many non-suppliers must not slow every run.
const MAX_REATTACH = 500;
const DETAIL_EXCERPT = 300;

/** Who acts on each kind of signal, and what they should do. */
const HANDLING: Readonly<Record<SignalKind, { routeTo: string[]; recommendation: string }>> = {
  financial: {
    routeTo: ['finance', 'procurement_manager'],
    recommendation:
      'Finance and the procurement manager: check the supplier\'s financial health (accounts, credit rating), avoid prepayments and large new commitments, and line up an alternative source for what it supplies.',
  },
  geopolitical: {
    routeTo: ['compliance', 'procurement_manager'],
    recommendation:
      'Compliance and the procurement manager: check where the supplier and its sub-suppliers operate, and plan an alternative source for anything it supplies from the affected region.',
  },
  regulatory: {
    routeTo: ['compliance', 'legal'],
    recommendation:
      'Compliance and legal: find out what the regulator found and whether it touches what we buy; ask the supplier for its remediation plan.',
  },
  operational: {
    routeTo: ['procurement_manager', 'buyer'],
    recommendation:
      'The procurement manager and buyers: confirm open orders and delivery dates with the supplier and agree a contingency for late or missing deliveries.',
  },
  sanctions: {
    routeTo: ['compliance'],
    recommendation:
      'Compliance: verify the report against the official lists; if it is confirmed, approve the hold so no new purchase orders or payments go out.',
  },
  other: {
    routeTo: ['procurement_manager'],
    recommendation: 'The procurement manager: read the report and decide whether the supplier needs a closer look.',
  },
};

function severityOf(signalSeverity: number): Severity {
  return signalSeverity >= 5 ? 'critical' : signalSeverity === 4 ? 'high' : 'warning';
}

/** Finding key of a risk signal. */
export function signalKey(signalId: string): string {
  return `signal:${signalId}`;
}

/** Signals that reach the threshold within the window, as findings. */
export async function signalFindings(
  ctx: MonitorContext,
  settings: SupplierRiskSettings['signals'],
  dates: { now: Date; today: string; yearAgo: string },
): Promise<FindingInput[]> {
  const { database } = ctx;
  const since = new Date(dates.now.getTime() - settings.windowDays * DAY_MS).toISOString();
  let signals = await signalsSince(database, since);
  // Signals that arrived before their supplier did: attach them now that it may exist.
  let attached = 0;
  for (const s of signals.filter((x) => !x.supplierId).slice(0, MAX_REATTACH)) {
    const m = await matchSignalSupplier(database, s.supplierName);
    if (m.matched && (await attachSignal(database, s.id, m.supplierId))) attached++;
  }
  if (attached > 0) {
    ctx.log.info('supplier-risk: attached earlier signals to their suppliers', { attached });
    signals = await signalsSince(database, since);
  }
  const matched = signals.filter(isAttached);
  const scored = await scoreSignals(ctx, settings, dates, matched);
  const out: FindingInput[] = [];
  for (const s of matched) {
    const r = scored.get(s.id)!;
    if (r.score.alert) out.push(finding(s, r.score, r.exposure, r.criticality));
  }
  return out;
}

/** A signal attached to a supplier. */
export type AttachedSignal = StoredSignal & { supplierId: string; supplier: { name: string; status: string } };

/** True for a signal attached to a supplier. */
export function isAttached(s: StoredSignal): s is AttachedSignal {
  return Boolean(s.supplierId && s.supplier);
}

/** A signal's score with the exposure and criticality behind it. */
export type ScoredSignal = { score: SignalScore; exposure: Exposure; criticality: Criticality };

/** Scores attached signals against their suppliers' exposure and criticality on `dates.today`. */
export async function scoreSignals(
  ctx: Pick<MonitorContext, 'database' | 'policy'>,
  settings: SupplierRiskSettings['signals'],
  dates: { today: string; yearAgo: string },
  signals: readonly AttachedSignal[],
): Promise<Map<string, ScoredSignal>> {
  const out = new Map<string, ScoredSignal>();
  if (signals.length === 0) return out;
  const ids = [...new Set(signals.map((s) => s.supplierId))];
  const [exposure, criticality] = await Promise.all([
    loadExposure(ctx.database, ids, dates.today, dates.yearAgo, ctx.policy),
    loadCriticality(ctx.database, ids, dates.today, settings.criticalTerms),
  ]);
  for (const s of signals) {
    const e = exposure.get(s.supplierId)!;
    const c = criticality.get(s.supplierId)!;
    out.set(s.id, { score: scoreSignal(s.severity, e, c, settings), exposure: e, criticality: c });
  }
  return out;
}

function finding(
  s: AttachedSignal,
  score: SignalScore,
  e: Exposure,
  c: Criticality,
): FindingInput {
  const name = s.supplier.name;
  const handling = HANDLING[s.kind];
  const day = s.observedAt.slice(0, 10);
  const detail = s.detail
    ? ` ${s.detail.length > DETAIL_EXCERPT ? `${s.detail.slice(0, DETAIL_EXCERPT - 1).trimEnd()}…` : s.detail}`
    : '';
  const summary = `${s.source ?? 'A risk signal'} reported on ${day} (${s.kind}, severity ${s.severity} of 5): ${s.title}.${detail}`;
  const impact = `Exposure-weighted score: ${score.explanation}. Exposure: ${exposureText(e)}.`;
  const hold = s.kind === 'sanctions' && s.severity >= 4 && s.supplier.status === 'active';
  return {
    key: signalKey(s.id),
    severity: severityOf(s.severity),
    title: `${s.kind[0]!.toUpperCase()}${s.kind.slice(1)} risk: ${name} — ${s.title}`,
    summary,
    impact,
    ...(nothingAtStake(e) ? {} : { amount: { value: e.total.value, currency: e.total.currency } }),
    supplierId: s.supplierId,
    subject: { type: 'risk_signal', id: s.id },
    evidence: [
      {
        type: 'risk_signal',
        id: s.id,
        externalId: s.externalId,
        kind: s.kind,
        severity: s.severity,
        title: s.title,
        detail: s.detail,
        source: s.source,
        observedAt: s.observedAt,
        reportedAs: s.supplierName,
      },
      {
        type: 'score',
        score: score.score,
        threshold: score.threshold,
        exposureWeight: score.exposureWeight,
        criticalWeight: score.criticalWeight,
        atStake: score.atStake,
        explanation: score.explanation,
      },
      ...c.reasons.map((reason) => ({ type: 'criticality', reason })),
      ...exposureEvidence(e),
    ],
    recommendation: handling.recommendation,
    routeTo: handling.routeTo,
    ...(hold
      ? {
          proposal: {
            kind: 'put_supplier_on_hold',
            summary: `Put ${name} on hold: ${s.title}`,
            proposedBy: `monitor:${SUPPLIER_RISK}`,
            rationale: `${summary} ${impact}`,
            params: { supplierId: s.supplierId, signalId: s.id },
          },
        }
      : {}),
  };
}
