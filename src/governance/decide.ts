// The decision: which rule of the authority matrix governs an action, and so whether it is refused, routed
// to people for approval, or allowed to an agent within its autonomy envelope. Pure and deterministic: the
// caller supplies every fact (supplier risk and status, contract status, granted autonomy) and the policy;
// the same inputs always give the same decision and the same plain-language reason.
import { compareDecimal, formatAmount, isDecimal } from '../domain/money.js';
import { convertAmount } from './amount.js';
import { capLevel } from './autonomy.js';
import type { Policy } from './policy.js';
import { levelWords } from './policy-schema.js';
import type {
  AuthorityRule,
  AutonomyLevel,
  Decision,
  DecisionContext,
  EnvelopeKey,
  GovernedAction,
  RouteLevel,
  RouteRule,
} from './types.js';

/** The rule id a decision cites when no rule matched (the action is refused). */
export const NO_MATCHING_RULE = 'no-matching-rule';

/** The action's amount as the matrix sees it. */
type AmountReading =
  | { kind: 'none' }
  /** In the matrix currency; `note` explains a conversion. */
  | { kind: 'known'; value: string; note?: string }
  /** No rate, or not a number: treated as larger than every threshold. */
  | { kind: 'unbounded'; note: string };

/** True when `proposedBy` names an agent: not a person ('user'), a monitor ('monitor:…') or the system. */
export function isAgentProposer(proposedBy: string): boolean {
  const p = proposedBy.trim();
  return p !== '' && p !== 'user' && !p.startsWith('user:') && !p.startsWith('monitor:') && !p.startsWith('system');
}

function readAmount(action: GovernedAction, policy: Policy): AmountReading {
  if (!action.amount) return { kind: 'none' };
  const { value } = action.amount;
  const currency = action.amount.currency.trim().toUpperCase();
  const matrix = policy.authority.currency;
  if (!isDecimal(value.trim())) {
    return { kind: 'unbounded', note: `The amount "${value}" is not a number, so it is treated as larger than every threshold.` };
  }
  const v = value.trim();
  if (currency === matrix) return { kind: 'known', value: v };
  const rate = policy.authority.fx[currency];
  if (rate === undefined) {
    return {
      kind: 'unbounded',
      note: `The policy has no ${matrix} rate for ${currency}, so ${formatAmount(v, currency)} is treated as larger than every threshold.`,
    };
  }
  const converted = convertAmount(v, rate);
  return {
    kind: 'known',
    value: converted,
    note: `${formatAmount(v, currency)} is ${formatAmount(converted, matrix)} at the policy rate of ${rate} ${matrix} per ${currency}.`,
  };
}

/** A category selector matches a UNSPSC code by prefix (digits) or a custom code exactly (ignoring case). */
function categoryMatches(selector: string, code: string): boolean {
  if (/^\d+$/.test(selector)) return /^\d+$/.test(code) && code.startsWith(selector);
  return selector.toLowerCase() === code.toLowerCase();
}

function matches(rule: AuthorityRule, action: GovernedAction, context: DecisionContext, amount: AmountReading): boolean {
  if (!rule.actions.includes('*') && !rule.actions.includes(action.kind)) return false;
  const w = rule.when;
  if (w.amount) {
    if (amount.kind === 'none') return false;
    if (amount.kind === 'unbounded') {
      if (w.amount.below !== undefined) return false;
    } else {
      if (w.amount.min !== undefined && compareDecimal(amount.value, w.amount.min) < 0) return false;
      if (w.amount.below !== undefined && compareDecimal(amount.value, w.amount.below) >= 0) return false;
    }
  }
  if (w.category) {
    const code = action.categoryCode?.trim();
    if (!code || !w.category.some((s) => categoryMatches(s, code))) return false;
  }
  if (w.supplierRisk && (context.supplierRisk === undefined || !w.supplierRisk.includes(context.supplierRisk))) return false;
  if (w.supplierStatus && (context.supplierStatus === undefined || !w.supplierStatus.includes(context.supplierStatus))) {
    return false;
  }
  if (w.contractStatus && (context.contractStatus === undefined || !w.contractStatus.includes(context.contractStatus))) {
    return false;
  }
  return true;
}

/** The amount band of a rule as an envelope label: '<10000 GBP', '10000–100000 GBP', '≥100000 GBP' or 'any'. */
export function bandLabel(rule: AuthorityRule, currency: string): string {
  const band = rule.when.amount;
  if (!band) return 'any';
  if (band.min !== undefined && band.below !== undefined) return `${band.min}–${band.below} ${currency}`;
  if (band.min !== undefined) return `≥${band.min} ${currency}`;
  return `<${band.below} ${currency}`;
}

/** The envelope an agent's action falls in under `rule`: agent × kind × the rule's categories × its amount band. */
export function envelopeKeyFor(rule: AuthorityRule, agent: string, actionKind: string, currency: string): EnvelopeKey {
  return { agent, actionKind, category: rule.when.category?.join('+') ?? '*', band: bandLabel(rule, currency) };
}

/** A route for people: 'budget holder, then procurement manager, then CFO'. */
export function routeSummary(route: readonly RouteLevel[]): string {
  return route.length === 0 ? 'nobody' : route.map(levelWords).join(', then ');
}

/** The facts behind a rule's conditions, as sentences ('The supplier is on hold.'). */
function conditionFacts(rule: AuthorityRule, action: GovernedAction, context: DecisionContext): string[] {
  const facts: string[] = [];
  const w = rule.when;
  if (w.category && action.categoryCode) facts.push(`Its category is ${action.categoryCode.trim()}.`);
  if (w.supplierStatus && context.supplierStatus) facts.push(`The supplier is ${context.supplierStatus.replace('_', ' ')}.`);
  if (w.supplierRisk && context.supplierRisk) facts.push(`The supplier's risk is ${context.supplierRisk}.`);
  if (w.contractStatus && context.contractStatus) {
    facts.push(
      context.contractStatus === 'none'
        ? 'No contract covers it.'
        : context.contractStatus === 'expired'
          ? 'Its contract has expired.'
          : 'It is on an active contract.',
    );
  }
  return facts;
}

function sentence(text: string): string {
  return text.trim().replace(/[.\s]+$/, '');
}

const LEVEL_WORDS: Record<AutonomyLevel, string> = {
  recommend: 'recommend',
  act_with_notice: 'act with notice',
  autonomous: 'autonomous',
};

/** Decides what happens to `action` under `policy`: first matching rule wins; no match is a denial. */
export function decide(action: GovernedAction, context: DecisionContext, policy: Policy): Decision {
  const amount = readAmount(action, policy);
  const amountNote = amount.kind === 'none' ? [] : amount.note ? [amount.note] : [];
  const policyVersion = policy.version;
  const rule = policy.authority.rules.find((r) => matches(r, action, context, amount));

  if (!rule) {
    const value = action.amount?.value.trim();
    const what =
      action.amount && value && isDecimal(value) ? ` of ${formatAmount(value, action.amount.currency.trim().toUpperCase())}` : '';
    const reason = [
      `No rule in the authority matrix covers ${action.kind}${what}, so it is refused: the policy allows only what a rule covers.`,
      ...amountNote,
    ].join(' ');
    return { outcome: 'deny', ruleId: NO_MATCHING_RULE, reason, policyVersion };
  }

  const cited = `${sentence(rule.description)} (rule ${rule.id}).`;
  const facts = [...conditionFacts(rule, action, context), ...amountNote];

  if (rule.deny) {
    return { outcome: 'deny', ruleId: rule.id, reason: [cited, ...facts].join(' '), policyVersion };
  }
  return route(rule, action, context, policy, amount, [cited, ...facts]);
}

function route(
  rule: RouteRule,
  action: GovernedAction,
  context: DecisionContext,
  policy: Policy,
  amount: AmountReading,
  said: string[],
): Decision {
  const policyVersion = policy.version;
  const routeOnly = (extra: string[], envelope?: EnvelopeKey): Decision => ({
    outcome: 'needs_approval',
    ruleId: rule.id,
    reason: [...said, ...extra].join(' '),
    route: rule.levels,
    ...(envelope ? { envelope } : {}),
    policyVersion,
  });

  if (!isAgentProposer(action.proposedBy)) return routeOnly([]);

  const agent = action.proposedBy.trim();
  const envelope = envelopeKeyFor(rule, agent, action.kind, policy.authority.currency);
  const granted = context.autonomyOf?.(envelope) ?? policy.autonomy.default;
  const level = capLevel(granted, rule.maxAutonomy);
  const capped =
    level !== granted
      ? ` (it has earned ${LEVEL_WORDS[granted]}, but this rule allows an agent at most ${LEVEL_WORDS[rule.maxAutonomy]})`
      : '';

  if (level === 'recommend') {
    return routeOnly([`The ${agent} agent may only recommend this${capped}, so a person must approve.`], envelope);
  }
  if (amount.kind === 'unbounded') {
    return routeOnly(
      [
        `The ${agent} agent's ${LEVEL_WORDS[level]} autonomy does not apply because the amount could not be checked against the thresholds, so a person must approve.`,
      ],
      envelope,
    );
  }
  if (level === 'act_with_notice') {
    return {
      outcome: 'auto',
      ruleId: rule.id,
      reason: [
        ...said,
        `The ${agent} agent has earned act-with-notice autonomy here${capped}, so it may go ahead and ${routeSummary(rule.levels)} will be told.`,
      ].join(' '),
      level,
      notify: rule.levels,
      envelope,
      policyVersion,
    };
  }
  return {
    outcome: 'auto',
    ruleId: rule.id,
    reason: [...said, `The ${agent} agent has earned full autonomy here, so it may go ahead without approval.`].join(' '),
    level,
    notify: [],
    envelope,
    policyVersion,
  };
}
