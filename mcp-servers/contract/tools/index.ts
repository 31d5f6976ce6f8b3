// The contract server's tools, one per file, and the contract text resource.
import type { ToolRegistrar } from '../../shared/deps.js';
import { registerContractClauses, type ContractClausesOutput } from './contract-clauses.js';
import { registerContractDetails, type ContractDetailsOutput } from './contract-details.js';
import { registerContractResource } from './contract-resource.js';
import { registerExpiringContracts, type ExpiringContractsOutput } from './expiring-contracts.js';
import { registerFindContracts, type FindContractsOutput } from './find-contracts.js';
import { registerPriceCompliance, type PriceComplianceOutput } from './price-compliance.js';

export const contractTools: ToolRegistrar[] = [
  registerFindContracts,
  registerContractDetails,
  registerContractClauses,
  registerExpiringContracts,
  registerPriceCompliance,
  registerContractResource,
];

/** Each tool's structured output by tool name: agents read results through this map (agents/tool-client.ts `typed`). */
export type ContractToolOutputs = {
  contract_clauses: ContractClausesOutput;
  contract_details: ContractDetailsOutput;
  expiring_contracts: ExpiringContractsOutput;
  find_contracts: FindContractsOutput;
  price_compliance: PriceComplianceOutput;
};
