// Every action kind the executor can run: one handler for each kind in src/domain/action-kinds.ts (checked at
// load, so a kind added there without a handler, or a handler without its kind, fails at start). A stored
// action of a kind no longer listed fails at execution with a clear message, never silently.
import { ACTION_KINDS, type ActionKind } from '../domain/action-kinds.js';
import type { ActionHandler } from './handler.js';
import { renewContractAction, reviewContractRenewal, terminateContractAction } from './kinds/contracts.js';
import { createPurchaseOrder } from './kinds/create-purchase-order.js';
import { expandAutonomy } from './kinds/expand-autonomy.js';
import { holdInvoice } from './kinds/hold-invoice.js';
import { rejectInvoice, releaseInvoice } from './kinds/invoices.js';
import { startSourcingEvent } from './kinds/start-sourcing-event.js';
import { awardContract } from './kinds/award-contract.js';
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
  awardContract,
  expandAutonomy,
];

export const actionHandlers: ReadonlyMap<string, ActionHandler> = new Map(HANDLERS.map((h) => [h.kind, h]));

const missing = ACTION_KINDS.filter((k: ActionKind) => !actionHandlers.has(k));
if (missing.length > 0 || actionHandlers.size !== ACTION_KINDS.length) {
  throw new Error(`The action registry and ACTION_KINDS disagree (no handler for: ${missing.join(', ') || 'none'}; or a kind handled twice)`);
}
