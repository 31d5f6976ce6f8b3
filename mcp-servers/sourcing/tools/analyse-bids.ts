// analyse_bids: each bidder's exact total, the ranking (complete bids first), the lowest complete bid, unbalanced
// line prices and everything the buyer should query (missing and zero-priced lines, mismatched line totals).
// Bids are sealed until the deadline; every read is in the ledger.
import { z } from 'zod';
import { formatMoney } from '../../../src/domain/money.js';
import { analyseBids } from '../../../src/sourcing/analysis.js';
import { asBids, linesAndBids } from '../../../src/sourcing/detail.js';
import type { ToolRegistrar } from '../../shared/deps.js';
import { textTable } from '../../shared/format.js';
import { guarded, toolError, toolResult } from '../../shared/result.js';
import { eventArg, findEvent, readBids, sourcingPolicy } from '../lookup.js';

const inputSchema = z.object({ event: eventArg });

const outputSchema = z.strictObject({
  event: z.number().int(),
  currency: z.string(),
  lines: z.number().int(),
  bidders: z.array(z.strictObject({ bidder: z.string(), supplierId: z.string(), total: z.string(), rank: z.number().int(), lines_priced: z.number().int(), lines_missing: z.number().int() })),
  lowest: z.strictObject({ bidder: z.string(), total: z.string() }).nullable(),
  unbalanced: z.array(z.strictObject({ bidder: z.string(), line: z.number().int(), item: z.string(), unit_price: z.string(), median_unit_price: z.string(), ratio: z.string() })),
  flags: z.array(z.strictObject({ kind: z.string(), bidder: z.string().optional(), line: z.number().int().optional(), text: z.string() })),
});

/** Registers analyse_bids. */
export const registerAnalyseBids: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'analyse_bids',
    {
      title: 'Analyse the bids of an event',
      description:
        "Compares the bids of a sourcing event: each bidder's total (exact decimal sum of its lines), rank (complete bids first), the lowest complete bid, unbalanced line prices (far from the other bidders' median: front-loading), missing and zero-priced lines, and line totals that disagree with quantity × unit price. Bids are sealed to all but the buyer and procurement until the deadline.",
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded<z.infer<typeof inputSchema>>('analyse_bids', deps.log, async (args) => {
      const found = await findEvent(deps, args.event);
      if (!found.ok) return toolError(found.message);
      const e = found.event;
      const access = await readBids(deps, e, 'analyse_bids');
      if (!access.ok) return toolError(access.message);
      const [{ lines, bids }, policy] = await Promise.all([linesAndBids(deps.database, e.id), sourcingPolicy(deps)]);
      if (bids.length === 0) return toolError(`Event ${e.number} has no bids yet. Import them with qm import bids <file> --event ${e.number}.`);
      const currency = e.currency ?? bids[0]!.currency;
      const a = analyseBids(lines, asBids(bids), currency, { unbalancedRatio: policy.bids.unbalancedRatio });
      const money = (v: string) => formatMoney(v, currency);
      const lead = a.lowest
        ? `Lowest complete bid for event ${e.number}: ${a.lowest.bidder} at ${money(a.lowest.total)} (${a.bidders.length} bid${a.bidders.length === 1 ? '' : 's'}, ${a.lines} lines).`
        : `No bidder priced all ${a.lines} lines of event ${e.number}; compare split awards.`;
      const table = textTable(['Rank', 'Bidder', 'Total', 'Priced', 'Missing'], a.bidders.map((b) => [String(b.rank), b.bidder, money(b.total), String(b.lines_priced), String(b.lines_missing)]));
      const unbalanced = a.unbalanced.slice(0, 10).map((u) => `- ${u.bidder}, line ${u.line} (${u.item}): ${money(u.unit_price)} per unit, ${u.ratio}× the others' median of ${money(u.median_unit_price)}.`);
      const flags = a.flags.slice(0, 15).map((f) => `- ${f.text}`);
      const parts = [lead, '', table];
      if (unbalanced.length) parts.push('', 'Unbalanced prices:', ...unbalanced);
      if (flags.length) parts.push('', 'To check:', ...flags);
      return toolResult(parts.join('\n'), { event: e.number, ...a });
    }),
  );
};

export type AnalyseBidsOutput = z.infer<typeof outputSchema>;
