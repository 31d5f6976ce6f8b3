// Risk signal intake and scoring without a database: validation with readable errors, the content key that makes
// a resent report one signal, the exposure-weighted score, the settings of monitors.yaml, and which screening
// results the supplier-risk monitor acts on.
import { describe, expect, it } from 'vitest';
import { contentKey, parseSignal } from '../../src/imports/signals.js';
import { scoreSignal } from '../../src/monitors/signals.js';
import type { Exposure } from '../../src/monitors/supplier-risk-exposure.js';
import { classifyScreening, distinctiveAlias } from '../../src/monitors/supplier-risk-screening.js';
import { DEFAULT_SUPPLIER_RISK_SETTINGS, parseSupplierRiskSettings } from '../../src/monitors/supplier-risk-settings.js';
import type { ScreeningMatch } from '../../src/screening/screen.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const settings = DEFAULT_SUPPLIER_RISK_SETTINGS.signals;

function exposure(value: string, complete = true, unconverted: string[] = []): Exposure {
  return {
    perCurrency: [],
    total: { value, currency: 'GBP', complete },
    unconverted,
    counts: { activeContracts: 0, openPurchaseOrders: 0, unpaidInvoices: 0, payments: 0 },
  };
}
const ordinary = { critical: false, reasons: [] };

describe('signal validation', () => {
  it('accepts a minimal signal and normalises kind, severity and dates', () => {
    const r = parseSignal({ supplier: ' Acme Ltd ', kind: 'Financial', severity: '4', title: 'Profit warning', observedAt: '05/11/2026' }, NOW);
    expect(r).toEqual({
      ok: true,
      value: { supplier: 'Acme Ltd', kind: 'financial', severity: 4, title: 'Profit warning', observedAt: '2026-11-05T00:00:00.000Z' },
    });
    const iso = parseSignal({ supplier: 'Acme', kind: 'other', severity: 1, title: 't', observedAt: '2026-11-20T08:30:00+01:00' }, NOW);
    expect(iso.ok && iso.value.observedAt).toBe('2026-11-20T07:30:00.000Z');
    const mdy = parseSignal({ supplier: 'Acme', kind: 'other', severity: 1, title: 't', observedAt: '11/05/2026' }, NOW, 'mdy');
    expect(mdy.ok && mdy.value.observedAt).toBe('2026-11-05T00:00:00.000Z');
  });

  it('names every problem of an item in plain words', () => {
    const r = parseSignal({ kind: 'weather', severity: 7.5, title: '', detail: 3 }, NOW);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual(
      expect.arrayContaining([
        'supplier is required',
        'kind must be one of financial, geopolitical, regulatory, operational, sanctions, other',
        'severity must be a whole number from 1 to 5',
        'title is required',
        'detail must be text',
      ]),
    );
    expect(parseSignal('text', NOW)).toEqual({ ok: false, errors: ['each signal must be a JSON object'] });
    expect(parseSignal({ supplier: 'A', kind: 'other', severity: 0, title: 't' }, NOW)).toMatchObject({ ok: false });
    expect(parseSignal({ supplier: 'A', kind: 'other', severity: 3, title: 't', observedAt: '31/02/2026' }, NOW)).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^observedAt: /)],
    });
    expect(parseSignal({ supplier: 'A', kind: 'other', severity: 3, title: 't', observedAt: '2026-12-25' }, NOW)).toMatchObject({
      ok: false,
      errors: ['observedAt 2026-12-25T00:00:00.000Z is in the future'],
    });
  });

  it('keys a signal without an external id by its content, whatever the spelling of the legal form', () => {
    const a = { supplier: 'Acme Ltd', kind: 'financial' as const, severity: 3, title: 'Late accounts' };
    expect(contentKey(a)).toBe(contentKey({ ...a, supplier: 'ACME LIMITED' }));
    expect(contentKey(a)).not.toBe(contentKey({ ...a, severity: 4 }));
    expect(contentKey(a)).not.toBe(contentKey({ ...a, supplier: 'Acme Holdings Ltd' }));
    expect(contentKey(a)).toMatch(/^qm:[0-9a-f]{32}$/);
  });
});

describe('exposure-weighted score', () => {
  it('weighs severity by the exposure band reached and by criticality', () => {
    expect(scoreSignal(5, exposure('0.00'), ordinary, settings)).toMatchObject({ score: 2.5, alert: false, exposureWeight: 0.5 });
    expect(scoreSignal(5, exposure('10000.00'), ordinary, settings)).toMatchObject({ score: 5, alert: true, exposureWeight: 1 });
    expect(scoreSignal(4, exposure('99999.99'), ordinary, settings)).toMatchObject({ score: 4, alert: false });
    expect(scoreSignal(4, exposure('100000.00'), ordinary, settings)).toMatchObject({ score: 6, alert: true });
    const critical = { critical: true, reasons: ['active contract "FM" has service levels'] };
    const s = scoreSignal(4, exposure('20000.00'), critical, settings);
    expect(s).toMatchObject({ score: 5, alert: true, criticalWeight: 1.25 });
    expect(s.explanation).toBe(
      'severity 4 × exposure weight 1 (20,000.00 GBP at stake) × criticality 1.25 (active contract "FM" has service levels) = 5, at or above the threshold 5',
    );
    expect(scoreSignal(3, exposure('5000000.00'), ordinary, settings)).toMatchObject({ score: 6, alert: true });
    expect(scoreSignal(1, exposure('5000000.00'), critical, settings)).toMatchObject({ score: 2.5, alert: false });
  });

  it('takes the highest band when part of the exposure is in a currency without a rate', () => {
    const s = scoreSignal(3, exposure('100.00', false, ['AED']), ordinary, settings);
    expect(s).toMatchObject({ exposureWeight: 2, score: 6, alert: true });
    expect(s.explanation).toContain('at least 100.00 GBP at stake, plus exposure in AED with no exchange rate (highest band taken)');
  });

  it('follows the threshold and bands of monitors.yaml', () => {
    const strict = parseSupplierRiskSettings({ signals: { threshold: 8, exposureBands: [{ from: 0, weight: 1 }, { from: '50000', weight: 2 }] } });
    expect(scoreSignal(4, exposure('60000.00'), ordinary, strict.signals)).toMatchObject({ score: 8, alert: true });
    expect(scoreSignal(4, exposure('40000.00'), ordinary, strict.signals)).toMatchObject({ score: 4, alert: false });
  });
});

describe('supplierRisk settings', () => {
  it('defaults when the section is absent and refuses a wrong one naming each problem', () => {
    expect(parseSupplierRiskSettings(undefined)).toEqual(DEFAULT_SUPPLIER_RISK_SETTINGS);
    expect(DEFAULT_SUPPLIER_RISK_SETTINGS.sanctions).toEqual({ strongScore: 0.92, weakAliases: 'review' });
    expect(() =>
      parseSupplierRiskSettings({
        sanctions: { strongScore: 2, weakAliases: 'maybe' },
        signals: { exposureBands: [{ from: '10', weight: 1 }], windowDays: 0, colour: 'red' },
      }),
    ).toThrow(/supplierRisk\.sanctions\.strongScore[\s\S]*supplierRisk\.sanctions\.weakAliases[\s\S]*first band must start at 0/);
    expect(() => parseSupplierRiskSettings({ signals: { exposureBands: [{ from: 0, weight: 1 }, { from: 0, weight: 2 }] } })).toThrow(
      /increasing order/,
    );
  });
});

describe('which screening results raise findings', () => {
  const match = (score: number, name: string, kind: string, strength: 'strong' | 'weak', entryType = 'entity'): ScreeningMatch => ({
    score,
    band: score >= 0.92 ? 'strong' : 'possible',
    list: { source: 'OFAC SDN', version: '2024-04-26' },
    entryId: '1',
    entryName: 'X',
    entryType,
    programs: [],
    matchedName: { name, kind, strength },
    remarks: null,
    why: [],
  });
  const policy = { strongScore: 0.92, weakAliases: 'review' as const };

  it('is strong from the strong score on a primary name or strong alias', () => {
    expect(classifyScreening(match(0.92, 'AEROCARIBBEAN AIRLINES', 'primary', 'strong'), policy)).toBe('strong');
    expect(classifyScreening(match(0.95, 'GOLDEN STAR', 'aka', 'strong'), policy)).toBe('strong');
    expect(classifyScreening(match(0.91, 'AEROCARIBBEAN AIRLINES', 'primary', 'strong'), policy)).toBeUndefined();
  });

  it('reviews near-exact matches on distinctive weak aliases only', () => {
    expect(classifyScreening(match(0.9, 'PMC VEGA', 'aka', 'weak'), policy)).toBe('review');
    expect(classifyScreening(match(0.9, 'WSIEC', 'aka', 'weak'), policy)).toBe('review');
    expect(classifyScreening(match(0.9, 'RAD', 'aka', 'weak'), policy)).toBeUndefined(); // three-letter acronym
    expect(classifyScreening(match(0.9, 'ADEL', 'aka', 'weak', 'individual'), policy)).toBeUndefined(); // a nickname
    expect(classifyScreening(match(0.9, 'ABU HAMZAH', 'aka', 'weak', 'individual'), policy)).toBe('review');
    expect(classifyScreening(match(0.8, 'PMC VEGA', 'aka', 'weak'), policy)).toBeUndefined(); // extra words: not near-exact
    expect(classifyScreening(match(0.9, 'PMC VEGA', 'aka', 'weak'), { ...policy, weakAliases: 'ignore' })).toBeUndefined();
    expect(distinctiveAlias('AL-HEBO', 'entity')).toBe(true);
    expect(distinctiveAlias('TMH', 'entity')).toBe(false);
  });
});
