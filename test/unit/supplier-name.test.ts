import { describe, expect, it } from 'vitest';
import { normalizeSupplierName } from '../../src/domain/supplier-name.js';

describe('supplier name normalisation', () => {
  it('makes case, punctuation and legal-suffix variants of one company meet', () => {
    const key = normalizeSupplierName('ACME LTD');
    for (const v of ['Acme Limited', 'acme ltd.', '  Acme   Ltd  ', 'ACME, LTD.', 'Acme Co. Ltd', 'The Acme Ltd']) {
      expect(normalizeSupplierName(v)).toBe(key);
    }
  });

  it('keeps different companies apart', () => {
    expect(normalizeSupplierName('Acme Holdings Ltd')).not.toBe(normalizeSupplierName('Acme Ltd'));
    expect(normalizeSupplierName('Acme Services GmbH')).not.toBe(normalizeSupplierName('Acme GmbH'));
  });

  it('handles accents, ampersands, and international legal forms', () => {
    expect(normalizeSupplierName('Société Générale S.A.')).toBe('societe generale');
    expect(normalizeSupplierName('Müller GmbH & Co. KG')).toBe('muller');
    expect(normalizeSupplierName('Smith & Sons Inc')).toBe(normalizeSupplierName('Smith and Sons, Incorporated'));
    expect(normalizeSupplierName('Widgets L.L.C.')).toBe('widgets');
  });

  it('never strips a name down to nothing', () => {
    expect(normalizeSupplierName('Limited')).toBe('limited');
    expect(normalizeSupplierName('Co')).toBe('co');
  });
});
