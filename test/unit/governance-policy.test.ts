import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors.js';
import { loadPolicy, type Policy, parsePolicy, ruleById } from '../../src/governance/policy.js';

const POLICY_DIR = fileURLToPath(new URL('../../policies/', import.meta.url));
const shippedAuthority = await readFile(join(POLICY_DIR, 'authority.yaml'), 'utf8');
const shippedAutonomy = await readFile(join(POLICY_DIR, 'autonomy.yaml'), 'utf8');

const AUTONOMY = `default: recommend
widen: { minCases: 30, agreementRate: 0.95, window: 100 }
narrow: { onOverride: recommend, onReversal: recommend }
`;

const AUTHORITY = `currency: GBP
fx: { USD: "0.79" }
rules:
  - id: small
    description: Small orders need the budget holder
    actions: [create_purchase_order]
    when: { amount: { below: "10000" } }
    levels:
      - roles: [budget_holder]
  - id: rest
    description: Everything else needs the procurement manager
    actions: ['*']
    levels:
      - roles: [procurement_manager]
`;

/** The message of the AppError `fn` throws (failing the test when it throws something else). */
function problemsOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(isAppError(err, 'policy:invalid')).toBe(true);
    return (err as Error).message;
  }
  throw new Error('expected parsePolicy to throw');
}

describe('the shipped policies', () => {
  const policy = parsePolicy(shippedAuthority, shippedAutonomy, 'policies');

  it('parse, with a content-hash version', () => {
    expect(policy.version).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(policy.authority.currency).toBe('GBP');
    expect(policy.authority.fx).toEqual({ USD: '0.79', EUR: '0.86' });
    expect(policy.authority.escalation).toEqual({ remindAfterHours: 24, escalateAfterHours: 72, expireAfterHours: 336 });
    expect(policy.autonomy).toEqual({
      default: 'recommend',
      widen: { minCases: 30, agreementRate: '0.95', window: 100 },
      narrow: { onOverride: 'recommend', onReversal: 'recommend' },
    });
  });

  it.each([
    'po-supplier-not-active',
    'po-high-risk-100k-plus',
    'po-high-risk',
    'po-100k-plus',
    'po-it-hardware-50k-100k',
    'po-off-contract-10k-100k',
    'po-10k-100k',
    'po-under-10k',
    'invoice-supplier-not-active',
    'invoice-release-25k-plus',
    'invoice-release-under-25k',
    'invoice-reject',
    'supplier-hold',
    'supplier-release-hold',
    'contract-change-250k-plus',
    'contract-change',
    'contract-renewal-review',
    'sourcing-start',
    'autonomy-expand',
    'catch-all',
  ])('has rule %s', (id) => {
    expect(ruleById(policy, id)?.id).toBe(id);
  });

  it('ends with the catch-all and names every level', () => {
    const rules = policy.authority.rules;
    expect(rules[rules.length - 1]).toMatchObject({ id: 'catch-all', actions: ['*'] });
    for (const r of rules) {
      if (r.deny) continue;
      for (const [i, l] of r.levels.entries()) expect(l.name.startsWith(`Level ${i + 1}: `)).toBe(true);
    }
    expect(ruleById(policy, 'supplier-release-hold')).toMatchObject({
      levels: [{ name: 'Level 1: compliance and procurement manager', roles: ['compliance', 'procurement_manager'], quorum: 'all' }],
    });
    expect(ruleById(policy, 'po-under-10k')).toMatchObject({ maxAutonomy: 'autonomous', when: { amount: { below: '10000' } } });
    expect(ruleById(policy, 'nope')).toBeUndefined();
  });

  it('is frozen', () => {
    expect(Object.isFrozen(policy.authority.rules[0])).toBe(true);
  });

  it('loads from a folder', async () => {
    const loaded = await loadPolicy(POLICY_DIR);
    expect(loaded.version).toBe(policy.version);
    expect(loaded.source).toBe(POLICY_DIR);
  });
});

describe('the policy version', () => {
  const base = parsePolicy(AUTHORITY, AUTONOMY, 'a').version;

  it.each([
    ['comments and blank lines', AUTHORITY.replace('rules:', '# the rules\n\nrules:  # ordered')],
    ['block instead of flow style', AUTHORITY.replace('fx: { USD: "0.79" }', 'fx:\n  USD: "0.79"')],
    ['numbers instead of strings', AUTHORITY.replace('below: "10000"', 'below: 10000').replace('"0.79"', '0.79')],
    ['trailing zeros', AUTHORITY.replace('below: "10000"', 'below: "10000.00"').replace('"0.79"', '"0.790"')],
    ['key order', AUTHORITY.replace('    description: Small orders need the budget holder\n    actions: [create_purchase_order]', '    actions: [create_purchase_order]\n    description: Small orders need the budget holder')],
    ['explicit defaults', AUTHORITY.replace('      - roles: [budget_holder]', '      - roles: [budget_holder]\n        quorum: 1').replace('  - id: rest', '    maxAutonomy: recommend\n  - id: rest')],
    ['the default escalation written out', AUTHORITY.replace('rules:', 'escalation: { remindAfterHours: 24, escalateAfterHours: 72, expireAfterHours: 336 }\nrules:')],
  ])('is unchanged by %s', (_label, authority) => {
    expect(parsePolicy(authority, AUTONOMY, 'b').version).toBe(base);
  });

  it.each([
    ['a threshold', AUTHORITY.replace('below: "10000"', 'below: "10000.01"'), AUTONOMY],
    ['a role', AUTHORITY.replace('[budget_holder]', '[finance]'), AUTONOMY],
    ['a description', AUTHORITY.replace('Small orders need', 'Small orders require'), AUTONOMY],
    ['the rule order', AUTHORITY.replace("actions: ['*']", 'actions: [other]'), AUTONOMY],
    ['a rate', AUTHORITY.replace('"0.79"', '"0.8"'), AUTONOMY],
    ['the autonomy settings', AUTHORITY, AUTONOMY.replace('minCases: 30', 'minCases: 31')],
  ])('changes with %s', (_label, authority, autonomy) => {
    expect(parsePolicy(authority, autonomy, 'c').version).not.toBe(base);
  });
});

describe('invalid policies', () => {
  it.each([
    ['an unknown top-level key', AUTHORITY.replace('currency: GBP', 'currency: GBP\ncolour: red'), /authority\.yaml \(line 1\): unknown key "colour"/],
    ['a lower-case currency', AUTHORITY.replace('currency: GBP', 'currency: gbp'), /authority\.yaml currency \(line 1\): expected an ISO 4217/],
    ['a negative rate', AUTHORITY.replace('"0.79"', '"-0.79"'), /fx\.USD \(line 2\): .*zero or more/],
    ['a rate for the matrix currency', AUTHORITY.replace('USD: "0.79"', 'GBP: "1"'), /fx\.GBP .*needs no rate/],
    ['a non-numeric rate', AUTHORITY.replace('"0.79"', '"about 0.8"'), /fx\.USD .*expected a rate/],
    ['a rule without levels or deny', AUTHORITY.replace('    levels:\n      - roles: [budget_holder]\n', ''), /rules\[0\]\.levels .*give levels of approvers, or deny: true/],
    ['empty roles', AUTHORITY.replace('[budget_holder]', '[]'), /rules\[0\]\.levels\[0\]\.roles \(line 9\): expected at least one role/],
    ['empty levels', AUTHORITY.replace('    levels:\n      - roles: [budget_holder]\n', '    levels: []\n'), /rules\[0\]\.levels .*at least one level/],
    ['a role twice', AUTHORITY.replace('[budget_holder]', '[cfo, cfo]'), /rules\[0\]\.levels\[0\]\.roles\[1\] .*listed twice/],
    ['a badly spelt role', AUTHORITY.replace('[budget_holder]', '[Budget Holder]'), /rules\[0\]\.levels\[0\]\.roles\[0\] .*lower_snake_case/],
    ['a zero quorum', AUTHORITY.replace('      - roles: [budget_holder]', '      - roles: [budget_holder]\n        quorum: 0'), /rules\[0\]\.levels\[0\]\.quorum .*got 0/],
    ['a word quorum', AUTHORITY.replace('      - roles: [budget_holder]', '      - roles: [budget_holder]\n        quorum: two'), /rules\[0\]\.levels\[0\]\.quorum .*or all/],
    ['min not below below', AUTHORITY.replace('{ below: "10000" }', '{ min: "10000", below: "10000" }'), /rules\[0\]\.when\.amount\.below .*min \(10000\) must be less than below \(10000\)/],
    ['an empty amount band', AUTHORITY.replace('{ below: "10000" }', '{}'), /rules\[0\]\.when\.amount .*give min, below or both/],
    ['an amount in words', AUTHORITY.replace('"10000"', 'ten thousand'), /rules\[0\]\.when\.amount\.below .*expected an amount/],
    ['a negative threshold', AUTHORITY.replace('"10000"', '"-5"'), /rules\[0\]\.when\.amount\.below .*zero or more/],
    ['an unknown condition', AUTHORITY.replace('when: { amount', 'when: { colour: red, amount'), /rules\[0\]\.when \(line 7\): unknown key "colour"; allowed: amount, category/],
    ['a 3-digit UNSPSC prefix', AUTHORITY.replace('when: { amount', 'when: { category: ["432"], amount'), /rules\[0\]\.when\.category\[0\] .*not a UNSPSC prefix/],
    ['an unknown supplier risk', AUTHORITY.replace('when: { amount', 'when: { supplierRisk: [severe], amount'), /rules\[0\]\.when\.supplierRisk\[0\] .*one of low, medium, high/],
    ['an unknown supplier status', AUTHORITY.replace('when: { amount', 'when: { supplierStatus: [frozen], amount'), /rules\[0\]\.when\.supplierStatus\[0\] .*on_hold/],
    ['an unknown contract status', AUTHORITY.replace('when: { amount', 'when: { contractStatus: [lapsed], amount'), /rules\[0\]\.when\.contractStatus\[0\] .*expired/],
    ['an unknown rule key', AUTHORITY.replace('  - id: rest', '  - id: rest\n    priority: 1'), /rules\[1\] \(line 10\): unknown key "priority"/],
    ['a duplicate rule id', AUTHORITY.replace('id: rest', 'id: small'), /rules\[1\]\.id .*already used by rules\[0\]/],
    ['a bad rule id', AUTHORITY.replace('id: rest', 'id: "the rest"'), /rules\[1\]\.id .*rule id of letters/],
    ['an empty description', AUTHORITY.replace('Small orders need the budget holder', '""'), /rules\[0\]\.description .*not an empty text/],
    ['a bad action kind', AUTHORITY.replace('[create_purchase_order]', '[Create-PO]'), /rules\[0\]\.actions\[0\] .*lower_snake_case/],
    ["'*' mixed with kinds", AUTHORITY.replace("['*']", "['*', other]"), /rules\[1\]\.actions .*list it alone/],
    ['a deny rule with levels', AUTHORITY.replace('    levels:\n      - roles: [budget_holder]\n', '    deny: true\n    levels:\n      - roles: [budget_holder]\n'), /rules\[0\]\.levels .*a deny rule has no approvers/],
    ['deny: false', AUTHORITY.replace('    levels:\n      - roles: [budget_holder]\n', '    deny: false\n    levels:\n      - roles: [budget_holder]\n'), /rules\[0\]\.deny .*deny: true/],
    ['an unknown autonomy level', AUTHORITY.replace('  - id: rest', '    maxAutonomy: sometimes\n  - id: rest'), /rules\[0\]\.maxAutonomy .*recommend, act_with_notice, autonomous/],
    ['an unreachable rule', AUTHORITY.replace('  - id: small', "  - id: first\n    description: all\n    actions: ['*']\n    levels: [{ roles: [cfo] }]\n  - id: small"), /rules\[1\] \(line 8\): can never match: rules\[0\] \("first"\)/],
    ['no rules', 'currency: GBP\nrules: []\n', /authority\.yaml rules \(line 2\): expected at least one rule/],
    ['escalation out of order', AUTHORITY.replace('rules:', 'escalation: { remindAfterHours: 72, escalateAfterHours: 24, expireAfterHours: 336 }\nrules:'), /escalation\.escalateAfterHours .*later than remindAfterHours/],
    ['a list instead of a mapping', '- currency\n- rules\n', /authority\.yaml \(line 1\): expected a mapping with currency/],
    ['an empty file', '# nothing\n', /authority\.yaml: the file is empty/],
  ])('names the path for %s', (_label, authority, expected) => {
    expect(problemsOf(() => parsePolicy(authority, AUTONOMY, 'test'))).toMatch(expected);
  });

  it.each([
    ['an unknown default', AUTONOMY.replace('default: recommend', 'default: always'), /autonomy\.yaml default \(line 1\): expected an autonomy level/],
    ['a rate above 1', AUTONOMY.replace('0.95', '95'), /autonomy\.yaml widen\.agreementRate \(line 2\): expected a share above 0 and at most 1/],
    ['a zero rate', AUTONOMY.replace('0.95', '0'), /widen\.agreementRate .*above 0/],
    ['a window smaller than minCases', AUTONOMY.replace('window: 100', 'window: 10'), /widen\.window .*at least minCases \(30\)/],
    ['fractional cases', AUTONOMY.replace('minCases: 30', 'minCases: 2.5'), /widen\.minCases .*whole number/],
    ['a missing narrow level', AUTONOMY.replace('onReversal: recommend', ''), /narrow\.onReversal .*autonomy level/],
    ['an unknown key', `${AUTONOMY}shrink: {}\n`, /autonomy\.yaml \(line 1\): unknown key "shrink"/],
  ])('names the path in autonomy.yaml for %s', (_label, autonomy, expected) => {
    expect(problemsOf(() => parsePolicy(AUTHORITY, autonomy, 'test'))).toMatch(expected);
  });

  it('lists every problem in both files at once', () => {
    const message = problemsOf(() =>
      parsePolicy(AUTHORITY.replace('[budget_holder]', '[]').replace('id: rest', 'id: small'), AUTONOMY.replace('default: recommend', 'default: x'), 'here'),
    );
    expect(message).toMatch(/The policy in here is invalid \(3 problems\)/);
    expect(message).toMatch(/rules\[0\]\.levels\[0\]\.roles/);
    expect(message).toMatch(/autonomy\.yaml default/);
  });

  it.each([
    ['an unclosed flow sequence', 'currency: GBP\nrules: [\n  - id: x\n', /authority\.yaml line 3, column \d+: /],
    ['a duplicate key', 'currency: GBP\ncurrency: EUR\nrules: []\n', /authority\.yaml line 2, column 1: Map keys must be unique/],
    ['a bad indent', 'currency: GBP\nrules:\n  - id: x\n   description: y\n', /authority\.yaml line 4, column \d+: /],
  ])('names the line of a YAML syntax error (%s)', (_label, authority, expected) => {
    expect(problemsOf(() => parsePolicy(authority, AUTONOMY, 'test'))).toMatch(expected);
  });
});

describe('loadPolicy', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it.each([
    ['authority.yaml', { 'autonomy.yaml': AUTONOMY }, /No authority\.yaml in /],
    ['autonomy.yaml', { 'authority.yaml': AUTHORITY }, /No autonomy\.yaml in /],
    ['both files', {}, /No authority\.yaml or autonomy\.yaml in /],
  ])('says which file is missing (%s)', async (_label, files: Record<string, string>, expected) => {
    const dir = await mkdtemp(join(tmpdir(), 'qm-policy-'));
    dirs.push(dir);
    for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
    const err = await loadPolicy(dir).catch((e: unknown) => e);
    expect(isAppError(err, 'policy:missing')).toBe(true);
    expect((err as Error).message).toMatch(expected);
  });

  it('reports invalid content as policy:invalid', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qm-policy-'));
    dirs.push(dir);
    await writeFile(join(dir, 'authority.yaml'), 'currency: GBP\nrules: []\n');
    await writeFile(join(dir, 'autonomy.yaml'), AUTONOMY);
    const err = await loadPolicy(dir).catch((e: unknown) => e);
    expect(isAppError(err, 'policy:invalid')).toBe(true);
  });

  it('returns the same policy as parsePolicy', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qm-policy-'));
    dirs.push(dir);
    await writeFile(join(dir, 'authority.yaml'), AUTHORITY);
    await writeFile(join(dir, 'autonomy.yaml'), AUTONOMY);
    const loaded: Policy = await loadPolicy(dir);
    expect(loaded).toEqual(parsePolicy(AUTHORITY, AUTONOMY, dir));
  });
});
