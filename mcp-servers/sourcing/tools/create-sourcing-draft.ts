// create_sourcing_draft: records a sourcing need as a draft event. A draft commits to nothing and needs no approval;
// issuing its RFx is the start_sourcing_event action, which governance decides.
import { z } from 'zod';
import { isDecimal } from '../../../src/domain/money.js';
import { createDraftEvent, eventRef } from '../../../src/sourcing/events.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { guarded, toolResult } from '../../shared/result.js';
import { callerName, sourcingPolicy } from '../lookup.js';

const decimal = z.string().refine(isDecimal, 'a plain decimal such as 120000 or 12.5');

const inputSchema = z.object({
  title: z.string().min(1).max(300).describe('What is being sourced, e.g. "Office cleaning for three sites"'),
  description: z.string().max(4000).optional().describe('The scope in a sentence or two'),
  category: z.string().regex(/^[A-Za-z0-9._-]{1,20}$/).optional().describe('UNSPSC category code (or your own)'),
  budget: decimal.optional().describe('Estimated value, a decimal in `currency`'),
  currency: z.string().regex(/^[A-Z]{3}$/).default('GBP'),
  needed_from: z.iso.date().optional().describe('When the goods or services are needed from (YYYY-MM-DD)'),
  lines: z
    .array(z.object({ item: z.string().max(60).optional(), description: z.string().min(1).max(500), quantity: decimal.optional(), unit: z.string().max(30).optional() }))
    .max(2000)
    .default([]),
});

const outputSchema = z.strictObject({ id: z.string(), number: z.number().int(), title: z.string(), status: z.string() });

/** Registers create_sourcing_draft. */
export const registerCreateSourcingDraft: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'create_sourcing_draft',
    {
      title: 'Create a sourcing draft',
      description: 'Records a sourcing need as a draft event (no approval needed; nothing is sent to suppliers). Returns its number. Issuing the RFx is a separate, governed step.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    guarded<z.infer<typeof inputSchema>>('create_sourcing_draft', deps.log, async (args) => {
      const policy = await sourcingPolicy(deps);
      const person = deps.caller?.kind === 'person' ? deps.caller.email : null;
      const e = await createDraftEvent(
        deps.database,
        {
          title: args.title,
          description: args.description ?? null,
          categoryCode: args.category ?? null,
          estimatedValue: args.budget ?? null,
          currency: args.currency,
          requesterEmail: person,
          neededFrom: args.needed_from ?? null,
          lines: args.lines.map((l, i) => ({ lineNo: i + 1, itemCode: l.item ?? null, description: l.description, quantity: l.quantity ?? null, unit: l.unit ?? null })),
          channel: 'mcp',
        },
        policy,
        { type: person ? 'user' : 'system', id: callerName(deps) },
      );
      return toolResult(`Created sourcing event ${e.number} "${e.title}" as a draft. Its RFx is issued once governance approves start_sourcing_event.`, eventRef(e));
    }),
  );
};

export type CreateSourcingDraftOutput = z.infer<typeof outputSchema>;
