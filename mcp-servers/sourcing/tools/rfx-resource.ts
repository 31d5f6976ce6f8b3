// The rfx://{event} resource: each sourcing event's RFx document in Markdown, listed by number and title.
import { ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { listSourcingEvents } from '../../../src/db/sourcing.js';
import { eventDetail } from '../../../src/sourcing/detail.js';
import { rfxMarkdown } from '../../../src/sourcing/rfx.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { findEvent, sourcingPolicy } from '../lookup.js';

const LIST_LIMIT = 200;

/** Registers the RFx resource template. */
export const registerRfxResource: ToolRegistrar = (server, deps) => {
  server.registerResource(
    'rfx-document',
    new ResourceTemplate('rfx://{event}', {
      list: async () => ({
        resources: (await listSourcingEvents(deps.database, { limit: LIST_LIMIT })).map((e) => ({
          uri: `rfx://${e.number}`,
          name: `RFx ${e.number}`,
          title: `RFx for event ${e.number}: ${e.title}`,
          mimeType: 'text/markdown',
        })),
      }),
    }),
    { title: 'RFx document', description: 'The request for quotation or proposal of a sourcing event, by event number or id.', mimeType: 'text/markdown' },
    async (uri, variables) => {
      const raw = variables.event;
      const ref = decodeURIComponent(Array.isArray(raw) ? (raw[0] ?? '') : (raw ?? ''));
      const found = await findEvent(deps, ref);
      if (!found.ok) throw new McpError(ErrorCode.InvalidParams, found.message);
      const [detail, policy] = await Promise.all([eventDetail(deps.database, found.event), sourcingPolicy(deps)]);
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: rfxMarkdown(detail, policy, deps.now()) }] };
    },
  );
};
