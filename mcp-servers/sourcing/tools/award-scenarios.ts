// award_scenarios: who would get which lines under each way of awarding an event (single lowest, split lowest, the
// cheapest split under a share cap, proven optimal, and splits without high-risk bidders), each with its trade-off.
// Every bidder is screened against the sanctions lists here, so an award proposed from these scenarios is screened
// in the same turn; a strong match makes the bidder high risk.
import { z } from 'zod';
import { formatMoney } from '../../../src/domain/money.js';
import { assessBidders } from '../../../src/sourcing/bidder-risk.js';
import { asBids, linesAndBids } from '../../../src/sourcing/detail.js';
import { awardScenarios } from '../../../src/sourcing/scenarios.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { guarded, toolError, toolResult } from '../../shared/result.js';
import { eventArg, findEvent, readBids, sourcingPolicy } from '../lookup.js';

const fraction = z.number().gt(0).lte(1);

const inputSchema = z.object({
  event: eventArg,
  max_share: fraction.optional().describe('Largest share of the awarded value any one supplier may get, a fraction in (0, 1], e.g. 0.4'),
  exclude: z.array(z.string().min(1).max(300)).max(100).default([]).describe('Bidders to leave out, by name as in the bids'),
  incumbent_bonus: z.number().min(0).lt(1).optional().describe("Fraction by which incumbents' prices count lower when choosing (totals stay real)"),
});

const awardSchema = z.strictObject({ bidder: z.string(), supplierId: z.string(), total: z.string(), share: z.string(), lines: z.array(z.number().int()) });

const outputSchema = z.strictObject({
  event: z.number().int(),
  event_id: z.string(),
  title: z.string(),
  category: z.string().nullable(),
  currency: z.string(),
  scenarios: z.array(z.strictObject({ kind: z.string(), total: z.string(), awards: z.array(awardSchema), tradeoff: z.string(), excluded: z.array(z.string()) })),
  unavailable: z.array(z.strictObject({ kind: z.string(), reason: z.string() })),
  unawarded_lines: z.array(z.number().int()),
  high_risk: z.array(z.strictObject({ bidder: z.string(), supplierId: z.string(), reason: z.string() })),
  screening: z.array(
    z.strictObject({
      bidder: z.string(),
      supplierId: z.string(),
      verdict: z.enum(['strong_match', 'possible_match', 'no_match', 'not_screened']),
      matched: z.string().nullable(),
    }),
  ),
});

/** A fraction given as a JS number, as the exact decimal it was written as. */
function decimalOf(n: number): string {
  return String(Number(n.toFixed(6)));
}

/** Registers award_scenarios. */
export const registerAwardScenarios: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'award_scenarios',
    {
      title: 'Award scenarios',
      description:
        'Ways to award a sourcing event with their cost, concentration and risk: single_lowest (one bidder who priced every line), split_lowest (each line to its cheapest bidder), split_capped (with max_share: the cheapest split with no bidder above that share, proven optimal by a MIP solver) and risk-adjusted splits without high-risk bidders. Each scenario states its trade-off; an impossible cap says why.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded<z.infer<typeof inputSchema>>('award_scenarios', deps.log, async (args) => {
      const found = await findEvent(deps, args.event);
      if (!found.ok) return toolError(found.message);
      const e = found.event;
      const access = await readBids(deps, e, 'award_scenarios');
      if (!access.ok) return toolError(access.message);
      const [{ lines, bids }, policy] = await Promise.all([linesAndBids(deps.database, e.id), sourcingPolicy(deps)]);
      if (bids.length === 0) return toolError(`Event ${e.number} has no bids yet to award.`);
      const unknown = args.exclude.filter((x) => !bids.some((b) => b.bidder.toLowerCase() === x.toLowerCase()));
      if (unknown.length > 0) return toolError(`No bidder on event ${e.number} is called ${unknown.map((u) => `"${u}"`).join(', ')}; the bidders are ${bids.map((b) => b.bidder).join(', ')}.`);
      const exclude = bids.filter((b) => args.exclude.some((x) => x.toLowerCase() === b.bidder.toLowerCase())).map((b) => b.bidder);
      const currency = e.currency ?? bids[0]!.currency;
      const { highRisk, screening } = await assessBidders(deps.database, bids, policy, deps.now().toISOString().slice(0, 10));
      const incumbents = new Set(
        (
          await deps.database.query<{ id: string }>(
            `select distinct supplier_id::text as id from contracts where supplier_id = any($1::uuid[]) and status = 'active' and ($2::text is null or category_code like $2 || '%')`,
            [bids.map((b) => b.supplierId), e.categoryCode],
          )
        ).flatMap((r) => bids.filter((b) => b.supplierId === r.id).map((b) => b.bidder)),
      );
      const result = await awardScenarios({
        lines,
        bids: asBids(bids),
        currency,
        ...(args.max_share !== undefined ? { maxShare: decimalOf(args.max_share) } : {}),
        exclude,
        ...(args.incumbent_bonus !== undefined ? { incumbentBonus: decimalOf(args.incumbent_bonus), incumbents } : {}),
        highRisk,
      });
      const money = (v: string) => formatMoney(v, currency);
      const text = [
        `${result.scenarios.length} award scenario${result.scenarios.length === 1 ? '' : 's'} for event ${e.number}${result.scenarios[0] ? `; the cheapest is ${[...result.scenarios].sort((a, b) => Number(a.total) - Number(b.total))[0]!.kind} at ${money([...result.scenarios].sort((a, b) => Number(a.total) - Number(b.total))[0]!.total)}` : ''}.`,
        ...result.scenarios.map((s) => `- ${s.kind}: ${money(s.total)}, ${s.awards.map((a) => `${a.bidder} ${money(a.total)} (${Math.round(Number(a.share) * 1000) / 10}%, ${a.lines.length} line${a.lines.length === 1 ? '' : 's'})`).join('; ')}. ${s.tradeoff}`),
        ...result.unavailable.map((u) => `- ${u.kind} is not possible: ${u.reason}.`),
        ...(result.unawarded_lines.length ? [`Lines no bidder priced: ${result.unawarded_lines.join(', ')}.`] : []),
        screeningLine(screening),
      ];
      const supplierOf = new Map(bids.map((b) => [b.bidder, b.supplierId]));
      const scenarios = result.scenarios.map((x) => ({ ...x, awards: x.awards.map((a) => ({ ...a, supplierId: supplierOf.get(a.bidder)! })) }));
      return toolResult(text.join('\n'), {
        event: e.number,
        event_id: e.id,
        title: e.title,
        category: e.categoryCode,
        ...result,
        scenarios,
        high_risk: [...highRisk].map(([bidder, reason]) => ({ bidder, supplierId: supplierOf.get(bidder)!, reason })),
        screening,
      });
    }),
  );
};

/** One sentence on the bidders' screening: what matched, or that nothing did, or that no list is imported. */
function screeningLine(screening: { bidder: string; verdict: string; matched: string | null }[]): string {
  if (screening.some((x) => x.verdict === 'not_screened')) return 'Bidders not screened: no sanctions list is imported (qm import sanctions).';
  const hits = screening.filter((x) => x.verdict !== 'no_match');
  if (hits.length === 0) return `Every bidder screened against the sanctions lists: no match.`;
  return `Sanctions screening: ${hits.map((x) => `${x.bidder} ${x.verdict === 'strong_match' ? 'strongly matches' : 'possibly matches'} "${x.matched}"`).join('; ')}.`;
}

export type AwardScenariosOutput = z.infer<typeof outputSchema>;
