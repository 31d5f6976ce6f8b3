// Autonomy envelopes: how far an agent may act on its own for one agent × action kind × category × amount
// band, and how that level moves. It widens one step at a time, only on evidence (enough recent cases in
// which people agreed with the agent often enough) and never past the governing rule's cap; it narrows at
// once when a person overrides the agent or reverses what it did. Pure: the caller counts the cases.
import { ratioAtLeast } from './amount.js';
import { AUTONOMY_LEVELS, type AutonomyLevel, type AutonomySettings, type EnvelopeKey } from './types.js';

const WORDS: Record<AutonomyLevel, string> = {
  recommend: 'recommend',
  act_with_notice: 'act with notice',
  autonomous: 'autonomous',
};

function rank(level: AutonomyLevel): number {
  return AUTONOMY_LEVELS.indexOf(level);
}

/** The level one step more trusted than `level`, or undefined at the top. */
export function nextLevel(level: AutonomyLevel): AutonomyLevel | undefined {
  return AUTONOMY_LEVELS[rank(level) + 1];
}

/** `level`, lowered to `cap` when it is above it. */
export function capLevel(level: AutonomyLevel, cap: AutonomyLevel): AutonomyLevel {
  return rank(level) > rank(cap) ? cap : level;
}

/** 0.95 → '95', 0.955 → '95.5' (a decimal-string share as a percentage, exactly). */
function percentOf(rate: string): string {
  const [int = '0', frac = ''] = rate.split('.');
  const digits = `${int}${frac.padEnd(2, '0')}`;
  const whole = digits.slice(0, digits.length - Math.max(frac.length - 2, 0)).replace(/^0+(?=\d)/, '');
  const rest = frac.length > 2 ? frac.slice(2).replace(/0+$/, '') : '';
  return rest ? `${whole}.${rest}` : whole;
}

/** agreed/cases as a percentage to one decimal, rounded half-up: 29/30 → '96.7', 57/60 → '95'. */
function percentage(agreed: number, cases: number): string {
  const tenths = (BigInt(agreed) * 2000n + BigInt(cases)) / (2n * BigInt(cases));
  const s = tenths.toString().padStart(2, '0');
  const tenth = s.slice(-1);
  return tenth === '0' ? s.slice(0, -1) : `${s.slice(0, -1)}.${tenth}`;
}

/**
 * Whether an envelope at `current` should widen, given how many of the most recent decided cases (counted by
 * the caller over the settings' window) the person agreed with. One step at a time, never past `cap`.
 */
export function widening(
  evidence: { cases: number; agreed: number },
  current: AutonomyLevel,
  cap: AutonomyLevel,
  settings: AutonomySettings,
): { to: AutonomyLevel; reason: string } | undefined {
  const { cases, agreed } = evidence;
  if (!Number.isInteger(cases) || !Number.isInteger(agreed) || cases < 0 || agreed < 0 || agreed > cases) {
    throw new RangeError(`widening: ${agreed} agreed of ${cases} cases is not a valid count`);
  }
  const { minCases, agreementRate } = settings.widen;
  if (cases < minCases || !ratioAtLeast(agreed, cases, agreementRate)) return undefined;
  const next = nextLevel(current);
  if (next === undefined || rank(next) > rank(cap)) return undefined;
  return {
    to: next,
    reason:
      `${agreed} of ${cases} recommendations (${percentage(agreed, cases)}%) matched the human decision; ` +
      `the policy requires ${percentOf(agreementRate)}% over at least ${minCases} case${minCases === 1 ? '' : 's'}. ` +
      `Autonomy widens from ${WORDS[current]} to ${WORDS[next]}.`,
  };
}

/** Whether an envelope at `current` narrows after a person overrode the agent or reversed its action. */
export function narrowing(
  current: AutonomyLevel,
  cause: 'override' | 'reversal',
  settings: AutonomySettings,
): { to: AutonomyLevel; reason: string } | undefined {
  const to = cause === 'override' ? settings.narrow.onOverride : settings.narrow.onReversal;
  if (rank(current) <= rank(to)) return undefined;
  const what =
    cause === 'override'
      ? 'A person decided against what the agent recommended or did'
      : 'A person reversed an action the agent took on its own';
  return { to, reason: `${what}; the policy drops its autonomy from ${WORDS[current]} to ${WORDS[to]}.` };
}

/** One line for an envelope key: 'spend / create_purchase_order / 43 / 10000–100000 GBP'. */
export function envelopeKeyString(key: EnvelopeKey): string {
  return `${key.agent} / ${key.actionKind} / ${key.category} / ${key.band}`;
}
