// The shape of policies/authority.yaml and policies/autonomy.yaml, and how they are normalised. Every mapping
// is strict (a misspelt key is an error, not a silently ignored setting), amounts and rates may be written
// as numbers or strings and come out as canonical decimal strings, and levels come out with a name. Checks
// that span fields (min below `below`, deny XOR levels, unique rule ids, unreachable rules, escalation
// timings in order) are reported with the path of the offending value.
import { z } from 'zod';
import { compareDecimal, isDecimal, normaliseDecimal } from '../domain/money.js';
import {
  AUTONOMY_LEVELS,
  type AuthorityMatrix,
  type AuthorityRule,
  type AutonomyLevel,
  type AutonomySettings,
  type RouteLevel,
  type RuleConditions,
} from './types.js';

const SUPPLIER_RISKS = ['low', 'medium', 'high'] as const;
const SUPPLIER_STATUSES = ['active', 'on_hold', 'blocked', 'inactive'] as const;
const CONTRACT_STATUSES = ['active', 'expired', 'none'] as const;
const NAME = /^[a-z][a-z0-9_]*$/;
const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const CURRENCY = /^[A-Z]{3}$/;
/** The most approvers one level may ask for; more is almost certainly a typo. */
const MAX_QUORUM = 20;

const DEFAULT_ESCALATION = { remindAfterHours: 24, escalateAfterHours: 72, expireAfterHours: 336 };

// ── Wording shared with the decisions (level names, route summaries) ──────────────────────────────────

const ACRONYMS = new Set(['cfo', 'ceo', 'cio', 'cto', 'coo', 'cpo', 'it', 'hr']);

/** A role as people say it: 'budget_holder' → 'budget holder', 'cfo' → 'CFO'. */
export function humanRole(role: string): string {
  return role
    .split('_')
    .map((w) => (ACRONYMS.has(w) ? w.toUpperCase() : w))
    .join(' ');
}

function listWords(words: string[], conjunction: 'and' | 'or'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`;
}

/** Who a level needs, in words: 'budget holder', 'compliance or CFO', 'legal and procurement manager', '2 people with the finance role'. */
export function levelWords(level: Pick<RouteLevel, 'roles' | 'quorum'>): string {
  const roles = level.roles.map(humanRole);
  if (level.quorum === 'all') return listWords(roles, 'and');
  if (level.quorum === 1) return listWords(roles, 'or');
  return `${level.quorum} people with the ${listWords(roles, 'or')} role${roles.length > 1 ? 's' : ''}`;
}

// ── Building blocks ───────────────────────────────────────────────────────────────────────────────────

/** A strict mapping whose errors say what was expected and which keys are allowed. */
function mapping<T extends z.core.$ZodLooseShape>(shape: T, what: string) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys.map((k) => `"${k}"`).join(', ');
        return `unknown key${issue.keys.length > 1 ? 's' : ''} ${keys}; allowed: ${allowed}`;
      }
      if (issue.code === 'invalid_type') return `expected ${what}`;
      return undefined;
    },
  });
}

const text = (what: string) =>
  z.string({ error: `expected ${what} (text)` }).trim().min(1, `expected ${what}, not an empty text`);

const name = (what: string) =>
  z
    .string({ error: `expected ${what} such as budget_holder` })
    .regex(NAME, `expected ${what} in lower_snake_case, such as budget_holder`);

const wholeNumber = (what: string, min: number) =>
  z.int({ error: `expected ${what} (a whole number)` }).min(min, `expected ${what} of at least ${min}`);

/** A decimal written as a number or a string, normalised to its canonical string. */
const decimal = (what: string) =>
  z.union([z.string(), z.number()], { error: `expected ${what}, such as "10000" or "10000.00"` }).transform((v, ctx) => {
    const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v.trim();
    if (!isDecimal(s) || (typeof v === 'number' && !Number.isSafeInteger(Math.trunc(v)))) {
      ctx.addIssue({ code: 'custom', message: `expected ${what}, such as "10000" or "10000.00"; got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    const n = normaliseDecimal(s);
    if (n.startsWith('-')) {
      ctx.addIssue({ code: 'custom', message: `expected ${what} of zero or more; got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return n;
  });

/** A non-empty list without duplicates. */
function uniqueList<T extends z.ZodType>(item: T, what: string) {
  return z
    .array(item, { error: `expected a list of ${what}` })
    .min(1, `expected at least one ${what.replace(/s$/, '')}`)
    .superRefine((items, ctx) => {
      const seen = new Set<string>();
      items.forEach((v, i) => {
        const key = String(v);
        if (seen.has(key)) ctx.addIssue({ code: 'custom', message: `"${key}" is listed twice`, path: [i] });
        seen.add(key);
      });
    });
}

const choice = <const T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, { error: `expected ${what}: one of ${values.join(', ')}` });

const autonomyLevel = choice(AUTONOMY_LEVELS as unknown as readonly ['recommend', 'act_with_notice', 'autonomous'], 'an autonomy level');

// ── authority.yaml ────────────────────────────────────────────────────────────────────────────────────

const categorySelector = z
  .union([z.string(), z.int()], { error: 'expected a category code such as "43" or "4321"' })
  .transform((v, ctx) => {
    const s = String(v).trim();
    if (/^\d+$/.test(s) && ![2, 4, 6, 8].includes(s.length)) {
      ctx.addIssue({
        code: 'custom',
        message: `"${s}" is not a UNSPSC prefix: use 2 (segment), 4 (family), 6 (class) or 8 (commodity) digits`,
      });
      return z.NEVER;
    }
    if (!/^\S+$/.test(s)) {
      ctx.addIssue({ code: 'custom', message: `expected a category code without spaces; got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return s;
  });

const amountBand = mapping(
  { min: decimal('an amount (inclusive lower bound)').optional(), below: decimal('an amount (exclusive upper bound)').optional() },
  'an amount band with min and/or below',
).superRefine((band, ctx) => {
  if (band.min === undefined && band.below === undefined) {
    ctx.addIssue({ code: 'custom', message: 'give min, below or both (or leave the amount condition out)' });
  } else if (band.min !== undefined && band.below !== undefined && compareDecimal(band.min, band.below) >= 0) {
    ctx.addIssue({ code: 'custom', message: `min (${band.min}) must be less than below (${band.below})`, path: ['below'] });
  }
});

const conditions = mapping(
  {
    amount: amountBand.optional(),
    category: uniqueList(categorySelector, 'category codes').optional(),
    supplierRisk: uniqueList(choice(SUPPLIER_RISKS, 'a supplier risk'), 'supplier risks').optional(),
    supplierStatus: uniqueList(choice(SUPPLIER_STATUSES, 'a supplier status'), 'supplier statuses').optional(),
    contractStatus: uniqueList(choice(CONTRACT_STATUSES, 'a contract status'), 'contract statuses').optional(),
  },
  'a mapping of conditions (amount, category, supplierRisk, supplierStatus, contractStatus)',
);

const level = mapping(
  {
    name: text('a level name').optional(),
    roles: uniqueList(name('a role'), 'roles'),
    quorum: z
      .union([z.literal('all'), z.int()], { error: `expected a quorum: a whole number from 1 to ${MAX_QUORUM}, or all` })
      .optional(),
  },
  'a level with roles (and optionally name and quorum)',
).superRefine((l, ctx) => {
  if (typeof l.quorum === 'number' && (l.quorum < 1 || l.quorum > MAX_QUORUM)) {
    ctx.addIssue({ code: 'custom', message: `expected a quorum from 1 to ${MAX_QUORUM}, or all; got ${l.quorum}`, path: ['quorum'] });
  }
});

const actionKind = z
  .string({ error: "expected an action kind such as create_purchase_order, or '*'" })
  .refine((s) => s === '*' || NAME.test(s), "expected an action kind in lower_snake_case, or '*'");

const rule = mapping(
  {
    id: z
      .string({ error: 'expected a rule id such as po-under-10k' })
      .regex(RULE_ID, 'expected a rule id of letters, digits, dot, dash or underscore, such as po-under-10k'),
    description: text('a plain-language description'),
    actions: uniqueList(actionKind, 'action kinds'),
    when: conditions.optional(),
    deny: z.literal(true, { error: 'expected deny: true (or leave it out and give levels)' }).optional(),
    levels: z.array(level, { error: 'expected a list of levels' }).optional(),
    maxAutonomy: autonomyLevel.optional(),
    escalateTo: uniqueList(name('a role'), 'roles').optional(),
  },
  'a rule with id, description, actions and either levels or deny: true',
)
  .superRefine((r, ctx) => {
    if (r.actions.includes('*') && r.actions.length > 1) {
      ctx.addIssue({ code: 'custom', message: "'*' already covers every action kind; list it alone", path: ['actions'] });
    }
    if (r.deny) {
      for (const key of ['levels', 'maxAutonomy', 'escalateTo'] as const) {
        if (r[key] !== undefined) {
          ctx.addIssue({ code: 'custom', message: `a deny rule has no approvers; remove ${key}`, path: [key] });
        }
      }
    } else if (r.levels === undefined) {
      ctx.addIssue({ code: 'custom', message: 'give levels of approvers, or deny: true', path: ['levels'] });
    } else if (r.levels.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'expected at least one level (use deny: true to refuse)', path: ['levels'] });
    }
  })
  .transform((r): AuthorityRule => {
    const when: RuleConditions = {};
    if (r.when?.amount) when.amount = { ...r.when.amount };
    if (r.when?.category) when.category = r.when.category;
    if (r.when?.supplierRisk) when.supplierRisk = r.when.supplierRisk;
    if (r.when?.supplierStatus) when.supplierStatus = r.when.supplierStatus;
    if (r.when?.contractStatus) when.contractStatus = r.when.contractStatus;
    const base = { id: r.id, description: r.description, actions: r.actions, when };
    if (r.deny) return { ...base, deny: true };
    const levels: RouteLevel[] = (r.levels ?? []).map((l, i) => {
      const quorum = l.quorum ?? 1;
      return { name: `Level ${i + 1}: ${l.name ?? levelWords({ roles: l.roles, quorum })}`, roles: l.roles, quorum };
    });
    return { ...base, levels, maxAutonomy: r.maxAutonomy ?? 'recommend', escalateTo: r.escalateTo ?? [] };
  });

const escalation = mapping(
  {
    remindAfterHours: wholeNumber('hours', 1),
    escalateAfterHours: wholeNumber('hours', 1),
    expireAfterHours: wholeNumber('hours', 1),
  },
  'a mapping with remindAfterHours, escalateAfterHours and expireAfterHours',
).superRefine((e, ctx) => {
  if (e.escalateAfterHours <= e.remindAfterHours) {
    ctx.addIssue({ code: 'custom', message: 'must be later than remindAfterHours', path: ['escalateAfterHours'] });
  }
  if (e.expireAfterHours <= e.escalateAfterHours) {
    ctx.addIssue({ code: 'custom', message: 'must be later than escalateAfterHours', path: ['expireAfterHours'] });
  }
});

/** True when `earlier` matches everything `later` could (no conditions, and its actions cover `later`'s). */
function shadows(earlier: AuthorityRule, later: AuthorityRule): boolean {
  if (Object.keys(earlier.when).length > 0) return false;
  if (earlier.actions.includes('*')) return true;
  return !later.actions.includes('*') && later.actions.every((a) => earlier.actions.includes(a));
}

export const authoritySchema = mapping(
  {
    currency: z
      .string({ error: 'expected an ISO 4217 currency code such as GBP' })
      .regex(CURRENCY, 'expected an ISO 4217 currency code in capitals, such as GBP'),
    fx: z
      .record(
        z.string().regex(CURRENCY, 'expected an ISO 4217 currency code in capitals, such as USD'),
        decimal('a rate (units of the matrix currency per unit)'),
        {
          error: (issue) =>
            issue.code === 'invalid_type'
              ? 'expected a mapping of currency codes to rates, such as USD: "0.79"'
              : issue.code === 'invalid_key'
                ? 'expected an ISO 4217 currency code in capitals, such as USD'
                : undefined,
        },
      )
      .optional(),
    escalation: escalation.optional(),
    rules: z.array(rule, { error: 'expected a list of rules' }).min(1, 'expected at least one rule'),
  },
  'a mapping with currency, fx, escalation and rules',
)
  .superRefine((m, ctx) => {
    for (const [code, rate] of Object.entries(m.fx ?? {})) {
      if (code === m.currency) {
        ctx.addIssue({ code: 'custom', message: `${code} is the matrix currency; it needs no rate`, path: ['fx', code] });
      } else if (compareDecimal(rate, '0') <= 0) {
        ctx.addIssue({ code: 'custom', message: 'expected a rate above zero', path: ['fx', code] });
      }
    }
    const firstById = new Map<string, number>();
    m.rules.forEach((r, i) => {
      const first = firstById.get(r.id);
      if (first === undefined) firstById.set(r.id, i);
      else ctx.addIssue({ code: 'custom', message: `rule id "${r.id}" is already used by rules[${first}]`, path: ['rules', i, 'id'] });
      const earlier = m.rules.findIndex((e, j) => j < i && shadows(e, r));
      if (earlier >= 0) {
        ctx.addIssue({
          code: 'custom',
          message: `can never match: rules[${earlier}] ("${m.rules[earlier]!.id}") comes first and matches all its actions unconditionally`,
          path: ['rules', i],
        });
      }
    });
  })
  .transform(
    (m): AuthorityMatrix => ({
      currency: m.currency,
      fx: { ...(m.fx ?? {}) },
      escalation: m.escalation ?? { ...DEFAULT_ESCALATION },
      rules: m.rules,
    }),
  );

// ── autonomy.yaml ─────────────────────────────────────────────────────────────────────────────────────

export const autonomySchema = mapping(
  {
    default: autonomyLevel,
    widen: mapping(
      {
        minCases: wholeNumber('a number of cases', 1),
        agreementRate: decimal('a share between 0 and 1, such as 0.95'),
        window: wholeNumber('a number of cases', 1),
      },
      'a mapping with minCases, agreementRate and window',
    ).superRefine((w, ctx) => {
      if (compareDecimal(w.agreementRate, '0') <= 0 || compareDecimal(w.agreementRate, '1') > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `expected a share above 0 and at most 1, such as 0.95; got ${w.agreementRate}`,
          path: ['agreementRate'],
        });
      }
      if (w.window < w.minCases) {
        ctx.addIssue({ code: 'custom', message: `must be at least minCases (${w.minCases})`, path: ['window'] });
      }
    }),
    narrow: mapping(
      { onOverride: autonomyLevel, onReversal: autonomyLevel },
      'a mapping with onOverride and onReversal',
    ),
  },
  'a mapping with default, widen and narrow',
).transform(
  (a): AutonomySettings => ({
    default: a.default as AutonomyLevel,
    widen: { ...a.widen },
    narrow: { onOverride: a.narrow.onOverride as AutonomyLevel, onReversal: a.narrow.onReversal as AutonomyLevel },
  }),
);
