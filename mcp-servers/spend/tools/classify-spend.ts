// classify_spend: proposes UNSPSC codes for a free-text line description, lexically, with the words that matched.
import { z } from 'zod';
import { classifyDescription } from '../../../src/db/queries/spend-classify.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { textTable } from '../../shared/format.js';
import { guarded, toolResult } from '../../shared/result.js';
import { READ_ONLY } from './common.js';

const LEVELS = ['segment', 'family', 'class', 'commodity', 'custom'] as const;

const inputSchema = {
  description: z
    .string()
    .min(1)
    .max(500, 'description must be at most 500 characters')
    .describe('The purchase or invoice line to classify, e.g. "Latitude 5440 notebook computer".'),
  top: z.number().int().min(1).max(20, 'top is at most 20').default(5).describe('How many codes to return (1-20, default 5).'),
};

const outputSchema = z.object({
  description: z.string(),
  method: z.literal('lexical'),
  terms: z.array(z.string()).describe('The stemmed words the description was reduced to.'),
  unknown_terms: z.array(z.string()).describe('Words no category title contains; they do not count.'),
  matches: z.array(
    z.object({
      code: z.string(),
      title: z.string(),
      level: z.enum(LEVELS),
      score: z
        .number()
        .describe('0-1: share of the weight of the known words (not unknown_terms) that the category\'s titles cover.'),
      path: z.array(z.object({ code: z.string(), title: z.string(), level: z.enum(LEVELS) })),
      matched_terms: z.array(z.object({ term: z.string(), weight: z.number(), level: z.enum(LEVELS) })),
    }),
  ),
  categories_searched: z.number().int(),
});

/** Registers `classify_spend`. */
export const registerClassifySpendTool: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'classify_spend',
    {
      title: 'Classify spend (UNSPSC)',
      description:
        'Proposes UNSPSC commodity and class codes for a free-text description, ranked by score, from the imported category tree. The matcher is lexical, not semantic: it stems the words, weights rare words higher (IDF over category titles) and credits words found in the class, family or segment title less. It cannot know synonyms ("laptop" is not "notebook computer"); check matched_terms and treat low scores as guesses.',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY,
    },
    guarded('classify_spend', deps.log, async (args) => {
      const r = await classifyDescription(deps.database, args.description, args.top);
      const out = {
        description: args.description,
        method: 'lexical' as const,
        terms: r.terms,
        unknown_terms: r.unknownTerms,
        matches: r.matches.map((m) => ({
          code: m.code,
          title: m.title,
          level: m.level,
          score: m.score,
          path: m.path,
          matched_terms: m.matched,
        })),
        categories_searched: r.categories,
      };
      const best = r.matches[0];
      const lines: string[] = [];
      if (r.categories === 0) lines.push('No categories are imported yet; import UNSPSC with `qm import unspsc <file>`.');
      else if (!best) {
        lines.push(
          `No UNSPSC title shares a word with "${args.description}"${r.unknownTerms.length ? ` (unmatched: ${r.unknownTerms.join(', ')})` : ''}; try other words for the item.`,
        );
      } else {
        lines.push(
          `Best lexical match: ${best.code} ${best.title} (${best.level}, score ${best.score.toFixed(2)}; matched ${best.matched.map((m) => m.term).join(', ')}).`,
        );
        if (r.unknownTerms.length) lines.push(`Words no category title contains: ${r.unknownTerms.join(', ')}.`);
        lines.push(
          '',
          textTable(
            ['code', 'title', 'level', 'score', 'matched'],
            r.matches.map((m) => [m.code, m.title, m.level, m.score.toFixed(2), m.matched.map((t) => `${t.term}@${t.level}`).join(' ')]),
          ),
        );
      }
      return toolResult(lines.join('\n'), out);
    }),
  );
};

/** What classify_spend returns as structured content (the SDK checks it against outputSchema). */
export type ClassifySpendOutput = z.infer<typeof outputSchema>;
