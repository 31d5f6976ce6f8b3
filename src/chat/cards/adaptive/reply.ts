// A Reply as an Adaptive Card: the answer or decision first (headline), then the figures (FactSet), any table,
// governance's decisions with the approval number and who it waits for, partial-answer notes, the reasoning and
// the sources (small print), and one button per suggested follow-up that asks it. Kept under Teams' size limit
// by showing fewer rows and facts when a reply is large.
import { waitingSentence } from '../../../orchestrator/render-text.js';
import type { ActionDecision, Reply } from '../../../orchestrator/types.js';
import { andMore, clip, oneLine, safeText } from './text.js';
import { type AdaptiveCardJson, adaptiveCard, type CardAction, type CardElement, cardSize, container, factSet, MAX_CARD_JSON, textBlock } from './card.js';

/** What a follow-up button sends back (Action.Submit data; Teams delivers it as a message's `value`). */
export const ASK_KEY = 'qmAsk';

const MAX_SUGGESTIONS = 5;
const MAX_DECISIONS = 5;
const MAX_COLUMNS = 8;

type Limits = { facts: number; rows: number; smallPrint: number; sources: number };
const TIERS: Limits[] = [
  { facts: 40, rows: 40, smallPrint: 2000, sources: 10 },
  { facts: 20, rows: 15, smallPrint: 800, sources: 5 },
  { facts: 10, rows: 5, smallPrint: 300, sources: 3 },
  { facts: 5, rows: 0, smallPrint: 150, sources: 0 },
];

export type ReplyCardOptions = {
  /** Who asked, when it was not the person reading (a follow-up clicked in a channel). */
  askedBy?: { name: string; question: string };
};

/** Renders `reply` as a card within Teams' size limit. */
export function renderReplyCard(reply: Reply, opts: ReplyCardOptions = {}): AdaptiveCardJson {
  let card = render(reply, opts, TIERS[0]!);
  for (const limits of TIERS.slice(1)) {
    if (cardSize(card) <= MAX_CARD_JSON) break;
    card = render(reply, opts, limits);
  }
  return card;
}

function render(reply: Reply, opts: ReplyCardOptions, limits: Limits): AdaptiveCardJson {
  const body: CardElement[] = [textBlock(safeText(reply.headline || 'No answer.', 2000), { weight: 'Bolder', size: 'Medium' })];
  if (reply.facts.length > 0) {
    const shown = reply.facts.slice(0, limits.facts);
    body.push(factSet(shown.map((f) => ({ title: oneLine(f.label, 100), value: safeText(f.value, 500) }))));
    if (reply.facts.length > shown.length) body.push(textBlock(andMore(reply.facts.length - shown.length, 'facts'), { size: 'Small', subtle: true }));
  }
  body.push(...tableElements(reply.table, limits.rows));
  body.push(...decisionElements(reply));
  if (reply.degraded.length > 0) {
    const text = `Partial answer: ${reply.degraded.map((d) => `the ${d.agent} agent did not answer (${d.reason})`).join('; ')}.`;
    body.push(textBlock(safeText(text, limits.smallPrint), { color: 'Warning', size: 'Small' }));
  }
  if (reply.rationale.length > 0) {
    body.push(textBlock(safeText(`Why: ${reply.rationale.join(' ')}`, limits.smallPrint), { size: 'Small', subtle: true, separator: true }));
  }
  if (reply.sources.length > 0 && limits.sources > 0) {
    const shown = reply.sources.slice(0, limits.sources).map((s) => sourceText(s.title, s.ref));
    const more = reply.sources.length - shown.length;
    body.push(textBlock(clip(`Sources: ${shown.join(' · ')}${more > 0 ? ` ${andMore(more, 'sources')}` : ''}`, limits.smallPrint + 600), { size: 'Small', subtle: true }));
  }
  if (opts.askedBy) {
    body.push(textBlock(`${oneLine(opts.askedBy.name, 100)} asked “${oneLine(opts.askedBy.question, 500)}”`, { size: 'Small', subtle: true }));
  }
  const suggestions = [...new Set(reply.suggestions.map((s) => s.trim()).filter((s) => s !== ''))].slice(0, MAX_SUGGESTIONS);
  const actions: CardAction[] = suggestions.map((s) => followUpAction(s));
  return adaptiveCard(body, actions.length > 0 ? { actions } : {});
}

/** A button that asks `question` in the same conversation (messageBack: shown as the person's message). */
export function followUpAction(question: string): CardAction {
  const q = clip(question.replace(/\s+/g, ' ').trim(), 500);
  return {
    type: 'Action.Submit',
    title: clip(q, 80),
    data: { [ASK_KEY]: q, msteams: { type: 'messageBack', text: q, displayText: q } },
  };
}

/** A table (Adaptive Cards 1.5 Table), at most `maxRows` rows and MAX_COLUMNS columns, with a note for the rest. */
function tableElements(table: Reply['table'], maxRows: number): CardElement[] {
  if (!table || table.rows.length === 0 || table.columns.length === 0) return [];
  if (maxRows === 0) return [textBlock(`A table of ${table.rows.length.toLocaleString('en-GB')} rows is not shown here; \`qm ask --json\` returns it.`, { size: 'Small', subtle: true })];
  const columns = table.columns.slice(0, MAX_COLUMNS);
  const numeric = columns.map((_, i) => table.rows.every((r) => /^[-(£$€]?[\d.,]+[)%]?$|^[A-Z]{3} [\d.,-]+$|^$/.test((r[i] ?? '').trim())));
  const cell = (text: string, i: number, header = false) => ({
    type: 'TableCell',
    items: [
      {
        type: 'TextBlock',
        text: oneLine(text, 120) || ' ',
        wrap: true,
        ...(header ? { weight: 'Bolder' } : {}),
        ...(numeric[i] ? { horizontalAlignment: 'Right' } : {}),
      },
    ],
  });
  const rows = table.rows.slice(0, maxRows);
  const out: CardElement[] = [
    {
      type: 'Table',
      columns: columns.map(() => ({ width: 1 })),
      firstRowAsHeader: true,
      gridStyle: 'accent',
      rows: [
        { type: 'TableRow', cells: columns.map((c, i) => cell(c, i, true)) },
        ...rows.map((r) => ({ type: 'TableRow', cells: columns.map((_, i) => cell(r[i] ?? '', i)) })),
      ],
    },
  ];
  const notes: string[] = [];
  if (table.rows.length > rows.length) notes.push(andMore(table.rows.length - rows.length, table.rows.length - rows.length === 1 ? 'row' : 'rows'));
  if (table.columns.length > columns.length) notes.push(andMore(table.columns.length - columns.length, 'columns'));
  if (notes.length > 0) out.push(textBlock(`${notes.join('; ')} (not shown here; \`qm ask --json\` returns them all).`, { size: 'Small', subtle: true }));
  return out;
}

function decisionItems(d: ActionDecision): CardElement[] {
  if (d.outcome === 'needs_approval') {
    const waiting = d.approval?.waitingFor.length ? d.approval.waitingFor.join('; ') : 'the approvers';
    const line = d.approval?.attached
      ? `${oneLine(waitingSentence(d.approval), 400)}, which waits for ${oneLine(waiting, 300)}: ${safeText(d.summary, 600)}`
      : `Approval #${d.approval?.number ?? '?'} requested, waiting for ${oneLine(waiting, 300)}: ${safeText(d.summary, 600)}`;
    return [
      textBlock(line, { weight: 'Bolder' }),
      textBlock(safeText(d.reason, 1500), { size: 'Small', subtle: true, spacing: 'None' }),
    ];
  }
  if (d.outcome === 'deny') {
    return [textBlock(`Not allowed: ${safeText(d.summary, 600)}`, { weight: 'Bolder', color: 'Attention' }), textBlock(safeText(d.reason, 1500), { size: 'Small', subtle: true, spacing: 'None' })];
  }
  return [
    textBlock(`Done under the agent's autonomy: ${safeText(d.result ?? d.summary, 1200)}`, { weight: 'Bolder', color: 'Good' }),
    textBlock(safeText(d.reason, 1500), { size: 'Small', subtle: true, spacing: 'None' }),
  ];
}

function decisionElements(reply: Reply): CardElement[] {
  const decisions = reply.decisions ?? [];
  if (decisions.length > 0) {
    const items = decisions.slice(0, MAX_DECISIONS).flatMap(decisionItems);
    if (decisions.length > MAX_DECISIONS) items.push(textBlock(andMore(decisions.length - MAX_DECISIONS, 'decisions'), { size: 'Small', subtle: true }));
    return [container(items, 'emphasis')];
  }
  if (reply.actions.length === 0) return [];
  const shown = reply.actions.slice(0, MAX_DECISIONS).map((a) => textBlock(`• ${oneLine(a.summary, 500)}`, { spacing: 'None' }));
  const more = reply.actions.length - shown.length;
  return [
    container(
      [textBlock('Proposed (needs a decision):', { weight: 'Bolder' }), ...shown, ...(more > 0 ? [textBlock(andMore(more, 'proposals'), { size: 'Small', subtle: true, spacing: 'None' })] : [])],
      'emphasis',
    ),
  ];
}

/** A source: a Markdown link when its reference is a web address, else the title and reference as text. */
function sourceText(title: string, ref: string): string {
  const t = oneLine(title, 150).replace(/[[\]]/g, '');
  if (/^https?:\/\/[^\s()<>[\]]+$/.test(ref) && ref.length <= 1000) return `[${t || ref}](${ref})`;
  return `${t} (${oneLine(ref, 120)})`;
}
