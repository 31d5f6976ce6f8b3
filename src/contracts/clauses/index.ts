// Detects which clause types a contract text contains, with quoted spans and normalised values. Deterministic
// patterns only: each family is general wording of its clause, conservative so a stray word is not a clause.
import { ContractDoc } from '../document.js';
import { detectAssignment } from './assignment.js';
import { detectCommercial } from './commercial.js';
import { detectCompliance } from './compliance.js';
import { detectLaw } from './law.js';
import { detectLiability } from './liability.js';
import { CLAUSE_TYPE_IDS, CLAUSE_TYPES, type ClauseSpan, type ClauseType, type Detected, type Detector } from './scan.js';
import { detectTerm } from './term.js';
import { detectTermination } from './termination.js';
import { detectWarranty } from './warranty.js';

export { type CapAmount, capAmount } from './cap-amount.js';
export { CLAUSE_TYPE_IDS, CLAUSE_TYPES, type ClauseSpan, type ClauseType };

/** One clause type's finding: present or not, the quoted spans, and a normalised value where one exists. */
export type ClauseFinding = {
  type: ClauseType;
  label: string;
  present: boolean;
  spans: ClauseSpan[];
  /**
   * A date (yyyy-mm-dd), a period ("90 days"), a jurisdiction, a cap's amount ("USD 1000000", "fees paid in the 12
   * months preceding"; `capAmount` gives it structured), or Yes/No; null when absent and not a yes/no type.
   */
  value: string | null;
};

// Types whose value is a date, a period or a place; the others are answered Yes or No.
const VALUED: ReadonlySet<ClauseType> = new Set([
  'governing_law',
  'expiration_date',
  'renewal_term',
  'notice_to_terminate_renewal',
  'warranty_duration',
]);

const FAMILIES: readonly Detector[] = [
  detectLaw,
  detectTerm,
  detectTermination,
  detectAssignment,
  detectCommercial,
  detectCompliance,
  detectLiability,
  detectWarranty,
];

/** Detects every clause type in `text` (or only `only`), in the order of CLAUSE_TYPE_IDS. */
export function detectClauses(text: string, only?: readonly ClauseType[]): ClauseFinding[] {
  const doc = new ContractDoc(text);
  const detected: Partial<Record<ClauseType, Detected>> = {};
  for (const family of FAMILIES) Object.assign(detected, family(doc));
  return CLAUSE_TYPE_IDS.filter((type) => !only || only.includes(type)).map((type) => {
    const d = detected[type];
    const present = d !== undefined && d.spans.length > 0;
    return {
      type,
      label: CLAUSE_TYPES[type],
      present,
      spans: present ? d.spans : [],
      value: present ? (d.value ?? (VALUED.has(type) ? null : 'Yes')) : VALUED.has(type) ? null : 'No',
    };
  });
}
