// The parties named in a contract's preamble, and which of them is the supplier.
import type { NewContractClause } from '../db/contracts.js';
import type { ContractDoc } from './document.js';

/** The terms this step fills in. */
export type PartyTerms = { parties: string[]; supplier?: string; clauses: NewContractClause[] };

type Party = { name?: string; roles: string[]; start: number; end: number };

// A parenthetical defining a name: ("Supplier"), (the "Buyer" or "PNC"), (hereinafter referred to as 'Client').
const DEFINED_TERM =
  /\(\s*(?:(?:the|this|each|and|both|of|them|hereinafter|herein|referred|to|as|called|collectively|together|individually|jointly|also|known)\s+){0,8}["'][^()]{1,80}?\)/gi;
const SUPPLIER_ROLES = /^(?:supplier|vendor|seller|provider|service provider|services provider|contractor|consultant|manufacturer|licensor|lessor|producer)$/i;
const BUYER_ROLES = /^(?:customer|client|buyer|purchaser|distributor|reseller|licensee|lessee|recipient)$/i;
const GENERIC_TERMS = /^(?:agreement|amendment|contract|addendum|schedule|exhibit|annex|appendix|term|initial term|services?|products?|goods|work|territory|.*\b(?:date|agreement|information|period)s?)$/i;
const LEGAL_FORMS = /\b(?:inc|incorporated|ltd|limited|llc|l\.l\.c|llp|lp|l\.p|plc|corp|corporation|company|co|n\.a|gmbh|ag|s\.a|sa|b\.v|bv|n\.v|nv|pte|pty|trust|fund|bank|group|holdings?|partners|partnership)\b\.?/gi;
const NOT_A_NAME = /^(?:the|this|that|such|each|any|said|its|their|which|who|whereas|and|or|between|by|of)\b/i;

function definedTerms(paren: string): string[] {
  const quoted = [...paren.matchAll(/"([^"]{1,60})"/g)].map((m) => m[1]!);
  const terms = quoted.length > 0 ? quoted : [...paren.matchAll(/'([^']{1,60})'/g)].map((m) => m[1]!);
  // An unbalanced quote ("effective Date) still names its term.
  if (terms.length === 0) {
    const open = /["']([^"')]{1,60})/.exec(paren);
    if (open) terms.push(open[1]!);
  }
  return terms.map((t) => t.replace(/^the\s+/i, '').replace(/[,.;:]$/, '').trim());
}

function cleanPartyName(segment: string): string | undefined {
  let s = segment.split(/\b(?:between|among|amongst)\b\s*:?/i).pop()!;
  for (let prev = ''; prev !== s; ) {
    prev = s;
    s = s
      .replace(/^[\s,;:-]+/, '')
      .replace(/^of\s+(?:the\s+)?(?:one|first|other|second)\s+part\b/i, '')
      .replace(/^and\b\s*:?/i, '')
      .replace(/^\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]\s+/i, '');
  }
  const cut = s.search(
    /,\s+(?:a|an)\s|\s+(?:a|an)\s+(?:company|corporation|limited|partnership|[A-Z][a-z]+\s+(?:corporation|company|limited|partnership|statutory))|,?\s+(?:organized|organised|incorporated|existing|having|with\s+(?:its|a|an)\s+(?:principal|registered|head|place)|located|whose|domiciled|duly)\b|\s+\((?:company|registered|registration|reg|no|number|crn|abn|acn|ein|tax)\b|\s+\d|\s*"/i,
  );
  if (cut >= 0) s = s.slice(0, cut);
  // A trailing remark in parentheses ("(formerly known as …)") is not part of the name; "(USA) Inc." is.
  s = s.replace(/\s*\([^()]*\s[^()]*\)\s*$/, '').replace(/[\s,;:]+$/, '');
  if (/\.$/.test(s) && !/(?:\b[A-Za-z]{1,4}|\.[A-Za-z])\.$/.test(s)) s = s.slice(0, -1);
  let words = s.split(/\s+/).filter(Boolean);
  if (words.length > 12 || (words.length > 6 && /\d/.test(s))) {
    const forms = [...s.matchAll(LEGAL_FORMS)];
    const last = forms.filter((f) => f.index < 120).pop();
    if (!last) return undefined;
    s = s.slice(0, last.index + last[0].length);
    words = s.split(/\s+/);
  } else if (words.length > 3) {
    // Addresses often follow the name without a comma: keep up to the last legal form when one is present.
    const forms = [...s.matchAll(LEGAL_FORMS)];
    const last = forms.pop();
    if (last && last.index > 0 && s.slice(last.index + last[0].length).trim() !== '') {
      s = s.slice(0, last.index + last[0].length);
    }
  }
  s = s.trim();
  if (s.length < 2 || s.length > 150 || words.length > 12) return undefined;
  if (!/[A-Za-z]{2}/.test(s) || /[[\]*<>{}_]/.test(s) || NOT_A_NAME.test(s)) return undefined;
  return s;
}

/** Splits "X, a … company, and Y, a … company" (two parties sharing one defined name) into its names. */
function jointParties(segment: string): string[] {
  const parts: string[] = [];
  let from = 0;
  const descriptor = /,\s+(?:a|an)\s|\b(?:organized|organised|incorporated|existing)\b/i;
  for (const m of segment.matchAll(/,?\s+and\s+(?=[A-Z0-9])/g)) {
    const piece = segment.slice(from, m.index);
    // Only between two described companies, so "Procter and Gamble" or "England and Wales" stay whole.
    const after = segment.slice(m.index + m[0].length);
    if (descriptor.test(piece) && descriptor.test(after) && new RegExp(LEGAL_FORMS.source, 'i').test(after.split(descriptor)[0]!)) {
      parts.push(piece);
      from = m.index + m[0].length;
    }
  }
  parts.push(segment.slice(from));
  return parts;
}

function findParties(doc: ContractDoc): Party[] {
  const head = doc.flat.slice(0, 8000);
  for (const b of head.matchAll(/\b(?:between|among|amongst)\b\s*:?/gi)) {
    let cursor = b.index + b[0].length;
    const limit = Math.min(head.length, cursor + 2500);
    const parties: Party[] = [];
    const re = new RegExp(DEFINED_TERM.source, 'gi');
    re.lastIndex = cursor;
    for (let d = re.exec(head); d && d.index < limit; d = re.exec(head)) {
      const segment = head.slice(cursor, d.index);
      const segStart = cursor;
      cursor = d.index + d[0].length;
      const roles = definedTerms(d[0]);
      if (roles.some((r) => /^(?:part(?:y|ies)|each party)$/i.test(r))) break;
      // Leaving the list of parties: a sentence ended, or a long stretch without a defined name.
      if (parties.length >= 2 && /[a-z0-9)]\.\s+[A-Z]/.test(segment)) break;
      if (segment.length > 500) break;
      if (roles.length === 0 || roles.every((r) => GENERIC_TERMS.test(r))) continue;
      if (segment.trim() === '') continue;
      for (const piece of jointParties(segment)) parties.push({ name: cleanPartyName(piece), roles, start: segStart, end: cursor });
    }
    if (parties.length >= 2 && parties.some((p) => p.name)) return parties;
  }
  return [];
}

/** Reads the parties from the preamble, and the supplier when a party's role (or the other party's) says which. */
export function extractParties(doc: ContractDoc, terms: PartyTerms): void {
  const parties = findParties(doc);
  const named = parties.filter((p): p is Party & { name: string } => p.name !== undefined);
  if (named.length === 0) return;
  terms.parties = named.map((p) => p.name);
  const first = parties[0]!;
  const last = parties[parties.length - 1]!;
  terms.clauses.push(doc.clause('parties', first.start, terms.parties.join('; '), trimSpan(doc, first.start, last.end)));

  // The supplier is the party named by a supplier role, or the other party of two when one is the buyer.
  const supplierSide = parties.filter((p) => p.roles.some((r) => SUPPLIER_ROLES.test(r)));
  let supplier: Party | undefined;
  if (supplierSide.length === 1) {
    supplier = supplierSide[0];
  } else if (supplierSide.length === 0 && parties.length === 2) {
    const buyers = parties.filter((p) => p.roles.some((r) => BUYER_ROLES.test(r)));
    if (buyers.length === 1) supplier = parties.find((p) => p !== buyers[0]);
  }
  if (supplier?.name) {
    terms.supplier = supplier.name;
    terms.clauses.push(doc.clause('supplier', supplier.start, supplier.name, trimSpan(doc, supplier.start, supplier.end)));
  }
}

function trimSpan(doc: ContractDoc, start: number, end: number): { start: number; end: number } {
  let s = start;
  let e = end;
  while (s < e && /[\s,;:]/.test(doc.text[s]!)) s++;
  if (/^and\s/i.test(doc.flat.slice(s, s + 4))) s += 4;
  while (s < e && /\s/.test(doc.text[s]!)) s++;
  while (e > s && /\s/.test(doc.text[e - 1]!)) e--;
  return { start: s, end: e };
}
