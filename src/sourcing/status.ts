// The life of a sourcing event: draft → rfx_issued → bids_open → evaluating → award_proposed → awarded, or
// cancelled from any state before the award. Which moves are allowed lives here and nowhere else.
import type { SOURCING_STATUSES } from '../db/schema.js';

export type SourcingStatus = (typeof SOURCING_STATUSES)[number];

const NEXT: Readonly<Record<SourcingStatus, readonly SourcingStatus[]>> = {
  draft: ['rfx_issued', 'cancelled'],
  rfx_issued: ['bids_open', 'cancelled'],
  bids_open: ['evaluating', 'cancelled'],
  evaluating: ['award_proposed', 'awarded', 'cancelled'],
  award_proposed: ['awarded', 'evaluating', 'cancelled'],
  awarded: [],
  cancelled: [],
};

/** True when an event may move from `from` to `to`. */
export function canMove(from: SourcingStatus, to: SourcingStatus): boolean {
  return NEXT[from].includes(to);
}

/** The statuses in which bids may be received. */
export const ACCEPTS_BIDS: readonly SourcingStatus[] = ['rfx_issued', 'bids_open', 'evaluating'];

/** The statuses from which an award may be approved. */
export const AWARDABLE: readonly SourcingStatus[] = ['bids_open', 'evaluating', 'award_proposed'];

/** What a status means, for people. */
export const STATUS_TEXT: Readonly<Record<SourcingStatus, string>> = {
  draft: 'draft (not yet issued)',
  rfx_issued: 'RFx issued, waiting for bids',
  bids_open: 'bids coming in',
  evaluating: 'bids closed, being evaluated',
  award_proposed: 'award proposed, waiting for approval',
  awarded: 'awarded',
  cancelled: 'cancelled',
};
