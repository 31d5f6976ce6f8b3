// The quick check of spend rows must agree with the zod schema on every row: same verdict, same values, same reason.
import { describe, expect, it } from 'vitest';
import { validate } from '../../src/imports/fields.js';
import { spendRowSchema, spendRowValidator } from '../../src/imports/kinds/spend-row.js';
import type { FieldValues } from '../../src/imports/records.js';

// Cells a real export may hold, valid and not; undefined is an empty cell.
const POOLS: Record<string, (string | undefined)[]> = {
  date: ['2024-03-05', '05/03/2024', '03/25/2024', '31/02/2024', '5 March 2024', 'Mar 5, 2024', '45123', 'soon',
    '1899-12-31', '2024-03-05T10:00:00', ' 2024-03-05', '24-3-5', undefined],
  supplier: ['Acme Ltd', 'Ａｃｍｅ', '  padded  ', '\u00a0nbsp', 'x'.repeat(500), 'x'.repeat(501), 'A "quoted" name', undefined],
  amount: ['1000.50', '£1,000.50', '(12.30)', '1.234,56 EUR', '1000 CR', '-0.00', '0.12345', '12.3456', 'abc', '1e5',
    '$5', '¥100', '€-3', '1 000', undefined],
  currency: ['GBP', 'gbp', '£', 'EUR', 'XYZ', 'pounds', ' usd ', undefined],
  category: ['IT', 'c'.repeat(1000), 'c'.repeat(1001), ' spaced ', undefined],
  department: ['Finance', undefined, 'd'.repeat(1001)],
  cost_centre: ['CC1', undefined],
  description: ['Line 1, item 2', 'd'.repeat(4000), 'd'.repeat(4001), undefined],
  invoice_number: ['INV-1', 'i'.repeat(201), undefined],
  po_number: ['PO-9', undefined, ' PO-10'],
  external_id: ['T-1', undefined, 'e'.repeat(200)],
};

function rows(n: number, seed: number): FieldValues[] {
  let s = seed;
  const rand = () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
  const out: FieldValues[] = [];
  for (let i = 0; i < n; i++) {
    const v: FieldValues = {};
    for (const [field, pool] of Object.entries(POOLS)) {
      // Mostly the first (plain, valid) value, so valid rows are common as in real files.
      v[field] = rand() < 0.6 ? pool[0] : pool[Math.floor(rand() * pool.length)];
    }
    out.push(v);
  }
  return out;
}

describe('spend row validation', () => {
  for (const order of ['dmy', 'mdy'] as const) {
    it(`gives exactly zod's verdict, values and reasons (${order})`, () => {
      const quick = spendRowValidator(order);
      const schema = spendRowSchema(order);
      let valid = 0;
      for (const v of rows(4000, order === 'dmy' ? 7 : 11)) {
        const expected = validate(schema, v);
        expect(quick(v), JSON.stringify(v).slice(0, 300)).toEqual(expected);
        if (expected.ok) valid++;
      }
      // Both branches were exercised.
      expect(valid).toBeGreaterThan(200);
      expect(valid).toBeLessThan(3800);
    });
  }

  it('keeps exact decimals and the currency an amount names', () => {
    const r = spendRowValidator('dmy')({ date: '05/03/2024', supplier: 'Acme', amount: '£1,000.50' });
    expect(r).toEqual({ ok: true, value: expect.objectContaining({ date: '2024-03-05', amount: { amount: '1000.50', currency: 'GBP' } }) });
  });
});
