import { describe, expect, it } from 'vitest';
import type { ToolClient, ToolOutcome } from '../../agents/tool-client.js';
import { typed } from '../../agents/tool-client.js';

/** A client whose every call answers `outcome` (the MCP round trip itself is covered by the integration tests). */
const answering = (outcome: ToolOutcome): ToolClient => ({
  server: 'spend',
  listTools: async () => [],
  call: async () => outcome,
  close: async () => {},
});

type Outputs = { spend_summary: { totals: { currency: string; total: string; count: number }[] } };

describe('typed tool results', () => {
  it('gives a success its structured content, typed by the tool', async () => {
    const r = await typed<Outputs>(answering({ isError: false, text: 'Total £1.00', data: { totals: [{ currency: 'GBP', total: '1.00', count: 1 }] } })).call('spend_summary', {});
    expect(r.isError ? undefined : r.data.totals[0]?.total).toBe('1.00');
  });

  it('passes a tool error through as data the agent can read', async () => {
    const r = await typed<Outputs>(answering({ isError: true, text: 'Unknown supplier', data: { candidates: [] } })).call('spend_summary', {});
    expect(r).toEqual({ isError: true, text: 'Unknown supplier', data: { candidates: [] } });
  });

  it('refuses a success without structured content instead of handing the agent an empty result', async () => {
    await expect(typed<Outputs>(answering({ isError: false, text: 'ok', data: undefined })).call('spend_summary', {})).rejects.toThrow(
      /spend tool spend_summary answered without structured content/,
    );
  });
});
