// renew_contract, terminate_contract and review_contract_renewal.
import { z } from 'zod';
import { contractState, renewContract, terminateContract } from '../../db/action-effects.js';
import { defineHandler } from '../handler.js';

export const renewContractAction = defineHandler({
  kind: 'renew_contract',
  params: z.looseObject({ contractId: z.uuid(), months: z.number().int().min(1).max(120).default(12) }),
  async execute(tx, _action, p) {
    const c = await renewContract(tx, p.contractId, p.months);
    return {
      summary: `${c.number ?? c.title} renewed for ${p.months} months: it now ends on ${c.newEndDate} (was ${c.endDate ?? 'open-ended'}).`,
      result: { contractId: p.contractId, previousEndDate: c.endDate, newEndDate: c.newEndDate },
    };
  },
});

export const terminateContractAction = defineHandler({
  kind: 'terminate_contract',
  params: z.looseObject({ contractId: z.uuid() }),
  async execute(tx, _action, p) {
    const c = await terminateContract(tx, p.contractId);
    return {
      summary: `Notice to terminate ${c.number ?? c.title} is approved; the contract is marked terminated.`,
      result: { contractId: p.contractId, previousStatus: c.status },
    };
  },
});

// Approving a renewal review records that the owner has looked at it; renewing or terminating is its own request.
export const reviewContractRenewal = defineHandler({
  kind: 'review_contract_renewal',
  params: z.looseObject({ contractId: z.uuid(), deadline: z.string().optional() }),
  async execute(tx, _action, p) {
    const c = await contractState(tx, p.contractId);
    return {
      summary: `Renewal review of ${c.number ?? c.title} recorded${p.deadline ? ` (notice deadline ${p.deadline})` : ''}; ask to renew or terminate it as a separate request.`,
      result: { contractId: p.contractId, status: c.status, endDate: c.endDate },
    };
  },
});
