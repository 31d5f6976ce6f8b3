// The demand server's tools, one per file.
import type { ToolRegistrar } from '../../shared/deps.js';
import { type ForecastSpendOutput, registerForecastSpendTool } from './forecast-spend.js';

export const demandTools: ToolRegistrar[] = [registerForecastSpendTool];

/** Each tool's structured output by tool name: agents read results through this map (agents/tool-client.ts `typed`). */
export type DemandToolOutputs = {
  forecast_spend: ForecastSpendOutput;
};
