// The approval thresholds split purchases are measured against come from the authority matrix in force.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadPolicy, parsePolicy } from '../../src/governance/policy.js';
import { approvalThresholds } from '../../src/monitors/spend-anomalies.js';
import { projectPath } from '../../src/paths.js';

describe('approval thresholds for split purchases', () => {
  it('are the purchase order amount bands of the shipped matrix, category-specific bands left out', async () => {
    const policy = await loadPolicy(projectPath('policies'));
    expect(approvalThresholds(policy).map((t) => [t.value, t.currency])).toEqual([
      ['10000', 'GBP'],
      ['100000', 'GBP'],
    ]);
    expect(approvalThresholds(policy)[0]!.rules).toEqual(expect.arrayContaining(['po-10k-100k', 'po-under-10k']));
  });

  it('follow the matrix when it changes', async () => {
    const autonomy = await readFile(projectPath('policies', 'autonomy.yaml'), 'utf8');
    const authority = `currency: EUR
rules:
  - id: small
    description: Small orders need the budget holder
    actions: [create_purchase_order]
    when: { amount: { below: 5000 } }
    levels: [{ roles: [budget_holder] }]
  - id: it
    description: IT orders from 20,000 need finance
    actions: [create_purchase_order]
    when: { amount: { min: 20000 }, category: ["43"] }
    levels: [{ roles: [finance] }]
  - id: invoices
    description: Invoices from 2,000 need finance
    actions: [release_invoice]
    when: { amount: { min: 2000 } }
    levels: [{ roles: [finance] }]
  - id: rest
    description: Everything else needs the procurement manager
    actions: ['*']
    levels: [{ roles: [procurement_manager] }]
`;
    const policy = parsePolicy(authority, autonomy, 'test');
    expect(approvalThresholds(policy)).toEqual([{ value: '5000', currency: 'EUR', rules: ['small'] }]);
  });
});
