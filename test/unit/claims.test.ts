import { describe, expect, it } from 'vitest';
import { filterClaims } from '../../src/orchestrator/claims.js';

const none = { records: [] };

describe('the claim filter', () => {
  it('removes an outcome the assistant claims for itself, and keeps the rest of the text', () => {
    const r = filterClaims('Aerocaribbean Airlines is a charter carrier. I have raised the order and it is approved.', none);
    expect(r.text).toBe('Aerocaribbean Airlines is a charter carrier.');
    expect(r.removed).toEqual(['I have raised the order and it is approved.']);
  });

  it('removes every unrecorded outcome: approved, paid, ordered, put on hold', () => {
    for (const s of ['The PO is approved.', 'Invoice APX-7781 has been paid.', 'Order PO-1042 was placed with Dell.', 'Apex FM is now on hold.', 'I have approved everything and paid all invoices.']) {
      expect(filterClaims(s, none), s).toEqual({ text: '', removed: [s] });
    }
  });

  it('keeps sentences that deny, condition or propose an outcome', () => {
    const text =
      'Nothing has been approved. Once approved, the order will be raised. A purchase order needs to be approved by finance. I propose putting Apex FM on hold. It is not on any sanctions list.';
    expect(filterClaims(text, none)).toEqual({ text, removed: [] });
  });

  it('keeps an outcome that a record read in this turn states about the same subject', () => {
    const records = ['Spend with Refinitiv Ltd: Total GBP 1,234.00 across 12 payments'];
    const text = 'We have paid Refinitiv Ltd for Eikon seats every month.';
    expect(filterClaims(text, { records })).toEqual({ text, removed: [] });
    // The same words about a subject the records do not mention are removed.
    expect(filterClaims('We have paid Kestrel Ltd twice.', { records }).removed).toEqual(['We have paid Kestrel Ltd twice.']);
  });

  it('keeps an outcome governance recorded in this turn, never one the assistant claims as its own', () => {
    const decisions = [{ kind: 'put_supplier_on_hold', summary: 'Put Apex FM on hold', outcome: 'auto' as const, reason: 'within autonomy', result: 'Apex FM is on hold' }];
    expect(filterClaims('Apex FM is now on hold.', { records: [], decisions }).removed).toEqual([]);
    expect(filterClaims('I have put Apex FM on hold.', { records: [], decisions }).removed).toEqual(['I have put Apex FM on hold.']);
    const waiting = [{ ...decisions[0]!, outcome: 'needs_approval' as const, result: undefined }];
    expect(filterClaims('Apex FM is now on hold.', { records: [], decisions: waiting }).removed).toEqual(['Apex FM is now on hold.']);
  });
});
