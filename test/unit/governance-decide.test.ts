import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareDecimal } from '../../src/domain/money.js';
import { convertAmount } from '../../src/governance/amount.js';
import { bandLabel, decide, isAgentProposer, NO_MATCHING_RULE, routeSummary } from '../../src/governance/decide.js';
import { parsePolicy, ruleById } from '../../src/governance/policy.js';
import type { AutonomyLevel, DecisionContext, EnvelopeKey, GovernedAction } from '../../src/governance/types.js';

const read = (file: string) => readFileSync(new URL(`../../policies/${file}`, import.meta.url), 'utf8');
const policy = parsePolicy(read('authority.yaml'), read('autonomy.yaml'), 'policies');

const po = (value: string, extra: Partial<GovernedAction> = {}, currency = 'GBP'): GovernedAction => ({
  kind: 'create_purchase_order',
  proposedBy: 'user',
  amount: { value, currency },
  ...extra,
});

describe('purchase order amount bands (exact at the thresholds)', () => {
  it.each([
    ['0.01', 'po-under-10k'],
    ['9999.99', 'po-under-10k'],
    ['9999.9999', 'po-under-10k'],
    ['10000', 'po-10k-100k'],
    ['10000.00', 'po-10k-100k'],
    ['10000.0001', 'po-10k-100k'],
    ['99999.99', 'po-10k-100k'],
    ['99999.9999', 'po-10k-100k'],
    ['99999.99999999', 'po-10k-100k'],
    ['100000', 'po-100k-plus'],
    ['100000.00', 'po-100k-plus'],
    ['250000000', 'po-100k-plus'],
  ])('%s GBP → %s', (value, ruleId) => {
    const d = decide(po(value), {}, policy);
    expect(d.ruleId).toBe(ruleId);
    expect(d.outcome).toBe('needs_approval');
  });

  it('routes 10,000 to 100,000 through the budget holder, then the procurement manager, citing the rule', () => {
    const d = decide(po('25000'), {}, policy);
    expect(d).toMatchObject({
      outcome: 'needs_approval',
      route: [
        { name: 'Level 1: budget holder', roles: ['budget_holder'], quorum: 1 },
        { name: 'Level 2: procurement manager', roles: ['procurement_manager'], quorum: 1 },
      ],
      policyVersion: policy.version,
    });
    expect(d.reason).toBe(
      'Purchase orders from 10,000 to below 100,000 GBP need the budget holder, then the procurement manager (rule po-10k-100k).',
    );
    expect(d.outcome === 'needs_approval' && d.envelope).toBeFalsy();
  });

  it('sends a purchase order without an amount past every amount rule to the catch-all', () => {
    expect(decide({ kind: 'create_purchase_order', proposedBy: 'user' }, {}, policy).ruleId).toBe('catch-all');
  });
});

describe('categories', () => {
  it.each([
    ['segment 43 (commodity code)', '43211503', '60000', 'po-it-hardware-50k-100k'],
    ['segment 43 (family code)', '4321', '60000', 'po-it-hardware-50k-100k'],
    ['segment 43, with spaces around', ' 43211503 ', '60000', 'po-it-hardware-50k-100k'],
    ['segment 43 at exactly 50,000', '43211503', '50000', 'po-it-hardware-50k-100k'],
    ['segment 43 just below 50,000', '43211503', '49999.99', 'po-10k-100k'],
    ['segment 43 at 100,000', '43211503', '100000', 'po-100k-plus'],
    ['segment 44 (office supplies)', '44121600', '60000', 'po-10k-100k'],
    ['a code that only contains 43 later', '14311503', '60000', 'po-10k-100k'],
    ['no category', null, '60000', 'po-10k-100k'],
    ['an empty category', '', '60000', 'po-10k-100k'],
  ])('%s → %s', (_label, categoryCode, value, ruleId) => {
    expect(decide(po(value, { categoryCode }), {}, policy).ruleId).toBe(ruleId);
  });

  const custom = parsePolicy(
    `currency: GBP
rules:
  - id: family
    description: Computers (family 4321) need IT
    actions: [buy]
    when: { category: ["4321"] }
    levels: [{ roles: [it_lead] }]
  - id: segment-or-custom
    description: Other IT or marketing print needs the budget holder
    actions: [buy]
    when: { category: ["43", MKT-PRINT] }
    levels: [{ roles: [budget_holder] }]
`,
    read('autonomy.yaml'),
    'custom',
  );

  it.each([
    ['a commodity in the family', '43211503', 'family'],
    ['the family itself', '4321', 'family'],
    ['another family of the segment', '43222600', 'segment-or-custom'],
    ['the custom code', 'MKT-PRINT', 'segment-or-custom'],
    ['the custom code in other case', 'mkt-print', 'segment-or-custom'],
    ['a custom code that merely starts like it', 'MKT-PRINT-2', NO_MATCHING_RULE],
    ['a non-matching segment', '44121600', NO_MATCHING_RULE],
    ['a custom code starting with digits', '43-custom', NO_MATCHING_RULE],
  ])('%s (%s) → %s', (_label, categoryCode, ruleId) => {
    expect(decide({ kind: 'buy', proposedBy: 'user', categoryCode }, {}, custom).ruleId).toBe(ruleId);
  });

  it('labels the envelope with the rule categories joined by +', () => {
    const d = decide({ kind: 'buy', proposedBy: 'spend', categoryCode: 'MKT-PRINT' }, {}, custom);
    expect(d.outcome === 'needs_approval' && d.envelope).toEqual({
      agent: 'spend',
      actionKind: 'buy',
      category: '43+MKT-PRINT',
      band: 'any',
    });
  });
});

describe('supplier risk, supplier status and contract status', () => {
  it.each([
    ['high risk', { supplierRisk: 'high' }, '25000', 'po-high-risk', 'needs_approval'],
    ['high risk, no amount', { supplierRisk: 'high' }, undefined, 'po-high-risk', 'needs_approval'],
    ['high risk at 100,000', { supplierRisk: 'high' }, '100000', 'po-high-risk-100k-plus', 'needs_approval'],
    ['high risk just below 100,000', { supplierRisk: 'high' }, '99999.99', 'po-high-risk', 'needs_approval'],
    ['medium risk', { supplierRisk: 'medium' }, '25000', 'po-10k-100k', 'needs_approval'],
    ['low risk', { supplierRisk: 'low' }, '500', 'po-under-10k', 'needs_approval'],
    ['risk not assessed', {}, '25000', 'po-10k-100k', 'needs_approval'],
    ['supplier on hold', { supplierStatus: 'on_hold' }, '500', 'po-supplier-not-active', 'deny'],
    ['supplier blocked', { supplierStatus: 'blocked' }, '500', 'po-supplier-not-active', 'deny'],
    ['supplier blocked and high risk', { supplierStatus: 'blocked', supplierRisk: 'high' }, '500', 'po-supplier-not-active', 'deny'],
    ['supplier active', { supplierStatus: 'active' }, '500', 'po-under-10k', 'needs_approval'],
    ['supplier inactive', { supplierStatus: 'inactive' }, '500', 'po-under-10k', 'needs_approval'],
    ['no contract, 10,000', { contractStatus: 'none' }, '10000', 'po-off-contract-10k-100k', 'needs_approval'],
    ['expired contract, 50,000', { contractStatus: 'expired' }, '50000', 'po-off-contract-10k-100k', 'needs_approval'],
    ['no contract, 9,999.99', { contractStatus: 'none' }, '9999.99', 'po-under-10k', 'needs_approval'],
    ['no contract, 100,000', { contractStatus: 'none' }, '100000', 'po-100k-plus', 'needs_approval'],
    ['active contract, 50,000', { contractStatus: 'active' }, '50000', 'po-10k-100k', 'needs_approval'],
    ['contract status unknown', {}, '50000', 'po-10k-100k', 'needs_approval'],
  ] as [string, DecisionContext, string | undefined, string, string][])('%s → %s', (_label, context, value, ruleId, outcome) => {
    const action: GovernedAction = value ? po(value) : { kind: 'create_purchase_order', proposedBy: 'user' };
    const d = decide(action, context, policy);
    expect(d.ruleId).toBe(ruleId);
    expect(d.outcome).toBe(outcome);
  });

  it('says why a purchase order with a blocked supplier is refused', () => {
    const d = decide(po('500'), { supplierStatus: 'on_hold' }, policy);
    expect(d).toMatchObject({ outcome: 'deny', ruleId: 'po-supplier-not-active' });
    expect(d.reason).toMatch(/^Purchase orders with a supplier that is on hold or blocked are refused.*\(rule po-supplier-not-active\)\. The supplier is on hold\.$/);
  });
});

describe('other action kinds', () => {
  it.each([
    ['release_invoice', '24999.99', {}, 'invoice-release-under-25k', ['finance']],
    ['release_invoice', '25000', {}, 'invoice-release-25k-plus', ['finance', 'cfo']],
    ['release_invoice', '500', { supplierStatus: 'blocked' }, 'invoice-supplier-not-active', []],
    ['reject_invoice', '500', {}, 'invoice-reject', ['finance']],
    ['put_supplier_on_hold', undefined, {}, 'supplier-hold', ['compliance']],
    ['release_supplier_hold', undefined, {}, 'supplier-release-hold', ['compliance+procurement_manager']],
    ['renew_contract', '249999.99', {}, 'contract-change', ['legal+procurement_manager']],
    ['renew_contract', '250000', {}, 'contract-change-250k-plus', ['legal+procurement_manager', 'cfo']],
    ['terminate_contract', '300000', {}, 'contract-change-250k-plus', ['legal+procurement_manager', 'cfo']],
    ['terminate_contract', undefined, {}, 'contract-change', ['legal+procurement_manager']],
    ['review_contract_renewal', '186000', {}, 'contract-renewal-review', ['procurement_manager']],
    ['start_sourcing_event', '60000', {}, 'sourcing-start', ['procurement_manager']],
    ['expand_autonomy', undefined, {}, 'autonomy-expand', ['procurement_manager', 'cfo']],
    ['launch_rocket', '1', {}, 'catch-all', ['procurement_manager']],
    ['launch_rocket', undefined, {}, 'catch-all', ['procurement_manager']],
  ] as [string, string | undefined, DecisionContext, string, string[]][])('%s %s → %s', (kind, value, context, ruleId, levels) => {
    const d = decide({ kind, proposedBy: 'user', ...(value ? { amount: { value, currency: 'GBP' } } : {}) }, context, policy);
    expect(d.ruleId).toBe(ruleId);
    const route = d.outcome === 'needs_approval' ? d.route.map((l) => l.roles.join('+')) : [];
    expect(route).toEqual(levels);
  });

  it('routes unknown kinds to the catch-all rather than allowing them', () => {
    const d = decide({ kind: 'launch_rocket', proposedBy: 'spend' }, { autonomyOf: () => 'autonomous' }, policy);
    expect(d).toMatchObject({ outcome: 'needs_approval', ruleId: 'catch-all' });
    expect(d.reason).toMatch(/^Any other action needs the procurement manager \(rule catch-all\)\./);
  });
});

describe('foreign currencies', () => {
  it.each([
    ['12658.23 USD is 10,000.0017 GBP', '12658.23', 'USD', 'po-10k-100k'],
    ['12658.2278 USD is 9,999.99996 → 10,000.0000 GBP (half-up)', '12658.2278', 'USD', 'po-10k-100k'],
    ['12658.2277 USD is 9,999.99988 → 9,999.9999 GBP', '12658.2277', 'USD', 'po-under-10k'],
    ['12658.21 USD is 9,999.9859 GBP', '12658.21', 'USD', 'po-under-10k'],
    ['11627.91 EUR is 10,000.0026 GBP', '11627.91', 'EUR', 'po-10k-100k'],
    ['lower-case currency code', '11627.91', 'eur', 'po-10k-100k'],
    ['126582.28 USD is 100,000.0012 GBP', '126582.28', 'USD', 'po-100k-plus'],
    ['a currency without a rate is above every threshold', '1', 'JPY', 'po-100k-plus'],
  ])('%s', (_label, value, currency, ruleId) => {
    expect(decide(po(value, {}, currency), {}, policy).ruleId).toBe(ruleId);
  });

  it('explains a conversion', () => {
    expect(decide(po('15000', {}, 'USD'), {}, policy).reason).toMatch(
      /\(rule po-10k-100k\)\. 15,000\.00 USD is 11,850\.00 GBP at the policy rate of 0\.79 GBP per USD\.$/,
    );
  });

  it('explains a missing rate', () => {
    expect(decide(po('500', {}, 'JPY'), {}, policy).reason).toMatch(
      /\(rule po-100k-plus\)\. The policy has no GBP rate for JPY, so 500 JPY is treated as larger than every threshold\.$/,
    );
  });

  const bounded = parsePolicy(
    `currency: GBP
rules:
  - id: small
    description: Small purchases need the budget holder
    actions: [buy]
    when: { amount: { below: "1000" } }
    levels: [{ roles: [budget_holder] }]
  - id: middle
    description: Middle purchases need the procurement manager
    actions: [buy]
    when: { amount: { min: "1000", below: "5000" } }
    levels: [{ roles: [procurement_manager] }]
  - id: large
    description: Large purchases need the CFO
    actions: [buy]
    when: { amount: { min: "5000" } }
    levels: [{ roles: [cfo] }]
`,
    read('autonomy.yaml'),
    'bounded',
  );

  it.each([
    ['GBP 999.99', '999.99', 'GBP', 'small'],
    ['GBP 1000', '1000', 'GBP', 'middle'],
    ['GBP 5000', '5000', 'GBP', 'large'],
    ['CHF without a rate', '1', 'CHF', 'large'],
    ['an amount that is not a number', 'lots', 'GBP', 'large'],
  ])('with no rate only rules without an upper bound match (%s)', (_label, value, currency, ruleId) => {
    expect(decide({ kind: 'buy', proposedBy: 'user', amount: { value, currency } }, {}, bounded).ruleId).toBe(ruleId);
  });
});

describe('no matching rule', () => {
  const narrow = parsePolicy(
    `currency: GBP
rules:
  - id: po-small
    description: Small purchase orders need the budget holder
    actions: [create_purchase_order]
    when: { amount: { below: "10000" } }
    levels: [{ roles: [budget_holder] }]
`,
    read('autonomy.yaml'),
    'narrow',
  );

  it.each([
    ['an unlisted kind', { kind: 'release_invoice', proposedBy: 'user' }, /^No rule in the authority matrix covers release_invoice, so it is refused/],
    ['an amount above every band', po('10000'), /^No rule in the authority matrix covers create_purchase_order of 10,000\.00 GBP, so it is refused/],
    ['no amount for an amount rule', { kind: 'create_purchase_order', proposedBy: 'spend' }, /covers create_purchase_order, so it is refused/],
    ['a currency without a rate', po('5', {}, 'USD'), /treated as larger than every threshold/],
  ] as [string, GovernedAction, RegExp][])('denies %s, failing closed', (_label, action, reason) => {
    const d = decide(action, { autonomyOf: () => 'autonomous' }, narrow);
    expect(d).toMatchObject({ outcome: 'deny', ruleId: NO_MATCHING_RULE, policyVersion: narrow.version });
    expect(d.reason).toMatch(reason);
  });
});

describe('agent autonomy', () => {
  const granting =
    (level: AutonomyLevel | undefined, seen: EnvelopeKey[] = []) =>
    (key: EnvelopeKey) => {
      seen.push(key);
      return level;
    };

  it.each([
    ['default (recommend)', 'spend', undefined, '500', 'needs_approval', undefined],
    ['recommend', 'spend', 'recommend', '500', 'needs_approval', undefined],
    ['act with notice under a cap of autonomous', 'spend', 'act_with_notice', '500', 'auto', 'act_with_notice'],
    ['autonomous under a cap of autonomous', 'spend', 'autonomous', '500', 'auto', 'autonomous'],
    ['autonomous capped at recommend (10k–100k band)', 'spend', 'autonomous', '25000', 'needs_approval', undefined],
    ['autonomous capped at recommend (≥100k band)', 'spend', 'autonomous', '150000', 'needs_approval', undefined],
    ['a person proposing', 'user', 'autonomous', '500', 'needs_approval', undefined],
    ['a person proposing (user:email)', 'user:alice@example.org', 'autonomous', '500', 'needs_approval', undefined],
    ['a monitor proposing', 'monitor:duplicates', 'autonomous', '500', 'needs_approval', undefined],
    ['the system proposing', 'system', 'autonomous', '500', 'needs_approval', undefined],
  ] as [string, string, AutonomyLevel | undefined, string, string, string | undefined][])(
    '%s',
    (_label, proposedBy, granted, value, outcome, level) => {
      const d = decide(po(value, { proposedBy }), { autonomyOf: granting(granted) }, policy);
      expect(d.outcome).toBe(outcome);
      if (d.outcome === 'auto') expect(d.level).toBe(level);
    },
  );

  it('asks for the envelope of the governing rule', () => {
    const seen: EnvelopeKey[] = [];
    decide(po('60000', { proposedBy: 'spend', categoryCode: '43211503' }), { autonomyOf: granting('autonomous', seen) }, policy);
    decide(po('500', { proposedBy: 'spend' }), { autonomyOf: granting(undefined, seen) }, policy);
    decide(po('150000', { proposedBy: 'spend' }), { autonomyOf: granting(undefined, seen) }, policy);
    expect(seen).toEqual([
      { agent: 'spend', actionKind: 'create_purchase_order', category: '43', band: '50000–100000 GBP' },
      { agent: 'spend', actionKind: 'create_purchase_order', category: '*', band: '<10000 GBP' },
      { agent: 'spend', actionKind: 'create_purchase_order', category: '*', band: '≥100000 GBP' },
    ]);
  });

  it('lets an autonomous agent act without notice, citing the rule', () => {
    const d = decide(po('500', { proposedBy: 'spend' }), { autonomyOf: () => 'autonomous' }, policy);
    expect(d).toMatchObject({
      outcome: 'auto',
      level: 'autonomous',
      notify: [],
      ruleId: 'po-under-10k',
      envelope: { agent: 'spend', actionKind: 'create_purchase_order', category: '*', band: '<10000 GBP' },
    });
    expect(d.reason).toBe(
      'Purchase orders below 10,000 GBP need the budget holder (rule po-under-10k). The spend agent has earned full autonomy here, so it may go ahead without approval.',
    );
  });

  it('caps a hold at act with notice and tells compliance', () => {
    const d = decide({ kind: 'put_supplier_on_hold', proposedBy: 'supplier' }, { autonomyOf: () => 'autonomous' }, policy);
    expect(d).toMatchObject({ outcome: 'auto', level: 'act_with_notice', notify: [{ roles: ['compliance'] }] });
    expect(d.reason).toMatch(/\(rule supplier-hold\)\. .*at most act with notice.*compliance will be told/);
  });

  it('keeps the envelope on a recommendation so the human decision can be measured', () => {
    const d = decide(po('500', { proposedBy: 'spend' }), {}, policy);
    expect(d).toMatchObject({ outcome: 'needs_approval', envelope: { band: '<10000 GBP' } });
    expect(d.reason).toMatch(/The spend agent may only recommend this, so a person must approve\.$/);
  });

  it('uses the policy default when nothing was granted', () => {
    const generous = parsePolicy(read('authority.yaml'), read('autonomy.yaml').replace('default: recommend', 'default: autonomous'), 'x');
    expect(decide(po('500', { proposedBy: 'spend' }), {}, generous)).toMatchObject({ outcome: 'auto', level: 'autonomous' });
    expect(decide(po('500', { proposedBy: 'spend' }), { autonomyOf: () => 'recommend' }, generous).outcome).toBe('needs_approval');
  });

  it('never acts on an amount it could not check', () => {
    const generous = parsePolicy(
      `currency: GBP
rules:
  - id: large
    description: Large purchases need the CFO
    actions: [buy]
    when: { amount: { min: "5000" } }
    levels: [{ roles: [cfo] }]
    maxAutonomy: autonomous
`,
      read('autonomy.yaml'),
      'x',
    );
    const buy = (value: string, currency: string): GovernedAction => ({ kind: 'buy', proposedBy: 'spend', amount: { value, currency } });
    const d = decide(buy('5', 'JPY'), { autonomyOf: () => 'autonomous' }, generous);
    expect(d).toMatchObject({ outcome: 'needs_approval', ruleId: 'large' });
    expect(d.reason).toMatch(/could not be checked against the thresholds, so a person must approve\.$/);
    expect(decide(buy('6000', 'GBP'), { autonomyOf: () => 'autonomous' }, generous).outcome).toBe('auto');
  });
});

describe('helpers', () => {
  it.each([
    ['spend', true],
    ['contract', true],
    ['user', false],
    ['user:bob@example.org', false],
    ['monitor:split-purchases', false],
    ['system', false],
    ['system:scheduler', false],
    ['', false],
  ])('isAgentProposer(%j) is %s', (proposedBy, expected) => {
    expect(isAgentProposer(proposedBy)).toBe(expected);
  });

  it.each([
    ['po-under-10k', '<10000 GBP'],
    ['po-10k-100k', '10000–100000 GBP'],
    ['po-100k-plus', '≥100000 GBP'],
    ['supplier-hold', 'any'],
  ])('labels the band of %s as %s', (id, label) => {
    expect(bandLabel(ruleById(policy, id)!, 'GBP')).toBe(label);
  });

  it.each([
    ['po-100k-plus', 'budget holder, then procurement manager, then CFO'],
    ['supplier-release-hold', 'compliance and procurement manager'],
    ['contract-change-250k-plus', 'legal and procurement manager, then CFO'],
  ])('summarises the route of %s', (id, summary) => {
    const rule = ruleById(policy, id)!;
    expect(routeSummary(rule.deny ? [] : rule.levels)).toBe(summary);
  });

  it('summarises quorum and any-of levels', () => {
    expect(routeSummary([{ name: 'x', roles: ['finance', 'cfo'], quorum: 2 }, { name: 'y', roles: ['legal', 'compliance'], quorum: 1 }])).toBe(
      '2 people with the finance or CFO roles, then legal or compliance',
    );
    expect(routeSummary([])).toBe('nobody');
  });

  it('is deterministic', () => {
    const action = po('12345.67', { proposedBy: 'spend', categoryCode: '43211503' }, 'EUR');
    expect(decide(action, { contractStatus: 'none' }, policy)).toEqual(decide(action, { contractStatus: 'none' }, policy));
  });
});

describe('exact amounts', () => {
  it.each([
    ['15000', '0.79', '11850.00'],
    ['12658.2278', '0.79', '10000.0000'],
    ['0.00005', '1', '0.0001'],
    ['100', '1.234567', '123.4567'],
  ])('convertAmount(%s, %s) = %s', (value, rate, expected) => {
    expect(compareDecimal(convertAmount(value, rate), expected)).toBe(0);
  });
});
