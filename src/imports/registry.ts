// Every import kind and the importer that handles it.
import type { ImportKind, Importer } from './context.js';
import { bidsImporter } from './kinds/bids.js';
import { contractsImporter } from './kinds/contracts.js';
import { invoicesImporter } from './kinds/invoices.js';
import { purchaseOrdersImporter } from './kinds/purchase-orders.js';
import { receiptsImporter } from './kinds/receipts.js';
import { sanctionsImporter } from './kinds/sanctions.js';
import { signalsImporter } from './kinds/signals.js';
import { spendImporter } from './kinds/spend.js';
import { suppliersImporter } from './kinds/suppliers.js';
import { unspscImporter } from './kinds/unspsc.js';
import { usersImporter } from './kinds/users.js';

export const importers: Readonly<Record<ImportKind, Importer>> = {
  spend: spendImporter,
  suppliers: suppliersImporter,
  users: usersImporter,
  contracts: contractsImporter,
  'purchase-orders': purchaseOrdersImporter,
  receipts: receiptsImporter,
  invoices: invoicesImporter,
  sanctions: sanctionsImporter,
  unspsc: unspscImporter,
  signals: signalsImporter,
  bids: bidsImporter,
};
