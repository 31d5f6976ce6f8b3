// A request that joined an equal pending one is shown as such on every surface: the terminal, Slack and the
// Adaptive Card (Teams, web chat) say "Already waiting for approval #N (asked by … at …)", not "requested".
import { describe, expect, it } from 'vitest';
import { renderReply } from '../../bots/slack/blocks/reply.js';
import { renderReplyCard } from '../../src/chat/cards/adaptive/reply.js';
import { renderReplyText } from '../../src/orchestrator/render-text.js';
import type { ActionDecision, Reply } from '../../src/orchestrator/types.js';

const WAITING = 'Already waiting for approval #2 (asked by ben.okafor@demo.quartermaster.dev at 2026-11-27 10:42 UTC)';

function reply(decision: ActionDecision): Reply {
  return {
    headline: 'Stop: Aerocaribbean Airlines matches a sanctions entry.',
    facts: [],
    sources: [],
    actions: [{ kind: 'put_supplier_on_hold', summary: 'Put Aerocaribbean Airlines on hold', proposedBy: 'supplier', rationale: 'Strong match', params: {} }],
    decisions: [decision],
    suggestions: [],
    degraded: [],
    rationale: [],
  };
}

const attached: ActionDecision = {
  kind: 'put_supplier_on_hold',
  summary: 'Put Aerocaribbean Airlines on hold',
  outcome: 'needs_approval',
  reason: 'Rule supplier-hold: compliance decides.',
  approval: { id: 'a', number: 2, waitingFor: ['Level 1: compliance'], attached: true, requester: 'ben.okafor@demo.quartermaster.dev', requestedAt: '2026-11-27T10:42:31.123Z' },
};
const filed: ActionDecision = { ...attached, approval: { id: 'a', number: 2, waitingFor: ['Level 1: compliance'] } };

const texts = (r: Reply) => ({
  terminal: renderReplyText(r),
  slack: JSON.stringify(renderReply(r)),
  card: JSON.stringify(renderReplyCard(r)),
});

describe('a proposal attached to a pending approval', () => {
  it('reads "Already waiting for approval #N (asked by … at …)" everywhere', () => {
    for (const [surface, text] of Object.entries(texts(reply(attached)))) {
      expect(text, surface).toContain(WAITING);
      expect(text, surface).not.toMatch(/Approval #2 requested|approval #2 requested/);
    }
  });

  it('while a newly filed one still reads "requested"', () => {
    for (const [surface, text] of Object.entries(texts(reply(filed)))) {
      expect(text, surface).toMatch(/[Aa]pproval #2 requested/);
      expect(text, surface).not.toContain('Already waiting');
    }
  });
});
