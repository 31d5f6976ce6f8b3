// The spend server's tools, one per file.
import type { ToolRegistrar } from '../../shared/deps.js';
import { registerClassifySpendTool } from './classify-spend.js';
import { registerSpendAnomaliesTool } from './spend-anomalies.js';
import { registerSpendSummaryTool } from './spend-summary.js';
import { registerSpendTrendTool } from './spend-trend.js';

export const spendTools: ToolRegistrar[] = [
  registerSpendSummaryTool,
  registerSpendTrendTool,
  registerSpendAnomaliesTool,
  registerClassifySpendTool,
];
