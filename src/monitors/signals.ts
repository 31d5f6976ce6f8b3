// The exposure-weighted score of a risk signal: whether it raises a finding, and the arithmetic behind it, in
// words. Intake (validation, supplier matching, storage) is src/imports/signals.ts.
import { formatAmount } from '../domain/money.js';
import type { Criticality, Exposure } from './supplier-risk-exposure.js';
import type { SupplierRiskSettings } from './supplier-risk-settings.js';

/** A signal's exposure-weighted score and the arithmetic behind it. */
export type SignalScore = {
  score: number;
  threshold: number;
  alert: boolean;
  severity: number;
  exposureWeight: number;
  criticalWeight: number;
  /** The total at stake the band was chosen by, in the base currency. */
  atStake: { value: string; currency: string; complete: boolean };
  /** "severity 4 × exposure weight 1.5 (GBP 250,000.00 at stake) × 1.25 (critical: …) = 7.5, threshold 5". */
  explanation: string;
};

/** Scores a signal: severity × the weight of the exposure band reached × the criticality weight. */
export function scoreSignal(
  severity: number,
  exposure: Exposure,
  criticality: Criticality,
  settings: SupplierRiskSettings['signals'],
): SignalScore {
  const total = exposure.total;
  const bands = settings.exposureBands;
  // Exposure in a currency with no rate cannot be placed in a band: it is taken as the highest, never ignored.
  const band = total.complete
    ? ([...bands].reverse().find((b) => Number(total.value) >= Number(b.from)) ?? bands[0]!)
    : bands[bands.length - 1]!;
  const criticalWeight = criticality.critical ? settings.criticalWeight : 1;
  const score = Math.round(severity * band.weight * criticalWeight * 100) / 100;
  const stake = `${total.complete ? '' : 'at least '}${formatAmount(total.value, total.currency)} at stake${
    total.complete ? '' : `, plus exposure in ${exposure.unconverted.join(', ')} with no exchange rate (highest band taken)`
  }`;
  const parts = [`severity ${severity}`, `exposure weight ${band.weight} (${stake})`];
  if (criticality.critical) parts.push(`criticality ${settings.criticalWeight} (${criticality.reasons.join('; ')})`);
  const alert = score >= settings.threshold;
  return {
    score,
    threshold: settings.threshold,
    alert,
    severity,
    exposureWeight: band.weight,
    criticalWeight,
    atStake: { ...total },
    explanation: `${parts.join(' × ')} = ${score}, ${alert ? 'at or above' : 'below'} the threshold ${settings.threshold}`,
  };
}
