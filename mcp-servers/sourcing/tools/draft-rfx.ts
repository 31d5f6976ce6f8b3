// draft_rfx: the RFx document of an event in Markdown, with its bid template CSV; the same document is the
// resource rfx://{event} (Markdown) and, from the CLI, a Word file.
import { z } from 'zod';
import { eventDetail } from '../../../src/sourcing/detail.js';
import { bidTemplateCsv, rfxMarkdown } from '../../../src/sourcing/rfx.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { guarded, toolError, toolResult } from '../../shared/result.js';
import { eventArg, findEvent, sourcingPolicy } from '../lookup.js';

const inputSchema = z.object({ event: eventArg });

const outputSchema = z.strictObject({
  event: z.number().int(),
  title: z.string(),
  uri: z.string().describe('The resource holding the same document'),
  markdown: z.string(),
  bidTemplateCsv: z.string().describe('The bid template bidders fill in; qm import bids reads it back'),
});

/** Registers draft_rfx. */
export const registerDraftRfx: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'draft_rfx',
    {
      title: 'Draft the RFx document',
      description:
        'Writes the request for quotation (or proposal) of a sourcing event: scope and lines, evaluation criteria and weights, timeline, how to respond (the bid template CSV) and the standard terms. Also readable as the resource rfx://{event}.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded<z.infer<typeof inputSchema>>('draft_rfx', deps.log, async (args) => {
      const found = await findEvent(deps, args.event);
      if (!found.ok) return toolError(found.message);
      const [detail, policy] = await Promise.all([eventDetail(deps.database, found.event), sourcingPolicy(deps)]);
      const markdown = rfxMarkdown(detail, policy, deps.now());
      return toolResult(markdown, { event: detail.number, title: detail.title, uri: `rfx://${detail.number}`, markdown, bidTemplateCsv: bidTemplateCsv(detail) });
    }),
  );
};

export type DraftRfxOutput = z.infer<typeof outputSchema>;
