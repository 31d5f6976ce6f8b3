import { describe, expect, it } from 'vitest';
import { CLAUSE_TYPE_IDS, type ClauseType, capAmount, detectClauses } from '../../src/contracts/clauses/index.js';

function finding(text: string, type: ClauseType) {
  const f = detectClauses(text, [type])[0];
  if (!f) throw new Error(`no finding for ${type}`);
  return f;
}

const MSA = `MASTER SERVICES AGREEMENT

This Master Services Agreement (the "Agreement") is entered into as of March 15, 2022 (the "Effective Date") by and between Globex Corporation, a Delaware corporation ("Customer"), and Initech Solutions Ltd., a company incorporated in England and Wales ("Supplier").

1. Term. The initial term of this Agreement shall be two (2) years from the Effective Date. Thereafter, this Agreement shall automatically renew for successive one (1) year periods unless either party provides written notice of non-renewal at least ninety (90) days prior to the end of the then-current term.

2. Termination. Customer may terminate this Agreement for convenience upon thirty (30) days' prior written notice to Supplier.

3. Liability. Supplier's total aggregate liability arising out of or in connection with this Agreement shall not exceed the fees paid by Customer in the twelve (12) months preceding the claim. The limitations in this Section 3 shall not apply to Supplier's indemnification obligations or to breaches of confidentiality.

4. Warranty. Supplier warrants that the Deliverables will be free from material defects in materials and workmanship for a period of twelve (12) months from acceptance.

5. Audit. Customer may, upon thirty (30) days' notice, audit Supplier's books and records relating to the Services once per calendar year.

6. Insurance. Supplier shall maintain, at its own cost, professional indemnity insurance with a limit of not less than $5,000,000 per claim and shall provide certificates of insurance on request.

7. Assignment. Neither party may assign this Agreement without the prior written consent of the other party, such consent not to be unreasonably withheld.

8. Governing Law. This Agreement shall be governed by the laws of England and Wales.
`;

describe('detectClauses on a hand-written services agreement', () => {
  const byType = Object.fromEntries(detectClauses(MSA).map((f) => [f.type, f]));

  it('reports every clause type once, in a fixed order', () => {
    expect(detectClauses(MSA).map((f) => f.type)).toEqual(CLAUSE_TYPE_IDS);
  });

  it.each([
    ['governing_law', 'England and Wales'],
    ['expiration_date', '2024-03-15'],
    ['renewal_term', 'successive 1 year'],
    ['notice_to_terminate_renewal', '90 days'],
    ['termination_for_convenience', 'Yes'],
    ['anti_assignment', 'Yes'],
    ['audit_rights', 'Yes'],
    ['insurance', 'Yes'],
    ['cap_on_liability', 'fees paid in the 12 months preceding'],
    ['uncapped_liability', 'Yes'],
    ['warranty_duration', '12 months'],
  ] as const)('finds %s = %s with a quoted span at its offsets', (type, value) => {
    const f = byType[type]!;
    expect(f.present).toBe(true);
    expect(f.value).toBe(value);
    expect(f.spans.length).toBeGreaterThan(0);
    for (const s of f.spans) expect(MSA.slice(s.start, s.end)).toBe(s.text);
  });

  it.each(['exclusivity', 'minimum_commitment', 'most_favoured_nation', 'liquidated_damages', 'change_of_control'] as const)(
    'reports %s absent, with no spans and the answer No',
    (type) => {
      expect(byType[type]).toMatchObject({ present: false, spans: [], value: 'No' });
    },
  );

  it('quotes the sentence that holds the clause', () => {
    expect(byType.anti_assignment!.spans[0]!.text).toBe(
      'Neither party may assign this Agreement without the prior written consent of the other party, such consent not to be unreasonably withheld.',
    );
  });
});

describe('positive wordings', () => {
  it.each([
    ['governing_law', 'This Agreement shall be governed by and construed in accordance with the laws of the State of Delaware, without regard to its conflict of laws rules.', 'Delaware'],
    ['governing_law', 'This Contract is governed by German law.', 'Germany'],
    ['expiration_date', 'This Agreement shall commence on the Effective Date and shall terminate on December 31, 2027.', '2027-12-31'],
    ['expiration_date', 'This Agreement shall remain in full force and effect until terminated by either party.', 'perpetual'],
    ['renewal_term', 'This Agreement has an initial term of three years and will automatically renew for successive twelve (12) month periods.', 'successive 12 months'],
    ['notice_to_terminate_renewal', 'The Agreement will renew automatically for further periods of one year unless either party gives the other not less than sixty (60) days written notice of non-renewal before the end of the then current term.', '60 days'],
    ['termination_for_convenience', 'Either party may terminate this Agreement at any time, for any reason or no reason, by giving the other party ninety (90) days written notice.', 'Yes'],
    ['termination_for_convenience', 'The Customer may terminate this Contract upon sixty (60) days prior written notice to the Supplier.', 'Yes'],
    ['anti_assignment', 'Supplier shall not assign, transfer or subcontract any of its rights or obligations under this Agreement without Buyer\'s prior written approval; any purported assignment in breach of this clause shall be void.', 'Yes'],
    ['change_of_control', 'Either party may terminate this Agreement upon written notice if the other party undergoes a change of control.', 'Yes'],
    ['exclusivity', 'Company hereby appoints Distributor as its exclusive distributor of the Products in the Territory during the Term.', 'Yes'],
    ['exclusivity', 'Buyer shall purchase all of its requirements for the Products exclusively from Seller.', 'Yes'],
    ['minimum_commitment', 'During each Contract Year, Customer shall purchase a minimum annual volume of 10,000 units.', 'Yes'],
    ['minimum_commitment', 'Licensee shall pay a minimum annual royalty of $50,000.', 'Yes'],
    ['most_favoured_nation', 'Supplier shall extend to Customer most favoured customer pricing for the Products.', 'Yes'],
    ['most_favoured_nation', 'If Supplier offers prices lower than those in Schedule 2 to any other customer for similar quantities, Supplier shall offer the same prices to Customer.', 'Yes'],
    ['audit_rights', 'Licensor shall have the right, upon reasonable notice, to inspect and audit the books and records of Licensee to verify royalty payments.', 'Yes'],
    ['insurance', 'Contractor shall carry commercial general liability insurance and name the Company as an additional insured.', 'Yes'],
    ['cap_on_liability', 'In no event shall either party be liable for any indirect, incidental, special or consequential damages, including lost profits.', 'Yes'],
    ['cap_on_liability', "Each party's aggregate liability under this Agreement shall be limited to the total fees paid in the prior year.", 'fees paid'],
    ['uncapped_liability', 'Nothing in this Agreement shall limit or exclude either party\'s liability for death or personal injury caused by its negligence, or for fraud.', 'Yes'],
    ['liquidated_damages', 'For each week of delay, the Supplier shall pay the Customer liquidated damages of 1% of the Contract Price.', 'Yes'],
    ['liquidated_damages', 'If Customer terminates early, Customer shall pay an early termination fee equal to three months of fees.', 'Yes'],
    ['liquidated_damages', 'If Supplier misses a delivery date, a penalty of 2% of the order value shall apply for each day of delay.', 'Yes'],
    ['liquidated_damages', 'In the event that Buyer terminates this Agreement under Section 9.2, Buyer shall pay Seller an amount equal to six months of the Service Fees.', 'Yes'],
    ['warranty_duration', 'The Equipment carries a twenty-four (24) month warranty against defects in materials and workmanship.', '24 months'],
  ] as const)('%s: %s', (type, text, value) => {
    const f = finding(text, type);
    expect(f.present).toBe(true);
    expect(f.value).toBe(value);
  });
});

describe('stray words are not clauses', () => {
  it.each([
    ['governing_law', 'The Supplier shall comply with all applicable laws of each country in which it operates.'],
    ['expiration_date', 'Invoices are payable within thirty (30) days of receipt.'],
    ['renewal_term', 'The parties may discuss a renewal in good faith.'],
    ['renewal_term', 'This Agreement shall not automatically renew.'],
    ['notice_to_terminate_renewal', 'Either party may give notice of a dispute within thirty (30) days.'],
    ['termination_for_convenience', 'Upon termination of this Agreement for any reason, each party shall return the other party\'s Confidential Information.'],
    ['termination_for_convenience', 'Either party may terminate this Agreement if the other party commits a material breach and fails to cure it within thirty (30) days of written notice.'],
    ['termination_for_convenience', 'Neither party may terminate this Agreement for convenience.'],
    ['termination_for_convenience', 'Customer shall not be entitled to terminate this Agreement for convenience.'],
    ['anti_assignment', 'This Agreement shall be binding upon the parties and their respective successors and assigns.'],
    ['anti_assignment', 'Supplier hereby assigns to Customer all right, title and interest in the Deliverables.'],
    ['anti_assignment', 'A party is insolvent if it makes an assignment for the benefit of its creditors without the consent of any court.'],
    ['anti_assignment', 'Either party may assign this Agreement to an affiliate without the consent of the other party.'],
    ['change_of_control', 'Supplier shall notify Customer of any change in its contact details.'],
    ['exclusivity', 'This license is non-exclusive and non-transferable.'],
    ['exclusivity', "The remedies in this Section are Customer's sole and exclusive remedy for breach of warranty."],
    ['exclusivity', 'The courts of London shall have exclusive jurisdiction over any dispute.'],
    ['exclusivity', 'Customer shall have the exclusive right, title and interest in the Work Product.'],
    ['minimum_commitment', 'The Products shall meet the minimum requirements of the Specifications.'],
    ['minimum_commitment', 'Customer has no obligation to purchase any minimum quantity of Products.'],
    ['minimum_commitment', 'Supplier shall maintain insurance cover of a minimum amount of $1,000,000.'],
    ['most_favoured_nation', 'The parties shall negotiate in good faith on terms no less favourable than market practice.'],
    ['audit_rights', 'The Company shall deliver its audited financial statements within ninety (90) days after year end.'],
    ['audit_rights', 'Customer may inspect the Products upon delivery and reject any that are defective.'],
    ['insurance', 'Supplier shall pay all national insurance contributions for its employees.'],
    ['insurance', 'The Customer is an insurance company regulated by the Prudential Regulation Authority.'],
    ['cap_on_liability', 'Supplier shall be liable for all costs, including but not limited to shipping and handling.'],
    ['cap_on_liability', 'Supplier shall maintain general liability insurance with limits not to exceed the policy terms.'],
    ['uncapped_liability', 'The warranty shall not apply to Products that have been misused.'],
    ['liquidated_damages', 'Either party may terminate without payment of any termination fee.'],
    ['liquidated_damages', 'The Supplier shall pay damages for breach as determined by a court.'],
    ['liquidated_damages', 'Upon termination of this Agreement, Customer shall pay Supplier an amount equal to the fees accrued through the date of termination.'],
    ['warranty_duration', 'Each party represents and warrants that it has full power and authority to enter into this Agreement.'],
    ['warranty_duration', 'The representations and warranties in this Agreement shall survive for twelve (12) months after Closing.'],
    ['warranty_duration', 'Supplier warrants that it will perform the Services in accordance with the Specifications and complete them within six (6) months.'],
    ['minimum_commitment', 'Customer shall order at least thirty (30) days in advance of the required delivery date.'],
    ['anti_assignment', 'Processor shall not transfer any personal data hereunder outside the EEA without the prior written consent of the Controller.'],
    ['insurance', 'This Agreement shall be effective on the date it is signed by the insurance broker.'],
    ['governing_law', 'Each party shall comply with export control rules and is subject to the laws of the United States on exports.'],
  ] as const)('%s absent: %s', (type, text) => {
    expect(finding(text, type)).toMatchObject({ present: false, spans: [] });
  });
});

// Wordings of the weakest types, written for these tests in the phrasing families the CUAD dev half showed (no
// sentence copied from it): each must fire, and each near miss below must not.
describe('most-favoured terms, worded in general', () => {
  it.each([
    'Supplier agrees that the prices charged to Buyer shall be no less favourable than the prices charged to any other customer for comparable volumes.',
    'The royalty rates payable by Licensee will at all times be at least as favorable as those granted by Licensor to any existing or future licensee.',
    'Vendor shall not charge Customer a higher fee than it charges its other clients for similar services.',
    'The unit price shall be no greater than the lowest price charged by Seller to any similarly situated purchaser during the preceding six months.',
    'Distributor shall receive the most favourable terms and treatment that Company offers.',
    'If the Company grants to another distributor a discount on the Products, the Company shall also grant the same discount to Distributor.',
    'The service charge to Member shall not exceed the lowest rate charged to others for the same service.',
    'Any fees for the Licensed Data shall not exceed the fees charged by Licensor to its other licensees of that data.',
    'If Supplier reduces its list prices for any other customer, Supplier shall reduce the prices charged to Buyer by the same amount.',
  ])('finds: %s', (text) => {
    expect(finding(text, 'most_favoured_nation').present).toBe(true);
  });

  it.each([
    'The parties shall negotiate in good faith on terms no less favourable than market practice.',
    'Licensee shall have a right of first refusal to acquire the rights on terms no less favourable than those offered by any third party.',
    'Deliveries shall be made no more than thirty (30) days after the order date.',
    'The Service shall perform better than the service levels in Schedule 3.',
    'The price of each Product shall be as set out in Exhibit A and may be revised once a year.',
    'The total fees payable under this Agreement shall not exceed the fees charged for the pilot phase.',
  ])('does not fire on: %s', (text) => {
    expect(finding(text, 'most_favoured_nation').present).toBe(false);
  });
});

describe('liability caps, their amounts and their carve-outs', () => {
  it.each([
    ['EXCEPT FOR BREACHES OF SECTION 9 (CONFIDENTIALITY), IN NO EVENT SHALL EITHER PARTY BE LIABLE FOR ANY INDIRECT, SPECIAL OR CONSEQUENTIAL DAMAGES.', true],
    ['Except with respect to a party\'s indemnification obligations, neither party\'s aggregate liability shall exceed the fees paid hereunder.', true],
    ['Neither party shall be liable for lost profits; provided that this Section 10 shall not be construed to limit either party\'s indemnification obligations.', true],
    ['The limitations of liability in this Article shall be inapplicable to claims arising from gross negligence or wilful misconduct.', true],
    ['Payment obligations and breaches of confidentiality are excluded from these limitations of liability.', true],
    ['Nothing in this Section is intended to limit the damages available for a breach of Section 5.', true],
    ['Neither party shall be liable for lost profits; provided that this Section 10.5 shall not be construed to limit either party\'s indemnification obligations.', true],
    ['None of the foregoing limitations of liability set forth in this Section 3.1 shall be available to either party for claims arising out of its fraud.', true],
    ['EXCEPT FOR [**], IN NO EVENT WILL EITHER PARTY BE LIABLE TO THE OTHER PARTY FOR [**].', true],
    ['EXCEPT FOR BREACHES OF SECTION 5, NEITHER PARTY WILL, UNDER ANY CIRCUMSTANCES, BE LIABLE FOR ANY LOST PROFITS.', true],
    ['In no event shall either party be liable for any indirect or consequential damages.', false],
    ['Except as may otherwise be required by law, neither the Adviser nor its officers shall be liable for any error of judgment.', false],
    ['The confidentiality restrictions shall not apply to information that is publicly available.', false],
    ['The warranty shall not apply to Products that have been misused.', false],
  ] as const)('uncapped %s -> %s', (text, present) => {
    expect(finding(text, 'uncapped_liability').present).toBe(present);
  });

  it.each([
    ['In no event shall Supplier\'s liability arising out of this Agreement exceed the amounts received by Supplier hereunder.', 'amounts received'],
    ['NEITHER PARTY NOR ITS AFFILIATES SHALL BE LIABLE FOR ANY PUNITIVE, INDIRECT OR CONSEQUENTIAL DAMAGES.', 'Yes'],
    ['Each party waives any right to consequential, punitive or exemplary damages against the other.', 'Yes'],
    ['Customer\'s sole and exclusive remedy for any breach of warranty shall be the repair or replacement of the Product.', 'Yes'],
    ['Neither party may bring an action arising out of this Agreement more than two (2) years after the cause of action accrues.', 'Yes'],
    ['Licensor\'s total liability shall not exceed US$2.5 million in the aggregate.', 'USD 2500000'],
    ['Each party\'s liability is capped at two times (2x) the fees paid by Customer during the twelve (12) month period immediately preceding the claim.', '2 × fees paid in the 12 months preceding'],
    ['Supplier\'s aggregate liability shall not exceed fifty percent (50%) of the fees paid in the six (6) months preceding the claim.', '0.5 × fees paid in the 6 months preceding'],
    ['Licensor\'s total liability under this Agreement shall not exceed £1.5m.', 'GBP 1500000'],
  ] as const)('cap: %s', (text, value) => {
    expect(finding(text, 'cap_on_liability')).toMatchObject({ present: true, value });
  });

  it('reads a cap amount as a structured value', () => {
    expect(capAmount('liability shall not exceed $1,000,000')).toEqual({ kind: 'fixed', amount: '1000000', currency: 'USD' });
    expect(capAmount('shall be limited to the greater of £500,000 and the charges paid in the previous year')).toEqual({ kind: 'fixed', amount: '500000', currency: 'GBP' });
    expect(capAmount('shall not exceed the total fees payable in the six (6) months preceding the event')).toEqual({ kind: 'fees', basis: 'fees payable', period: '6 months', multiple: null });
    expect(capAmount('In no event shall either party be liable for consequential damages.')).toBeUndefined();
    expect(capAmount('liability is limited to a maximum of (and in any case shall not exceed) $5m in the aggregate')).toEqual({ kind: 'fixed', amount: '5000000', currency: 'USD' });
    expect(capAmount('its total liability is capped at EUR 250k per claim')).toEqual({ kind: 'fixed', amount: '250000', currency: 'EUR' });
    expect(capAmount('shall not exceed fifty percent (50%) of the monies paid by Buyer hereunder')).toEqual({ kind: 'fees', basis: 'monies paid', period: null, multiple: 0.5 });
    expect(capAmount('shall not exceed 50% (fifty percent) of the monies paid by Buyer hereunder')).toEqual({ kind: 'fees', basis: 'monies paid', period: null, multiple: 0.5 });
    // A redacted sum or insurance proceeds are no amount the text states.
    expect(capAmount('SHALL NOT EXCEED THE GREATER OF (I) $[**] AND (II) THE AMOUNT OF INSURANCE COVERAGE ACTUALLY PAID TO SUPPLIER')).toBeUndefined();
  });
});

describe('minimum commitments and warranty periods, worded in general', () => {
  it.each([
    ['minimum_commitment', 'Reseller agrees to purchase from Vendor products for a total price of at least $250,000 during the Term.'],
    ['minimum_commitment', 'Publisher will deliver a minimum of 2,000,000 advertising impressions per month on the Site.'],
    ['minimum_commitment', 'Licensee shall pay Licensor a minimum guarantee of $100,000 for each Contract Year.'],
    ['minimum_commitment', 'If Buyer\'s orders fall below the MOQ, Buyer shall pay Seller the shortfall within thirty (30) days.'],
    ['minimum_commitment', 'Buyer shall meet its Annual Purchase Commitment set out in Schedule 2 in each Contract Year.'],
    ['minimum_commitment', 'Distributor shall use its best efforts to achieve the quarterly sales targets agreed with Vendor.'],
    ['minimum_commitment', 'If Customer ships less than its committed volume, Customer shall pay a deficiency payment for the difference.'],
    ['minimum_commitment', 'The third month of each rolling forecast shall be a firm purchase order.'],
    ['minimum_commitment', 'The hosting fee is $2.00 per user per month, subject to a monthly minimum of $1,500.'],
    ['warranty_duration', 'Seller warrants the Units against defects in materials and workmanship for [***] months from shipment.'],
    ['warranty_duration', 'The Warranty Period shall commence upon acceptance of each Deliverable.'],
    ['warranty_duration', 'Supplier warrants that each Product will have a remaining shelf life of at least twelve (12) months on delivery and will conform to the Specifications.'],
    ['warranty_duration', 'A sixty (60) days warranty covering bug fixes is included with each release.'],
    ['warranty_duration', 'Supplier warrants that the Goods will be free from defects in materials for the period from the date of manufacture to the expiry date on the label.'],
    ['warranty_duration', 'Buyer may reject any Product that does not meet the Specifications by written notice within [***] days after receipt of the shipment.'],
    ['warranty_duration', 'If the Services breach the foregoing warranty, Customer shall report the defect within sixty (60) days following the date of performance of the Services.'],
  ] as const)('%s: %s', (type, text) => {
    expect(finding(text, type).present).toBe(true);
  });

  it.each([
    ['minimum_commitment', 'Supplier shall deliver the Products at least thirty (30) days before the launch date.'],
    ['minimum_commitment', 'Each party shall maintain insurance coverage of at least $2,000,000 per occurrence.'],
    ['minimum_commitment', 'Licensor shall give Licensee at least sixty (60) days prior written notice of any price change.'],
    ['minimum_commitment', 'The Steering Committee shall meet at least twice per year.'],
    ['minimum_commitment', 'Supplier shall meet the SLA targets for availability in every month.'],
    ['minimum_commitment', 'The forecast is non-binding and creates no firm purchase order.'],
    ['warranty_duration', 'The representations and warranties of each party are true and correct as of the Effective Date.'],
    ['warranty_duration', 'The confidentiality obligations shall survive for [***] years after termination.'],
    ['warranty_duration', 'Customer may accept or reject the Services in writing within [***] days from completion of the Services.'],
  ] as const)('%s absent: %s', (type, text) => {
    expect(finding(text, type).present).toBe(false);
  });
});

describe('how long the contract runs, stated without a date the term extraction reads', () => {
  it.each([
    ['The initial term of this Agreement shall continue until five (5) years following the Effective Date.', '5 years'],
    ['This Agreement shall remain in effect until the expiration of the last Royalty Term for any Product.', null],
    ['"Contract Period" means the period from the Effective Date through the third anniversary of the Launch Date.', null],
    ['The Agreement shall have an initial term of ten (10) years commencing from the Effective Date.', '10 years'],
    ['"Expiration Date" means March 31, 2030.', null],
    ['This promotion shall begin on June 1, 2029 and shall terminate June 1, 2030.', null],
    ['The initial term of this Agreement shall commence on the Effective Date and end on the fifth anniversary of the Effective Date.', null],
    ['This Agreement will become effective on the date first written above and will continue in effect thereafter until terminated under Section 4.', 'perpetual'],
  ] as const)('finds: %s', (text, value) => {
    expect(finding(text, 'expiration_date')).toMatchObject({ present: true, value });
  });

  it.each([
    'During the Term and for two (2) years thereafter, Distributor shall not sell competing products.',
    'Either party may terminate this Agreement if the other party fails to cure a breach within thirty (30) days.',
    'The obligations of confidentiality shall continue for five (5) years after the termination of this Agreement.',
    'The confidentiality obligations of this Agreement shall end on the third anniversary of its termination.',
  ])('does not fire on: %s', (text) => {
    expect(finding(text, 'expiration_date').present).toBe(false);
  });
});

describe('renewals offered or stated in other words', () => {
  it.each([
    ['At Buyer\'s option, this Agreement shall renew for a subsequent term of two (2) years on the same terms.', 'optional 2 years'],
    ['Reseller shall have the option, subject to Vendor\'s approval in its sole discretion, to extend the Term of this Agreement for an additional 12 months.', 'optional 12 months'],
    ['Distributor shall have the option to renew this Agreement for an additional three (3) year period by providing prior written notice to Company within ninety (90) days of the end of the initial period.', 'optional 3 years'],
    ['This contract is renewable for a one (1) year extension by written amendment.', 'optional 1 year'],
    ['Thereafter, this Agreement shall renew only upon the mutual written agreement of the parties for up to three additional renewal terms of one year each.', 'optional 1 year'],
  ] as const)('finds: %s', (text, value) => {
    expect(finding(text, 'renewal_term')).toMatchObject({ present: true, value });
  });

  it.each([
    'The Contract Term shall extend for a period of fifty (50) years.',
    'Supplier may extend the time for delivery by up to thirty (30) days.',
    'Licensee shall have the option to renew its insurance policy for one (1) year.',
  ])('does not fire on: %s', (text) => {
    expect(finding(text, 'renewal_term').present).toBe(false);
  });
});

describe('termination by notice alone, active or passive', () => {
  it.each([
    'This Agreement may be terminated by either party upon sixty (60) days\' written notice to the other party.',
    'Distributor may terminate this Agreement at any time upon prior written notice to Supplier.',
    'The Company may, in its sole discretion, terminate this Agreement at any time.',
    'Either party may terminate this Agreement on 60-days written notice.',
    'Either party wishing to terminate this Agreement must give the other party at least sixty (60) days prior written notice.',
    'This Agreement shall continue in effect until either Party gives the other ninety (90) days prior written notice of termination.',
    'Either party may terminate this Agreement (i) upon thirty (30) days prior written notice, or (ii) immediately if the other party becomes insolvent.',
    'The term is two years; provided that Buyer shall have the right to terminate this Agreement at any time upon fifteen (15) days notice.',
    'Reseller retains the right at all times during the Term to stop selling the Products and to terminate this Agreement on ninety (90) days notice.',
  ])('finds: %s', (text) => {
    expect(finding(text, 'termination_for_convenience').present).toBe(true);
  });

  it.each([
    'Licensor may terminate this Agreement by written notice if there is a change of control of Licensee.',
    'This Agreement may be terminated by either party upon thirty (30) days written notice if the other party breaches any material term.',
    'Either party may terminate this Agreement by giving notice of non-renewal at least ninety (90) days before the end of the then-current term.',
    'In the event that a majority of the assets of Provider are sold, merged or otherwise transferred to any competitor of Company or to any entity controlled by such a competitor, then Company may terminate this Agreement upon thirty (30) days notice.',
    'Distributor may terminate its obligations under this Section 4 at any time upon notice.',
    'Buyer may terminate this Agreement upon notice at any time after the date on which Seller ceases to hold a majority of the voting shares of Reseller.',
  ])('does not fire on: %s', (text) => {
    expect(finding(text, 'termination_for_convenience').present).toBe(false);
  });
});

describe('audit rights, change of control and exclusivity in other words', () => {
  it.each([
    ['audit_rights', 'Licensee shall bear the cost of such audit if the audit reveals an underpayment of more than five percent (5%).'],
    ['audit_rights', 'All such records shall be available for inspection by Licensor upon reasonable notice.'],
    ['audit_rights', 'Buyer shall have the right, upon reasonable prior written notice and during regular business hours, to inspect and/or audit Seller\'s books and records.'],
    ['audit_rights', 'Agent shall make said books available to Principal or its representative on reasonable notice during the Term.'],
    ['audit_rights', 'The Servicer shall maintain books of account, which shall be accessible to the Owner at any time during normal business hours.'],
    ['audit_rights', 'Licensee shall permit such records to be examined by Licensor upon reasonable prior written notice.'],
    ['insurance', 'Customer is responsible for obtaining and maintaining property insurance sufficient to cover the value of the Equipment.'],
    ['insurance', 'Distributor shall, at its own expense, maintain general and product liability coverage of at least US$2 million per occurrence.'],
    ['insurance', 'Vendor agrees to insure the tooling it owns.'],
    ['insurance', 'On a separate endorsement, Distributor shall name Supplier as an additional named insured.'],
    ['change_of_control', '"Change of Control" means a merger or consolidation of a party, or a sale of all or substantially all of its assets.'],
    ['change_of_control', 'This license shall terminate thirty (30) days after Licensee is acquired by a third party.'],
    ['change_of_control', 'Any merger or consolidation involving Distributor shall be deemed a transfer of this Agreement requiring Vendor\'s prior written consent.'],
    ['change_of_control', 'This Agreement may not be assigned by Supplier in connection with a merger or the sale of all or substantially all of its assets without Customer\'s prior written consent.'],
    ['change_of_control', 'Upon a change of control of Reseller, the licence granted in Section 2 shall not extend to the acquirer.'],
    ['change_of_control', 'Supplier may end the arrangement if Founder ceases to own a majority of the voting shares of Reseller and Supplier terminates by written notice.'],
    ['change_of_control', 'If Contractor intends to sell a controlling interest in its business, Contractor shall promptly notify the Company.'],
    ['change_of_control', 'Except with Licensor\'s prior written approval, this Agreement may not be assigned by Licensee in connection with a merger or a sale of substantially all of its assets.'],
    ['change_of_control', 'If Supplier decides to merge or transfer ownership of Supplier to a third party, Supplier will immediately notify Buyer.'],
    ['change_of_control', 'If a third party acquires substantially all the assets of Reseller, Vendor may terminate this Agreement on written notice.'],
    ['exclusivity', 'Licensor grants to Licensee an exclusive (even as to Licensor), non-transferable licence to sell the Products in the Territory.'],
    ['exclusivity', 'Company shall not enter into any agreement or arrangement with any other provider of logistics services.'],
    ['exclusivity', 'All sales to customers in the Territory will be carried out exclusively by the Distributor.'],
    ['exclusivity', 'Licensor grants to Licensee an exclusive, non-transferable, license to manufacture the Products in the Territory.'],
    ['exclusivity', 'During the Term, Acme shall be the exclusive third party supplier of packaging to Retailer.'],
    ['exclusivity', 'Reseller shall be the only reseller appointed by Vendor in the Territory.'],
    ['exclusivity', 'The distribution license granted under this Section is exclusive within the Territory.'],
    ['exclusivity', 'Vendor will not purchase components for the Products from any person other than Supplier.'],
    ['exclusivity', 'Brand shall not engage in similar promotions during the Term with any other provider of paging services.'],
    ['exclusivity', 'Vendor agrees not to appoint additional distributors of the Products in the Territory.'],
  ] as const)('%s: %s', (type, text) => {
    expect(finding(text, type).present).toBe(true);
  });

  it.each([
    ['audit_rights', 'The Company shall deliver audited financial statements to its shareholders each year.'],
    ['audit_rights', 'Each party shall keep accurate books and records of its own business.'],
    ['insurance', 'The Customer, an insurance company, may cancel any order before shipment.'],
    ['audit_rights', 'The Receiving Party shall make Confidential Information available only to its employees who need to know it.'],
    ['change_of_control', 'The ownership of all Deliverables shall vest in Customer upon payment.'],
    ['change_of_control', 'Either party may assign this Agreement without the other party\'s consent to a successor by merger or by sale of all or substantially all of its assets.'],
    ['change_of_control', 'Neither party may assign this Agreement without consent, except that no consent is required in connection with a merger or consolidation.'],
    ['exclusivity', 'This Agreement shall be governed exclusively by the laws of the State of New York.'],
    ['exclusivity', 'Employees of either party shall not solicit or enter into any employment arrangement with any other party.'],
    ['exclusivity', 'This remedy is the sole and exclusive remedy of the Distributor for defective Products.'],
    ['exclusivity', 'The Receiving Party may disclose Confidential Information only to its representatives who need to know it.'],
    ['exclusivity', 'The Company shall not sell any of the Assets other than in the ordinary course of business.'],
  ] as const)('%s absent: %s', (type, text) => {
    expect(finding(text, type).present).toBe(false);
  });
});

describe('choice of law and notice of non-renewal in other words', () => {
  it.each([
    ['This Agreement shall be interpreted and enforced in accordance with the laws of the State of California.', 'California'],
    ['THE INTERPRETATION OF THIS CONTRACT SHALL BE CONTROLLED BY THE LAWS OF THE STATE OF TEXAS.', 'Texas'],
    ['The laws of the State of New York (excluding its conflict rules) govern all matters arising out of this Agreement.', 'New York'],
  ] as const)('governing law: %s', (text, value) => {
    expect(finding(text, 'governing_law')).toMatchObject({ present: true, value });
  });

  it.each([
    ['Either party may end this Agreement at the end of the Initial Term by giving written notice of non-renewal at least six (6) months prior to the end of the Initial Term.', '6 months'],
    ['The JSMA will be terminated as of the end of the Term by either Party giving written notice of non-renewal no less than 120 prior to the expiry date.', null],
    ['Thereafter, this Agreement shall automatically continue in effect until either party gives the other at least six (6) months prior written notice of termination.', '6 months'],
    ['This Agreement can be terminated by Buyer at the end of the Initial Term by written notice at least ninety (90) days prior to the end of the Initial Term.', '90 days'],
  ] as const)('notice to stop a renewal: %s', (text, value) => {
    expect(finding(text, 'notice_to_terminate_renewal')).toMatchObject({ present: true, value });
  });

  it('does not read the notice that cancels an insurance policy as notice of non-renewal', () => {
    const text = 'Each policy shall require at least thirty (30) days prior written notice to Customer of cancellation or non-renewal.';
    expect(finding(text, 'notice_to_terminate_renewal').present).toBe(false);
  });
});

describe('detectClauses on text with nothing in it', () => {
  it('finds nothing in an empty text or prose', () => {
    for (const text of ['', 'The quick brown fox jumps over the lazy dog. Meetings are held on Tuesdays.']) {
      expect(detectClauses(text).filter((f) => f.present)).toEqual([]);
    }
  });

  it('reads a 2 MB text in reasonable time', () => {
    const block = `${MSA}\n${'The parties shall meet quarterly to review performance and discuss improvements. '.repeat(50)}\n`;
    const text = block.repeat(Math.ceil(2_000_000 / block.length)).slice(0, 2_000_000);
    const started = performance.now();
    const found = detectClauses(text);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(found.find((f) => f.type === 'governing_law')?.present).toBe(true);
  });
});
