// The proposal key: equal requests get one key however they are spelled or who proposes them; a different
// kind, subject, amount, currency or item gets another.
import { describe, expect, it } from 'vitest';
import { type KeyedAction, proposalKey } from '../../src/approvals/proposal-key.js';

const DELL = '6f1c6f0e-3b1e-4a57-9f43-0c1a2b3c4d5e';
const HP = '0b7a1e52-8d0c-4f3e-a1b2-c3d4e5f60718';
const CONTRACT = 'a0a0a0a0-b1b1-4c2c-8d3d-e4e4e4e4e4e4';
const INVOICE = 'c3c3c3c3-d4d4-4e5e-8f6f-a7a7a7a7a7a7';

const po = (over: Partial<KeyedAction> & { params?: Record<string, unknown> } = {}): KeyedAction => ({
  kind: 'create_purchase_order',
  amount: { value: '25000.00', currency: 'GBP' },
  ...over,
  params: { supplierId: DELL, item: 'laptops', quantity: 20, ...over.params },
});

describe('proposalKey', () => {
  it('is the same for the same request spelled differently', () => {
    const key = proposalKey(po());
    expect(key).toMatch(/^create_purchase_order:[0-9a-f]{64}$/);
    expect(proposalKey(po({ amount: { value: '25000', currency: 'gbp' } }))).toBe(key);
    expect(proposalKey(po({ amount: { value: '025000.0000', currency: ' GBP ' } }))).toBe(key);
    expect(proposalKey(po({ kind: ' Create_Purchase_Order ' }))).toBe(key);
    expect(proposalKey(po({ params: { supplierId: DELL.toUpperCase(), item: '  Laptops ', quantity: '20.0' } }))).toBe(key);
  });

  it('ignores who proposed it, its wording and parameters that do not define the request', () => {
    const a = { ...po(), proposedBy: 'spend', summary: 'Raise a PO', rationale: 'asked in chat' } as KeyedAction;
    const b = { ...po({ params: { listEntry: 'x', requester: 'someone' } }), proposedBy: 'monitor:x', summary: 'Other words' } as KeyedAction;
    expect(proposalKey(a)).toBe(proposalKey(b));
  });

  it('differs by kind, subject, amount, currency and item', () => {
    const key = proposalKey(po());
    const others = [
      po({ kind: 'start_sourcing_event' }),
      po({ params: { supplierId: HP } }),
      po({ amount: { value: '25000.01', currency: 'GBP' } }),
      po({ amount: { value: '25000.00', currency: 'EUR' } }),
      po({ amount: undefined }),
      po({ params: { item: 'monitors' } }),
      po({ params: { quantity: 21 } }),
    ].map(proposalKey);
    expect(new Set([key, ...others]).size).toBe(others.length + 1);
  });

  it('takes the most specific subject: an invoice over its supplier, a contract over its supplier', () => {
    const release = (params: Record<string, unknown>) => proposalKey({ kind: 'reject_invoice', params, amount: { value: '10', currency: 'GBP' } });
    expect(release({ invoiceId: INVOICE, supplierId: DELL })).toBe(release({ invoiceId: INVOICE }));
    const review = (params: Record<string, unknown>) => proposalKey({ kind: 'review_contract_renewal', params });
    expect(review({ contractId: CONTRACT, deadline: '2027-01-31', supplierId: DELL })).toBe(review({ contractId: CONTRACT, deadline: '2027-01-31' }));
    expect(proposalKey({ kind: 'put_supplier_on_hold', params: { supplierId: DELL, listEntry: 'OFAC:1:2' } })).toBe(
      proposalKey({ kind: 'put_supplier_on_hold', params: { supplierId: DELL, listEntry: 'EU:3:4' } }),
    );
  });

  it('keys record-less actions by their supplier set, envelope or category, and leaves subject-less ones unkeyed', () => {
    const sourcing = (supplierIds: string[]) => proposalKey({ kind: 'start_sourcing_event', params: { supplierIds, categoryCode: '43211500' } });
    expect(sourcing([DELL, HP])).toBe(sourcing([HP, DELL, DELL]));
    const widen = (to: string) =>
      proposalKey({ kind: 'expand_autonomy', params: { envelope: { agent: 'spend', actionKind: 'create_purchase_order', category: '*', band: 'under-10k' }, to } });
    expect(widen('act_with_notice')).toBeDefined();
    expect(widen('act_with_notice')).not.toBe(widen('autonomous'));
    expect(proposalKey({ kind: 'start_sourcing_event', params: { categoryCode: '43211500' } })).toBeDefined();
    expect(proposalKey({ kind: 'create_purchase_order', params: { item: 'laptops' }, amount: { value: '1', currency: 'GBP' } })).toBeUndefined();
    // Stored JSON of any shape (approvals filed before keys existed) gives no key rather than an error.
    for (const stored of [{}, { kind: 'x', params: null }, { kind: 7, params: { supplierId: DELL } }, { params: { supplierId: DELL } }]) {
      expect(proposalKey(stored as unknown as KeyedAction)).toBeUndefined();
    }
    expect(proposalKey({ kind: 'put_supplier_on_hold', params: { supplierId: DELL }, amount: { value: 5 } } as unknown as KeyedAction)).toMatch(/^put_supplier_on_hold:/);
  });
});
