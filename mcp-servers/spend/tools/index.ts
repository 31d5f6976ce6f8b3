// The spend server's tools, one per file.
import type { ToolRegistrar } from '../../shared/deps.js';
import { registerClassifySpendTool, type ClassifySpendOutput } from './classify-spend.js';
import { type FindSpendTermsOutput, registerFindSpendTermsTool } from './find-spend-terms.js';
import { type InvoiceStatusOutput, registerInvoiceStatusTool } from './invoice-status.js';
import { type PurchaseOrderStatusOutput, registerPurchaseOrderStatusTool } from './purchase-order-status.js';
import { registerSpendAnomaliesTool, type SpendAnomaliesOutput } from './spend-anomalies.js';
import { registerSpendSummaryTool, type SpendSummaryOutput } from './spend-summary.js';
import { registerSpendTrendTool, type SpendTrendOutput } from './spend-trend.js';

export const spendTools: ToolRegistrar[] = [
  registerSpendSummaryTool,
  registerSpendTrendTool,
  registerSpendAnomaliesTool,
  registerClassifySpendTool,
  registerFindSpendTermsTool,
  registerInvoiceStatusTool,
  registerPurchaseOrderStatusTool,
];

/** Each tool's structured output by tool name: agents read results through this map (agents/tool-client.ts `typed`). */
export type SpendToolOutputs = {
  classify_spend: ClassifySpendOutput;
  find_spend_terms: FindSpendTermsOutput;
  invoice_status: InvoiceStatusOutput;
  purchase_order_status: PurchaseOrderStatusOutput;
  spend_anomalies: SpendAnomaliesOutput;
  spend_summary: SpendSummaryOutput;
  spend_trend: SpendTrendOutput;
};
