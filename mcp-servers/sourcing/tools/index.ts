// The sourcing server's tools, one per file, and the RFx resource.
import type { ToolRegistrar } from '../../shared/deps.js';
import { type AnalyseBidsOutput, registerAnalyseBids } from './analyse-bids.js';
import { type AwardScenariosOutput, registerAwardScenarios } from './award-scenarios.js';
import { type CreateSourcingDraftOutput, registerCreateSourcingDraft } from './create-sourcing-draft.js';
import { type DraftRfxOutput, registerDraftRfx } from './draft-rfx.js';
import { type FindCandidateSuppliersOutput, registerFindCandidateSuppliers } from './find-candidate-suppliers.js';
import { registerRfxResource } from './rfx-resource.js';
import { registerScoreSuppliers, type ScoreSuppliersOutput } from './score-suppliers.js';
import { registerSourcingEvent, type SourcingEventOutput } from './sourcing-event.js';

export const sourcingTools: ToolRegistrar[] = [
  registerSourcingEvent,
  registerCreateSourcingDraft,
  registerFindCandidateSuppliers,
  registerScoreSuppliers,
  registerDraftRfx,
  registerAnalyseBids,
  registerAwardScenarios,
  registerRfxResource,
];

/** Each tool's structured output by tool name: agents read results through this map (agents/tool-client.ts `typed`). */
export type SourcingToolOutputs = {
  sourcing_event: SourcingEventOutput;
  create_sourcing_draft: CreateSourcingDraftOutput;
  find_candidate_suppliers: FindCandidateSuppliersOutput;
  score_suppliers: ScoreSuppliersOutput;
  draft_rfx: DraftRfxOutput;
  analyse_bids: AnalyseBidsOutput;
  award_scenarios: AwardScenariosOutput;
};
