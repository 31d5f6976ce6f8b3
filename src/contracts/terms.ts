// Extracts a contract's key terms from its text. Patterns are deliberately general (no party or document specifics)
// and conservative: a value is only set when the wording is unambiguous, and every value comes with the clause it
// was read from.
import type { NewContractClause } from '../db/contracts.js';
import { extractDates } from './dates.js';
import { ContractDoc } from './document.js';
import { extractGoverningLaw } from './governing-law.js';
import { extractParties } from './parties.js';
import { extractRenewal, extractTerminationNotice } from './renewal.js';

/** What the extractor found in a contract text; each value also appears among `clauses` with its source span. */
export type ContractTerms = {
  parties: string[];
  supplier?: string;
  agreementDate?: string;
  effectiveDate?: string;
  /** Effective date, else the agreement date. */
  startDate?: string;
  endDate?: string;
  /** Initial term, e.g. "3 years". */
  term?: string;
  autoRenew?: boolean;
  renewalTerm?: string;
  /** Notice needed to stop a renewal (or to end the term). */
  renewalNoticeDays?: number;
  /** Notice needed to terminate without cause. */
  terminationNoticeDays?: number;
  /** The renewal notice, else the termination-for-convenience notice. */
  noticePeriodDays?: number;
  governingLaw?: string;
  clauses: NewContractClause[];
};

/** Extracts parties, supplier, dates, term, renewal, notice periods and governing law from a contract text. */
export function extractContractTerms(text: string): ContractTerms {
  const doc = new ContractDoc(text);
  const terms: ContractTerms = { parties: [], clauses: [] };
  extractParties(doc, terms);
  // Renewal comes after the dates: a fixed term with no renewal wording is read as not renewing.
  extractDates(doc, terms);
  extractRenewal(doc, terms);
  extractTerminationNotice(doc, terms);
  terms.noticePeriodDays = terms.renewalNoticeDays ?? terms.terminationNoticeDays;
  extractGoverningLaw(doc, terms);
  return terms;
}
