// The demand server's tools, one per file.
import type { ToolRegistrar } from '../../shared/deps.js';
import { type ContractBurnOutput, registerContractBurnTool } from './contract-burn.js';
import { type ForecastDemandOutput, registerForecastDemandTool } from './forecast-demand.js';
import { type ForecastSpendOutput, registerForecastSpendTool } from './forecast-spend.js';

export const demandTools: ToolRegistrar[] = [registerForecastSpendTool, registerForecastDemandTool, registerContractBurnTool];

/** Each tool's structured output by tool name: agents read results through this map (agents/tool-client.ts `typed`). */
export type DemandToolOutputs = {
  contract_burn: ContractBurnOutput;
  forecast_demand: ForecastDemandOutput;
  forecast_spend: ForecastSpendOutput;
};
