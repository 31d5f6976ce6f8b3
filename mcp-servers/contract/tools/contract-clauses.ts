// contract_clauses: which clause types (CUAD categories) a stored contract or a given text contains, with quoted
// spans and normalised values. Deterministic patterns, so the same text always gives the same answer.
import { z } from 'zod';
import { CLAUSE_TYPE_IDS, type ClauseType, detectClauses } from '../../../src/contracts/clauses/index.js';
import { contractText } from '../../../src/db/queries/contracts.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { guarded, toolError, toolResult } from '../../shared/result.js';
import { contractName, resolveContract } from '../lookup.js';

const MAX_TEXT = 2_000_000;
const clauseType = z.enum(CLAUSE_TYPE_IDS as [ClauseType, ...ClauseType[]]);

const inputSchema = z.object({
  contract: z.string().min(1).max(200).optional().describe('Contract number or id of a stored contract (give this or `text`)'),
  text: z
    .string()
    .min(1)
    .max(MAX_TEXT)
    .optional()
    .describe('A contract text to analyse instead of a stored contract, up to 2,000,000 characters'),
  types: z.array(clauseType).min(1).max(CLAUSE_TYPE_IDS.length).optional().describe('Only these clause types (default: all)'),
});

const outputSchema = z.strictObject({
  source: z.strictObject({
    kind: z.enum(['contract', 'text']),
    contractId: z.string().nullable(),
    contractNumber: z.string().nullable(),
    title: z.string().nullable(),
    length: z.number().int().describe('Characters analysed'),
  }),
  checked: z.number().int(),
  present: z.number().int(),
  clauses: z.array(
    z.strictObject({
      type: clauseType,
      label: z.string().describe('The CUAD category name'),
      present: z.boolean(),
      spans: z.array(
        z.strictObject({
          text: z.string().describe('Quoted verbatim from the text'),
          start: z.number().int().describe('Offset of the first character (UTF-16 code units)'),
          end: z.number().int().describe('Offset just past the last character'),
        }),
      ),
      value: z
        .string()
        .nullable()
        .describe('Normalised: a date (yyyy-mm-dd), a period ("90 days"), a jurisdiction, or Yes/No'),
    }),
  ),
});

/** Registers contract_clauses. */
export const registerContractClauses: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'contract_clauses',
    {
      title: 'Contract clauses',
      description: `Finds which clause types a stored contract (by number or id) or a given text contains: ${CLAUSE_TYPE_IDS.join(', ')}. Each comes with present/absent, quoted spans with offsets, and a normalised value (date, period, jurisdiction or Yes/No). Pattern-based, no model: a clause worded unusually can be missed.`,
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded<z.infer<typeof inputSchema>>('contract_clauses', deps.log, async (args) => {
      if ((args.contract === undefined) === (args.text === undefined)) {
        return toolError('Give either `contract` (a contract number or id) or `text` (the contract text), not both or neither.');
      }
      let source: z.infer<typeof outputSchema>['source'];
      let text: string;
      if (args.contract !== undefined) {
        const r = await resolveContract(deps.database, args.contract);
        if (!r.ok) return toolError(r.message, { candidates: r.candidates });
        const stored = await contractText(deps.database, r.value.id);
        if (stored === null) {
          return toolError(
            `Contract ${contractName(r.value)} has no stored text to read clauses from; pass the document as \`text\` instead.`,
          );
        }
        text = stored;
        source = { kind: 'contract', contractId: r.value.id, contractNumber: r.value.contractNumber, title: r.value.title, length: text.length };
      } else {
        text = args.text!;
        source = { kind: 'text', contractId: null, contractNumber: null, title: null, length: text.length };
      }

      const clauses = detectClauses(text, args.types);
      const present = clauses.filter((c) => c.present);
      const absent = clauses.filter((c) => !c.present);
      const named = source.kind === 'contract' ? `${source.contractNumber ?? source.title}` : 'The text';
      const lead =
        present.length === 0
          ? `${named}: none of the ${clauses.length} clause types checked was found.`
          : `${named}: ${present.length} of ${clauses.length} clause types found: ${present
              .map((c) => `${c.label}${c.value && c.value !== 'Yes' ? ` (${c.value})` : ''}`)
              .join('; ')}.`;
      const lines = [lead];
      if (absent.length > 0 && present.length > 0) lines.push(`Not found: ${absent.map((c) => c.label).join(', ')}.`);
      for (const c of present) {
        const first = c.spans[0]!;
        const quoted = first.text.replace(/\s+/g, ' ').trim();
        lines.push(
          '',
          `${c.label}${c.value ? ` = ${c.value}` : ''} [${first.start}-${first.end}]${c.spans.length > 1 ? ` (+${c.spans.length - 1} more)` : ''}:`,
          `  "${quoted.length > 300 ? `${quoted.slice(0, 297)}...` : quoted}"`,
        );
      }
      return toolResult(lines.join('\n'), { source, checked: clauses.length, present: present.length, clauses });
    }),
  );
};

/** What contract_clauses returns as structured content (the SDK checks it against outputSchema). */
export type ContractClausesOutput = z.infer<typeof outputSchema>;
