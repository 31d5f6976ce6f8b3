// score_suppliers: the candidates of a scope scored on the weighted criteria of policies/sourcing.yaml, each score
// explained in words that cite the evidence it came from.
import { z } from 'zod';
import { scoreCandidates } from '../../../src/sourcing/scoring.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { textTable } from '../../shared/format.js';
import { pageInput, pageOf, pageOutput, pageText } from '../../shared/paging.js';
import { guarded, toolError, toolResult } from '../../shared/result.js';
import { candidatesFor } from '../candidates.js';
import { sourcingPolicy } from '../lookup.js';
import { resolveScope, scopeArgs, scopeSchema } from '../scope.js';

const inputSchema = z.object({ ...scopeArgs, ...pageInput('scored candidates (highest first)', 100, 10) });

// Candidates scored, by 12-month spend: every page is cut from one ranking of the same pool.
const POOL = 100;

const outputSchema = z.strictObject({
  scope: scopeSchema,
  criteria: z.array(z.strictObject({ key: z.string(), weight: z.string() })),
  candidates: z.array(
    z.strictObject({
      supplierId: z.string(),
      name: z.string(),
      total: z.string().describe('Weighted score out of 100'),
      criteria: z.array(z.strictObject({ key: z.string(), weight: z.string(), score: z.number().int(), explanation: z.string() })),
      warnings: z.array(z.string()),
    }),
  ),
  ...pageOutput,
});

/** Registers score_suppliers. */
export const registerScoreSuppliers: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'score_suppliers',
    {
      title: 'Score candidate suppliers',
      description:
        'Scores the candidate suppliers of an event, category or need (0-100 on each criterion of policies/sourcing.yaml: category experience, price compliance, invoice accuracy, delivery, risk) with the weighted total; every score is explained with the evidence behind it, and concentration and risk are flagged.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded<z.infer<typeof inputSchema>>('score_suppliers', deps.log, async (args) => {
      const resolved = await resolveScope(deps, args);
      if (!resolved.ok) return toolError(resolved.message);
      const policy = await sourcingPolicy(deps);
      const { scope, candidates } = await candidatesFor(deps, resolved.scope, POOL);
      const ranked = scoreCandidates(candidates, policy);
      const scored = ranked.slice(args.offset, args.offset + args.limit);
      const page = pageOf(args.offset, scored.length, { total: ranked.length });
      const paging = pageText(args.offset, scored.length, page, 'name a narrower category to narrow it', ranked.length);
      const criteria = policy.capability.criteria.map((c) => ({ key: c.key, weight: c.weight }));
      if (scored.length === 0) {
        return toolResult(ranked.length > 0 ? paging : `No supplier in our records to score for ${scope.basis}.`, { scope, criteria, candidates: [], ...page });
      }
      const best = scored[0]!;
      const lead =
        args.offset > 0
          ? `Candidates ${args.offset + 1}-${args.offset + scored.length} of ${ranked.length} by score for ${scope.basis}.`
          : `${best.name} scores highest (${best.total}/100) of ${ranked.length} candidate${ranked.length === 1 ? '' : 's'} for ${scope.basis}.`;
      const table = textTable(['Supplier', 'Score', ...criteria.map((c) => `${c.key} ×${c.weight}`)], scored.map((s) => [s.name, s.total, ...s.criteria.map((c) => String(c.score))]));
      const why = scored.slice(0, 3).map((s) => `${s.name}: ${s.criteria.map((c) => c.explanation).join(' ')}${s.warnings.length ? ` Warning: ${s.warnings.join('; ')}.` : ''}`);
      return toolResult([lead, '', table, ...(paging ? [paging] : []), '', ...why].join('\n'), { scope, criteria, candidates: scored, ...page });
    }),
  );
};

export type ScoreSuppliersOutput = z.infer<typeof outputSchema>;
