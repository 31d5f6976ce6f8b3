// find_spend_terms: which department or category of the organisation's own spend data a word names ("IT", "HR",
// "cleaning"): an exact name first, then an alias from the policy folder's aliases.yaml, then initials, then names
// that merely contain it, always saying which.
import { z } from 'zod';
import { spendTerms } from '../../../src/db/queries/spend-terms.js';
import { matchTerms } from '../../../src/domain/term-match.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { pageInput, pageOf, pageOutput, pageText } from '../../shared/paging.js';
import { guarded, toolResult } from '../../shared/result.js';
import { loadTermAliases } from '../term-aliases.js';
import { formatCount, READ_ONLY } from './common.js';

const inputSchema = {
  query: z
    .string()
    .trim()
    .min(1, 'Give the department or category name to look up.')
    .max(200, 'query must be at most 200 characters')
    .describe('A department or category as a person says it: a name, part of one, or initials ("HR").'),
  kind: z.enum(['department', 'category']).describe('Look among departments or among categories.'),
  ...pageInput('values of each list (matches, related)', 100, 25),
};

const term = z.object({ label: z.string().describe('The value as the spend data spells it.'), payments: z.number().int() });

const outputSchema = z.object({
  query: z.string(),
  kind: z.enum(['department', 'category']),
  matched_by: z
    .enum(['exact', 'alias', 'initials', 'contains'])
    .nullable()
    .describe('How the matches were found; null when nothing matched.'),
  matches: z.array(term).describe('The values the query names (several only when the data spells one value several ways or the match is loose).'),
  related: z.array(term).describe('Other values containing the query as words: related, not the same.'),
  known: z.number().int().describe('How many distinct values of this kind the spend data has.'),
  ...pageOutput,
});

type Output = z.infer<typeof outputSchema>;

/** Registers `find_spend_terms`. */
export const registerFindSpendTermsTool: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'find_spend_terms',
    {
      title: 'Find departments and categories',
      description:
        'Looks a department or spend category up in the organisation\'s own spend data, the way people name them: exact name (any case), an alias the organisation lists in aliases.yaml ("ICT" for "Information Technology"), initials of a longer name ("HR" for "Human Resources"), or every value containing the words. Says which kind of match was used and lists related values separately, so "Cleaning" is not confused with "Window Cleaning". Use the returned label as the department or category filter of spend_summary and spend_trend.',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY,
    },
    guarded('find_spend_terms', deps.log, async (args) => {
      const [terms, aliases] = await Promise.all([spendTerms(deps.database, args.kind), loadTermAliases(deps.policyDir)]);
      // Initials name departments ("HR"); for categories they would only guess.
      const { matches, related } = matchTerms(args.query, terms, aliases[args.kind], { initials: args.kind === 'department' });
      const slim = (t: { label: string; payments: number }) => ({ label: t.label, payments: t.payments });
      // Both lists page together: one offset, `limit` values of each.
      const window = <T>(xs: T[]) => xs.slice(args.offset, args.offset + args.limit);
      const shown = Math.max(window(matches).length, window(related).length);
      const page = pageOf(args.offset, shown, { total: Math.max(matches.length, related.length) });
      const out: Output = {
        query: args.query,
        kind: args.kind,
        matched_by: matches[0]?.matchedBy ?? null,
        matches: window(matches).map(slim),
        related: window(related).map(slim),
        known: terms.length,
        ...page,
      };
      const list = (xs: Output['matches']) => xs.map((x) => `${x.label} (${formatCount(x.payments)} payments)`).join('; ');
      const lines =
        matches.length === 0
          ? [`No ${args.kind} matches "${args.query}" among ${formatCount(terms.length)} in the spend data.`]
          : out.matches.length === 0
            ? [`"${args.query}" names ${formatCount(matches.length)} ${args.kind} value${matches.length === 1 ? '' : 's'} (${out.matched_by} match), all on earlier pages.`]
            : [`"${args.query}" is the ${args.kind} ${list(out.matches)} (${out.matched_by} match).`];
      if (out.related.length > 0) lines.push(`Related, not included: ${list(out.related)}.`);
      const paging = pageText(args.offset, shown, page, 'use more of the name to narrow it');
      if (paging) lines.push(paging);
      return toolResult(lines.join('\n'), out);
    }),
  );
};

/** What find_spend_terms returns as structured content. */
export type FindSpendTermsOutput = Output;
