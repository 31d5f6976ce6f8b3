// supplier_duplicates: candidate duplicate supplier master records, scored, with the evidence for each pair.
import { z } from 'zod';
import { supplierMasterList } from '../../../src/db/queries/suppliers.js';
import { findDuplicatePairs } from '../../../src/screening/duplicates.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { pageInput, pageOf, pageOutput, pageText } from '../../shared/paging.js';
import { guarded, toolResult } from '../../shared/result.js';
import { resolveSupplierArg, supplierArg } from '../lookup.js';

const inputSchema = z.object({
  supplier: supplierArg
    .optional()
    .describe('Only pairs involving this supplier (name, alias or id); omit to scan the whole master'),
  minScore: z.number().min(0.3).max(1).default(0.5).describe('Lowest pair score returned, 0.3-1 (default 0.5)'),
  ...pageInput('pairs (most likely first)', 50, 10),
});

const recordSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  country: z.string().nullable(),
  taxId: z.string().nullable(),
  email: z.string().nullable(),
  spendLines: z.number().int().describe('Spend lines recorded against this record'),
});

const outputSchema = z.strictObject({
  suppliersCompared: z.number().int(),
  pairsFound: z.number().int().describe('Pairs at or above minScore, in all pages'),
  pairs: z.array(
    z.strictObject({
      score: z.number().min(0).max(1),
      a: recordSchema,
      b: recordSchema,
      evidence: z.array(
        z.strictObject({
          kind: z.enum(['tax_id', 'email', 'email_domain', 'name', 'alias', 'conflict']),
          detail: z.string(),
        }),
      ),
    }),
  ),
  ...pageOutput,
});

/** Registers supplier_duplicates. */
export const registerSupplierDuplicates: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'supplier_duplicates',
    {
      title: 'Find duplicate suppliers',
      description:
        'Lists pairs of supplier master records that are probably the same company, scored 0..1, with the evidence: same tax id, same email address or company email domain, a shared alias, and names that are equal or nearly so after normalisation (case, punctuation, spacing, legal form, transliteration, word order). Different tax ids or countries lower the score. Optionally only pairs involving one supplier.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded<z.infer<typeof inputSchema>>('supplier_duplicates', deps.log, async (args) => {
      let focus: { id: string; name: string } | undefined;
      if (args.supplier) {
        const r = await resolveSupplierArg(deps.database, args.supplier);
        if (!r.ok) return r.result;
        focus = r.value.supplier;
      }
      const master = await supplierMasterList(deps.database);
      const byId = new Map(master.map((s) => [s.id, s]));
      const found = findDuplicatePairs(master, { minScore: args.minScore, ...(focus ? { focus: focus.id } : {}) });
      const record = (id: string) => {
        const s = byId.get(id)!;
        return {
          id,
          name: s.name,
          status: s.status,
          country: s.country,
          taxId: s.taxId,
          email: s.email,
          spendLines: s.spendLines,
        };
      };
      const pairs = found
        .slice(args.offset, args.offset + args.limit)
        .map((p) => ({ score: p.score, a: record(p.a), b: record(p.b), evidence: p.evidence }));
      const page = pageOf(args.offset, pairs.length, { total: found.length });
      const paging = pageText(args.offset, pairs.length, page, 'raise minScore or name a supplier to narrow it', found.length);
      const scope = focus ? ` involving ${focus.name}` : '';
      const lines: string[] = [];
      const top = pairs[0];
      if (!top && found.length > 0) {
        lines.push(paging);
      } else if (!top) {
        lines.push(
          `No likely duplicate supplier records${scope} (checked ${master.length} records, minimum score ${args.minScore}).`,
        );
      } else {
        lines.push(
          `${found.length} candidate duplicate pair${found.length === 1 ? '' : 's'}${scope}. ${args.offset > 0 ? 'First on this page' : 'Most likely'}: "${top.a.name}" and "${top.b.name}" (score ${top.score.toFixed(2)}): ${top.evidence.map((e) => e.detail).join('; ')}.`,
          `Checked ${master.length} supplier records; ${paging ? paging.replace(/^S/, 's') : `showing ${pairs.length}.`} Merging records is a master-data change for a person to approve.`,
          '',
        );
        pairs.forEach((p, i) => {
          lines.push(
            `${args.offset + i + 1}. ${p.score.toFixed(2)}  "${p.a.name}" [${p.a.id}, ${p.a.spendLines} spend lines] ~ "${p.b.name}" [${p.b.id}, ${p.b.spendLines} spend lines]`,
            `   ${p.evidence.map((e) => e.detail).join('; ')}`,
          );
        });
      }
      return toolResult(lines.join('\n'), { suppliersCompared: master.length, pairsFound: found.length, pairs, ...page });
    }),
  );
};

/** What supplier_duplicates returns as structured content (the SDK checks it against outputSchema). */
export type SupplierDuplicatesOutput = z.infer<typeof outputSchema>;
