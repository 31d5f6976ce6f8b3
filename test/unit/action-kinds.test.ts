import { describe, expect, it } from 'vitest';
import { actionHandlers } from '../../src/actions/registry.js';
import { ACTION_KINDS, isActionKind } from '../../src/domain/action-kinds.js';

describe('action kinds', () => {
  it('has exactly one executor handler for every kind that can be proposed', () => {
    expect([...actionHandlers.keys()].sort()).toEqual([...ACTION_KINDS].sort());
  });

  it('tells a kind the executor can run from one it cannot', () => {
    expect(isActionKind('create_purchase_order')).toBe(true);
    expect(isActionKind('approve_all_invoices')).toBe(false);
  });
});
