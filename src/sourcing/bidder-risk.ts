// Who is high risk among an event's bidders, read the same way wherever scenarios are built (the sourcing server's
// award_scenarios and an award proposed from the CLI or the web): supplier status and recent risk signals
// (highRiskBidders), and each bidder's name screened against the imported sanctions lists, a strong match making
// the bidder high risk.
import type { Database } from '../db/client.js';
import { type BidderRisk, type StoredBid, supplierRiskFacts } from '../db/sourcing.js';
import { screenName, type ScreeningOutcome } from '../screening/screen.js';
import { highRiskBidders } from './detail.js';
import type { SourcingPolicy } from './policy.js';

export type BidderScreening = { bidder: string; supplierId: string; verdict: ScreeningOutcome['verdict']; matched: string | null };

export type BidderAssessment = {
  /** Status and signals per supplier. */
  risk: BidderRisk[];
  /** High-risk bidders by name, with why. */
  highRisk: Map<string, string>;
  /** Every bidder's sanctions screening. */
  screening: BidderScreening[];
};

/** Assesses the bidders of one event as of `today` (YYYY-MM-DD). */
export async function assessBidders(database: Database, bids: readonly StoredBid[], policy: SourcingPolicy, today: string): Promise<BidderAssessment> {
  const risk = await supplierRiskFacts(database, bids.map((b) => b.supplierId), today);
  const highRisk = highRiskBidders(bids, risk, policy);
  const screening = await Promise.all(
    bids.map(async (b): Promise<BidderScreening> => {
      const r = await screenName(database, { name: b.bidder });
      return { bidder: b.bidder, supplierId: b.supplierId, verdict: r.verdict, matched: r.matches[0]?.entryName ?? null };
    }),
  );
  for (const x of screening) if (x.verdict === 'strong_match') highRisk.set(x.bidder, `a strong match to "${x.matched}" on the sanctions lists`);
  return { risk, highRisk, screening };
}
