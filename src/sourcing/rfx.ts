// The RFx document of a sourcing event: a request for quotation when the event has priced lines, else a request for
// proposal. One model (sections of headings, paragraphs and tables) rendered two ways: Markdown for chat, MCP and
// the terminal, and a Word document through `docx`. It carries the scope and lines, the evaluation criteria and
// weights, the timeline, the submission format (the bid template CSV, whose columns `qm import bids` reads) and
// the standard terms of policies/sourcing.yaml. The budget is never written into it.
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { EventDetail } from './detail.js';
import type { SourcingPolicy } from './policy.js';

type Block = { heading: string } | { text: string } | { table: { columns: string[]; rows: string[][] } } | { code: string };

/** The columns of the bid template: one row per line, as `qm import bids` reads them. */
export const BID_TEMPLATE_COLUMNS = ['bidder', 'line', 'item', 'description', 'quantity', 'unit', 'unit_price', 'line_total', 'currency', 'lead_time_days', 'notes'];

function csvCell(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The bid template CSV of an event: its lines, with the price columns left for the bidder. */
export function bidTemplateCsv(d: EventDetail): string {
  const rows = d.lines.map((l) => ['', String(l.lineNo), l.itemCode ?? '', l.description, l.quantity ?? '', l.unit ?? '', '', '', d.currency ?? '', '', '']);
  return [BID_TEMPLATE_COLUMNS, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

const day = (d: Date) => d.toISOString().slice(0, 10);

function blocks(d: EventDetail, policy: SourcingPolicy, now: Date): { title: string; body: Block[] } {
  const kind = d.lines.some((l) => l.quantity !== null) ? 'Request for Quotation' : 'Request for Proposal';
  const issued = d.status === 'draft' ? now : new Date(d.createdAt);
  const closes = d.deadline ? new Date(d.deadline) : new Date(now.getTime() + policy.rfx.responseDays * 86_400_000);
  const questions = new Date(closes.getTime() - 7 * 86_400_000);
  const body: Block[] = [
    { text: `Reference: sourcing event ${d.number}${d.categoryCode ? ` · category ${d.categoryCode}` : ''} · ${d.status === 'draft' ? 'draft, not yet issued' : `issued ${day(issued)}`}` },
    { heading: '1. Scope' },
    { text: d.description ?? d.title },
  ];
  if (d.neededFrom) body.push({ text: `The goods or services are needed from ${d.neededFrom}.` });
  body.push({ heading: '2. Lines' });
  body.push(
    d.lines.length > 0
      ? { table: { columns: ['Line', 'Item', 'Description', 'Quantity', 'Unit'], rows: d.lines.map((l) => [String(l.lineNo), l.itemCode ?? '', l.description, l.quantity ?? '', l.unit ?? '']) } }
      : { text: 'The lines are described in the scope; price each element of your proposal on its own line of the bid template.' },
  );
  body.push(
    { heading: '3. Evaluation' },
    { text: 'Bids are evaluated on the criteria below, with these weights. A bid may be awarded in whole or by line.' },
    { table: { columns: ['Criterion', 'Weight'], rows: d.criteria.map((c) => [c.label, `${Math.round(c.weight * 1000) / 10}%`]) } },
    { heading: '4. Timeline' },
    {
      table: {
        columns: ['Step', 'Date'],
        rows: [
          ['RFx issued', day(issued)],
          ['Last day for clarification questions', day(questions)],
          ['Bids close', `${day(closes)} ${closes.toISOString().slice(11, 16)} UTC`],
          ['Award decision expected', day(new Date(closes.getTime() + 14 * 86_400_000))],
          ...(d.neededFrom ? [['Service or delivery starts', d.neededFrom]] : []),
        ],
      },
    },
    { heading: '5. How to respond' },
    {
      text: `Return the bid template below as a CSV file, one row per line: keep the line numbers, fill in unit_price (per unit, excluding VAT) and line_total (quantity × unit price), your lead time in days and any notes, and put your company's name in the bidder column${d.currency ? `. Prices in ${d.currency}` : ''}. A line you do not bid for stays empty; do not add, merge or reorder lines.`,
    },
    { code: bidTemplateCsv(d) },
    { heading: '6. Standard terms' },
    ...(policy.rfx.standardTerms.length > 0 ? policy.rfx.standardTerms.map((t, i) => ({ text: `${i + 1}. ${t}` })) : [{ text: 'Our standard terms of purchase apply.' }]),
  );
  return { title: `${kind}: ${d.title}`, body };
}

function mdCell(v: string): string {
  return v.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The RFx as Markdown. */
export function rfxMarkdown(d: EventDetail, policy: SourcingPolicy, now: Date): string {
  const { title, body } = blocks(d, policy, now);
  const out = [`# ${title}`, ''];
  for (const b of body) {
    if ('heading' in b) out.push(`## ${b.heading}`, '');
    else if ('text' in b) out.push(b.text, '');
    else if ('code' in b) out.push('```csv', b.code.trimEnd(), '```', '');
    else {
      out.push(`| ${b.table.columns.map(mdCell).join(' | ')} |`, `|${b.table.columns.map(() => ' --- ').join('|')}|`);
      for (const r of b.table.rows) out.push(`| ${r.map(mdCell).join(' | ')} |`);
      out.push('');
    }
  }
  return out.join('\n');
}

function cell(text: string, bold = false): TableCell {
  return new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold })] })] });
}

/** The RFx as a Word document (.docx bytes). */
export async function rfxDocx(d: EventDetail, policy: SourcingPolicy, now: Date): Promise<Buffer> {
  const { title, body } = blocks(d, policy, now);
  const children: (Paragraph | Table)[] = [new Paragraph({ text: title, heading: HeadingLevel.TITLE })];
  for (const b of body) {
    if ('heading' in b) children.push(new Paragraph({ text: b.heading, heading: HeadingLevel.HEADING_1 }));
    else if ('text' in b) children.push(new Paragraph({ text: b.text }));
    else if ('code' in b) {
      for (const line of b.code.trimEnd().split('\n')) children.push(new Paragraph({ children: [new TextRun({ text: line, font: 'Consolas', size: 18 })], alignment: AlignmentType.LEFT }));
    } else {
      children.push(
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: [new TableRow({ children: b.table.columns.map((c) => cell(c, true)), tableHeader: true }), ...b.table.rows.map((r) => new TableRow({ children: r.map((c) => cell(c)) }))],
        }),
      );
    }
  }
  const doc = new Document({ title, creator: 'Quartermaster', sections: [{ children }] });
  return Packer.toBuffer(doc);
}
