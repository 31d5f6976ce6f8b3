import { describe, expect, it } from 'vitest';
import { capLevel, envelopeKeyString, narrowing, nextLevel, widening } from '../../src/governance/autonomy.js';
import type { AutonomyLevel, AutonomySettings } from '../../src/governance/types.js';

const SETTINGS: AutonomySettings = {
  default: 'recommend',
  widen: { minCases: 30, agreementRate: '0.95', window: 100 },
  narrow: { onOverride: 'recommend', onReversal: 'recommend' },
};

describe('levels', () => {
  it.each([
    ['recommend', 'act_with_notice'],
    ['act_with_notice', 'autonomous'],
    ['autonomous', undefined],
  ] as [AutonomyLevel, AutonomyLevel | undefined][])('nextLevel(%s) = %s', (level, next) => {
    expect(nextLevel(level)).toBe(next);
  });

  it.each([
    ['autonomous', 'recommend', 'recommend'],
    ['autonomous', 'act_with_notice', 'act_with_notice'],
    ['act_with_notice', 'autonomous', 'act_with_notice'],
    ['recommend', 'autonomous', 'recommend'],
    ['act_with_notice', 'act_with_notice', 'act_with_notice'],
  ] as AutonomyLevel[][])('capLevel(%s, %s) = %s', (level, cap, expected) => {
    expect(capLevel(level, cap)).toBe(expected);
  });
});

describe('widening', () => {
  it.each([
    ['29 of 30 (96.7%)', 30, 29, 'recommend', 'autonomous', 'act_with_notice'],
    ['30 of 30', 30, 30, 'recommend', 'autonomous', 'act_with_notice'],
    ['exactly 95% (57 of 60)', 60, 57, 'recommend', 'autonomous', 'act_with_notice'],
    ['exactly 95% (95 of 100)', 100, 95, 'act_with_notice', 'autonomous', 'autonomous'],
    ['94.9% (949 of 1000)', 1000, 949, 'recommend', 'autonomous', undefined],
    ['28 of 30 (93.3%)', 30, 28, 'recommend', 'autonomous', undefined],
    ['only 29 cases, all agreed', 29, 29, 'recommend', 'autonomous', undefined],
    ['no cases', 0, 0, 'recommend', 'autonomous', undefined],
    ['already at the cap', 30, 30, 'act_with_notice', 'act_with_notice', undefined],
    ['the cap is recommend', 100, 100, 'recommend', 'recommend', undefined],
    ['already autonomous', 100, 100, 'autonomous', 'autonomous', undefined],
    ['one step at a time, even with a perfect record', 100, 100, 'recommend', 'autonomous', 'act_with_notice'],
  ] as [string, number, number, AutonomyLevel, AutonomyLevel, AutonomyLevel | undefined][])(
    '%s',
    (_label, cases, agreed, current, cap, to) => {
      expect(widening({ cases, agreed }, current, cap, SETTINGS)?.to).toBe(to);
    },
  );

  it('cites the evidence and the policy', () => {
    expect(widening({ cases: 30, agreed: 29 }, 'recommend', 'autonomous', SETTINGS)?.reason).toBe(
      '29 of 30 recommendations (96.7%) matched the human decision; the policy requires 95% over at least 30 cases. Autonomy widens from recommend to act with notice.',
    );
    expect(widening({ cases: 60, agreed: 57 }, 'act_with_notice', 'autonomous', SETTINGS)?.reason).toMatch(
      /^57 of 60 recommendations \(95%\) matched .* from act with notice to autonomous\.$/,
    );
  });

  it.each([
    ['0.955', 200, 191, true],
    ['0.955', 200, 190, false],
    ['1', 30, 30, true],
    ['1', 30, 29, false],
    ['0.5', 30, 15, true],
  ])('compares the rate %s exactly (%i cases, %i agreed → %s)', (agreementRate, cases, agreed, widens) => {
    const settings = { ...SETTINGS, widen: { ...SETTINGS.widen, agreementRate } };
    expect(widening({ cases, agreed }, 'recommend', 'autonomous', settings) !== undefined).toBe(widens);
  });

  it('states a fractional rate as a percentage', () => {
    const settings = { ...SETTINGS, widen: { ...SETTINGS.widen, agreementRate: '0.955' } };
    expect(widening({ cases: 200, agreed: 191 }, 'recommend', 'autonomous', settings)?.reason).toMatch(
      /\(95\.5%\) matched the human decision; the policy requires 95\.5% over at least 30 cases/,
    );
  });

  it.each([
    [30, 31],
    [-1, 0],
    [30.5, 29],
  ])('rejects impossible counts (%s cases, %s agreed)', (cases, agreed) => {
    expect(() => widening({ cases, agreed }, 'recommend', 'autonomous', SETTINGS)).toThrow(RangeError);
  });
});

describe('narrowing', () => {
  const toActWithNotice: AutonomySettings = { ...SETTINGS, narrow: { onOverride: 'act_with_notice', onReversal: 'recommend' } };

  it.each([
    ['an override of an autonomous agent', 'autonomous', 'override', SETTINGS, 'recommend'],
    ['a reversal of an act-with-notice agent', 'act_with_notice', 'reversal', SETTINGS, 'recommend'],
    ['an override when already recommending', 'recommend', 'override', SETTINGS, undefined],
    ['an override to act with notice from autonomous', 'autonomous', 'override', toActWithNotice, 'act_with_notice'],
    ['an override to act with notice when already there', 'act_with_notice', 'override', toActWithNotice, undefined],
    ['an override to act with notice when below it', 'recommend', 'override', toActWithNotice, undefined],
    ['a reversal with a different target than overrides', 'act_with_notice', 'reversal', toActWithNotice, 'recommend'],
  ] as [string, AutonomyLevel, 'override' | 'reversal', AutonomySettings, AutonomyLevel | undefined][])(
    '%s',
    (_label, current, cause, settings, to) => {
      expect(narrowing(current, cause, settings)?.to).toBe(to);
    },
  );

  it.each([
    ['override', /^A person decided against what the agent recommended or did; the policy drops its autonomy from autonomous to recommend\.$/],
    ['reversal', /^A person reversed an action the agent took on its own; the policy drops its autonomy from autonomous to recommend\.$/],
  ] as ['override' | 'reversal', RegExp][])('explains a narrowing after a %s', (cause, reason) => {
    expect(narrowing('autonomous', cause, SETTINGS)?.reason).toMatch(reason);
  });
});

describe('envelopeKeyString', () => {
  it.each([
    [{ agent: 'spend', actionKind: 'create_purchase_order', category: '*', band: '<10000 GBP' }, 'spend / create_purchase_order / * / <10000 GBP'],
    [{ agent: 'spend', actionKind: 'create_purchase_order', category: '43', band: '50000–100000 GBP' }, 'spend / create_purchase_order / 43 / 50000–100000 GBP'],
    [{ agent: 'supplier', actionKind: 'put_supplier_on_hold', category: '*', band: 'any' }, 'supplier / put_supplier_on_hold / * / any'],
  ])('%j → %s', (key, expected) => {
    expect(envelopeKeyString(key)).toBe(expected);
  });
});
