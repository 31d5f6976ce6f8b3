// The supplier server's tools, one per file.
import type { ToolRegistrar } from '../../shared/deps.js';
import { registerFindSuppliers, type FindSuppliersOutput } from './find-suppliers.js';
import { registerScreenSanctions, type ScreenSanctionsOutput } from './screen-sanctions.js';
import { registerSupplierDuplicates, type SupplierDuplicatesOutput } from './supplier-duplicates.js';
import { registerSupplierProfile, type SupplierProfileOutput } from './supplier-profile.js';
import { registerSupplierRisk, type SupplierRiskOutput } from './supplier-risk.js';

export const supplierTools: ToolRegistrar[] = [
  registerFindSuppliers,
  registerSupplierProfile,
  registerScreenSanctions,
  registerSupplierRisk,
  registerSupplierDuplicates,
];

/** Each tool's structured output by tool name: agents read results through this map (agents/tool-client.ts `typed`). */
export type SupplierToolOutputs = {
  find_suppliers: FindSuppliersOutput;
  screen_sanctions: ScreenSanctionsOutput;
  supplier_duplicates: SupplierDuplicatesOutput;
  supplier_profile: SupplierProfileOutput;
  supplier_risk: SupplierRiskOutput;
};
