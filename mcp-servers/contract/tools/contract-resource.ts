// The contract://{id} resource: each stored contract's full text, listed by number and title.
import { ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { contractsWithText, contractText } from '../../../src/db/queries/contracts.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { contractName, resolveContract } from '../lookup.js';

// Listing is for browsing; a client with more contracts than this finds them with find_contracts.
const LIST_LIMIT = 500;

/** Registers the contract text resource template. */
export const registerContractResource: ToolRegistrar = (server, deps) => {
  server.registerResource(
    'contract-text',
    new ResourceTemplate('contract://{id}', {
      list: async () => ({
        resources: (await contractsWithText(deps.database, LIST_LIMIT)).map((c) => ({
          uri: `contract://${c.id}`,
          name: c.contractNumber ?? c.title,
          title: contractName(c),
          mimeType: 'text/plain',
          size: c.length,
        })),
      }),
    }),
    {
      title: 'Contract text',
      description: 'The full text of a stored contract, by contract id (or number).',
      mimeType: 'text/plain',
    },
    async (uri, variables) => {
      const raw = variables.id;
      const ref = decodeURIComponent(Array.isArray(raw) ? (raw[0] ?? '') : (raw ?? ''));
      // A resource read has no isError result: an unknown id is a protocol error the client shows as such.
      const r = await resolveContract(deps.database, ref);
      if (!r.ok) throw new McpError(ErrorCode.InvalidParams, r.message);
      const text = await contractText(deps.database, r.value.id);
      if (text === null) throw new McpError(ErrorCode.InvalidParams, `Contract ${contractName(r.value)} has no stored text.`);
      return { contents: [{ uri: uri.href, mimeType: 'text/plain', text }] };
    },
  );
};
