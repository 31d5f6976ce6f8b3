// Every action kind the executor can run. A kind not listed here can be proposed and approved but fails
// at execution with a clear message, never silently.
import type { ActionHandler } from './handler.js';
import { renewContractAction, reviewContractRenewal, terminateContractAction } from './kinds/contracts.js';
import { createPurchaseOrder } from './kinds/create-purchase-order.js';
import { expandAutonomy } from './kinds/expand-autonomy.js';
import { holdInvoice } from './kinds/hold-invoice.js';
import { rejectInvoice, releaseInvoice } from './kinds/invoices.js';
import { startSourcingEvent } from './kinds/start-sourcing-event.js';
import { putSupplierOnHold, releaseSupplierHold } from './kinds/supplier-hold.js';

const HANDLERS: readonly ActionHandler[] = [
  createPurchaseOrder,
  putSupplierOnHold,
  releaseSupplierHold,
  releaseInvoice,
  rejectInvoice,
  holdInvoice,
  renewContractAction,
  terminateContractAction,
  reviewContractRenewal,
  startSourcingEvent,
  expandAutonomy,
];

export const actionHandlers: ReadonlyMap<string, ActionHandler> = new Map(HANDLERS.map((h) => [h.kind, h]));
