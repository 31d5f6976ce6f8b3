// contract_details: one contract's terms, supplier, prices, stored clauses and key dates relative to today.
import { z } from 'zod';
import { contractParts } from '../../../src/db/queries/contracts.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { formatMoney } from '../../../src/domain/money.js';
import { textTable } from '../../shared/format.js';
import { guarded, toolError, toolResult } from '../../shared/result.js';
import { contractName, contractSummarySchema, daysBetween, deadlineAction, relativeDays, resolveContract, todayIso } from '../lookup.js';

const inputSchema = z.object({
  contract: z.string().min(1).max(200).describe('Contract number (e.g. "C-2024-002") or id'),
});

const outputSchema = z.strictObject({
  today: z.string(),
  contract: contractSummarySchema,
  keyDates: z.array(
    z.strictObject({
      kind: z.enum(['start', 'notice_deadline', 'end']),
      date: z.string(),
      daysUntil: z.number().int().describe('Negative when the date has passed'),
    }),
  ),
  action: z.string().nullable().describe('What the next deadline asks for, if the contract is live and has an end date'),
  prices: z.array(
    z.strictObject({
      sku: z.string().nullable(),
      description: z.string(),
      unit: z.string().nullable(),
      unitPrice: z.string().describe('Decimal string'),
      currency: z.string(),
      categoryCode: z.string().nullable(),
    }),
  ),
  clauses: z.array(
    z.strictObject({
      kind: z.string(),
      text: z.string(),
      value: z.string().nullable(),
      start: z.number().int().nullable(),
      end: z.number().int().nullable(),
    }),
  ),
  textLength: z.number().int().nullable().describe('Characters of stored full text; read it as the resource `resourceUri`'),
  resourceUri: z.string().nullable(),
});

/** Registers contract_details. */
export const registerContractDetails: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'contract_details',
    {
      title: 'Contract details',
      description:
        'Shows one contract (by number or id): supplier, status, value, term, renewal and notice terms, governing law, key dates with days until each (start, notice deadline = end date minus notice period, end), contracted prices and the clauses extracted from its text.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded<z.infer<typeof inputSchema>>('contract_details', deps.log, async (args) => {
      const r = await resolveContract(deps.database, args.contract);
      if (!r.ok) return toolError(r.message, { candidates: r.candidates });
      const c = r.value;
      const today = todayIso(deps.now());
      const { prices, clauses, textLength } = await contractParts(deps.database, c.id);
      const keyDates = (
        [
          ['start', c.startDate],
          ['notice_deadline', c.noticeDeadline],
          ['end', c.endDate],
        ] as const
      )
        .filter((d): d is readonly ['start' | 'notice_deadline' | 'end', string] => d[1] !== null)
        .map(([kind, date]) => ({ kind, date, daysUntil: daysBetween(today, date) }));
      const live = c.status === 'active' || c.status === 'draft';
      const action = live && c.endDate && c.endDate >= today ? deadlineAction(c, today) : null;

      const end = keyDates.find((d) => d.kind === 'end');
      const lead = [
        `${contractName(c)}${c.supplierName ? ` with ${c.supplierName}` : ''} is ${c.status}`,
        end ? `${end.daysUntil >= 0 ? 'ends' : 'ended'} ${end.date} (${relativeDays(end.daysUntil)})` : 'has no end date on record',
      ].join(' and ');
      const lines = [`${lead}.${action ? ` Next: ${action}.` : ''}`, ''];
      lines.push(
        textTable(
          ['Term', 'Value'],
          [
            ['Value', c.value && c.currency ? formatMoney(c.value, c.currency) : '-'],
            ['Start', c.startDate ?? '-'],
            ['End', c.endDate ?? '-'],
            ['Notice period', c.noticePeriodDays !== null ? `${c.noticePeriodDays} days` : '-'],
            ['Notice deadline', c.noticeDeadline ? `${c.noticeDeadline} (${relativeDays(daysBetween(today, c.noticeDeadline))})` : '-'],
            ['Auto-renews', c.autoRenew === null ? 'unknown' : c.autoRenew ? `yes${c.renewalTerm ? `, ${c.renewalTerm}` : ''}` : 'no'],
            ['Category', c.categoryCode ?? '-'],
          ],
        ),
      );
      if (prices.length > 0) {
        lines.push('', 'Contracted prices:');
        lines.push(
          textTable(
            ['SKU', 'Item', 'Unit', 'Price'],
            prices.map((p) => [p.sku ?? '-', p.description, p.unit ?? '-', formatMoney(p.unitPrice, p.currency)]),
          ),
        );
      }
      if (clauses.length > 0) {
        lines.push('', 'Clauses read from the text:');
        for (const k of clauses) {
          const quoted = k.text.replace(/\s+/g, ' ').trim();
          lines.push(`- ${k.kind}${k.value ? ` = ${k.value}` : ''}: "${quoted.length > 240 ? `${quoted.slice(0, 237)}...` : quoted}"`);
        }
      }
      const resourceUri = textLength !== null ? `contract://${c.id}` : null;
      if (resourceUri) lines.push('', `Full text: ${textLength} characters at ${resourceUri}.`);
      return toolResult(lines.join('\n'), { today, contract: c, keyDates, action, prices, clauses, textLength, resourceUri });
    }),
  );
};

/** What contract_details returns as structured content (the SDK checks it against outputSchema). */
export type ContractDetailsOutput = z.infer<typeof outputSchema>;
