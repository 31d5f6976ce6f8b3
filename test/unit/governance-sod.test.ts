import { describe, expect, it } from 'vitest';
import { type ApproverCheckInput, checkApprover, type Delegation, levelComplete, type RecordedDecision } from '../../src/governance/sod.js';
import type { RouteLevel } from '../../src/governance/types.js';

const BUDGET: RouteLevel = { name: 'Level 1: budget holder', roles: ['budget_holder'], quorum: 1 };
const PM: RouteLevel = { name: 'Level 2: procurement manager', roles: ['procurement_manager'], quorum: 1 };
const BOTH: RouteLevel = { name: 'Level 1: compliance and procurement manager', roles: ['compliance', 'procurement_manager'], quorum: 'all' };
const TWO_FINANCE: RouteLevel = { name: 'Level 1: 2 people with the finance role', roles: ['finance'], quorum: 2 };

const TODAY = '2025-06-15';

const person = (id: string, roles: string[], extra: Partial<ApproverCheckInput['user']> = {}) => ({ id, roles, active: true, ...extra });
const delegation = (from: string, fromRoles: string[], to: string, startsOn: string, endsOn: string, fromActive = true): Delegation => ({
  fromUserId: from,
  fromRoles,
  fromActive,
  toUserId: to,
  startsOn,
  endsOn,
});
const decided = (level: number, userId: string, role: string | null, decision = 'approve', onBehalfOfUserId: string | null = null): RecordedDecision => ({
  level,
  userId,
  role,
  decision,
  onBehalfOfUserId,
});

function check(overrides: Partial<ApproverCheckInput>) {
  return checkApprover({
    requesterUserId: 'alice',
    route: [BUDGET, PM],
    currentLevel: 0,
    decisions: [],
    user: person('daniel', ['approver', 'budget_holder']),
    delegations: [],
    today: TODAY,
    ...overrides,
  });
}

describe('who may approve', () => {
  it.each([
    ['the budget holder at level 1', {}, { ok: true, role: 'budget_holder' }],
    ['the procurement manager at level 2', { currentLevel: 1, decisions: [decided(0, 'daniel', 'budget_holder')], user: person('ivy', ['procurement_manager', 'buyer']) }, { ok: true, role: 'procurement_manager' }],
    ['anyone when there is no requester', { requesterUserId: null }, { ok: true, role: 'budget_holder' }],
  ] as [string, Partial<ApproverCheckInput>, object][])('%s', (_label, overrides, expected) => {
    expect(check(overrides)).toEqual(expected);
  });

  it.each([
    ['an agent', { user: person('spend', ['budget_holder'], { isAgent: true }) }, /An agent cannot approve/],
    ['an inactive user', { user: person('daniel', ['budget_holder'], { active: false }) }, /inactive/],
    ['the requester, even with the role', { requesterUserId: 'daniel' }, /You requested this/],
    ['someone without the role', { user: person('jonas', ['requester']) }, /Level 1: budget holder needs budget holder, and you hold none of that role\.$/],
    ['a role of another level', { user: person('ivy', ['procurement_manager']) }, /needs budget holder/],
    ['a level that does not exist', { currentLevel: 2 }, /no level waiting/],
    ['the same person on two levels', { currentLevel: 1, decisions: [decided(0, 'ivy', 'budget_holder')], user: person('ivy', ['budget_holder', 'procurement_manager']) }, /You have already decided on level 1 .*cannot fill two slots or levels/],
    ['a principal whose delegate already decided', { currentLevel: 1, decisions: [decided(0, 'mia', 'budget_holder', 'approve', 'ivy')], user: person('ivy', ['procurement_manager']) }, /Your delegate has already decided on level 1/],
    ['someone who rejected earlier', { decisions: [decided(0, 'daniel', 'budget_holder', 'request_changes')] }, /already decided/],
    ['a complete level', { route: [{ ...BUDGET, quorum: 1 }], decisions: [decided(0, 'mia', 'budget_holder')] }, /Level 1: budget holder already has the approvals it needs/],
  ] as [string, Partial<ApproverCheckInput>, RegExp][])('refuses %s', (_label, overrides, reason) => {
    const r = check(overrides);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe('delegation', () => {
  const erin = person('erin', ['finance']);
  const fromDaniel = (startsOn: string, endsOn: string, fromActive = true) =>
    delegation('daniel', ['approver', 'budget_holder'], 'erin', startsOn, endsOn, fromActive);

  it.each([
    ['in range', '2025-06-01', '2025-06-30', true],
    ['starting today', TODAY, '2025-06-30', true],
    ['ending today', '2025-06-01', TODAY, true],
    ['for today only', TODAY, TODAY, true],
    ['ending yesterday', '2025-06-01', '2025-06-14', false],
    ['starting tomorrow', '2025-06-16', '2025-06-30', false],
    ['last year', '2024-06-01', '2024-06-30', false],
    ['with malformed dates', '15/06/2025', '30/06/2025', false],
  ])('a delegation %s', (_label, startsOn, endsOn, ok) => {
    const r = check({ user: erin, delegations: [fromDaniel(startsOn, endsOn)] });
    if (ok) expect(r).toEqual({ ok: true, role: 'budget_holder', onBehalfOfUserId: 'daniel' });
    else {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(/the delegation from daniel runs from .* not today \(2025-06-15\)/);
    }
  });

  it.each([
    ['from the requester', { requesterUserId: 'daniel' }, /daniel requested this/],
    ['from an inactive principal', { delegations: [fromDaniel('2025-06-01', '2025-06-30', false)] }, /daniel is no longer active/],
    ['from someone who already decided', { currentLevel: 1, route: [PM, BUDGET], decisions: [decided(0, 'daniel', 'procurement_manager')] }, /daniel has already decided on this approval/],
    ['from someone without a needed role', { delegations: [delegation('grace', ['legal'], 'erin', '2025-06-01', '2025-06-30')] }, /needs budget holder, and you hold none of that role\.$/],
    ['addressed to someone else', { delegations: [delegation('daniel', ['budget_holder'], 'frank', '2025-06-01', '2025-06-30')] }, /you hold none/],
  ] as [string, Partial<ApproverCheckInput>, RegExp][])('cannot be used %s', (_label, overrides, reason) => {
    const r = check({ user: erin, delegations: [fromDaniel('2025-06-01', '2025-06-30')], ...overrides });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('cannot make the requester an approver as anyone’s delegate', () => {
    const r = check({ requesterUserId: 'erin', user: erin, delegations: [fromDaniel('2025-06-01', '2025-06-30')] });
    expect(r).toEqual({ ok: false, reason: 'You requested this, so someone else must approve it.' });
  });

  it('prefers the user’s own role to a delegation', () => {
    const r = check({ user: person('mia', ['budget_holder']), delegations: [delegation('daniel', ['budget_holder'], 'mia', '2025-06-01', '2025-06-30')] });
    expect(r).toEqual({ ok: true, role: 'budget_holder' });
  });

  it('uses the first usable delegation', () => {
    const r = check({
      user: erin,
      delegations: [
        delegation('frank', ['budget_holder'], 'erin', '2025-01-01', '2025-01-31'),
        delegation('mia', ['budget_holder'], 'erin', '2025-06-01', '2025-06-30'),
      ],
    });
    expect(r).toEqual({ ok: true, role: 'budget_holder', onBehalfOfUserId: 'mia' });
  });

  it('uses up the delegate as well as the principal', () => {
    const decisions = [decided(0, 'erin', 'budget_holder', 'approve', 'daniel')];
    expect(check({ currentLevel: 1, decisions, user: person('erin', ['procurement_manager']) })).toMatchObject({ ok: false });
    expect(check({ currentLevel: 1, decisions, user: person('daniel', ['procurement_manager']) })).toMatchObject({ ok: false });
  });
});

describe("quorum 'all' (parallel sign-off)", () => {
  const hassan = person('hassan', ['compliance']);
  const ivy = person('ivy', ['procurement_manager']);
  const both = person('sam', ['compliance', 'procurement_manager']);

  it.each([
    ['compliance first', [], hassan, { ok: true, role: 'compliance' }],
    ['procurement manager after compliance', [decided(0, 'hassan', 'compliance')], ivy, { ok: true, role: 'procurement_manager' }],
    ['a person with both roles takes the first uncovered', [decided(0, 'hassan', 'compliance')], both, { ok: true, role: 'procurement_manager' }],
    ['a second compliance officer once compliance is covered', [decided(0, 'hassan', 'compliance')], person('zoe', ['compliance']), { ok: false }],
    ['the first approver again for the other role', [decided(0, 'sam', 'compliance')], both, { ok: false }],
  ] as [string, RecordedDecision[], ApproverCheckInput['user'], object][])('%s', (_label, decisions, user, expected) => {
    expect(check({ route: [BOTH], decisions, user })).toMatchObject(expected);
  });

  it('names the role still needed', () => {
    const r = check({ route: [BOTH], decisions: [decided(0, 'hassan', 'compliance')], user: person('zoe', ['compliance']) });
    expect(r).toEqual({ ok: false, reason: 'Level 1: compliance and procurement manager needs procurement manager, and you hold none of that role.' });
  });

  it.each([
    ['nobody yet', [], false],
    ['compliance only', [decided(0, 'hassan', 'compliance')], false],
    ['both roles', [decided(0, 'hassan', 'compliance'), decided(0, 'ivy', 'procurement_manager')], true],
    ['both roles, one by delegation', [decided(0, 'hassan', 'compliance'), decided(0, 'erin', 'procurement_manager', 'approve', 'ivy')], true],
    ['the same role twice', [decided(0, 'hassan', 'compliance'), decided(0, 'zoe', 'compliance')], false],
    ['a rejection does not count', [decided(0, 'hassan', 'compliance'), decided(0, 'ivy', 'procurement_manager', 'reject')], false],
    ['decisions without a role do not count', [decided(0, 'hassan', null), decided(0, 'ivy', null)], false],
  ] as [string, RecordedDecision[], boolean][])('levelComplete: %s → %s', (_label, decisions, complete) => {
    expect(levelComplete(BOTH, decisions)).toBe(complete);
  });
});

describe('quorum 2', () => {
  const erin = person('erin', ['finance']);
  const omar = person('omar', ['finance']);

  it.each([
    ['the first finance approver', [], erin, { ok: true, role: 'finance' }],
    ['a second, different finance approver', [decided(0, 'erin', 'finance')], omar, { ok: true, role: 'finance' }],
    ['the same finance approver twice', [decided(0, 'erin', 'finance')], erin, { ok: false }],
    ['a third once two approved', [decided(0, 'erin', 'finance'), decided(0, 'omar', 'finance')], person('pat', ['finance']), { ok: false }],
    ['after a rejection, another approver still counts towards the two', [decided(0, 'erin', 'finance', 'reject')], omar, { ok: true, role: 'finance' }],
  ] as [string, RecordedDecision[], ApproverCheckInput['user'], object][])('%s', (_label, decisions, user, expected) => {
    expect(check({ route: [TWO_FINANCE], decisions, user })).toMatchObject(expected);
  });

  it.each([
    ['one approval', [decided(0, 'erin', 'finance')], false],
    ['two approvals', [decided(0, 'erin', 'finance'), decided(0, 'omar', 'finance')], true],
    ['one approval and one rejection', [decided(0, 'erin', 'finance'), decided(0, 'omar', 'finance', 'reject')], false],
    ['two approvals, one in another level’s role', [decided(0, 'erin', 'finance'), decided(0, 'omar', 'cfo')], false],
  ] as [string, RecordedDecision[], boolean][])('levelComplete: %s → %s', (_label, decisions, complete) => {
    expect(levelComplete(TWO_FINANCE, decisions)).toBe(complete);
  });

  it('levelComplete: quorum 1 needs one approval', () => {
    expect(levelComplete(BUDGET, [])).toBe(false);
    expect(levelComplete(BUDGET, [decided(0, 'daniel', 'budget_holder')])).toBe(true);
  });
});
