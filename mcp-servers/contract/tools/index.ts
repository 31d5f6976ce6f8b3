// The contract server's tools, one per file, and the contract text resource.
import type { ToolRegistrar } from '../../shared/deps.js';
import { registerContractClauses } from './contract-clauses.js';
import { registerContractDetails } from './contract-details.js';
import { registerContractResource } from './contract-resource.js';
import { registerExpiringContracts } from './expiring-contracts.js';
import { registerFindContracts } from './find-contracts.js';
import { registerPriceCompliance } from './price-compliance.js';

export const contractTools: ToolRegistrar[] = [
  registerFindContracts,
  registerContractDetails,
  registerContractClauses,
  registerExpiringContracts,
  registerPriceCompliance,
  registerContractResource,
];
