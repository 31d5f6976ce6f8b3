// score_suppliers: the candidates of a scope scored on the weighted criteria of policies/sourcing.yaml, each score
// explained in words that cite the evidence it came from.
import { z } from 'zod';
import { scoreCandidates } from '../../../src/sourcing/scoring.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { textTable } from '../../shared/format.js';
import { guarded, toolError, toolResult } from '../../shared/result.js';
import { candidatesFor } from '../candidates.js';
import { sourcingPolicy } from '../lookup.js';
import { resolveScope, scopeArgs, scopeSchema } from '../scope.js';

const inputSchema = z.object({ ...scopeArgs, limit: z.number().int().min(1).max(100).default(10) });

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
      const { scope, candidates } = await candidatesFor(deps, resolved.scope, Math.max(args.limit, 25));
      const scored = scoreCandidates(candidates, policy).slice(0, args.limit);
      const criteria = policy.capability.criteria.map((c) => ({ key: c.key, weight: c.weight }));
      if (scored.length === 0) return toolResult(`No supplier in our records to score for ${scope.basis}.`, { scope, criteria, candidates: [] });
      const best = scored[0]!;
      const lead = `${best.name} scores highest (${best.total}/100) of ${scored.length} candidate${scored.length === 1 ? '' : 's'} for ${scope.basis}.`;
      const table = textTable(['Supplier', 'Score', ...criteria.map((c) => `${c.key} ×${c.weight}`)], scored.map((s) => [s.name, s.total, ...s.criteria.map((c) => String(c.score))]));
      const why = scored.slice(0, 3).map((s) => `${s.name}: ${s.criteria.map((c) => c.explanation).join(' ')}${s.warnings.length ? ` Warning: ${s.warnings.join('; ')}.` : ''}`);
      return toolResult([lead, '', table, '', ...why].join('\n'), { scope, criteria, candidates: scored });
    }),
  );
};

export type ScoreSuppliersOutput = z.infer<typeof outputSchema>;
