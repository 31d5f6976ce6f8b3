// screen_sanctions: screens any name against the latest version of every imported sanctions list, with each
// match explained.
import { z } from 'zod';
import { DEFAULT_THRESHOLD, ENTRY_TYPES, screenName } from '../../../src/screening/screen.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { guarded, toolError, toolResult } from '../../shared/result.js';
import { listsOutput, matchOutput, screenedListSchema, screeningMatchSchema } from '../lookup.js';

const inputSchema = z.object({
  name: z
    .string({
      error: (issue) =>
        issue.input === undefined ? 'name is required: give the name to screen.' : 'name must be a string.',
    })
    .trim()
    .min(1, 'Give the name to screen.')
    .max(300, 'A name to screen is at most 300 characters.')
    .describe(
      'Name of the company, person, vessel or aircraft to screen, as written anywhere (suffixes, accents, word order may differ)',
    ),
  country: z
    .string()
    .trim()
    .min(2)
    .max(60)
    .optional()
    .describe(
      'Country of the party (ISO alpha-2 code or English name); a listed party mentioning it ranks slightly higher',
    ),
  entityType: z.enum(ENTRY_TYPES).optional().describe('Only listed parties of this type'),
  threshold: z
    .number()
    .min(0.5)
    .max(1)
    .default(DEFAULT_THRESHOLD)
    .describe(`Lowest score reported, 0.5-1 (default ${DEFAULT_THRESHOLD}); 0.92 and above is a strong match`),
  limit: z.number().int().min(1).max(50).default(10).describe('Most matches to return (1-50)'),
});

const outputSchema = z.strictObject({
  verdict: z.enum(['strong_match', 'possible_match', 'no_match']),
  name: z.string(),
  screenedAs: z.string().describe('The words compared, after folding case and accents and removing legal forms'),
  threshold: z.number(),
  lists: z.array(screenedListSchema).describe('The list versions screened (the latest of each source)'),
  matches: z.array(screeningMatchSchema),
});

/** Registers screen_sanctions. */
export const registerScreenSanctions: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'screen_sanctions',
    {
      title: 'Screen a name against sanctions lists',
      description:
        'Screens a name against the latest imported version of each sanctions list (e.g. OFAC SDN), including aliases. Tolerates legal suffixes, punctuation, case, accents, word order, transliteration and typos; weighs words by rarity so a shared common word ("trading", "international") does not make a match. Returns ranked matches (score 0..1, strong >= 0.92) with the list version, entry, which name matched (primary or alias, strong or weak), programs, remarks and the reasons it matched. A match is a lead for a human to review, not a determination.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded<z.infer<typeof inputSchema>>('screen_sanctions', deps.log, async (args) => {
      const outcome = await screenName(deps.database, {
        name: args.name,
        ...(args.country ? { country: args.country } : {}),
        ...(args.entityType ? { entityType: args.entityType } : {}),
        threshold: args.threshold,
        limit: args.limit,
      });
      if (outcome.verdict === 'not_screened') {
        return toolError(
          'No sanctions list has been imported, so nothing was screened. Import one with `qm import sanctions <file>`.',
        );
      }
      const lists = listsOutput(outcome);
      const listText = lists
        .map((l) => `${l.source} ${l.version} (${l.entries.toLocaleString('en-GB')} entries)`)
        .join(', ');
      const matches = outcome.matches.map(matchOutput);
      const lines: string[] = [];
      const top = matches[0];
      if (!top) {
        lines.push(
          outcome.screenedAs === ''
            ? `No match: "${args.name}" has no letters or digits to compare.`
            : `No match for "${args.name}" at threshold ${args.threshold} on ${listText}.`,
        );
      } else {
        const strong = matches.filter((m) => m.band === 'strong').length;
        const head =
          strong > 0
            ? `STRONG MATCH: "${args.name}" matches ${top.list.source} entry ${top.entryId} ${top.entryName} (score ${top.score.toFixed(2)}).`
            : `Possible match: "${args.name}" resembles ${top.list.source} entry ${top.entryId} ${top.entryName} (score ${top.score.toFixed(2)}); review before acting.`;
        lines.push(
          head,
          `Screened against ${listText}; ${matches.length} match${matches.length === 1 ? '' : 'es'} at threshold ${args.threshold}.`,
          '',
        );
        matches.forEach((m, i) => {
          const alias =
            m.matchedName.kind === 'primary'
              ? 'primary name'
              : `${m.matchedName.strength} ${m.matchedName.kind} "${m.matchedName.name}"`;
          lines.push(
            `${i + 1}. ${m.score.toFixed(2)} ${m.band} — ${m.list.source} ${m.list.version} #${m.entryId} ${m.entryName} (${m.entryType}${m.programs.length ? `; ${m.programs.join(', ')}` : ''}); matched ${alias}`,
            `   why: ${m.why.join('; ')}`,
          );
          if (m.remarks) lines.push(`   remarks: ${m.remarks}`);
        });
      }
      return toolResult(lines.join('\n'), {
        verdict: outcome.verdict,
        name: args.name,
        screenedAs: outcome.screenedAs,
        threshold: args.threshold,
        lists,
        matches,
      });
    }),
  );
};

/** What screen_sanctions returns as structured content (the SDK checks it against outputSchema). */
export type ScreenSanctionsOutput = z.infer<typeof outputSchema>;
