// Who a message, a proposal or a decision is from, as far as the caller knows; resolving it to a user row is
// the core's job, not the channel's.

/** A person as a channel or a caller names them: any of the identifiers may be missing. */
export type UserRef = {
  /** Quartermaster user id, when already resolved. */
  id?: string;
  email?: string;
  name?: string;
  /** Who relayed the request for this user (an on-behalf API token), recorded beside them in the ledger. */
  via?: string;
};
