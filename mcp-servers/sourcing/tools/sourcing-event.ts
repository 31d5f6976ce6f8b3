// sourcing_event: one event with its lines, criteria, status and the number of bids in (never their prices).
import { z } from 'zod';
import { eventDetail, renderEventText } from '../../../src/sourcing/detail.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { guarded, toolError, toolResult } from '../../shared/result.js';
import { eventArg, findEvent } from '../lookup.js';

const inputSchema = z.object({ event: eventArg });

export const eventSchema = z.strictObject({
  id: z.string(),
  number: z.number().int(),
  title: z.string(),
  status: z.string(),
  statusText: z.string(),
  description: z.string().nullable(),
  categoryCode: z.string().nullable(),
  estimatedValue: z.string().nullable(),
  currency: z.string().nullable(),
  requester: z.string().nullable(),
  buyer: z.string().nullable(),
  neededFrom: z.string().nullable(),
  deadline: z.string().nullable(),
  criteria: z.array(z.strictObject({ key: z.string(), label: z.string(), weight: z.number() })),
  lines: z.array(z.strictObject({ lineNo: z.number().int(), itemCode: z.string().nullable(), description: z.string(), quantity: z.string().nullable(), unit: z.string().nullable() })),
  bids: z.number().int(),
  award: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string(),
});

const outputSchema = z.strictObject({ event: eventSchema });

/** Registers sourcing_event. */
export const registerSourcingEvent: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'sourcing_event',
    {
      title: 'Sourcing event',
      description: 'One sourcing event (RFQ/tender) by number or id: status, scope, lines, evaluation criteria and weights, deadline, how many bids are in, and the award once made.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded<z.infer<typeof inputSchema>>('sourcing_event', deps.log, async (args) => {
      const found = await findEvent(deps, args.event);
      if (!found.ok) return toolError(found.message);
      const detail = await eventDetail(deps.database, found.event);
      return toolResult(renderEventText(detail), { event: detail });
    }),
  );
};

export type SourcingEventOutput = z.infer<typeof outputSchema>;
