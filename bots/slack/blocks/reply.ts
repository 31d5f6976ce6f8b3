// A Reply as a Block Kit message: the answer or decision first, then the figures (fields), any table (monospace,
// clipped), governance's decisions with the approval number and who it waits for, partial-answer notes, the
// reasoning and sources (small print), and one button per suggested follow-up. Always within Slack's limits.
import type { types } from '@slack/bolt';
import { waitingSentence } from '../../../src/orchestrator/render-text.js';
import type { ActionDecision, Reply } from '../../../src/orchestrator/types.js';
import { followUpActionId } from './ids.js';
import { LIMITS } from './limits.js';
import { andMore, clip, escapeMrkdwn, mrkdwn, plain } from './text.js';

type KnownBlock = types.KnownBlock;

export type RenderedMessage = { text: string; blocks: KnownBlock[] };

const MAX_FACT_SECTIONS = 2;
const MAX_TABLE_ROWS = 40;
const MAX_TABLE_SECTIONS = 4;
const MAX_CELL = 40;
const MAX_DECISIONS = 5;
const MAX_SUGGESTIONS = 5;
const SMALL_PRINT = 2000;

/** Renders `reply`; `askedBy` notes who asked (a slash command or a follow-up button) under the answer. */
export function renderReply(reply: Reply, opts: { askedBy?: { user: string; question: string } } = {}): RenderedMessage {
  const blocks: KnownBlock[] = [];
  blocks.push(section(reply.headline || 'No answer.'));
  blocks.push(...factSections(reply.facts));
  blocks.push(...tableSections(reply.table));
  blocks.push(...decisionSections(reply));
  if (reply.degraded.length > 0) {
    blocks.push(context(`:warning: Partial answer: ${reply.degraded.map((d) => `the ${d.agent} agent did not answer (${d.reason})`).join('; ')}.`));
  }
  if (reply.rationale.length > 0) blocks.push(context(`Why: ${reply.rationale.join(' ')}`));
  if (reply.sources.length > 0) {
    const shown = reply.sources.slice(0, 8).map((s) => sourceText(s.title, s.ref));
    const more = reply.sources.length - shown.length;
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: clipJoined('Sources: ', shown, ' · ', more, 'sources') }],
    });
  }
  if (opts.askedBy) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `<@${opts.askedBy.user}> asked “${mrkdwn(opts.askedBy.question, SMALL_PRINT)}”` }],
    });
  }
  const suggestions = reply.suggestions.filter((s) => s.trim() !== '').slice(0, MAX_SUGGESTIONS);
  if (suggestions.length > 0) {
    blocks.push({
      type: 'actions',
      block_id: 'qm_follow_ups',
      elements: suggestions.map((s, i) => ({
        type: 'button' as const,
        action_id: followUpActionId(i),
        text: plain(s, LIMITS.buttonText),
        value: clip(s, LIMITS.buttonValue),
      })),
    });
  }
  return { text: clip(reply.headline || 'No answer.', LIMITS.sectionText), blocks: fitMessage(blocks) };
}

/** A plain mrkdwn section from raw text (escaped and clipped). */
export function section(raw: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: mrkdwn(raw, LIMITS.sectionText) } };
}

/** A small-print context line from raw text. */
export function context(raw: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn(raw, SMALL_PRINT) }] };
}

/** Label/value pairs as section fields, ten per section, with a note for what does not fit. */
export function fieldSections(pairs: { label: string; value: string }[], maxSections: number, what = 'facts'): KnownBlock[] {
  const out: KnownBlock[] = [];
  const shown = pairs.slice(0, maxSections * LIMITS.sectionFields);
  for (let i = 0; i < shown.length; i += LIMITS.sectionFields) {
    out.push({
      type: 'section',
      fields: shown.slice(i, i + LIMITS.sectionFields).map((f) => ({
        type: 'mrkdwn' as const,
        text: `*${mrkdwn(f.label, 200)}*\n${mrkdwn(f.value, LIMITS.fieldText - 210)}`,
      })),
    });
  }
  if (pairs.length > shown.length) out.push(context(andMore(pairs.length - shown.length, what)));
  return out;
}

function factSections(facts: Reply['facts']): KnownBlock[] {
  return fieldSections(facts, MAX_FACT_SECTIONS);
}

/** A table as monospace text in as few sections as fit, at most MAX_TABLE_ROWS rows. */
function tableSections(table: Reply['table']): KnownBlock[] {
  if (!table || table.rows.length === 0 || table.columns.length === 0) return [];
  const cell = (s: string | undefined) => clip((s ?? '').replace(/\s+/g, ' ').replace(/`/g, "'"), MAX_CELL);
  const rows = table.rows.slice(0, MAX_TABLE_ROWS).map((r) => table.columns.map((_, i) => cell(r[i])));
  const head = table.columns.map((c) => cell(c));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const numeric = head.map((_, i) => rows.length > 0 && rows.every((r) => /^[-(£$€]?[\d.,]+[)%]?$|^[A-Z]{3} [\d.,-]+$/.test(r[i]!) || r[i] === ''));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const budget = LIMITS.sectionText - 8; // the ``` fences and newlines
  const chunks: string[][] = [];
  const headLine = escapeMrkdwn(line(head));
  let current: string[] = [headLine];
  let size = headLine.length;
  let placed = 0;
  for (const r of rows) {
    const l = mrkdwn(line(r), budget - headLine.length - 1);
    if (size + l.length + 1 > budget) {
      if (chunks.length + 1 >= MAX_TABLE_SECTIONS) break;
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(l);
    size += l.length + 1;
    placed++;
  }
  chunks.push(current);
  const out: KnownBlock[] = chunks.map((c) => ({ type: 'section', text: { type: 'mrkdwn', text: `\`\`\`${c.join('\n')}\`\`\`` } }));
  const hidden = table.rows.length - placed;
  if (hidden > 0) out.push(context(`${andMore(hidden, hidden === 1 ? 'row' : 'rows')} (not shown here; \`qm ask --json\` returns them all).`));
  return out;
}

function decisionLine(d: ActionDecision): string {
  if (d.outcome === 'needs_approval') {
    const waiting = d.approval?.waitingFor.length ? d.approval.waitingFor.join('; ') : 'the approvers';
    if (d.approval?.attached) return `*${mrkdwn(waitingSentence(d.approval), 400)}*, which waits for ${mrkdwn(waiting, 300)}: ${mrkdwn(d.summary, 600)}\n${mrkdwn(d.reason, 1500)}`;
    return `*Approval #${d.approval?.number ?? '?'} requested*, waiting for ${mrkdwn(waiting, 300)}: ${mrkdwn(d.summary, 600)}\n${mrkdwn(d.reason, 1500)}`;
  }
  if (d.outcome === 'deny') return `*Not allowed*: ${mrkdwn(d.summary, 600)}\n${mrkdwn(d.reason, 1500)}`;
  return `*Done under the agent's autonomy*: ${mrkdwn(d.result ?? d.summary, 1200)}\n${mrkdwn(d.reason, 1500)}`;
}

function decisionSections(reply: Reply): KnownBlock[] {
  const decisions = reply.decisions ?? [];
  if (decisions.length > 0) {
    const out: KnownBlock[] = decisions
      .slice(0, MAX_DECISIONS)
      .map((d) => ({ type: 'section', text: { type: 'mrkdwn', text: clip(decisionLine(d), LIMITS.sectionText) } }));
    if (decisions.length > MAX_DECISIONS) out.push(context(andMore(decisions.length - MAX_DECISIONS, 'decisions')));
    return out;
  }
  if (reply.actions.length === 0) return [];
  const shown = reply.actions.slice(0, MAX_DECISIONS).map((a) => `• ${mrkdwn(a.summary, 500)}`);
  const more = reply.actions.length - shown.length;
  return [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: clip(`*Proposed (needs a decision):*\n${shown.join('\n')}${more > 0 ? `\n${andMore(more, 'proposals')}` : ''}`, LIMITS.sectionText) },
    },
  ];
}

function sourceText(title: string, ref: string): string {
  if (/^https?:\/\/[^\s<>|]+$/.test(ref) && ref.length <= 1000) return `<${ref}|${mrkdwn(title, 150).replace(/\|/g, '/')}>`;
  return `${mrkdwn(title, 150)} (${mrkdwn(ref, 120)})`;
}

/** Joins already-escaped parts within the small-print limit, saying how many did not fit. */
function clipJoined(prefix: string, parts: string[], sep: string, more: number, what: string): string {
  let out = prefix;
  let used = 0;
  for (const p of parts) {
    const next = `${used === 0 ? '' : sep}${p}`;
    if (out.length + next.length > SMALL_PRINT - 40) break;
    out += next;
    used++;
  }
  const hidden = parts.length - used + more;
  return hidden > 0 ? `${out} ${andMore(hidden, what)}` : out;
}

/** The last guard: at most 50 blocks, the last one saying how many were left out; the buttons stay. */
export function fitMessage(blocks: KnownBlock[], max: number = LIMITS.messageBlocks): KnownBlock[] {
  if (blocks.length <= max) return blocks;
  const last = blocks[blocks.length - 1]!;
  const keepActions = last.type === 'actions';
  const room = max - 1 - (keepActions ? 1 : 0);
  const dropped = blocks.length - room - (keepActions ? 1 : 0);
  return [...blocks.slice(0, room), context(andMore(dropped, 'parts of this answer')), ...(keepActions ? [last] : [])];
}
