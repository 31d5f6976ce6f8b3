// Every card the Teams bot can produce, checked with the adaptivecards library at schema 1.5 (no parse errors or
// warnings, no validation events), kept under Teams' message size, and with Action.Execute verbs and data that a
// host hands back exactly as the bot needs them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  type AdaptiveCardJson,
  approvalActionData,
  ASK_KEY,
  cardIssues,
  COMMENT_INPUT,
  decodeConversation,
  encodeConversation,
  MAX_CARD_JSON,
  parsedCard,
  reasonInput,
  REFRESH_VERB,
  renderApprovalCard,
  renderErrorCard,
  renderReplyCard,
  renderWelcomeCard,
} from '../../bots/teams/index.js';
import { questionText, safeText } from '../../bots/teams/text.js';
import { approvalCard } from '../../src/approvals/card.js';
import type { Approval } from '../../src/approvals/types.js';
import type { Reply } from '../../src/orchestrator/types.js';
import { projectPath } from '../../src/paths.js';

const ID = '0b6f5a4e-1c2d-4e3f-8a9b-0c1d2e3f4a5b';

function approval(over: Partial<Approval> = {}): Approval {
  return {
    id: ID,
    number: 42,
    status: 'pending',
    actionKind: 'create_purchase_order',
    action: {
      kind: 'create_purchase_order',
      summary: 'Raise a purchase order with Dell Technologies Ltd for 200 laptops at £250,000.00',
      proposedBy: 'spend',
      rationale: 'Dell is the contracted supplier for laptops (C-2024-001); 200 units at the contract price.',
      params: {},
    },
    summary: 'Raise a purchase order with Dell Technologies Ltd for 200 laptops at £250,000.00',
    amount: '250000.0000',
    currency: 'GBP',
    supplierId: null,
    supplierName: 'Dell Technologies Ltd',
    categoryCode: '43211503',
    requesterUserId: 'u-alice',
    requester: 'alice.moreno@demo.quartermaster.dev',
    proposedBy: 'spend',
    planner: 'rule',
    ruleId: 'po-100k-plus',
    reason: 'Purchase orders of 100,000 GBP or more need the budget holder, then the procurement manager, then the CFO (rule po-100k-plus).',
    route: [
      { name: 'Level 1: budget holder', roles: ['budget_holder'], quorum: 1 },
      { name: 'Level 2: procurement manager', roles: ['procurement_manager'], quorum: 1 },
      { name: 'Level 3: CFO', roles: ['cfo'], quorum: 1 },
    ],
    envelope: null,
    policyVersion: 'sha256:0123456789abcdef0123456789abcdef',
    currentLevel: 1,
    escalationLevel: 0,
    origin: { channel: 'teams', conversationId: 'teams:a:1alice' },
    decidedBy: null,
    decidedAt: null,
    decisionReason: null,
    expiresAt: '2026-12-11T12:00:00.000Z',
    version: 2,
    createdAt: '2026-11-27T12:00:00.000Z',
    decisions: [
      {
        level: 0,
        userId: '00000000-0000-4000-8000-000000000004',
        onBehalfOfUserId: null,
        user: 'daniel.reyes@demo.quartermaster.dev',
        userName: 'Daniel Reyes',
        onBehalfOf: null,
        role: 'budget_holder',
        decision: 'approve',
        reason: 'Within the IT refresh budget',
        channel: 'teams',
        at: '2026-11-27T12:05:00.000Z',
      },
    ],
    ...over,
  };
}

function reply(over: Partial<Reply> = {}): Reply {
  return {
    headline: 'You spent £304,739,476.32 across 1,234 payments in 2012.',
    facts: Array.from({ length: 60 }, (_, i) => ({ label: `Supplier ${i + 1}`, value: `£${(i + 1) * 1000}.00` })),
    table: { columns: ['Month', 'Spend', 'Payments'], rows: Array.from({ length: 12 }, (_, i) => [`M${i + 1} 2012`, `£${i},000.00`, String(i * 3)]) },
    sources: [
      { title: 'GLA spend 2012', ref: 'https://data.london.gov.uk/dataset/expenditure-over-250' },
      { title: 'spend_lines', ref: 'table spend_lines' },
    ],
    actions: [],
    decisions: [
      { kind: 'create_purchase_order', summary: 'Raise a PO', outcome: 'needs_approval', reason: 'rule po-100k-plus', approval: { id: ID, number: 42, waitingFor: ['Level 1: budget holder'] } },
      { kind: 'hold_invoice', summary: 'Hold invoice INV-9', outcome: 'auto', reason: 'autonomy', result: 'Invoice INV-9 put on hold.' },
      { kind: 'create_purchase_order', summary: 'Buy from Aerocaribbean', outcome: 'deny', reason: 'The supplier is blocked (rule po-supplier-not-active).' },
    ],
    suggestions: ['And in 2013?', 'Top suppliers in 2012', 'And in 2013?', ' '],
    degraded: [{ agent: 'contract', reason: 'timed out after 15 s' }],
    rationale: ['Summed 1,234 payments dated 2012.', 'Amounts in GBP.'],
    ...over,
  };
}

type Action = { type: string; verb?: string; data?: Record<string, unknown>; card?: { body?: { id?: string; isRequired?: boolean }[]; actions?: Action[] } };

/** The Action.Execute actions as a host parses them (those inside a ShowCard included). */
function executes(card: AdaptiveCardJson): Action[] {
  const parsed = parsedCard(card) as { actions?: Action[] };
  return (parsed.actions ?? []).flatMap((a) => (a.type === 'Action.Execute' ? [a] : a.type === 'Action.ShowCard' ? (a.card?.actions ?? []) : []));
}

describe('Teams cards', () => {
  it('renders an answer with many facts, a table, decisions, sources and follow-ups as a clean 1.5 card', () => {
    const card = renderReplyCard(reply());
    expect(cardIssues(card)).toEqual([]);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', wrap: true, text: 'You spent £304,739,476.32 across 1,234 payments in 2012.' });
    const facts = card.body.find((e) => e.type === 'FactSet') as unknown as { facts: { title: string; value: string }[] };
    expect(facts.facts).toHaveLength(40);
    expect(facts.facts[0]).toEqual({ title: 'Supplier 1', value: '£1000.00' });
    expect(JSON.stringify(card)).toContain('…and 20 more facts');
    expect(card.body.some((e) => e.type === 'Table')).toBe(true);
    expect(JSON.stringify(card)).toContain('[GLA spend 2012](https://data.london.gov.uk/dataset/expenditure-over-250)');
    // Duplicate and blank suggestions dropped; each asks its question back as a messageBack.
    expect(card.actions).toEqual([
      { type: 'Action.Submit', title: 'And in 2013?', data: { [ASK_KEY]: 'And in 2013?', msteams: { type: 'messageBack', text: 'And in 2013?', displayText: 'And in 2013?' } } },
      {
        type: 'Action.Submit',
        title: 'Top suppliers in 2012',
        data: { [ASK_KEY]: 'Top suppliers in 2012', msteams: { type: 'messageBack', text: 'Top suppliers in 2012', displayText: 'Top suppliers in 2012' } },
      },
    ]);
    // Who asked, when a follow-up was clicked by someone in a channel.
    expect(JSON.stringify(renderReplyCard(reply(), { askedBy: { name: 'Ben Okafor', question: 'And in 2013?' } }))).toContain('Ben Okafor asked “And in 2013?”');
  });

  it('keeps a huge answer within the message size and still clean; renders bare and proposal-only answers', () => {
    const huge = reply({
      facts: Array.from({ length: 500 }, (_, i) => ({ label: `Label ${i} ${'x'.repeat(80)}`, value: 'y'.repeat(400) })),
      table: { columns: Array.from({ length: 12 }, (_, i) => `Column ${i}`), rows: Array.from({ length: 2000 }, (_, r) => Array.from({ length: 12 }, (_, c) => `r${r}c${c} ${'z'.repeat(60)}`)) },
      rationale: ['w'.repeat(10_000)],
      sources: Array.from({ length: 100 }, (_, i) => ({ title: `Source ${i}`, ref: `https://example.org/${i}` })),
    });
    const card = renderReplyCard(huge);
    expect(JSON.stringify(card).length).toBeLessThanOrEqual(MAX_CARD_JSON);
    expect(cardIssues(card)).toEqual([]);
    const bare = renderReplyCard({ headline: '', facts: [], sources: [], actions: [], suggestions: [], degraded: [], rationale: [] });
    expect(cardIssues(bare)).toEqual([]);
    expect(bare.body).toEqual([{ type: 'TextBlock', text: 'No answer.', wrap: true, weight: 'Bolder', size: 'Medium' }]);
    const proposals = renderReplyCard(
      reply({ decisions: undefined, actions: [{ kind: 'create_purchase_order', summary: 'Raise a PO with Dell', proposedBy: 'spend', rationale: 'x', params: {} }] }),
    );
    expect(cardIssues(proposals)).toEqual([]);
    expect(JSON.stringify(proposals)).toContain('Proposed (needs a decision)');
  });

  it('renders an approval pending (status and approver views), with a refusal, and resolved, all clean', () => {
    const pending = approvalCard(approval());
    const status = renderApprovalCard(pending, { refreshUserIds: ['29:1ivy', '29:1ivy', '29:1mia'] });
    expect(cardIssues(status)).toEqual([]);
    expect(status.actions).toBeUndefined();
    expect(status.refresh).toEqual({ action: { type: 'Action.Execute', title: 'Refresh', verb: REFRESH_VERB, data: approvalActionData(pending) }, userIds: ['29:1ivy', '29:1mia'] });
    const text = JSON.stringify(status);
    for (const expected of [pending.title, pending.ask, '£250,000.00', 'Dell Technologies Ltd', 'Level 2: procurement manager', 'rule po-100k-plus', 'Daniel Reyes as budget holder: approve']) {
      expect(text).toContain(expected);
    }

    const approver = renderApprovalCard(pending, { forApprover: true, refreshUserIds: ['29:1ivy'] });
    expect(cardIssues(approver)).toEqual([]);
    const refused = renderApprovalCard(pending, { notice: { text: 'Level 2: procurement manager needs someone with the role procurement manager.', tone: 'attention' } });
    expect(cardIssues(refused)).toEqual([]);
    expect(refused.body[0]).toMatchObject({ type: 'Container', style: 'attention' });

    for (const over of [
      { status: 'approved' as const, decidedBy: 'frank.osei@demo.quartermaster.dev', decidedAt: '2026-11-27T13:00:00.000Z', decisionReason: 'Budgeted refresh' },
      { status: 'rejected' as const, decidedBy: 'ivy.patel@demo.quartermaster.dev', decidedAt: '2026-11-27T13:00:00.000Z', decisionReason: 'Get a second quote' },
      { status: 'expired' as const, decidedAt: '2026-12-11T12:00:00.000Z' },
      { status: 'cancelled' as const, decidedAt: '2026-11-28T12:00:00.000Z', decisionReason: 'Duplicate request' },
    ]) {
      const resolved = approvalCard(approval(over));
      const card = renderApprovalCard(resolved, { forApprover: true, refreshUserIds: ['29:1ivy'], notice: { text: 'Approval #42 is already approved.', tone: 'warning' } });
      expect(cardIssues(card), over.status).toEqual([]);
      expect(card.refresh).toBeUndefined();
      expect(card.actions).toBeUndefined();
      expect(JSON.stringify(card)).toContain(resolved.outcome!);
    }
  });

  it('gives every decision an Action.Execute whose verb and data come back as the bot reads them', () => {
    const pending = approvalCard(approval());
    const card = renderApprovalCard(pending, { forApprover: true });
    const actions = executes(card);
    expect(actions.map((a) => a.verb)).toEqual(pending.buttons.map((b) => b.verb));
    for (const a of actions) expect(a.data).toEqual({ qm: 'approval', approvalId: ID, number: 42 });
    // Approve takes an optional comment from the card; reject and ask-for-changes each require their own reason.
    const parsed = parsedCard(card) as { body: { type: string; id?: string; isRequired?: boolean }[]; actions: Action[] };
    expect(parsed.body.find((e) => e.type === 'Input.Text')).toMatchObject({ id: COMMENT_INPUT });
    const showCards = parsed.actions.filter((a) => a.type === 'Action.ShowCard');
    expect(showCards.map((s) => s.card?.body?.[0])).toEqual([
      expect.objectContaining({ id: reasonInput('reject'), isRequired: true }),
      expect.objectContaining({ id: reasonInput('request_changes'), isRequired: true }),
    ]);
    const refresh = (parsedCard(renderApprovalCard(pending)) as { refresh: { action: Action } }).refresh.action;
    expect(refresh).toMatchObject({ type: 'Action.Execute', verb: REFRESH_VERB, data: { qm: 'approval', approvalId: ID, number: 42 } });
  });

  it('renders the error and welcome cards cleanly, and the validator does report broken cards', () => {
    expect(cardIssues(renderErrorCard('Sorry, I could not answer that just now.', 'Try again in a moment.'))).toEqual([]);
    expect(cardIssues(renderWelcomeCard(['What did we spend in 2012?', 'Which contracts expire in the next 90 days?']))).toEqual([]);
    expect(cardIssues({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Bogus' }] }).map((i) => i.phase)).toEqual(['parse']);
    expect(cardIssues({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'x', color: 'Purple' }] })).toHaveLength(1);
    expect(cardIssues({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Input.Text', id: 'a' }, { type: 'Input.Text', id: 'a' }] })).toHaveLength(1);
    expect(cardIssues({ type: 'AdaptiveCard', version: '1.4', body: [] })).toEqual([{ phase: 'version', message: 'version is "1.4", expected "1.5"' }]);
  });

  it('reads questions out of Teams markup and never lets data become a link', () => {
    expect(questionText('<p>What did we <b>spend</b> with <at>Ben Okafor</at>&nbsp;in 2012?</p>')).toBe('What did we spend with Ben Okafor in 2012?');
    expect(questionText('Tom &amp; Jerry &#163;5 &#x20AC;6 &#99999999;')).toBe('Tom & Jerry £5 €6 &#99999999;');
    expect(questionText(undefined)).toBe('');
    expect(safeText('[click me](https://evil.example)', 100)).toBe('[click me]\u200b(https://evil.example)');
    expect(safeText('<https://evil.example>', 100)).toBe('<\u200bhttps://evil.example>');
    expect(safeText('a'.repeat(20), 10)).toBe(`${'a'.repeat(9)}…`);
    expect(decodeConversation(encodeConversation('19:abc@thread.tacv2;messageid=1'))).toBe('19:abc@thread.tacv2;messageid=1');
    expect(decodeConversation('slack:C1:1.2')).toBeUndefined();
  });
});

/** The entries of a ZIP archive, read through its central directory and inflated, each checked against its CRC. */
function unzip(buf: Buffer): Map<string, Buffer> {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(buf.readUInt32LE(at)).toBe(0x02014b50);
    const method = buf.readUInt16LE(at + 10);
    const crc = buf.readUInt32LE(at + 16);
    const size = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const extra = buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + size);
    const data = method === 8 ? inflateRawSync(raw) : raw;
    expect(crc32(data) >>> 0, name).toBe(crc);
    out.set(name, data);
    at += 46 + nameLength + extra;
  }
  return out;
}

describe('Teams app package', () => {
  it('zips the manifest, filled in from MICROSOFT_APP_ID, with the two icons', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qm-teams-'));
    try {
      const out = join(dir, 'app.zip');
      const appId = '3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
      const env = { ...process.env, MICROSOFT_APP_ID: appId, QM_PUBLIC_URL: 'https://qm.example.com/' };
      execFileSync(process.execPath, [projectPath('scripts', 'teams-package.mjs'), '--out', out], { env, stdio: 'pipe' });
      const entries = unzip(readFileSync(out));
      expect([...entries.keys()]).toEqual(['manifest.json', 'color.png', 'outline.png']);
      const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
      expect(manifest).toMatchObject({
        manifestVersion: '1.17',
        id: appId,
        version: JSON.parse(readFileSync(projectPath('package.json'), 'utf8')).version,
        developer: { websiteUrl: 'https://qm.example.com/' },
        bots: [{ botId: appId, scopes: ['personal', 'team', 'groupChat'] }],
      });
      expect(JSON.stringify(manifest)).not.toContain('{{');
      const side = (png: Buffer) => [png.readUInt32BE(16), png.readUInt32BE(20)];
      expect(side(entries.get('color.png')!)).toEqual([192, 192]);
      expect(side(entries.get('outline.png')!)).toEqual([32, 32]);
      // The same input gives the same bytes.
      execFileSync(process.execPath, [projectPath('scripts', 'teams-package.mjs'), '--out', join(dir, 'again.zip')], { env, stdio: 'pipe' });
      expect(readFileSync(join(dir, 'again.zip')).equals(readFileSync(out))).toBe(true);
      // Without an app id nothing is written and the script says what to set.
      const { MICROSOFT_APP_ID: _unset, ...without } = env;
      expect(() => execFileSync(process.execPath, [projectPath('scripts', 'teams-package.mjs'), '--out', join(dir, 'none.zip')], { env: without, stdio: 'pipe' })).toThrow(/MICROSOFT_APP_ID/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
