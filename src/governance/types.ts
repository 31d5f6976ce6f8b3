// The governance vocabulary: actions to decide on, the context they are decided in, and the verdicts.
import type { Money } from '../domain/money.js';

export type AutonomyLevel = 'recommend' | 'act_with_notice' | 'autonomous';
export const AUTONOMY_LEVELS: readonly AutonomyLevel[] = ['recommend', 'act_with_notice', 'autonomous'];

/** An action as governance sees it (a ProposedAction plus what it is about). */
export type GovernedAction = {
  kind: string;
  /** Agent name ('spend', 'supplier', 'contract'), 'monitor:<name>', or 'user'. Only agents have an autonomy envelope. */
  proposedBy: string;
  amount?: Money;
  /** UNSPSC (8 digits) or custom category code of what is bought, when known. */
  categoryCode?: string | null;
};

export type SupplierRisk = 'low' | 'medium' | 'high';
export type SupplierStatus = 'active' | 'on_hold' | 'blocked' | 'inactive';
export type ContractStatus = 'active' | 'expired' | 'none';

/** Facts about the action's subject, looked up by the caller (the engine itself reads nothing). */
export type DecisionContext = {
  supplierRisk?: SupplierRisk;
  supplierStatus?: SupplierStatus;
  contractStatus?: ContractStatus;
  /** The level currently granted for an envelope key (absent → the autonomy settings' default). */
  autonomyOf?: (key: EnvelopeKey) => AutonomyLevel | undefined;
};

/** One level of an approval route. quorum: that many distinct people holding any of `roles`, or 'all' = one distinct person per role. */
export type RouteLevel = { name: string; roles: string[]; quorum: number | 'all' };

/** Where an agent's autonomy is measured and granted: agent × action kind × category × amount band. */
export type EnvelopeKey = { agent: string; actionKind: string; category: string; band: string };

export type Decision =
  | {
      outcome: 'auto';
      ruleId: string;
      reason: string;
      level: Exclude<AutonomyLevel, 'recommend'>;
      /** Who is told: the rule's levels for act_with_notice, [] for autonomous. */
      notify: RouteLevel[];
      envelope: EnvelopeKey;
      policyVersion: string;
    }
  | {
      outcome: 'needs_approval';
      ruleId: string;
      reason: string;
      route: RouteLevel[];
      envelope?: EnvelopeKey;
      policyVersion: string;
    }
  | { outcome: 'deny'; ruleId: string; reason: string; policyVersion: string };

// ── The policy as loaded (authority.yaml + autonomy.yaml, validated and normalised) ──────────────────

/** An amount band in the matrix currency: `min` inclusive, `below` exclusive, both canonical decimal strings. */
export type AmountBand = { min?: string; below?: string };

/** What a rule applies to; every condition given must hold, and a fact the caller does not know never matches. */
export type RuleConditions = {
  amount?: AmountBand;
  /** UNSPSC prefixes (digits: '43' segment, '4321' family, …) or custom category codes (matched exactly). */
  category?: string[];
  supplierRisk?: SupplierRisk[];
  supplierStatus?: SupplierStatus[];
  contractStatus?: ContractStatus[];
};

type RuleBase = {
  id: string;
  /** Plain language; quoted in every decision the rule makes. */
  description: string;
  /** Action kinds, or ['*'] for every kind. */
  actions: string[];
  when: RuleConditions;
};

/** A rule that refuses the actions it matches. */
export type DenyRule = RuleBase & { deny: true };

/** A rule that routes the actions it matches through levels of approvers (or lets an agent act within its envelope). */
export type RouteRule = RuleBase & {
  deny?: undefined;
  /** Sequential levels; each has a name (given, or derived from its roles). */
  levels: RouteLevel[];
  /** The most autonomy an agent may ever be granted under this rule. */
  maxAutonomy: AutonomyLevel;
  /** Roles added to the route when an approval under this rule is escalated ([] when none). */
  escalateTo: string[];
};

export type AuthorityRule = DenyRule | RouteRule;

/** Hours after which a pending approval is reminded, escalated, and expired. */
export type EscalationSettings = { remindAfterHours: number; escalateAfterHours: number; expireAfterHours: number };

/** The delegation-of-authority matrix: ordered rules, first match wins, no match is a denial. */
export type AuthorityMatrix = {
  /** ISO 4217 code every amount band is expressed in. */
  currency: string;
  /** Rates into `currency`, as canonical decimal strings: 1 unit of the key currency = rate units of `currency`. */
  fx: Record<string, string>;
  escalation: EscalationSettings;
  rules: AuthorityRule[];
};

/** How agents' autonomy envelopes start, widen on evidence, and narrow when a person disagrees. */
export type AutonomySettings = {
  /** The level of an envelope nobody has widened yet. */
  default: AutonomyLevel;
  /** Widen one step when, over the most recent `window` decided cases (at least `minCases`), the share the human agreed with is ≥ agreementRate (a decimal string such as '0.95'). */
  widen: { minCases: number; agreementRate: string; window: number };
  /** The level an envelope drops to when a person overrides a recommendation or reverses an action taken. */
  narrow: { onOverride: AutonomyLevel; onReversal: AutonomyLevel };
};
