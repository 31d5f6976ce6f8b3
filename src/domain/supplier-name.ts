// Supplier name normalisation: the key under which spellings of one company meet. Conservative on purpose:
// it removes only what never distinguishes two companies (case, accents, punctuation, spacing, legal form),
// so "ACME LTD", "Acme Limited" and "acme ltd." meet while "Acme Holdings Ltd" stays a different company.

// Legal-form words and abbreviations, compared after punctuation is removed and case folded.
const LEGAL_SUFFIXES = [
  'limited',
  'ltd',
  'plc',
  'public limited company',
  'inc',
  'incorporated',
  'llc',
  'l l c',
  'llp',
  'lp',
  'corp',
  'corporation',
  'co',
  'company',
  'gmbh',
  'gmbh co kg',
  'co kg',
  'kg',
  'ag',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'bv',
  'nv',
  'oy',
  'oyj',
  'ab',
  'as',
  'asa',
  'aps',
  'pty',
  'pty ltd',
  'pte',
  'pte ltd',
  'kk',
  'sdn bhd',
  'bhd',
  'cic',
  'cio',
];

const SUFFIX_PATTERNS = [...LEGAL_SUFFIXES]
  .sort((a, b) => b.length - a.length)
  .map((s) => new RegExp(`(?:^| )${s}$`));

/** Case-folds, strips accents and punctuation, and collapses whitespace (no suffix removal). */
export function foldName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’`]/g, '') // O'Brien → obrien, not "o brien"
    .replace(/\.(?=[a-z0-9]\.)/g, '') // L.L.C. → llc before dots become spaces
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The normalised supplier key: folded, with trailing legal forms ("Ltd", "GmbH & Co. KG"…) removed. */
export function normalizeSupplierName(name: string): string {
  let folded = foldName(name);
  if (folded.startsWith('the ')) folded = folded.slice(4);
  // Strip legal forms from the end repeatedly ("Acme Co Ltd"), but never strip the whole name away.
  for (let changed = true; changed; ) {
    changed = false;
    for (const re of SUFFIX_PATTERNS) {
      const next = folded.replace(re, '').trim();
      if (next !== folded && next.length > 0) {
        folded = next.replace(/ and$/, '').trim() || folded;
        changed = true;
        break;
      }
    }
  }
  return folded;
}
