// The supplier server's tools, one per file.
import type { ToolRegistrar } from '../../shared/deps.js';
import { registerFindSuppliers } from './find-suppliers.js';
import { registerScreenSanctions } from './screen-sanctions.js';
import { registerSupplierDuplicates } from './supplier-duplicates.js';
import { registerSupplierProfile } from './supplier-profile.js';
import { registerSupplierRisk } from './supplier-risk.js';

export const supplierTools: ToolRegistrar[] = [
  registerFindSuppliers,
  registerSupplierProfile,
  registerScreenSanctions,
  registerSupplierRisk,
  registerSupplierDuplicates,
];
