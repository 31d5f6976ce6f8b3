// The demand server's tools, one per file.
import type { ToolRegistrar } from '../../shared/deps.js';
import { type ContractBurnOutput, registerContractBurnTool } from './contract-burn.js';
import { type ForecastSpendOutput, registerForecastSpendTool } from './forecast-spend.js';

export const demandTools: ToolRegistrar[] = [registerForecastSpendTool, registerContractBurnTool];

/** Each tool's structured output by tool name: agents read results through this map (agents/tool-client.ts `typed`). */
export type DemandToolOutputs = {
  contract_burn: ContractBurnOutput;
  forecast_spend: ForecastSpendOutput;
};
