// A purchase request for approval tests: Alice (demo organisation) asks for a purchase order with Dell.
import type { ApprovalService } from '../../src/approvals/service.js';
import type { Database } from '../../src/db/client.js';

export const DEMO_DOMAIN = 'demo.quartermaster.dev';

/** Submits Alice's request for `quantity` `item` from Dell at £`value`; returns the approval's number. */
export async function requestDellPurchase(database: Database, approvals: ApprovalService, quantity: number, item: string, value: string): Promise<number> {
  const [dell] = await database.query<{ id: string }>(`select id::text from suppliers where name = 'Dell Technologies Ltd'`);
  const r = await approvals.submit({
    action: {
      kind: 'create_purchase_order',
      summary: `Raise a purchase order with Dell for ${quantity} ${item} at £${value}`,
      proposedBy: 'spend',
      rationale: 'Requested in chat.',
      params: { supplierId: dell!.id, quantity, item },
      amount: { value, currency: 'GBP' },
    },
    requester: `alice.moreno@${DEMO_DOMAIN}`,
  });
  return r.approval!.number;
}
